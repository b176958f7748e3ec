"""livereload's fast path: when only pro files were edited, our pages are rebuilt without
running Pelican again.

Pelican's own pages (articles, categories, archives, the home page) read nothing of a pro but
the number of published pros; its run reads every article (from its cache) and writes every
article page again, which costs more than our pages at the scale of a large currency. So after
a full build the `BuildMemory` keeps that build's shared context and settings
(`FullBuild`) and a `Snapshot` of every file the site is made from. On the next change:

- if every changed file is an existing pro file (`pros/<slug>.yml`, none added or removed) and
  the published and departed pros are the same ones (same slugs: same home page), our
  generator runs alone on the new data, with the previous build's context: the pro pages
  whose key did not change are skipped as in any livereload rebuild (`PageCache`). Pelican's
  sitemap plugin is not told (it would list those pages again at the next full build); if the
  set of our pages differs from the full build's (a commune's or a crisis list's page came or
  went), a full build follows, which writes the sitemap;
- anything else (an article, the theme, a setting, a pro added, removed, published or left):
  a full build, as before.

A full build made outside livereload (`invoke build`, `invoke publish`) never takes this path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import labulle

#: Folders of the project whose files make the site (with `pelicanconf.py`).
WATCHED = ("content", "theme")


@dataclass(frozen=True)
class Snapshot:
    """(modification time, size) of every file the site is made from."""

    files: dict[str, tuple[int, int]]

    @classmethod
    def take(cls, root: Path, pros_dir: Path) -> Snapshot:
        files: dict[str, tuple[int, int]] = {}
        folders = [root / name for name in WATCHED] + [pros_dir, Path(labulle.__file__).parent]
        for folder in folders:
            _walk(files, str(folder))
        _add(files, root / "pelicanconf.py")
        return cls(files)

    def changed(self, now: Snapshot) -> set[str]:
        """Paths added, removed or modified between this snapshot and `now`."""
        paths = self.files.keys() | now.files.keys()
        return {p for p in paths if self.files.get(p) != now.files.get(p)}


def _walk(files: dict[str, tuple[int, int]], folder: str) -> None:
    """Every file under `folder` (os.scandir: a stat per file, no Path objects)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # absent, or removed while we looked
        return
    for entry in entries:
        try:
            if entry.is_dir():
                _walk(files, entry.path)
            else:
                stat = entry.stat()
                files[entry.path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:  # removed while we looked: it counts as absent
            continue


def _add(files: dict[str, tuple[int, int]], path: Path) -> None:
    try:
        stat = path.stat()
    except OSError:  # removed while we looked: it counts as absent
        return
    if not path.is_dir():
        files[str(path)] = (stat.st_mtime_ns, stat.st_size)


@dataclass
class FullBuild:
    """What the last full build leaves for the fast path."""

    context: dict[str, Any]
    settings: dict[str, Any]
    site: Any  # the SiteData it was made from
    snapshot: Snapshot
    published: frozenset[str]
    departed: frozenset[str]
    templates: tuple[Any, dict[str, Any]]  # the generator's Jinja environment and templates
    sitemapped: frozenset[str]  # our pages in the sitemap (SiteGenerator.sitemapped)


def only_pros_edited(last: FullBuild, now: Snapshot, pros_dir: Path) -> bool:
    """Every change is an edit of a pro file that existed at the last full build."""
    changed = last.snapshot.changed(now)
    folder = str(pros_dir.resolve())
    return bool(changed) and all(
        str(Path(p).resolve().parent) == folder and p.endswith(".yml")
        and p in last.snapshot.files and p in now.files and not p.endswith("categories.yml")
        for p in changed)


def slugs(directory: Any) -> tuple[frozenset[str], frozenset[str]]:
    """The published and departed slugs of a directory."""
    return (frozenset(p.slug for p in directory.published),
            frozenset(p.slug for p in directory.departed))


def rebuild(root: Path, memory: Any) -> bool:
    """Rebuild our pages alone when only pro files were edited since the last full build of
    `memory`; False when a full build is needed (invalid data too: the full build shows the
    problems and refuses, nothing is written)."""
    from pelican import signals
    from pelican.writers import Writer

    from labulle.build.plugin import SiteGenerator
    from labulle.source.settings import pros_location

    last: FullBuild | None = memory.full_build
    if last is None:
        return False
    pros_dir = pros_location(root, last.settings)
    now = Snapshot.take(root, pros_dir)
    if not only_pros_edited(last, now, pros_dir):
        return False
    site = memory.loader.reload_pros(last.site)
    if site.problems:
        return False
    settings = last.settings
    generator = type("SiteGenerator", (SiteGenerator,), {"site": site, "memory": memory})(
        context=dict(last.context), settings=settings, path=settings["PATH"],
        theme=settings["THEME"], output_path=settings["OUTPUT_PATH"])
    generator.env, generator._templates = last.templates  # same theme: compiled once
    generator.generate_context()
    if slugs(generator.directory) != (last.published, last.departed):
        return False
    with signals.content_written.muted():  # the sitemap is Pelican's: see `sitemapped`
        generator.generate_output(Writer(settings["OUTPUT_PATH"], settings=settings))
    if generator.sitemapped != last.sitemapped:  # a list page came or went: a new sitemap
        return False
    last.snapshot, last.site = now, site
    return True
