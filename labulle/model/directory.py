"""The directory as the site shows it: published pros, grouped, with the links between them.

Built once per build from the checked data (`labulle.source.check.Data`) and a reference date; the
templates receive it as `directory`. Nothing here is typed twice: the reverse of `vendu_chez` and
the groupings are computed.
"""

from __future__ import annotations

import dataclasses
import types
import typing
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from typing import Annotated, Any

from labulle.source.readers import Category
from labulle.source.schema import CONTACT_KEYS, Pro, Rule, yaml_fields

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


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


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


@cache
def _reference_kind(hint: Any) -> str | None:
    """"one" or "list" when a field holds pro identifiers (Rule("pro_slug")), "block" or
    "blocks" when it holds schema objects that may, None otherwise."""
    kind = "one"
    while True:
        origin = typing.get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        elif origin is list:
            hint, kind = typing.get_args(hint)[0], "list"
        elif origin is Annotated:
            rules = [e for e in typing.get_args(hint)[1:] if isinstance(e, Rule)]
            return kind if any(r.name == "pro_slug" for r in rules) else None
        elif dataclasses.is_dataclass(hint):
            return "block" if kind == "one" else "blocks"
        else:
            return None


def without_references(obj: Any, keep: set[str]) -> Any:
    """A copy of a schema object whose references to pros name only pros in `keep`.

    Driven by the schema: every field declared with Rule("pro_slug") (`crise.vendu_chez`
    today), at any depth. A published pro never names a draft or a pro who left.
    """
    hints = _hints(type(obj))
    changes: dict[str, Any] = {}
    for fdef in yaml_fields(type(obj)):
        value, kind = getattr(obj, fdef.name), _reference_kind(hints[fdef.name])
        if value is None or kind is None:
            continue
        if kind == "one":
            new = value if value in keep else None
        elif kind == "list":
            new = [slug for slug in value if slug in keep]
        elif kind == "block":
            new = without_references(value, keep)
        else:
            new = [without_references(item, keep) for item in value]
        if new != value:
            changes[fdef.name] = new
    return dataclasses.replace(obj, **changes) if changes else obj


def communes_of(pro: Pro) -> list[str]:
    """Where the pro can be found: its shop's commune, then its markets' communes."""
    names = []
    if pro.adresse and pro.adresse.commune:
        names.append(pro.adresse.commune)
    names += [m.commune for m in pro.marches if m.commune]
    return list(dict.fromkeys(names))  # two markets in one commune: named once


def _spelling_rank(name: str, count: int) -> tuple[int, int, int]:
    return count, sum(not c.isascii() for c in name), sum(c.isupper() for c in name)


def public_contact(pro: Pro) -> dict[str, str]:
    """The contact values the site may show: every filled key except those in `prive`."""
    if pro.contact is None:
        return {}
    private = set(pro.contact.prive)
    return {key: value for key in CONTACT_KEYS
            if key not in private and (value := getattr(pro.contact, key))}


@dataclass
class Directory:
    """Published pros and the ways the site lists them."""

    categories: dict[str, Category]
    all_pros: list[Pro]
    today: date
    by_slug: dict[str, Pro] = field(init=False)

    def __post_init__(self) -> None:
        self.by_slug = {p.slug: p for p in self.published}

    @cached_property
    def published(self) -> list[Pro]:
        """The pros the site shows, by name; their references to unpublished pros removed."""
        pros = [p for p in self.all_pros if is_published(p, self.today)]
        slugs = {p.slug for p in pros}
        return sorted((without_references(p, slugs) for p in pros), key=lambda p: sort_key(p.nom))

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
