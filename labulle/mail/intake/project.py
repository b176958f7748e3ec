"""The pro files an intake run works on, validated exactly as `invoke check` does."""

from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from labulle.source.readers import Category, read_categories, read_pro
from labulle.source.references import departed_problems, pro_references
from labulle.source.rules import Area, Known
from labulle.source.schema import Pro
from labulle.source.settings import identity, pros_location
from labulle.source.site import consignment_problems, project_settings, today_or_none


@dataclass
class Project:
    """A project folder (pros/ and pros/categories.yml inside)."""

    root: Path
    categories: dict[str, Category] = field(init=False)

    def __post_init__(self) -> None:
        self.categories, _ = read_categories(self.pros_dir / "categories.yml", self.root)

    @cached_property
    def pros_dir(self) -> Path:
        """Where the pro files live: the one rule (LABULLE_PROS_PATH, else pros/)."""
        return pros_location(self.root, project_settings(self.root))

    @cached_property
    def area(self) -> Area:
        """Where the pros' positions may be (the site's LABULLE_IDENTITY)."""
        return Area.of(identity(project_settings(self.root)))

    def path(self, slug: str) -> Path:
        return self.pros_dir / f"{slug}.yml"

    def shown(self, slug: str) -> str:
        return f"pros/{slug}.yml"

    def slugs(self) -> set[str]:
        return {p.stem for p in self.pros_dir.glob("*.yml") if p.name != "categories.yml"}

    def close_slugs(self, slug: str) -> list[str]:
        return difflib.get_close_matches(slug, sorted(self.slugs()), n=1, cutoff=0.6)

    def read(self, slug: str, text: str | None = None) -> tuple[Pro | None, list[str]]:
        """The pro built from its file (or from `text`, the file as it would become), with the
        checker's messages (`pros/<slug>.yml:<line>: <key>: <message>`)."""
        if text is None:
            text = self.path(slug).read_text(encoding="utf-8")
        known = Known(categories=set(self.categories), slugs=self.slugs() | {slug},
                      area=self.area)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{slug}.yml"
            path.write_text(text, encoding="utf-8")
            pro, problems = read_pro(path, known, Path(folder))
        if pro is not None and not problems:
            named = [pro, *self._named(pro)]
            problems = consignment_problems(named) + departed_problems(named, self.today)
            problems = [p for p in problems if p.path == pro.source]
        return pro, [f"pros/{p}" for p in problems]

    @cached_property
    def today(self) -> date | None:
        """The site's reference date (LABULLE_TODAY), after which a pro has left."""
        return today_or_none(project_settings(self.root))

    @cached_property
    def pro_names(self) -> dict[str, str]:
        """Slug → name of every pro file that can be read (a reply may name a pro)."""
        known = Known(categories=set(self.categories), slugs=self.slugs(), area=self.area)
        names = {}
        for slug in sorted(self.slugs()):
            pro, _ = read_pro(self.path(slug), known, self.root)
            if pro is not None:
                names[slug] = pro.nom
        return names

    def names_of(self, rule: str) -> dict[str, str]:
        """Identifier → shown name of what a list of references of `rule` may name."""
        if rule == "category":
            return {key: category.label for key, category in self.categories.items()}
        return self.pro_names

    def _named(self, pro: Pro) -> list[Pro]:
        """The other pros the pro names (consignment hosts, suppliers), as their files say."""
        named = []
        known = Known(categories=set(self.categories), slugs=self.slugs(), area=self.area)
        for slug in pro_references(pro):
            if self.path(slug).exists():
                other, _ = read_pro(self.path(slug), known, self.root)
                if other is not None:
                    named.append(other)
        return named


