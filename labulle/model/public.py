"""The public view of a pro: the privacy rule, written once.

A public view is a `Pro` with no private value in it at all:

- no contact value whose key the pro listed in `contact.prive` (and an empty `prive`),
- no value of a field flagged ``public=False`` in the schema (`adhesion`, `brouillon`,
  `quitte_le`): the field holds its default,
- no reference to a pro that is not published (`crise.vendu_chez`, any field of Rule "pro_slug").

Every page family, the open data, JSON-LD, the search index, the maps, the social post and the
public part of the letters receive public views (`Directory.published`); only the association's
own tools (`invoke members`, the letters' recipient address) read the full record. Nothing here
knows a key by name: the flags come from `labulle.source.schema`.

A pro who left (`quitte_le` passed) keeps its page, which receives a `DepartedPro`: its name, the
date it left and where to find others like it, nothing else of its record.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from datetime import date
from typing import Any

from labulle.source.fields import Spec, describe
from labulle.source.schema import CONTACT_KEYS, Pro


@dataclasses.dataclass(frozen=True)
class DepartedPro:
    """What the page of a pro who left may show: the name, the date, and the keys of the
    directory pages (category, commune) that still list others; None when there is none."""

    slug: str
    nom: str
    since: date
    category: str | None
    commune: str | None


def public_view(pro: Pro, published: Collection[str] | None = None) -> Pro:
    """The pro as the public may see it; references only to pros in `published` (all when None).

    Idempotent: the public view of a public view is itself.
    """
    return _rewrite(pro, published, private=False)


def with_references(pro: Pro, published: Collection[str]) -> Pro:
    """The full record (private values kept) naming only published pros: for the association's
    own letters, never for a page."""
    return _rewrite(pro, published, private=True)


def public_contact(pro: Pro) -> dict[str, str]:
    """The contact values the site may show (filled and not private), in the schema's order."""
    contact = public_view(pro).contact
    if contact is None:
        return {}
    return {key: value for key in CONTACT_KEYS if (value := getattr(contact, key))}


def _rewrite(obj: Any, keep: Collection[str] | None, private: bool) -> Any:
    specs = describe(type(obj))
    hidden: set[str] = set()
    if not private:
        for spec in specs:
            if spec.flag("private_list"):
                hidden.update(getattr(obj, spec.name))
    changes: dict[str, Any] = {}
    for spec in specs:
        value = getattr(obj, spec.name)
        new = _field_value(spec, value, keep, private, hidden)
        if new != value:
            changes[spec.name] = new
    return dataclasses.replace(obj, **changes) if changes else obj


def _field_value(spec: Spec, value: Any, keep: Collection[str] | None, private: bool,
                 hidden: set[str]) -> Any:
    if not private and (not spec.flag("public") or
                        (spec.flag("privatable") and spec.name in hidden)):
        return _default(spec.field)
    if value is None:
        return None
    if spec.rule is not None and spec.rule.name == "pro_slug":
        if keep is None:
            return value
        return [s for s in value if s in keep] if spec.many else (value if value in keep else None)
    if spec.block is not None:
        if spec.many:
            return [_rewrite(item, keep, private) for item in value]
        return _rewrite(value, keep, private)
    return value


def _default(fdef: dataclasses.Field[Any]) -> Any:
    if fdef.default_factory is not dataclasses.MISSING:
        return fdef.default_factory()
    return None if fdef.default is dataclasses.MISSING else fdef.default
