"""The pro format seen key by key: the one walker of the schema's types, and every list of keys
the other modules need, derived from the field metadata of `labulle.source.schema`.

`describe(cls)` gives, for each YAML key of a schema dataclass, a `Spec`: its annotation and
what it comes down to (the plain type, its `Rule`, whether it is optional, a list, a block or a
list of blocks). `walk()` goes through the whole format as dotted keys (`crise.livraison`; the
items of a list of blocks as `marches.N.nom`). The validator, the JSON Schema, the listings of
the letters and the public view all read the types through these two functions.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from labulle.source import schema
from labulle.source.schema import Crise, Pro, Rule, yaml_fields


@dataclass(frozen=True)
class Spec:
    """One YAML key of a schema block and what its annotation says."""

    name: str
    field: dataclasses.Field[Any]
    hint: Any  # the full annotation (Optional, Annotated, list ... included)
    base: Any  # the type of the value (of each item for a list), Annotated and Optional removed
    rule: Rule | None  # the rule of the value (of each item for a list)
    optional: bool
    many: bool  # a list

    @property
    def block(self) -> type | None:
        """The dataclass of the value (of each item for a list of blocks), else None."""
        return self.base if dataclasses.is_dataclass(self.base) else None

    @property
    def meta(self) -> Any:
        return self.field.metadata

    def flag(self, name: str) -> Any:
        """A metadata flag of the field (see `labulle.source.schema`); `public` defaults True."""
        return self.field.metadata.get(name, name == "public")


def unwrap(hint: Any) -> tuple[Any, Rule | None, bool]:
    """(type, rule, optional) of an annotation with Optional[...] and Annotated[...] removed."""
    rule, optional = None, False
    while True:
        origin = typing.get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            optional = True
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        elif origin is Annotated:
            base, *extras = typing.get_args(hint)
            rule = rule or next((e for e in extras if isinstance(e, Rule)), None)
            hint = base
        else:
            return hint, rule, optional


@cache
def describe(cls: type) -> tuple[Spec, ...]:
    """The YAML keys of a schema dataclass, in declaration order (computed once per class)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    specs = []
    for fdef in yaml_fields(cls):
        base, rule, optional = unwrap(hints[fdef.name])
        many = typing.get_origin(base) is list
        if many:
            base, item_rule, _ = unwrap(typing.get_args(base)[0])
            rule = item_rule or rule
        specs.append(Spec(fdef.name, fdef, hints[fdef.name], base, rule, optional, many))
    return tuple(specs)


def walk(cls: type = Pro, prefix: str = "") -> Iterator[tuple[str, Spec]]:
    """(dotted key, spec) of every key of the format, blocks before their keys; the keys of
    the items of a list of blocks are written `<list>.N.<key>`."""
    for spec in describe(cls):
        key = f"{prefix}{spec.name}"
        yield key, spec
        if spec.block is not None:
            yield from walk(spec.block, f"{key}.N." if spec.many else f"{key}.")


def _leaves() -> list[tuple[str, Spec]]:
    return [(key, spec) for key, spec in walk() if spec.block is None]


#: Keys the association manages itself: never in a letter or mailto, never taken from a message.
INTERNAL = frozenset(key for key, spec in walk() if spec.flag("internal"))
#: The keys offered to a new pro, in the order of the schema.
NEW_PRO_KEYS = tuple(key for key, spec in walk() if spec.flag("new_pro"))
#: The keys a listing line may name outside the numbered items (for "did you mean" hints).
LINE_KEYS = tuple(key for key, _ in _leaves() if ".N." not in key and key not in INTERNAL)
#: Lists of blocks (`marches`, `crise.paniers`) and the French noun of their items.
ITEM_NOUNS = {key: spec.flag("label").lower() for key, spec in walk()
              if spec.block is not None and spec.many}
#: The crisis services that can be "oui", "non" or "uniquement", in the order of the schema.
SERVICES = tuple(spec.name for spec in describe(Crise) if spec.base == schema.Service)
#: French labels of the keys that have one (dotted key → label).
LABELS = {key: spec.flag("label") for key, spec in walk() if spec.flag("label")}
#: Every crisis status, in the order of `schema.Statut`.
STATUSES: tuple[str, ...] = typing.get_args(schema.Statut)
#: The statuses in which a pro can be visited or reached.
OPEN_STATUSES = tuple(s for s in STATUSES if s not in schema.CLOSED_STATUTS)


def tags_of(cls: type) -> dict[str, str]:
    """Key of `cls` → the OpenStreetMap tag its value takes in the open data."""
    return {spec.name: spec.flag("osm") for spec in describe(cls) if spec.flag("osm")}


def _check_labels() -> None:
    """The labels typed next to a Literal name exactly its values."""
    for literal, labels in ((schema.Statut, schema.STATUT_LABELS),
                            (schema.Channel, schema.CHANNEL_LABELS)):
        if tuple(labels) != typing.get_args(literal):
            raise TypeError(f"labels {tuple(labels)} do not match {typing.get_args(literal)}")
    if not set(schema.CLOSED_STATUTS) <= set(STATUSES):
        raise TypeError(f"CLOSED_STATUTS {schema.CLOSED_STATUTS} are not statuses")


_check_labels()
