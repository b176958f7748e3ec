"""Where pros spend the local currency they receive: who supplies whom in the network.

A pro's file lists its suppliers (`fournisseurs`, pros of the network it already buys from) and
what it would buy in the local currency (`achats`, category keys). Nothing is typed twice: who
a pro supplies is the reverse of the others' `fournisseurs`, and what no one sells is what pros
want minus the categories of the published pros. Built once per build from the `Directory`,
whose pros are published public views: a draft or a pro who left is on neither side.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from labulle.model.directory import Directory
from labulle.source.readers import Category
from labulle.source.schema import Pro


@dataclass(frozen=True)
class Entry:
    """What a pro page says of the pro in the network."""

    suppliers: tuple[Pro, ...]  # « Achète en … chez » : its published fournisseurs, its order
    customers: tuple[Pro, ...]  # « Fournit aussi » : published pros naming it, by name
    wanted: tuple[Category, ...]  # « Cherche à acheter en … » : its achats, its order

    @property
    def key(self) -> tuple:
        """What the page shows of it (the incremental build compares it from build to build)."""
        return (tuple((p.slug, p.nom) for p in self.suppliers),
                tuple((p.slug, p.nom) for p in self.customers),
                tuple((c.key, c.label) for c in self.wanted))

    def __bool__(self) -> bool:
        return bool(self.suppliers or self.customers or self.wanted)


@dataclass(frozen=True)
class Seller:
    """A pro other pros buy from, and those pros (by name)."""

    pro: Pro
    customers: tuple[Pro, ...]


class Network:
    """The published pros' suppliers and purchases, and their reverse."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    def suppliers_of(self, pro: Pro) -> tuple[Pro, ...]:
        by_slug = self.directory.by_slug
        return tuple(by_slug[s] for s in pro.fournisseurs if s in by_slug)

    @cached_property
    def _customers(self) -> dict[str, tuple[Pro, ...]]:
        customers: dict[str, list[Pro]] = defaultdict(list)
        for pro in self.directory.published:  # by name: so is each list
            for supplier in self.suppliers_of(pro):
                customers[supplier.slug].append(pro)
        return {slug: tuple(pros) for slug, pros in customers.items()}

    def customers_of(self, pro: Pro) -> tuple[Pro, ...]:
        return self._customers.get(pro.slug, ())

    def wanted_by(self, pro: Pro) -> tuple[Category, ...]:
        categories = self.directory.categories
        return tuple(categories[key] for key in pro.achats if key in categories)

    def entry(self, pro: Pro) -> Entry:
        return Entry(self.suppliers_of(pro), self.customers_of(pro), self.wanted_by(pro))

    @cached_property
    def sellers(self) -> list[tuple[Category, list[Seller]]]:
        """Each category (taxonomy order) with the pros of it (their main category) that other
        pros buy from, by name."""
        groups: dict[str, list[Seller]] = defaultdict(list)
        for pro in self.directory.published:
            customers = self.customers_of(pro)
            if customers:
                groups[self.directory.category(pro).key].append(Seller(pro, customers))
        return [(c, groups[c.key]) for c in self._in_order() if c.key in groups]

    @cached_property
    def looking(self) -> list[tuple[Category, list[Pro]]]:
        """Each category (taxonomy order) pros would buy in and no published pro sells (in it
        or in one of its subcategories), with the pros looking for it, by name."""
        groups: dict[str, list[Pro]] = defaultdict(list)
        for pro in self.directory.published:
            for category in self.wanted_by(pro):
                if category.key not in self.directory.by_category:
                    groups[category.key].append(pro)
        return [(c, groups[c.key]) for c in self._in_order() if c.key in groups]

    def _in_order(self) -> list[Category]:
        """The taxonomy as the directory lists it: each main category, then its subcategories."""
        categories = sorted(self.directory.categories.values(), key=lambda c: c.order)
        return [c for main in categories if main.main
                for c in (main, *(s for s in categories if s.parent == main.key))]
