"""One load of everything the site reads, checked once: `SiteLoader().load(root, settings)`.

The pros and the taxonomy (`pros/`, where LABULLE_PROS_PATH says), the banner
(`content/data/annonce.yml`), the public figures (`stats.json`), the agenda (`agenda.ics`), the
metadata of the articles and pages, and the LABULLE_* settings are read into one `SiteData`,
with every problem of every file (`path:line: key: message`). The same object serves
`invoke check`, the build (the plugin hands it to the page writers), livereload (its process
keeps one `SiteLoader`, which does not read again a pro file whose bytes did not change) and
the webmaster's commands (members, letters, social).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import icalendar

from labulle.model import crisis
from labulle.source import agenda, announcement, articles, sitesettings, stats
from labulle.source.problems import DataError, Problem
from labulle.source.readers import Category, read_categories, read_pros
from labulle.source.references import departed_problems
from labulle.source.rules import Area
from labulle.source.schema import Pro
from labulle.source.settings import identity, pros_location, reference_date
from labulle.source.settingscheck import check_settings


@dataclass(frozen=True)
class SiteData:
    """Everything the site reads, as read; `problems` lists what is wrong, sorted."""

    root: Path
    settings: dict[str, Any]
    categories: dict[str, Category]
    pros: list[Pro]
    annonce: announcement.Annonce | None = None
    stats: stats.Stats | None = None
    calendar: icalendar.Calendar | None = None
    articles: dict[str, articles.Header] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def or_raise(self) -> SiteData:
        """The data, or DataError listing every problem."""
        if self.problems:
            raise DataError(self.problems)
        return self


class SiteLoader:
    """Reads a project; keeps the pro files it read (for the next load of the same process)."""

    def __init__(self) -> None:
        self.pro_memo: dict[Any, Any] = {}

    def load(self, root: Path, settings: dict[str, Any] | None = None,
             pros_dir: Path | None = None, content_dir: Path | None = None) -> SiteData:
        """Read and check the project at `root` (its settings: pelicanconf.py when not given)."""
        unreadable: list[Problem] = []
        if settings is None:
            settings, unreadable = _settings_or_problem(root)
        pros_dir = pros_dir or pros_location(root, settings)
        content_dir = content_dir or root / settings.get("PATH", "content")
        data_dir = content_dir / "data"
        problems = unreadable + check_settings(settings, root)
        categories, found = read_categories(pros_dir / "categories.yml", root)
        problems += found
        today = today_or_none(settings)
        pros, found = read_pros(pros_dir, categories, root, self.pro_memo,
                                Area.of(identity(settings)), today)
        problems += found + consignment_problems(pros) + departed_problems(pros, today)
        headers, found = articles.read_tree(content_dir, root,
                                            identity(settings)["blog_category"])
        problems += found
        annonce, found = announcement.read(data_dir / "annonce.yml", root)
        problems += found
        figures, found = stats.read(data_dir / "stats.json", root, identity(settings)["plural"],
                                    stats.pro_communes(pros))
        problems += found
        calendar, found = agenda.read(data_dir / "agenda.ics", root)
        problems += found
        return SiteData(root, settings, categories, pros, annonce, figures, calendar, headers,
                        sorted(set(problems)))


    def reload_pros(self, site: SiteData) -> SiteData:
        """`site` with its pro files read again (only those whose bytes changed are parsed):
        livereload's fast path, when nothing but pro files changed since `site` was loaded."""
        settings = site.settings
        pros_dir = pros_location(site.root, settings)
        pros, problems = self._pros(site.root, settings, pros_dir, site.categories)
        return dataclasses.replace(site, pros=pros, problems=sorted(set(problems)))

    def _pros(self, root: Path, settings: dict[str, Any], pros_dir: Path,
              categories: dict[str, Category]) -> tuple[list[Pro], list[Problem]]:
        pros, found = read_pros(pros_dir, categories, root, self.pro_memo,
                                Area.of(identity(settings)), today_or_none(settings))
        return pros, found + consignment_problems(pros)


def project_settings(root: Path, name: str = "pelicanconf.py") -> dict[str, Any]:
    """The settings of the project at `root` (its pelicanconf.py; none when it has none)."""
    if not (root / name).exists():
        return {}
    settings = sitesettings.read(root, name)
    path = settings.get("PATH")
    if path and not Path(path).is_absolute():
        settings["PATH"] = str(root / path)
    return settings


def _settings_or_problem(root: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The project's settings, or none and the reason its pelicanconf.py cannot be run."""
    try:
        return project_settings(root), []
    except SyntaxError as error:
        return {}, [Problem("pelicanconf.py", error.lineno or 1, "(réglages)",
                            f"erreur de syntaxe Python ({error.msg})")]
    except (ImportError, NameError) as error:  # a typo in the webmaster's file, not our bug
        line = error.__traceback__.tb_lineno if error.__traceback__ else 1
        for frame in _frames(error):
            if frame.tb_frame.f_code.co_filename.endswith("pelicanconf.py"):
                line = frame.tb_lineno
        return {}, [Problem("pelicanconf.py", line, "(réglages)",
                            f"le fichier ne s'exécute pas ({type(error).__name__} : {error})")]


def _frames(error: BaseException) -> list[Any]:
    frames, tb = [], error.__traceback__
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    return frames


def today_or_none(settings: dict[str, Any]) -> date | None:
    """The reference date, or None when LABULLE_TODAY is not a date (reported by the settings
    check)."""
    try:
        return reference_date(settings)
    except (TypeError, ValueError):
        return None


def load(root: Path, settings: dict[str, Any] | None = None, **dirs: Path | None) -> SiteData:
    """One load with a fresh loader (the commands, `invoke check`)."""
    return SiteLoader().load(root, settings, **dirs)


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
