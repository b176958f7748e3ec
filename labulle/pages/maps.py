"""The map pages: `/carte/` (a page of the theme framing `carte/carte-embed.html`),
`/carte/integrer/` (the code a town hall copies to put the map on its site) and, in crisis mode,
`carte/crise-embed.html` (framed by the crisis page).

The embed documents (`labulle.pages.mapdoc`) and the markers' data they fetch
(`labulle.pages.mapdata`: `carte/carte-donnees.json`, `carte/crise-donnees.json`) are written
as they are (not through Pelican's writer: they are not site pages, the sitemap excludes them),
atomically, into the output folder. Their links are relative to `carte/`, so they work with
RELATIVE_URLS and with any SITEURL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from labulle.atomic import write_file
from labulle.pages import mapdata
from labulle.pages import mapdoc as carte
from labulle.pages.mapembed import embed_context

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


def compact_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_maps(gen: Any, writer: Any) -> None:
    """carte/carte-embed.html and its data, carte/index.html, carte/integrer/index.html, and
    carte/crise-embed.html and its data in crisis mode."""
    directory, settings = gen.directory, gen.settings
    out = Path(gen.output_path) / MAP_DIR
    base = asset_base(settings)
    entries = crisis_entries(gen)
    crisis = entries is not None
    keep = gen.memory.fragments.keep

    def document(view: str, bounds: list[list[float]] | None) -> str:
        """The map document (the same while its view's bounds are: livereload keeps it)."""
        return keep("map-document", (view, crisis, base, json.dumps(bounds)),
                    lambda: carte.build_document(directory, settings, base, view, crisis, bounds))

    data = mapdata.network_data(directory.published, directory, settings,
                                remember=gen.memory.fragments.remember)
    write_file(out / carte.NETWORK_DATA, compact_json(data))
    write_file(out / Path(MAP_EMBED).name, document("carte", mapdata.bounds(data)))
    if entries is not None:
        data = mapdata.crisis_data(entries, directory, settings)
        write_file(out / carte.CRISIS_DATA, compact_json(data))
        write_file(out / Path(CRISIS_EMBED).name, document("crise", mapdata.bounds(data)))
    placed = sum(1 for p in directory.published if mapdata.places(p))
    gen.write_keyed(writer, f"{MAP_DIR}/index.html", "carte.html", map_embed=MAP_EMBED,
                    placed=placed)
    gen.write_keyed(writer, f"{MAP_DIR}/integrer/index.html", "carte_integrer.html",
                    map_embed=MAP_EMBED, **embed_context(directory, settings, crisis, MAP_EMBED))
