"""The Pelican plugin: loads and checks everything the site reads, and writes our pages.

`register()` connects two receivers: `initialized` adds our template filters and globals, and
`get_generators` (Pelican asks for it before it writes or deletes anything) loads the project
once (`labulle.source.site`): invalid data stop the build with the checker's lines; valid data
go to `SiteGenerator`, made for this build, which follows Pelican's two phases
(`generate_context`, then `generate_output`). Each page family is one writer function of
`labulle.pages.families`. What a build leaves for the next one (livereload) is the
`BuildMemory` its caller hands over (`labulle.build.pelicanrun.run`): nothing is kept here.
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

from labulle.build import fastpath
from labulle.build.incremental import BuildMemory, PageCache, enabled
from labulle.build.parallel import split_run
from labulle.model.directory import Directory
from labulle.model.fingerprint import key_of
from labulle.pages import families as pages
from labulle.pages.filters import FILTERS
from labulle.source.settings import identity, pros_location, reference_date, setting
from labulle.source.site import SiteData

log = logging.getLogger(__name__)


class SiteGenerator(Generator):
    """Puts the directory in the shared context, then writes the pages built from it.

    `site` and `memory` are set on the subclass `get_generators` makes for each build."""

    site: SiteData
    memory: BuildMemory
    directory: Directory
    snapshot: fastpath.Snapshot | None = None  # livereload's full builds only

    def generate_context(self) -> None:
        self.directory = Directory(self.site.categories, self.site.pros,
                                   reference_date(self.settings), self.memory.views)
        self.context["directory"] = self.directory
        self.context["today"] = self.directory.today
        for name, value in pages.context(self).items():
            self.context[name] = value
        self.page_cache = PageCache(self.settings, self.context, self.memory)
        self.sitemapped: set[str] = set()  # our pages the sitemap lists (livereload's fast path)
        self.memory.fragments.begin(self.page_cache.site)
        self.context["remember"] = self.memory.fragments.remember  # labulle.build.fragments

    def generate_output(self, writer: Any) -> None:
        for write in pages.WRITERS:
            write(self, writer)
        self.page_cache.commit()
        self.memory.fragments.end()
        if self.snapshot is not None:  # livereload: what its fast path starts from
            published, departed = fastpath.slugs(self.directory)
            self.memory.candidate = fastpath.FullBuild(self.context, self.settings, self.site,
                                                       self.snapshot, published, departed,
                                                       (self.env, self._templates),
                                                       frozenset(self.sitemapped))

    def write_each(self, items: Sequence[Any], save_as: Callable[[Any], str],
                   write_one: Callable[[Any], None], sitemap: bool = True) -> None:
        """`write_one(item)` for every item (it writes the page `save_as(item)`); on a cold
        build the items are shared between processes, one per core (labulle.build.parallel).
        `sitemap=False`: pages kept out of the sitemap (written outside Pelican's writer)."""
        if self.page_cache.on:  # livereload: most pages are skipped, one process is enough
            for item in items:
                write_one(item)
            return
        shares = split_run(items, write_one)
        for share in shares if sitemap else ():  # pages the children wrote: the sitemap
            for item in share:
                self.sitemapped.add(save_as(item))
                path = str(Path(self.output_path) / save_as(item))
                signals.content_written.send(path, context=self.context)

    def unchanged(self, save_as: str, template: str, **kwargs: Any) -> bool:
        """livereload: True when the page of the previous build is still right (not rendered
        again; the sitemap is told about it all the same)."""
        if not self.page_cache.fresh(save_as, template, kwargs):
            return False
        self.sitemapped.add(save_as)
        signals.content_written.send(str(Path(self.output_path) / save_as), context=self.context)
        return True

    def write_keyed(self, writer: Any, save_as: str, template: str, **kwargs: Any) -> None:
        """`write_page` for a page made only from its arguments (and from what the site's
        signature covers: theme, code, settings, categories, reference date): livereload
        keeps it while they show the same."""
        if not self.unchanged(save_as, template, page_key=lambda: key_of(kwargs)):
            self.write_page(writer, save_as, template, **kwargs)

    def write_page(self, writer: Any, save_as: str, template: str, **kwargs: Any) -> None:
        """Write one page of ours with Pelican's writer (so the sitemap sees it)."""
        self.sitemapped.add(save_as)
        url = save_as.removesuffix("index.html")
        writer.write_file(save_as, self.get_template(template.removesuffix(".html")), self.context,
                          self.settings["RELATIVE_URLS"], override_output=True, url=url, **kwargs)


def template_identity(settings: dict[str, Any]) -> dict[str, Any]:
    """`identity` in the templates: LABULLE_IDENTITY, the contact address and the URL of the
    association's opinion articles (Pelican's own URL of that category)."""
    blog = Category(identity(settings)["blog_category"], settings)
    return {**identity(settings), "email": setting(settings, "LABULLE_EMAIL"), "blog_url": blog.url}


def add_template_helpers(pelican: Any) -> None:
    """Our Jinja filters and the `identity` global, before Pelican makes its environments."""
    settings = pelican.settings
    settings.setdefault("JINJA_FILTERS", {}).update(FILTERS)
    settings.setdefault("JINJA_GLOBALS", {})["identity"] = template_identity(settings)


def get_generators(pelican: Any) -> type[Generator]:
    """Load and check the project once, before anything is written or deleted; the generator
    of this build, holding the data. Invalid data stop the build with every problem."""
    memory = getattr(pelican, "labulle_memory", None) or BuildMemory()
    settings = pelican.settings
    settings["JINJA_ENVIRONMENT"] = {**settings.get("JINJA_ENVIRONMENT", {}),
                                     "bytecode_cache": memory.bytecode}
    root = Path(settings["PATH"]).parent
    snapshot = None
    if enabled(settings):  # livereload: before reading, so that edits made meanwhile count
        snapshot = fastpath.Snapshot.take(root, pros_location(root, settings))
    site = memory.site_data(root, settings)
    if site.problems:
        # Plain lines on stderr (not Pelican's wrapped log): editor-clickable, all of them.
        sys.stderr.write("".join(f"{problem}\n" for problem in site.problems))
        raise SystemExit(f"{len(site.problems)} erreur(s) dans les données : "
                         "rien n'a été construit.")
    return type("SiteGenerator", (SiteGenerator,),
                {"site": site, "memory": memory, "snapshot": snapshot})


def register() -> None:
    signals.initialized.connect(add_template_helpers)
    signals.get_generators.connect(get_generators)
