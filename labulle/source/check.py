"""`invoke check`: every rule on every data file, all problems reported in one run.

Exit status: 0 when everything is valid, 1 when any problem was found (printed one per line as
`path:line: key.path: message`), 2 on a usage error.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from labulle.model import crisis
from labulle.source import agenda as events_source
from labulle.source import announcement, stats
from labulle.source import articles as articles_meta
from labulle.source.problems import DataError, Problem
from labulle.source.readers import Category, read_categories, read_pros
from labulle.source.schema import Pro


@dataclass(frozen=True)
class Data:
    """Everything read from the data files of a project."""

    categories: dict[str, Category]
    pros: list[Pro]


def load(root: Path, pros_dir: Path | None = None, content_dir: Path | None = None,
         ) -> tuple[Data, list[Problem]]:
    """Read and check the project at `root`; returns the data and every problem."""
    pros_dir = pros_dir or root / "pros"
    content_dir = content_dir or root / "content"
    categories, problems = read_categories(pros_dir / "categories.yml", root)
    pros, found = read_pros(pros_dir, categories, root)
    problems += found
    problems += consignment_problems(pros)
    problems += articles_meta.check_tree(content_dir, root)
    problems += announcement.check(content_dir / "data" / "annonce.yml", root)
    problems += stats.check(content_dir / "data" / "stats.json", root)
    problems += events_source.check(content_dir / "data" / "agenda.ics", root)
    return Data(categories, pros), sorted(set(problems))


def load_or_raise(root: Path, **dirs: Path | None) -> Data:
    data, problems = load(root, **dirs)
    if problems:
        raise DataError(problems)
    return data


def consignment_problems(pros: list[Pro]) -> list[Problem]:
    """A pro's goods can only be sold at a pro that is not itself closed."""
    by_slug = {p.slug: p for p in pros}
    problems = []
    for pro in pros:
        for i, host_slug in enumerate(pro.crise.vendu_chez if pro.crise else []):
            host = by_slug.get(host_slug)
            closed = host is not None and crisis.derived_status(host.crise,
                                                                host.horaires) == "ferme"
            if closed and host is not pro:  # a self-reference is reported by the readers
                key = f"crise.vendu_chez.{i}"
                problems.append(Problem(pro.source, pro.lines.get(key, 1), key,
                                        f"« {host_slug} » est lui-même fermé pendant la crise : "
                                        "ses produits ne peuvent pas y être vendus"))
    return problems


def report(root: Path, pros: Path | None = None, as_json: bool = False, github: bool = False,
           codequality: Path | None = None) -> int:
    """`labulle check`: every problem on stdout (lines, or JSON), a count on stderr; 1 if any."""
    data, problems = load(root, pros_dir=pros)
    if github or codequality:
        from labulle.commands import ci_report

        for line in ci_report.github_lines(problems) if github else ():
            print(line)
        if codequality:
            ci_report.write_codequality(problems, codequality)
    if as_json:
        # ASCII: a C1 control or a bidirectional override in a value stays an escape.
        print(json.dumps([p.as_dict() for p in problems], indent=2))
    else:
        for problem in problems:
            print(problem)
        files = len({p.path for p in problems})
        if problems:
            print(f"{len(problems)} erreur(s) dans {files} fichier(s).", file=sys.stderr)
        else:
            print(f"Tout est en ordre : {len(data.pros)} fiches, "
                  f"{len(data.categories)} catégories.",
                  file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    """`python -m labulle.source.check ARGS`: the same as `labulle check ARGS`."""
    from labulle.commands.cli import main as labulle

    return labulle(argv, command="check")


if __name__ == "__main__":
    sys.exit(main())
