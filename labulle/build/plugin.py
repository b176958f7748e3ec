"""The Pelican plugin: reads the pros, checks everything, and writes the directory's pages.

`register()` connects two receivers: `initialized` runs the checker before Pelican writes or
deletes anything (invalid data stop the build with the checker's lines), and `get_generators`
adds `SiteGenerator`, which follows Pelican's two phases (`generate_context`, then
`generate_output`). Each page family is one writer function of `labulle.pages.families`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator
from pelican.urlwrappers import Category

from labulle.build.incremental import BYTECODE_CACHE, PageCache
from labulle.build.parallel import split_run
from labulle.model.directory import Directory
from labulle.pages import families as pages
from labulle.pages.filters import FILTERS
from labulle.source import check
from labulle.source.problems import DataError
from labulle.source.settings import identity, reference_date, setting

log = logging.getLogger(__name__)


def _pros_path(settings: dict[str, Any]) -> Path:
    configured = setting(settings, "LABULLE_PROS_PATH")
    return Path(configured) if configured else Path(settings["PATH"]).parent / "pros"


def load_directory(settings: dict[str, Any]) -> Directory:
    """Check the data and build the directory; raises DataError listing every problem."""
    pros_dir = _pros_path(settings)
    root = pros_dir.parent
    data = check.load_or_raise(root, pros_dir=pros_dir, content_dir=Path(settings["PATH"]))
    return Directory(data.categories, data.pros, reference_date(settings))


# The directory loaded by check_before_build, handed to the generator of the same build
# (keyed by the build's settings dict, popped when used).
_PRELOADED: dict[int, Directory] = {}


class SiteGenerator(Generator):
    """Puts the directory in the shared context, then writes the pages built from it."""

    directory: Directory

    def generate_context(self) -> None:
        # Read once per build: the check at `initialized` left the directory it loaded.
        preloaded = _PRELOADED.pop(id(self.settings), None)
        self.directory = preloaded if preloaded is not None else load_directory(self.settings)
        self.context["directory"] = self.directory
        self.context["today"] = self.directory.today
        for name, value in pages.context(self).items():
            self.context[name] = value
        self.page_cache = PageCache(self.settings, self.context)

    def generate_output(self, writer: Any) -> None:
        for write in pages.WRITERS:
            write(self, writer)
        self.page_cache.commit()

    def write_each(self, items: Sequence[Any], save_as: Callable[[Any], str],
                   write_one: Callable[[Any], None]) -> None:
        """`write_one(item)` for every item (it writes the page `save_as(item)`); on a cold
        build the items are shared between processes, one per core (labulle.build.parallel)."""
        if self.page_cache.on:  # livereload: most pages are skipped, one process is enough
            for item in items:
                write_one(item)
            return
        for share in split_run(items, write_one):  # pages the children wrote: the sitemap
            for item in share:
                path = str(Path(self.output_path) / save_as(item))
                signals.content_written.send(path, context=self.context)

    def unchanged(self, save_as: str, template: str, **kwargs: Any) -> bool:
        """livereload: True when the page of the previous build is still right (not rendered
        again; the sitemap is told about it all the same)."""
        if not self.page_cache.fresh(save_as, template, kwargs):
            return False
        signals.content_written.send(str(Path(self.output_path) / save_as), context=self.context)
        return True

    def write_page(self, writer: Any, save_as: str, template: str, **kwargs: Any) -> None:
        """Write one page of ours with Pelican's writer (so the sitemap sees it)."""
        url = save_as.removesuffix("index.html")
        writer.write_file(save_as, self.get_template(template.removesuffix(".html")), self.context,
                          self.settings["RELATIVE_URLS"], override_output=True, url=url, **kwargs)


def template_identity(settings: dict[str, Any]) -> dict[str, Any]:
    """`identity` in the templates: LABULLE_IDENTITY, the contact address and the URL of the
    association's opinion articles (Pelican's own URL of that category)."""
    blog = Category(identity(settings)["blog_category"], settings)
    return {**identity(settings), "email": setting(settings, "LABULLE_EMAIL"), "blog_url": blog.url}


def check_before_build(pelican: Any) -> None:
    """Stop before anything is written or deleted when a data file is invalid."""
    settings = pelican.settings
    settings.setdefault("JINJA_FILTERS", {}).update(FILTERS)
    settings.setdefault("JINJA_GLOBALS", {})["identity"] = template_identity(settings)
    settings["JINJA_ENVIRONMENT"] = {**settings.get("JINJA_ENVIRONMENT", {}),
                                     "bytecode_cache": BYTECODE_CACHE}
    _PRELOADED.clear()  # one build at a time
    try:
        _PRELOADED[id(settings)] = load_directory(settings)
    except DataError as error:
        # Plain lines on stderr (not Pelican's wrapped log): editor-clickable, all of them.
        sys.stderr.write("".join(f"{problem}\n" for problem in error.problems))
        raise SystemExit(f"{len(error.problems)} erreur(s) dans les données : "
                         "rien n'a été construit.") from None


def get_generators(pelican: Any) -> type[Generator]:
    return SiteGenerator


def register() -> None:
    signals.initialized.connect(check_before_build)
    signals.get_generators.connect(get_generators)
