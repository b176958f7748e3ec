"""The map document: a standalone Leaflet page built with folium, served by the site alone, that
shows the map at once and lets `theme/static/js/carte.js` fetch the markers afterwards.

- `build_document(directory, settings, asset_base, view, crisis)`: the whole HTML document meant
  for an iframe (`/carte/carte-embed.html`, `view="carte"`; `/carte/crise-embed.html`,
  `view="crise"`). It holds Leaflet, the tiles, an empty MarkerCluster (chunked loading), the
  search on it, the layer control, the CSS of every layer (`labulle.pages.mapdata`) and the
  `laBulle.start` call with where the data are: `carte-donnees.json`, and `crise-donnees.json`
  when `crisis` is true. carte.js reads the URL (`?commune=`, `?categorie=`, `?vue=crise`,
  `?vue=comptoirs`, `?pro=`), fetches the data, keeps the matching places, adds one layer per
  group to the control, fits the map to them, or says in the map why nothing is shown.

Values of our own JavaScript (`laBulle.start`'s settings) are written with
`labulle.pages.filters.script_json`, so no value can close the <script>.

Every file the document loads is the site's own: `RESOURCES` maps each resource name folium
asks for to a file under `theme/static/`; a name missing from it raises `UnknownResource`, so a
folium upgrade cannot bring a CDN link in unnoticed. Only the tiles come from elsewhere
(`LABULLE_TILES_URL`). Element ids come from a counter while the document is built, so the same
data give the same bytes (that and the rest of folium's plumbing: `labulle.pages.mapfolium`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from labulle.pages.mapdata import COMPTOIR_KEY, Layer, crisis_layers, network_layers
from labulle.pages.mapfolium import stable_ids, start_element, tidy
from labulle.source.settings import identity, setting

# Resource name used by folium (or by us) → file under theme/static/ serving it.
RESOURCES: dict[str, str] = {
    "leaflet": "vendor/leaflet/dist/leaflet.js",
    "leaflet_css": "vendor/leaflet/dist/leaflet.css",
    "markerclusterjs": "vendor/leaflet.markercluster/dist/leaflet.markercluster.js",
    "markerclustercss": "vendor/leaflet.markercluster/dist/MarkerCluster.css",
    "markerclusterdefaultcss": "vendor/leaflet.markercluster/dist/MarkerCluster.Default.css",
    "Leaflet.Search.js": "vendor/leaflet-search/dist/leaflet-search.min.js",
    "Leaflet.Search.css": "vendor/leaflet-search/dist/leaflet-search.min.css",
    "featuregroupsubgroupjs": "vendor/leaflet.featuregroup.subgroup/dist/"
                              "leaflet.featuregroup.subgroup.js",
    "labulle_carte_js": "js/carte.js",
    "labulle_carte_css": "css/carte.css",
}
# Resources every folium Map lists that our maps do not use: jQuery (only folium.Popup needs
# it), Bootstrap and the awesome-markers files (only folium.Icon needs them).
DROPPED = frozenset({
    "jquery", "bootstrap", "bootstrap_css", "awesome_markers", "awesome_markers_css",
    "glyphicons_css", "awesome_markers_font_css", "awesome_rotate_css",
})
NETWORK_DATA = "carte-donnees.json"  # beside the documents, in carte/
CRISIS_DATA = "crise-donnees.json"
TITLES = {"carte": "Carte des pros {of_the}", "crise": "Carte des pros ouverts pendant la crise"}
# The markers are made and clustered by slices of this many milliseconds, with this pause
# between slices: Lighthouse counts a task over 50 ms as blocking, and its mobile run multiplies
# the measured times by 4 (a slow phone), so a slice stays well under 12 ms.
CHUNK_MS, CHUNK_PAUSE_MS = 10, 10
_KEY = re.compile(r"^[a-z0-9_-]+$")


class UnknownResource(KeyError):
    """folium asks for a file the site does not serve (add it to vendor/ and RESOURCES)."""


def build_document(directory: Any, settings: dict[str, Any], asset_base: str = "../theme/",
                   view: str = "carte", crisis: bool = False,
                   bounds: list[list[float]] | None = None) -> str:
    """The map document; `view` is the data shown without `?vue=` ("carte" or "crise"),
    `crisis` whether the crisis data exist (crisis mode), `bounds` those of the view's places:
    the map opens fitted to them (`mapdata.bounds`), before any data is fetched."""
    from branca.element import Element

    currency = identity(settings)
    title = TITLES[view].format(of_the=currency["of_the"])
    config = {"view": view, "data": {"carte": NETWORK_DATA, "crise": CRISIS_DATA if crisis
                                     else None}, "comptoirs": COMPTOIR_KEY, "bounds": bounds}
    with stable_ids():
        m, cluster = _base_map(currency, settings, title)
        _add_controls(m, cluster, [*network_layers(directory), *crisis_layers()], config)
        _self_host(m.get_root(), asset_base)
        icon = f'<link rel="icon" href="{asset_base}img/favicon.svg" type="image/svg+xml">'
        m.get_root().header.add_child(Element(icon), name="lb_icon")  # else: /favicon.ico, 404
        document = m.get_root().render()
    return tidy(document, currency)


def _base_map(currency: dict[str, Any], settings: dict[str, Any], title: str) -> tuple[Any, Any]:
    """The map (it opens on the currency's centre), its tiles and its empty marker cluster."""
    import folium
    from folium.plugins import MarkerCluster

    m = folium.Map(location=tuple(currency["map_centre"]), zoom_start=currency["map_zoom"],
                   tiles=None)
    m.get_root().title = title
    folium.TileLayer(tiles=setting(settings, "LABULLE_TILES_URL"),
                     attr=setting(settings, "LABULLE_TILES_ATTRIBUTION"),
                     name="Fond de carte", control=False, max_zoom=19).add_to(m)
    cluster = MarkerCluster(control=False, chunked_loading=True, chunk_interval=CHUNK_MS,
                            chunk_delay=CHUNK_PAUSE_MS, show_coverage_on_hover=False,
                            max_cluster_radius=50).add_to(m)
    return m, cluster


def _add_controls(m: Any, cluster: Any, layers: list[Layer], config: dict[str, Any]) -> None:
    """The search, the layer control (carte.js fills both), the layers' CSS and the
    `laBulle.start` call."""
    import folium
    from branca.element import Element
    from folium.plugins import Search

    Search(cluster, search_label="nom", search_zoom=16, placeholder="Nom d’un pro").add_to(m)
    control = folium.LayerControl(collapsed=False).add_to(m)
    m.get_root().header.add_child(Element(f"<style>{_layer_css(layers)}</style>"), name="lb_css")
    start_element(m, cluster, control, True, config).add_to(m)


# --- Self-hosting -------------------------------------------------------------------------


def _walk(element: Any) -> Iterator[Any]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def served(links: Iterable[tuple[str, str]], asset_base: str) -> list[tuple[str, str]]:
    """folium's (name, CDN url) pairs → (name, url of our copy); UnknownResource if not ours."""
    found = []
    for name, _url in links:
        if name in DROPPED:
            continue
        if name not in RESOURCES:
            raise UnknownResource(
                f"folium demande « {name} », que le site ne sert pas : ajoutez le fichier dans "
                "theme/static/vendor/ et son nom dans RESOURCES (labulle/pages/mapdoc.py)."
            )
        found.append((name, asset_base + RESOURCES[name]))
    return found


def _self_host(root: Any, asset_base: str) -> None:
    """Point every resource link of the document at the site's own files (instance lists only:
    folium's class-level lists stay untouched)."""
    from folium.elements import JSCSSMixin

    for element in _walk(root):
        if isinstance(element, JSCSSMixin):
            element.default_js = served(element.default_js, asset_base)
            element.default_css = served(element.default_css, asset_base)


# --- Layer styles ----------------------------------------------------------------------------


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _layer_css(layers: Iterable[Layer]) -> str:
    rules = []
    for layer in layers:
        if not _KEY.match(layer.key):
            raise ValueError(f"clé de calque invalide : {layer.key!r}")
        k = f".lb-pin.lb-k-{layer.key}"  # beats carte.css's .lb-pin
        text = "#1a1a1a" if layer.key == COMPTOIR_KEY else "#fff"
        rules.append(f"{k}{{background:{layer.colour};color:{text}}}")
        rules.append(f"{k} b::before{{content:{_css_string(layer.glyph)}}}")
        if layer.shape == "square":
            rules.append(f"{k}{{border-radius:3px}}")
        elif layer.shape == "diamond":
            rules.append(f"{k}{{border-radius:3px;transform:rotate(45deg) scale(.86)}}"
                         f"{k} b{{transform:rotate(-45deg)}}")
    return "".join(rules)
