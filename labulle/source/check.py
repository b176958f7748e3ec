"""`invoke check`: every rule on every data file, all problems reported in one run.

Exit status: 0 when everything is valid, 1 when any problem was found (printed one per line as
`path:line: key.path: message`), 2 on a usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from labulle.source import site
from labulle.source.problems import DataError, Problem
from labulle.source.site import SiteData


def load(root: Path, pros_dir: Path | None = None, content_dir: Path | None = None,
         ) -> tuple[SiteData, list[Problem]]:
    """Read and check the project at `root` (labulle.source.site); the data and every problem."""
    data = site.load(root, pros_dir=pros_dir, content_dir=content_dir)
    return data, data.problems


def load_or_raise(root: Path, settings: dict[str, Any] | None = None,
                  **dirs: Path | None) -> SiteData:
    """The project's data (read with `settings`, else its pelicanconf.py), or DataError listing
    every problem."""
    return site.load(root, settings, **dirs).or_raise()


def load_for(root: Path, settings: dict[str, Any], what: str) -> SiteData | None:
    """The project's data for a command that writes `what` (« Lettres »…); None when a pro file
    is wrong, after saying so on stderr with every problem (the command then exits 1)."""
    try:
        return load_or_raise(root, settings)
    except DataError as error:
        print(error, file=sys.stderr)
        print(f"{what} non écrites : corrigez d'abord les fiches (invoke check).",
              file=sys.stderr)
        return None


def report(root: Path, pros: Path | None = None, as_json: bool = False, github: bool = False,
           codequality: Path | None = None) -> int:
    """`labulle check`: every problem on stdout (lines, or JSON), a count on stderr; 1 if any."""
    return show(site.load(root, pros_dir=pros), as_json, github, codequality)


def show(data: SiteData, as_json: bool = False, github: bool = False,
         codequality: Path | None = None) -> int:
    """Print the problems of loaded data as `labulle check` does; 1 if any."""
    problems = data.problems
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
