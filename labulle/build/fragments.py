"""Pieces of pages rendered once per pro: a pro's card appears in the list of all pros, in
its categories' and communes' lists and in the pages to check; it is rendered once, then
reused, within a build and, in livereload, from one rebuild to the next.

Templates call `remember(name, pro, macro, *args)` (a global set by the plugin) instead of
`macro(pro, *args)`. The memo is keyed by the macro's name, the pro object (a public view:
the same object from build to build while its file does not change, see
`labulle.model.public.ViewMemo`), the arguments and `extra` (what else of the directory the
piece shows, e.g. the spelling of its communes). It belongs to the `BuildMemory` and is
emptied whenever what every piece depends on changes (`begin(signature)`: the site's
signature — theme, code, settings, categories, reference date — of `PageCache`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class FragmentMemo:
    """Rendered pieces of pages, by (name, pro, arguments)."""

    def __init__(self) -> None:
        self.signature: str | None = None
        self.pieces: dict[tuple[Hashable, ...], tuple[Any, Any]] = {}
        self.used: dict[tuple[Hashable, ...], tuple[Any, Any]] = {}

    def begin(self, signature: str | None) -> None:
        """A build starts: keep the pieces only if `signature` is the last build's (None: a
        build that keeps nothing afterwards, e.g. a cold build)."""
        if signature is None or signature != self.signature:
            self.pieces = {}
        self.signature = signature
        self.used = {}

    def end(self) -> None:
        """The build is over: keep only the pieces it used (pros edited or gone drop out)."""
        self.pieces, self.used = self.used, {}

    def remember(self, name: str, pro: Any, render: Callable[..., Any], *args: Hashable,
                 extra: Hashable = None) -> Any:
        key = (name, id(pro), args, extra)
        kept = self.used.get(key) or self.pieces.get(key)
        if kept is None or kept[0] is not pro:
            kept = (pro, render(pro, *args))
        self.used[key] = kept
        return kept[1]

    def keep(self, name: str, key: Hashable, make: Callable[[], Any]) -> Any:
        """A piece made from `key` alone (and from what the site's signature covers), e.g. a
        map document from its view and bounds: made again only when `key` changes."""
        found = (name, key)
        kept = self.used.get(found) or self.pieces.get(found)
        if kept is None:
            kept = (key, make())
        self.used[found] = kept
        return kept[1]
