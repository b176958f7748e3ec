"""The crisis list at any scale: lists by category, by commune and by service, in short pages.

Up to LABULLE_CRISIS_PAGE_SIZE pros, /ouverts-pendant-la-crise/ is one list (crise.html). Above,
it is a hub (counts and links) and the entries are on static list pages (crise-liste.html) that
a phone lays out fast, each of at most that many pros:

- `tous/`, `categorie/<clé>/`, `commune/<commune>/`: a scope (every listed pro, a category and
  its sub-categories, a commune where the pro has its shop or a market);
- `<scope>/<service>/`: the pros of that scope that deliver, do click & collect, sell baskets or
  take the digital currency (`livraison`, `retrait`, `paniers`, `numerique`): the filters work
  without JavaScript, as links; with it, crise.js goes to the narrowest such page and filters
  what is left (open now, a second service) on the page's rows;
- `<…>/2/`, `<…>/3/`: the next pages of a long list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from labulle.model.directory import slugify

if TYPE_CHECKING:
    from labulle.pages.crisis import CrisisList, Entry

#: The folders of the list pages, below the crisis page.
LIST_FOLDERS = ("tous", "categorie", "commune")

#: Each service that has its own list pages, and what its links say ({the}: « la Bulle »).
SERVICES = {
    "livraison": "livrent",
    "retrait": "font le retrait de commande",
    "paniers": "proposent des paniers",
    "numerique": "acceptent {the} numérique",
}


@dataclass(frozen=True)
class Scope:
    """A set of listed pros with its own pages: everyone, a category or a commune."""

    kind: str  # "tous", "categorie" or "commune"
    key: str  # the category key or the commune name ("" for everyone)
    label: str  # "Alimentation", "Cognac", "Tous les pros"
    path: str  # below the crisis page: "tous/", "categorie/alimentation/", "commune/cognac/"
    entries: tuple[Entry, ...]

    def having(self, service: str) -> list[Entry]:
        return [e for e in self.entries if e.flags[service]]

    @cached_property
    def services(self) -> list[tuple[str, int]]:
        """(key, count) of the services some of these pros offer."""
        counts = [(key, len(self.having(key))) for key in SERVICES]
        return [(key, count) for key, count in counts if count]


@dataclass(frozen=True)
class ListPage:
    """One written page of a scope (all of it, or the pros that offer one service)."""

    scope: Scope
    service: str | None
    entries: list[Entry]  # this page's
    number: int  # 1-based
    pages: int
    total: int  # entries of the scope (and service), all pages

    @property
    def base(self) -> str:
        """The list's path below the crisis page, without the page number."""
        return self.scope.path + (f"{self.service}/" if self.service else "")

    def url(self, number: int) -> str:
        return self.base + ("" if number == 1 else f"{number}/")

    @property
    def path(self) -> str:
        return self.url(self.number)

    def sections(self, crisis: CrisisList) -> list[tuple[Any, list[Entry]]]:
        """(top-level category, this page's entries) in the crisis order."""
        groups: dict[str, list[Entry]] = {}
        for entry in self.entries:
            groups.setdefault(entry.category.key, []).append(entry)
        return [(crisis.directory.categories[k], v) for k, v in groups.items()]


class Scopes:
    """Every scope of a crisis list, and its pages."""

    def __init__(self, crisis: CrisisList, size: int) -> None:
        self.crisis = crisis
        self.size = max(1, size)
        self.texts = {key: text.format(the=crisis.currency["the"])
                      for key, text in SERVICES.items()}

    @cached_property
    def everyone(self) -> Scope:
        return Scope("tous", "", "Tous les pros", "tous/", tuple(self.crisis.listed))

    @cached_property
    def categories(self) -> list[Scope]:
        """A scope per category of the filter, sub-categories after their parent."""
        groups = self._group(self.crisis.entry_categories)
        return [Scope("categorie", key, label, f"categorie/{key}/", groups.get(key, ()))
                for key, label, _sub in self.crisis.filter_categories]

    @cached_property
    def communes(self) -> list[Scope]:
        groups = self._group(lambda e: [slugify(c) for c in e.places])
        return [Scope("commune", name, name, f"commune/{slugify(name)}/",
                      groups.get(slugify(name), ()))
                for name in self.crisis.filter_communes]

    def _group(self, keys_of: Callable[[Entry], list[str]]) -> dict[str, tuple[Entry, ...]]:
        """key → the listed entries that have it (in the list's order), in one pass."""
        groups: dict[str, list[Entry]] = {}
        for entry in self.crisis.listed:
            for key in dict.fromkeys(keys_of(entry)):
                groups.setdefault(key, []).append(entry)
        return {key: tuple(entries) for key, entries in groups.items()}

    @cached_property
    def by_key(self) -> dict[tuple[str, str], Scope]:
        """(kind, key) → its scope: ("categorie", "alimentation"), ("commune", "Cognac")."""
        return {(s.kind, s.key): s for s in self.all}

    @property
    def all(self) -> list[Scope]:
        return [self.everyone, *self.categories, *self.communes]

    def pages(self, scope: Scope) -> list[ListPage]:
        """The pages of a scope: its whole list, then each service's, cut into pages."""
        lists = [(None, list(scope.entries))]
        lists += [(key, scope.having(key)) for key, _count in scope.services]
        pages = []
        for service, entries in lists:
            count = max(1, -(-len(entries) // self.size))
            pages += [ListPage(scope, service, entries[n * self.size:(n + 1) * self.size],
                               n + 1, count, len(entries)) for n in range(count)]
        return pages


def write_list_pages(scopes: Scopes, write: Callable[[ListPage], None]) -> int:
    """Write every page of every scope with `write`; how many were written."""
    written = 0
    for scope in scopes.all:
        for page in scopes.pages(scope):
            write(page)
            written += 1
    return written
