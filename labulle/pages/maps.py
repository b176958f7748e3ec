"""The map pages: `/carte/` (a page of the theme framing `carte/carte-embed.html`) and, in
crisis mode, `carte/crise-embed.html` (framed by the crisis page).

The embed documents are written as they are (not through Pelican's writer: they are not site
pages, the sitemap excludes them), atomically, into the output folder. Their links are relative
to `carte/`, so they work with RELATIVE_URLS and with any SITEURL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labulle.atomic import write_file
from labulle.pages import mapdoc as carte

MAP_DIR = "carte"
MAP_EMBED = f"{MAP_DIR}/carte-embed.html"
CRISIS_EMBED = f"{MAP_DIR}/crise-embed.html"


def asset_base(settings: dict[str, Any]) -> str:
    """Where the theme's static files are, seen from carte/."""
    return "../" + settings.get("THEME_STATIC_DIR", "theme").strip("/") + "/"


def crisis_entries(gen: Any) -> list[Any] | None:
    """The crisis page's entries (None when crisis mode is off)."""
    from labulle.pages.crisis import CrisisList, crisis_mode

    if not crisis_mode(gen.settings):
        return None
    listing = gen.context.get("crisis") or CrisisList(gen.directory, gen.settings)
    return list(listing.listed)


def write_maps(gen: Any, writer: Any) -> None:
    """carte/carte-embed.html, carte/index.html, and carte/crise-embed.html in crisis mode."""
    directory = gen.directory
    out = Path(gen.output_path)
    base = asset_base(gen.settings)
    write_file(out / MAP_EMBED,
                     carte.build_map(directory.published, directory, gen.settings, base))
    entries = crisis_entries(gen)
    if entries is not None:
        write_file(out / CRISIS_EMBED,
                         carte.build_crisis_map(entries, directory, gen.settings, base))
    gen.write_page(writer, f"{MAP_DIR}/index.html", "carte.html", map_embed=MAP_EMBED,
                   placed=sum(1 for p in directory.published if carte.places(p)))
