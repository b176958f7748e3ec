"""Fast rebuilds for `invoke livereload`: pro pages whose inputs did not change are not
rendered again.

Active only with Pelican's content cache on (`CACHE_CONTENT` and `LOAD_CONTENT_CACHE`, as the
livereload task builds), and with the `BuildMemory` the livereload task keeps from one rebuild
to the next (`labulle.build.pelicanrun.run(argv, memory)`): it owns what the previous build
left (the pro files read, the pages' keys, the compiled templates). Nothing is kept in a module.
A page is skipped when its file still exists and, since the last build: the site's signature
(theme and package files, LABULLE_* settings, categories, reference date, banner) is the same,
and the page's own key (the pro, its crisis entry with hosts and guests, its suppliers and
customers in the network, the page's arguments) is the same. Every other page is always
rendered. A cold build (`invoke build`, `invoke publish`) never skips anything.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import jinja2

import labulle
from labulle.build.fragments import FragmentMemo
from labulle.model.fingerprint import key_of
from labulle.model.public import ViewMemo
from labulle.source.site import SiteData, SiteLoader, project_settings

SKIPPABLE = frozenset({"pro.html", "affichette.html"})  # pro pages, stickers (pages/sticker.py)


def enabled(settings: dict[str, Any]) -> bool:
    return bool(settings.get("CACHE_CONTENT") and settings.get("LOAD_CONTENT_CACHE"))


def _files_signature(folder: Path, pattern: str) -> str:
    parts = []
    for path in sorted(folder.rglob(pattern)):
        if path.is_file():
            stat = path.stat()
            parts.append(f"{path}:{stat.st_mtime_ns}:{stat.st_size}")
    return "\n".join(parts)


def site_signature(settings: dict[str, Any], context: dict[str, Any]) -> str:
    directory = context["directory"]
    parts = [
        repr(sorted((k, repr(v)) for k, v in settings.items()
                    if k.startswith("LABULLE_")
                    or k in ("SITEURL", "SITENAME", "RELATIVE_URLS", "OUTPUT_PATH"))),
        _files_signature(Path(settings["THEME"]), "*"),
        _files_signature(Path(labulle.__file__).parent, "*.py"),
        repr(directory.categories), directory.today.isoformat(), repr(context.get("annonce")),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class PageCache:
    """Decides, page by page, whether the output of the previous build is still right."""

    def __init__(self, settings: dict[str, Any], context: dict[str, Any],
                 memory: BuildMemory) -> None:
        self.on = enabled(settings)
        self.context = context
        self.memory = memory
        self.output = Path(settings["OUTPUT_PATH"])
        self.site = site_signature(settings, context) if self.on else None
        same = self.on and memory.site == self.site
        self.previous = memory.keys if same else {}
        self.keys: dict[str, str] = {}
        self.arounds: dict[int, tuple[Any, str]] = {}
        self.skipped = 0

    def key(self, template: str, kwargs: dict[str, Any]) -> str | None:
        if self.on and "page_key" in kwargs:  # the writer says what the page shows
            shown = kwargs["page_key"]
            shown = shown() if callable(shown) else shown  # computed only when it serves
            return hashlib.sha256(f"{template}\x1f{shown}".encode()).hexdigest()
        if not self.on or template not in SKIPPABLE or "pro" not in kwargs:
            return None
        args = key_of(sorted(kwargs.items()))
        return hashlib.sha256(f"{template}\x1f{args}\x1f{self.around(kwargs['pro'])}"
                              .encode()).hexdigest()

    def around(self, pro: Any) -> str:
        """What a pro's pages show of others: its crisis entry (hosts and guests) and its
        suppliers and customers in the network (« Fournit aussi »…); once per pro and build,
        shared by its page and its sticker."""
        found = self.arounds.get(id(pro))
        if found is None or found[0] is not pro:
            crisis, network = self.context.get("crisis"), self.context.get("network")
            entry = crisis.entry(pro) if crisis else None
            links = network.entry(pro).key if network else None
            found = self.arounds[id(pro)] = (pro, key_of((entry and entry.key, links)))
        return found[1]

    def fresh(self, save_as: str, template: str, kwargs: dict[str, Any]) -> bool:
        """True when the page written by the previous build can stay as it is."""
        key = self.key(template, kwargs)
        if key is None:
            return False
        self.keys[save_as] = key
        if self.previous.get(save_as) == key and os.path.isfile(f"{self.output}/{save_as}"):
            self.skipped += 1
            return True
        return False

    def commit(self) -> None:
        """Remember this build's keys for the next one (same process)."""
        if self.on:
            self.memory.site, self.memory.keys = self.site, self.keys


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates, shared by every generator of a build and by the next
    builds of the same memory (Pelican makes one environment per generator, each compiling
    the same templates). Keys include the template's source checksum: edits are seen.
    Pickled empty: Pelican's content cache pickles the settings that name it."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.store = {}

    def load_bytecode(self, bucket: Any) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Any) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()

    def __eq__(self, other: object) -> bool:  # settings compare equal from build to build
        return isinstance(other, MemoryBytecodeCache)

    def __hash__(self) -> int:
        return hash(MemoryBytecodeCache)


class BuildMemory:
    """What one build leaves for the next in the same process (livereload keeps one; every
    other build gets a fresh one): the loader and its pro files, the pages' keys, the
    compiled templates; and the data its caller loaded and checked for the coming build
    (`preload`), which the plugin then takes instead of reading them again."""

    def __init__(self) -> None:
        self.loader = SiteLoader()
        self.site: str | None = None
        self.keys: dict[str, str] = {}
        self.bytecode = MemoryBytecodeCache()
        self.preloaded: SiteData | None = None
        # livereload's fast path (labulle.build.fastpath): the last full build, once Pelican
        # finished it; `candidate` is the one under way.
        self.full_build: Any = None
        self.candidate: Any = None
        self.views = ViewMemo()  # the public views of the last build
        self.fragments = FragmentMemo()  # pieces of pages rendered once per pro

    def preload(self, root: Path, settings_file: str = "pelicanconf.py") -> SiteData:
        """Load and check the project for the coming build (`invoke build` shows the problems
        as `invoke check` does, then builds without reading the data a second time)."""
        self.preloaded = self.loader.load(root, project_settings(root, settings_file))
        return self.preloaded

    def site_data(self, root: Path, settings: dict[str, Any]) -> SiteData:
        """The data of this build: the preloaded ones (taken once), else loaded now."""
        site, self.preloaded = self.preloaded, None
        if site is None or site.root.resolve() != root.resolve():
            site = self.loader.load(root, settings)
        return site
