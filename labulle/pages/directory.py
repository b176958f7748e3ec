"""The directory's pages: `/pros/` and its category and commune pages, one page per pro,
the exchange offices (`/comptoirs/`), plus the 404 page and `robots.txt`.

Groupings are computed here, in Python; the templates only lay them out.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labulle.atomic import write_file
from labulle.mail.mailto import feedback_links, update_mailto
from labulle.model.directory import Directory
from labulle.model.fingerprint import key_of
from labulle.pages import freshness, sticker
from labulle.pages.jsonld import local_business
from labulle.pages.opendata import write_open_data
from labulle.source.readers import SLUG_RE, Category
from labulle.source.schema import Pro
from labulle.source.settings import identity, setting


@dataclass(frozen=True)
class Section:
    """A main category as the directory lists it: its subcategories, then the others."""

    category: Category
    count: int
    subgroups: list[tuple[Category, list[Pro]]]
    others: list[Pro]


def sections(directory: Directory) -> list[Section]:
    """Main categories in taxonomy order, each with its non-empty subcategories."""
    result = []
    for main in (c for c in directory.categories.values() if c.main):
        pros = directory.by_category.get(main.key)
        if not pros:
            continue
        subgroups = [(sub, directory.by_category[sub.key]) for sub in subcategories(directory, main)
                     if sub.key in directory.by_category]
        listed = {p.slug for _sub, group in subgroups for p in group}
        others = [p for p in pros if p.slug not in listed]
        result.append(Section(main, len(pros), subgroups, others))
    return result


def subcategories(directory: Directory, main: Category) -> list[Category]:
    return [c for c in directory.categories.values() if c.parent == main.key]


def write_directory(gen: Any, writer: Any) -> None:
    """`/pros/`, then `/pros/categorie/<key>/` and `/pros/commune/<slug>/` (livereload keeps
    those whose pros did not change)."""
    directory: Directory = gen.directory
    all_sections = sections(directory)

    def write(save_as: str, template: str, listed: list[Pro], also: Any, **kwargs: Any) -> None:
        def shown() -> str:  # `also`: what else of the context the page shows
            return listing_key(directory, listed, (kwargs, also))
        if not gen.unchanged(save_as, template, page_key=shown):
            gen.write_page(writer, save_as, template, **kwargs)

    write("pros/index.html", "annuaire.html", directory.published,
          (list(directory.by_commune.items()), directory.without_place,
           gen.context["pro_feed_url"]), sections=all_sections)
    for key, pros in directory.by_category.items():
        category = directory.categories[key]
        parent = directory.categories[category.parent] if category.parent else None
        section = next((s for s in all_sections if s.category.key == key), None)
        write(f"pros/categorie/{key}/index.html", "annuaire_categorie.html", pros, None,
              category=category, parent=parent, pros=pros, section=section)
    feed_url = gen.context["commune_feed_url"]
    for commune, pros in directory.by_commune.items():
        write(f"pros/commune/{directory.commune_slug(commune)}/index.html",
              "annuaire_commune.html", pros, feed_url(commune), commune=commune, pros=pros)
    remove_stale_pages(Path(gen.output_path) / "pros", directory)


def listing_key(directory: Directory, pros: list[Pro], shown: Any) -> str:
    """What a list page shows (labulle.build.incremental): its pros' cards (each made from
    the pro's view and its communes' spelling, labulle.build.fragments) and what else the
    page is given."""
    return key_of((pros, [directory.place_names(p) for p in pros], shown))


def remove_stale_pages(folder: Path, directory: Directory) -> None:
    """Remove the pages an earlier build left in output/ for a pro now a draft (a pro who left
    keeps its page, `write_departed_pages`, but not its window sticker), and for a category or
    commune left without published pros (`invoke build` keeps output/)."""
    for pro in directory.departed:
        shutil.rmtree(folder / pro.slug / sticker.FOLDER, ignore_errors=True)
    pages = {p.slug for p in directory.published} | {p.slug for p in directory.departed}
    current = {
        folder: pages | {"categorie", "commune", freshness.FOLDER},
        folder / "categorie": set(directory.by_category),
        folder / "commune": {directory.commune_slug(c) for c in directory.by_commune},
    }
    for parent, keep in current.items():
        if not parent.is_dir():
            continue
        for page in parent.iterdir():
            if page.is_dir() and page.name not in keep and SLUG_RE.fullmatch(
                    page.name.replace("_", "-")):
                shutil.rmtree(page, ignore_errors=True)


def write_pro_pages(gen: Any, writer: Any) -> None:
    """`/pros/<slug>/`, with its JSON-LD, its "Proposer une modification" link and its
    « Signaler une erreur » and « Je confirme ces informations » links."""
    siteurl = gen.settings["SITEURL"]
    email, currency = setting(gen.settings, "LABULLE_EMAIL"), identity(gen.settings)
    endpoint = setting(gen.settings, "LABULLE_REPORT_ENDPOINT")

    def save_as(pro: Pro) -> str:
        return f"pros/{pro.slug}/index.html"

    def write_one(pro: Pro) -> None:
        if gen.unchanged(save_as(pro), "pro.html", pro=pro):  # livereload: page still right
            return
        url = f"{siteurl}/pros/{pro.slug}/"
        gen.write_page(writer, save_as(pro), "pro.html", pro=pro,
                       jsonld=local_business(pro, url, currency),
                       update_link=update_mailto(pro, email, currency["mail_tag"]),
                       feedback=feedback_links(pro, email, currency, siteurl, endpoint))

    gen.write_each(gen.directory.published, save_as, write_one)  # on every core


def write_departed_pages(gen: Any, _writer: Any) -> None:
    """`/pros/<slug>/` of a pro who left: the links residents saved still work and say so.

    Rendered here, not with Pelican's writer, so that the sitemap never lists it; the page asks
    search engines not to index it and gives Pagefind nothing to index (no data-pagefind-body).
    """
    template = gen.get_template("pro-parti")
    for pro in gen.directory.departed:
        save_as = f"pros/{pro.slug}/index.html"
        if gen.page_cache.fresh(save_as, "pro-parti.html", {"page_key": lambda p=pro: key_of(p)}):
            continue  # livereload: the page of the previous build is still right
        text = template.render({**gen.context, "output_file": save_as, "departed": pro})
        write_file(Path(gen.output_path) / save_as, text)


def write_comptoirs(gen: Any, writer: Any) -> None:
    """`/comptoirs/`: where to change euros into Bulles, by commune."""
    gen.write_page(writer, "comptoirs/index.html", "comptoirs.html")


def write_not_found(gen: Any, writer: Any) -> None:
    """`/404.html`, served by the web server for unknown addresses."""
    gen.write_page(writer, "404.html", "404.html")


def write_robots(gen: Any, writer: Any) -> None:
    """`/robots.txt`: everything may be indexed; the sitemap's address."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {gen.settings['SITEURL']}/sitemap.xml\n"
    write_file(Path(gen.output_path) / "robots.txt", text)


#: The site's own page families, in the order they are written (open data last).
DIRECTORY_WRITERS = (write_pro_pages, write_departed_pages, write_directory, write_comptoirs,
                     write_not_found, write_robots, write_open_data)
