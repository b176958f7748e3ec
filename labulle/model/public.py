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
import itertools
from collections.abc import Collection
from datetime import date
from functools import cache
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

    Idempotent: the public view of a public view is itself (the same object: a view remembers
    the set it was made for, and a view made for all or for that set needs no second pass).
    """
    made_for = getattr(pro, _MARK, _UNMARKED)
    if made_for is not _UNMARKED and (published is None or made_for is published):
        return pro
    view = _rewrite(pro, published, private=False)
    if view is pro:  # nothing to hide: a copy, so the marker never lands on the record
        view = dataclasses.replace(pro)
    object.__setattr__(view, _MARK, published)
    return view


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


class ViewMemo:
    """Public views kept from one build to the next of the same process (livereload): the
    view of a record that did not change is the same object, so that what is keyed on it
    (pages skipped, fragments) sees no change. Owned by the caller (`BuildMemory`)."""

    def __init__(self) -> None:
        self.published: frozenset[str] | None = None
        self.views: dict[int, tuple[Pro, Pro]] = {}
        self.serials = itertools.count(1)

    def views_of(self, records: list[Pro], published: frozenset[str]) -> list[Pro]:
        """`public_view(record, published)` of each record; the previous object when the
        record is the same and its view did not change (a pro who joined or left the
        published set changes only the views that name it)."""
        same_set = published == self.published
        earlier, self.published, self.views = self.views, published, {}
        found = []
        for record in records:
            kept = earlier.get(id(record))
            kept_view = kept[1] if kept and kept[0] is record else None
            view = kept_view if same_set and kept_view is not None else None
            if view is None:
                view = public_view(record, published)
                if kept_view is not None and kept_view == view:
                    view = kept_view
                else:  # a new view: a new number (labulle.model.fingerprint)
                    object.__setattr__(view, SERIAL, next(self.serials))
            self.views[id(record)] = (record, view)
            found.append(view)
        return found


_MARK = "_public_for"  # attribute set on each public view: the `published` it was made for
SERIAL = "_view_serial"  # set by ViewMemo on the views it keeps: their number in the memo
_UNMARKED = object()


@cache
def _plan(cls: type) -> tuple[tuple[Spec, str, bool, bool], ...]:
    """For each key of a schema block: its spec, what a view does with its value (`slug`:
    keep only published references; `block`: rewrite it; `keep`), whether the public may see
    it, and whether a pro may list it as private (computed once per class)."""
    plan = []
    for spec in describe(cls):
        if spec.rule is not None and spec.rule.name == "pro_slug":
            action = "slug"
        elif spec.block is not None:
            action = "block"
        else:
            action = "keep"
        plan.append((spec, action, bool(spec.flag("public")), bool(spec.flag("privatable"))))
    return tuple(plan)


def _rewrite(obj: Any, keep: Collection[str] | None, private: bool) -> Any:
    plan = _plan(type(obj))
    hidden: set[str] = set()
    if not private:
        for spec, *_ in plan:
            if spec.flag("private_list"):
                hidden.update(getattr(obj, spec.name))
    changes: dict[str, Any] = {}
    for spec, action, public, privatable in plan:
        value = getattr(obj, spec.name)
        if not private and (not public or (privatable and spec.name in hidden)):
            new = _default(spec.field)
        else:
            new = _field_value(spec, action, value, keep, private)
        if new is not value and new != value:
            changes[spec.name] = new
    return dataclasses.replace(obj, **changes) if changes else obj


def _field_value(spec: Spec, action: str, value: Any, keep: Collection[str] | None,
                 private: bool) -> Any:
    if value is None or action == "keep":
        return value
    if action == "slug":
        if keep is None:
            return value
        return [s for s in value if s in keep] if spec.many else (value if value in keep else None)
    if spec.many:
        return [_rewrite(item, keep, private) for item in value]
    return _rewrite(value, keep, private)


def _default(fdef: dataclasses.Field[Any]) -> Any:
    if fdef.default_factory is not dataclasses.MISSING:
        return fdef.default_factory()
    return None if fdef.default is dataclasses.MISSING else fdef.default
