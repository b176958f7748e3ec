"""What a value shows, as text that changes whenever the value does: the keys of the pages
and pieces of pages that livereload keeps from one build to the next
(labulle.build.incremental, labulle.pages.crisis).

A public view kept by `ViewMemo` counts by its serial number (a new object, hence a new number,
whenever its pro changes: views are frozen); other dataclasses field by field, containers item
by item, anything else by its repr. Much cheaper than the repr of every pro a page shows.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from labulle.model.public import SERIAL

_PLAIN = frozenset({str, int, float, bool, type(None), date})
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _fields(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass (None for any other class), looked up once per class."""
    try:
        return _FIELDS[cls]
    except KeyError:
        names = (tuple(f.name for f in dataclasses.fields(cls))
                 if dataclasses.is_dataclass(cls) else None)
        _FIELDS[cls] = names
        return names


def fingerprint(value: Any, parts: list[str]) -> None:
    """Append to `parts` what makes `value` what it is."""
    cls = type(value)
    if cls in _PLAIN:
        parts.append(repr(value))
        return
    serial = getattr(value, SERIAL, None)
    if serial is not None:
        parts.append(f"view {serial}")
        return
    names = _fields(cls)
    if names is not None:
        parts.append(cls.__qualname__)
        for name in names:
            fingerprint(getattr(value, name), parts)
    elif isinstance(value, list | tuple):
        parts.append(f"[{len(value)}")
        for item in value:
            fingerprint(item, parts)
    elif isinstance(value, dict):
        parts.append(f"{{{len(value)}")
        for key, item in value.items():
            parts.append(repr(key))
            fingerprint(item, parts)
    else:
        parts.append(repr(value))


def key_of(value: Any) -> str:
    """`fingerprint` of `value`, as one string."""
    parts: list[str] = []
    fingerprint(value, parts)
    return "\x1f".join(parts)
