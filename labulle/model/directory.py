"""The directory as the site shows it: published pros, grouped, with the links between them.

Built once per build from the checked data (`labulle.source.check.Data`) and a reference date; the
templates receive it as `directory`, whose pros are public views (`labulle.model.public`).
Nothing here is typed twice: the reverse of `vendu_chez` and the groupings are computed.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from labulle.model.public import DepartedPro, ViewMemo, public_view, with_references
from labulle.source.readers import Category
from labulle.source.schema import Pro

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


@lru_cache(maxsize=16384)  # a pure function, asked the same names thousands of times a build
def slugify(text: str) -> str:
    """ASCII slug: "L'Isle aux Images" → "l-isle-aux-images", "Œufs & Cie" → "oeufs-cie"."""
    out, dash = [], False
    for char in unicodedata.normalize("NFKD", text.translate(_LIGATURES)).lower():
        if unicodedata.combining(char):
            continue
        if char.isascii() and char.isalnum():
            out.append(char)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def sort_key(text: str) -> str:
    """French alphabetical order, ignoring accents, case and leading articles' apostrophes."""
    return slugify(text)


def is_published(pro: Pro, today: date) -> bool:
    """Drafts and pros who left (a `quitte_le` not in the future) are not published."""
    if pro.brouillon:
        return False
    return pro.quitte_le is None or pro.quitte_le > today


def has_left(pro: Pro, today: date) -> bool:
    """A pro who left (not a draft): its `quitte_le` is passed; it keeps only its own page."""
    return not pro.brouillon and pro.quitte_le is not None and pro.quitte_le <= today


def communes_of(pro: Pro) -> list[str]:
    """Where the pro can be found: its shop's commune, then its markets' communes."""
    names = []
    if pro.adresse and pro.adresse.commune:
        names.append(pro.adresse.commune)
    names += [m.commune for m in pro.marches if m.commune]
    return list(dict.fromkeys(names))  # two markets in one commune: named once


def _spelling_rank(name: str, count: int) -> tuple[int, int, int]:
    return count, sum(not c.isascii() for c in name), sum(c.isupper() for c in name)


@dataclass
class Directory:
    """Published pros and the ways the site lists them."""

    categories: dict[str, Category]
    all_pros: list[Pro]
    today: date
    #: Public views kept from the previous build of the same process (livereload's memory).
    views: ViewMemo | None = field(default=None, repr=False, compare=False)
    by_slug: dict[str, Pro] = field(init=False)

    def __post_init__(self) -> None:
        self.by_slug = {p.slug: p for p in self.published}

    @cached_property
    def published(self) -> list[Pro]:
        """The pros the site shows, by name, as public views (`labulle.model.public`: no
        private value, no reference to an unpublished pro)."""
        if self.views is not None:
            return self.views.views_of(self._published_records, self._published_slugs)
        return [public_view(p, self._published_slugs) for p in self._published_records]

    @cached_property
    def _published_records(self) -> list[Pro]:
        pros = [p for p in self.all_pros if is_published(p, self.today)]
        return sorted(pros, key=lambda p: sort_key(p.nom))

    @cached_property
    def _published_slugs(self) -> frozenset[str]:
        return frozenset(p.slug for p in self._published_records)

    @cached_property
    def departed(self) -> list[DepartedPro]:
        """The pros who left, by name: what their page says (`DepartedPro`), with the category
        and commune pages that still list published pros."""
        left = sorted((p for p in self.all_pros if has_left(p, self.today)),
                      key=lambda p: sort_key(p.nom))
        return [DepartedPro(p.slug, p.nom, p.quitte_le, self._listed_category(p),
                            self._listed_commune(p)) for p in left if p.quitte_le]

    def _listed_category(self, pro: Pro) -> str | None:
        """The pro's first category (or its parent's) that has a page, i.e. published pros."""
        for key in pro.categories:
            while key:
                if key in self.by_category:
                    return key
                key = self.categories[key].parent
        return None

    def _listed_commune(self, pro: Pro) -> str | None:
        """The pro's first commune that has a page, as the site spells it."""
        names = (self.commune_name(c) for c in communes_of(pro))
        return next((name for name in names if name in self.by_commune), None)

    def private_records(self) -> list[Pro]:
        """The published pros' full records (private values kept, references to unpublished
        pros removed), in the order of `published`: for the association's own letters only,
        never for a page."""
        return [with_references(p, self._published_slugs) for p in self._published_records]

    def category(self, pro: Pro) -> Category:
        """The pro's main category (the first listed)."""
        return self.categories[pro.categories[0]]

    def main_category(self, pro: Pro) -> Category:
        """The top-level category the pro's main category belongs to."""
        category = self.category(pro)
        while category.parent:
            category = self.categories[category.parent]
        return category

    @cached_property
    def by_category(self) -> dict[str, list[Pro]]:
        """Category key → published pros in it or in its subcategories (taxonomy order)."""
        groups: dict[str, list[Pro]] = defaultdict(list)
        for pro in self.published:
            keys = set()
            for key in pro.categories:
                while key:
                    keys.add(key)
                    key = self.categories[key].parent
            for key in keys:
                groups[key].append(pro)
        return {k: groups[k] for k in self.categories if groups.get(k)}

    @cached_property
    def commune_names(self) -> dict[str, str]:
        """Commune slug → the spelling shown: the most used one, accents and capitals first.

        Files typed by hand spell a commune several ways ("Chateaubernard", "Châteaubernard");
        they are one commune, with one page.
        """
        counts = Counter(c for p in self.published for c in communes_of(p))
        best: dict[str, str] = {}
        for name, count in counts.items():
            key = slugify(name)
            if key not in best or _spelling_rank(name, count) > _spelling_rank(best[key],
                                                                                counts[best[key]]):
                best[key] = name
        return best

    def commune_name(self, commune: str) -> str:
        return self.commune_names.get(slugify(commune), commune)

    def place_names(self, pro: Pro) -> tuple[str, ...]:
        """The communes where the pro is found, each in the directory's spelling."""
        found = self._published_places.get(id(pro))
        return found if found is not None else self._places_of(pro)

    @cached_property
    def _published_places(self) -> dict[int, tuple[str, ...]]:
        """`place_names` of every published pro (the directory keeps them: ids are stable),
        asked for each card of every list."""
        return {id(p): self._places_of(p) for p in self.published}

    def _places_of(self, pro: Pro) -> tuple[str, ...]:
        return tuple(self.commune_name(place) for place in communes_of(pro))

    @cached_property
    def by_commune(self) -> dict[str, list[Pro]]:
        """Commune name → published pros found there, communes in alphabetical order."""
        groups: dict[str, list[Pro]] = defaultdict(list)
        for pro in self.published:
            for commune in dict.fromkeys(self.commune_name(c) for c in communes_of(pro)):
                groups[commune].append(pro)
        return {c: groups[c] for c in sorted(groups, key=sort_key)}

    @cached_property
    def without_place(self) -> list[Pro]:
        """Published pros with neither address nor market (itinerant, online, by area)."""
        return [p for p in self.published if not communes_of(p)]

    @cached_property
    def comptoirs(self) -> dict[str, list[Pro]]:
        """Exchange offices grouped by commune."""
        groups: dict[str, list[Pro]] = defaultdict(list)
        for pro in self.published:
            if pro.bulle.comptoir:
                commune = self.commune_name((communes_of(pro) or ["Autres lieux"])[0])
                groups[commune].append(pro)
        return {c: groups[c] for c in sorted(groups, key=sort_key)}

    def hosts_of(self, pro: Pro) -> list[Pro]:
        """Published pros where this pro's goods are sold (its `vendu_chez`)."""
        slugs = pro.crise.vendu_chez if pro.crise else []
        return [self.by_slug[s] for s in slugs if s in self.by_slug]

    @cached_property
    def _guests(self) -> dict[str, list[Pro]]:
        guests: dict[str, list[Pro]] = defaultdict(list)
        for pro in self.published:
            for host in self.hosts_of(pro):
                guests[host.slug].append(pro)
        return guests

    def guests_of(self, pro: Pro) -> list[Pro]:
        """Published pros whose goods are sold at this pro (computed from their `vendu_chez`)."""
        return self._guests.get(pro.slug, [])

    def commune_slug(self, commune: str) -> str:
        return slugify(commune)
