"""JSON files about every pro, assembled from each pro's own text: the build's memo keeps the
text of the pros that did not change (labulle.build.fragments), so that livereload serialises
only the edited pro. The result is, byte for byte, what `json.dumps` of the whole file gives
(tests/test_opendata.py compares them)."""

from __future__ import annotations

import json
from typing import Any


def item(value: Any, indent: int | None = None) -> str:
    """The text of one item of the file's list (`indent`: the file's)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if indent is None:
        return text
    return text.replace("\n", "\n" + " " * (2 * indent))  # the list is in the top object


def document(head: dict[str, Any], key: str, items: list[str], indent: int | None = None,
             ) -> str:
    """`json.dumps({**head, key: [...]})`, the list's items given as `item` texts."""
    marker = json.dumps(f"\x00{key}\x00")
    whole = json.dumps({**head, key: f"\x00{key}\x00"}, ensure_ascii=False, indent=indent)
    if not items:
        listed = "[]"
    elif indent is None:
        listed = "[" + ", ".join(items) + "]"
    else:
        inner = " " * (2 * indent)
        listed = "[\n" + inner + (",\n" + inner).join(items) + "\n" + " " * indent + "]"
    before, _, after = whole.rpartition(marker)
    return before + listed + after
