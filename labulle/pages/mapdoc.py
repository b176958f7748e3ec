"""The maps of the pros: standalone Leaflet documents built with folium, served by the site alone.

- `build_map(pros, directory, settings, asset_base)`: the map of the network (`/carte/`), one
  marker per place (shop and markets), clustered, one switchable layer per main category and one
  for the exchange offices, search by name.
- `build_crisis_map(entries, directory, settings, asset_base)`: the crisis map, one layer per
  crisis status (entries of `labulle.pages.crisis.CrisisList.listed`).

Both return a whole HTML document meant for an iframe (`/carte/carte-embed.html`,
`/carte/crise-embed.html`). Layout (design D of shared/notes/site-stack.md §2): one
MarkerCluster without control, a FeatureGroupSubGroup per layer holding a GeoJson (its popup and
tooltip are GeoJsonPopup/GeoJsonTooltip: the data are embedded once, no jQuery), a Search on the
cluster and a LayerControl. `theme/static/js/carte.js` draws the markers (`laBulle.pin`),
handles `?pro=<slug>` and opens a popup after a search.

Values of our own JavaScript (the layer keys, `laBulle.start`'s settings) are written with
`labulle.pages.filters.script_json`; the GeoJSON data go through folium's Jinja `tojson`, which
escapes `<`, `>`, `&` and `'` the same way, so no pro's name can close the <script>.

Every file the document loads is the site's own: `RESOURCES` maps each resource name folium
asks for to a file under `theme/static/`; a name missing from it raises `UnknownResource`, so a
folium upgrade cannot bring a CDN link in unnoticed. Only the tiles come from elsewhere
(`LABULLE_TILES_URL`). Element ids come from a counter while the document is built, so the same
data give the same bytes (that and the rest of folium's plumbing: `labulle.pages.mapfolium`).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from labulle.model import hours
from labulle.model.freshness import Freshness, ago, freshness_for
from labulle.pages.filters import script_json
from labulle.pages.mapfolium import stable_ids, start_element, tidy
from labulle.source.schema import STATUT_LABELS
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

COMPTOIR_KEY = "comptoir-de-change"  # a dash: no category key can take it
# Marker colours of the main categories, in taxonomy order (white glyphs readable on each).
PALETTE = ("#2e7d32", "#b3261e", "#6a1b9a", "#7b4a12", "#ad1457", "#00695c", "#1565c0",
           "#455a64", "#a34700", "#283593", "#5d4037", "#00796b")
CRISIS_LAYERS = (  # key, legend label, colour, glyph, shape
    ("ouvert", STATUT_LABELS["ouvert"], "#1b7a3a", "O", "circle"),
    ("horaires_adaptes", STATUT_LABELS["horaires_adaptes"], "#0b5566", "A", "square"),
    ("partiel", STATUT_LABELS["partiel"], "#a34700", "P", "diamond"),
    ("ferme", "Fermé, produits vendus ailleurs", "#5f6368", "F", "circle"),
)
_KEY = re.compile(r"^[a-z0-9_-]+$")


class UnknownResource(KeyError):
    """folium asks for a file the site does not serve (add it to vendor/ and RESOURCES)."""


@dataclass(frozen=True)
class Layer:
    """One switchable group of markers and how its markers look."""

    key: str  # CSS class suffix (lb-k-<key>)
    label: str
    colour: str
    glyph: str  # one or two characters drawn in the marker
    shape: str = "circle"  # circle, square or diamond


@dataclass(frozen=True)
class Spot:
    """One marker: a place and the properties its popup shows."""

    lat: float
    lon: float
    props: dict[str, str]


# --- The two maps -------------------------------------------------------------------------


def build_map(pros: Sequence[Any], directory: Any, settings: dict[str, Any],
              asset_base: str = "../theme/", site_root: str = "../") -> str:
    """The map of the network: every place of every pro given, grouped by main category."""
    today, currency = directory.today, identity(settings)
    main_keys = [k for k, c in directory.categories.items() if not c.parent]
    layers = [Layer(k, directory.categories[k].label, PALETTE[i % len(PALETTE)],
                    glyph) for i, (k, glyph) in enumerate(zip(main_keys,
                                                               _glyphs(directory, main_keys),
                                                               strict=True))]
    layers.append(Layer(COMPTOIR_KEY, "Comptoirs de change", "#f4a236", "€", "diamond"))
    groups: dict[str, list[Spot]] = {layer.key: [] for layer in layers}
    freshness_of = freshness_for(settings, today)
    for pro in pros:
        key = COMPTOIR_KEY if pro.bulle.comptoir else directory.main_category(pro).key
        common = {
            "nom": pro.nom,
            "titre": _esc(pro.nom),
            "slug": pro.slug,
            "categorie": _esc(directory.category(pro).label),
            "change": "oui" if pro.bulle.comptoir else "non",
            "num": "oui" if pro.bulle.numerique else "non",
            "fiche": _link(f"{site_root}pros/{pro.slug}/", "Voir la fiche"),
            "verif": _freshness_text(freshness_of(pro)),
        }
        for lat, lon, place, osm in places(pro):
            groups[key].append(Spot(lat, lon, {**common, "lieu": _esc(place),
                                               "jour": _day(osm, today)}))
    popup = [("titre", "Nom"), ("categorie", "Catégorie"), ("lieu", "Lieu"),
             ("jour", _date_label(today)), ("change", "Comptoir de change"),
             ("num", f"{currency['name']} numérique"), ("verif", "Fiche vérifiée"),
             ("fiche", "Fiche")]
    legend = {
        "title": "Catégories",
        "notes": [["lb-num", f"N : accepte {currency['the']} numérique"]],
    }
    return _render(layers, groups, popup, settings, asset_base, legend,
                   title=f"Carte des pros {currency['of_the']}")


def build_crisis_map(entries: Sequence[Any], directory: Any, settings: dict[str, Any],
                     asset_base: str = "../theme/", site_root: str = "../") -> str:
    """The crisis map: the crisis page's pros, one layer (colour, shape, letter) per status.

    `entries` are crisis entries (`.pro`, `.status`, `.unconfirmed`, `.label`, `.hosts`,
    `.services`, `.hours`), as `labulle.pages.crisis.CrisisList.listed` gives them.
    """
    today = directory.today
    layers = [Layer(key, label, colour, glyph, shape)
              for key, label, colour, glyph, shape in CRISIS_LAYERS]
    groups: dict[str, list[Spot]] = {layer.key: [] for layer in layers}
    for entry in entries:
        if entry.status not in groups:
            continue
        pro = entry.pro
        hosts = ", ".join(_link(f"{site_root}pros/{h.slug}/", _esc(h.nom)) for h in entry.hosts)
        common = {
            "nom": pro.nom,
            "titre": _esc(pro.nom),
            "slug": pro.slug,
            "statut": _esc(entry.label),
            "services": _esc(", ".join(_service_text(s) for s in entry.services)),
            "jour": _day(entry.hours, today) if entry.status != "ferme" else "fermé",
            "vendu": hosts if entry.status == "ferme" else "",
            "num": "oui" if pro.bulle.numerique and entry.status != "ferme" else "non",
            "stale": "oui" if entry.unconfirmed else "non",
            "fiche": _link(f"{site_root}pros/{pro.slug}/", "Voir la fiche"),
        }
        for lat, lon, place, _osm in places(pro):
            groups[entry.status].append(Spot(lat, lon, {**common, "lieu": _esc(place)}))
    popup = [("titre", "Nom"), ("statut", "Situation"), ("services", "Services"),
             ("jour", _date_label(today)), ("lieu", "Lieu"),
             ("vendu", "En vente chez"), ("fiche", "Fiche")]
    legend = {
        "title": "Situation pendant la crise",
        "notes": [["lb-num", f"N : accepte {identity(settings)['the']} numérique"],
                  ["lb-pin lb-stale", "contour pointillé : à confirmer"]],
    }
    return _render(layers, groups, popup, settings, asset_base, legend,
                   title="Carte des pros ouverts pendant la crise")


def places(pro: Any) -> list[tuple[float, float, str, str | None]]:
    """(lat, lon, place text, OSM hours there) of the pro's shop, then of its markets."""
    found = []
    address = pro.adresse
    if address and address.position:
        text = ", ".join(x for x in (address.rue, address.commune) if x)
        found.append((*address.position, text or pro.nom, pro.horaires))
    for market in pro.marches:
        if market.position:
            text = ", ".join(x for x in (market.nom, market.commune) if x)
            found.append((*market.position, text, market.horaires))
    return found


# --- Document ------------------------------------------------------------------------------


def _render(layers: list[Layer], groups: dict[str, list[Spot]], popup: list[tuple[str, str]],
            settings: dict[str, Any], asset_base: str, legend: dict[str, Any],
            title: str) -> str:
    for layer in layers:
        if not _KEY.match(layer.key):
            raise ValueError(f"clé de calque invalide : {layer.key!r}")
    spots = [s for layer in layers for s in groups[layer.key]]
    currency = identity(settings)
    with stable_ids():
        m, cluster = _base_map(currency, settings, title)
        for layer in layers:
            _add_layer(m, cluster, layer, groups[layer.key], popup)
        _add_controls(m, cluster, layers, spots, legend)
        _self_host(m.get_root(), asset_base)
        document = m.get_root().render()
    return tidy(document, currency)


def _base_map(currency: dict[str, Any], settings: dict[str, Any], title: str) -> tuple[Any, Any]:
    """The map (an empty one opens on the currency's centre), its tiles and its marker cluster."""
    import folium
    from folium.plugins import MarkerCluster

    m = folium.Map(location=tuple(currency["map_centre"]), zoom_start=currency["map_zoom"],
                   tiles=None)
    m.get_root().title = title
    folium.TileLayer(tiles=setting(settings, "LABULLE_TILES_URL"),
                     attr=setting(settings, "LABULLE_TILES_ATTRIBUTION"),
                     name="Fond de carte", control=False, max_zoom=19).add_to(m)
    cluster = MarkerCluster(control=False, chunked_loading=True,
                            show_coverage_on_hover=False, max_cluster_radius=50).add_to(m)
    return m, cluster


def _add_layer(m: Any, cluster: Any, layer: Layer, spots: list[Spot],
               popup: list[tuple[str, str]]) -> None:
    """One switchable sub-group of the cluster holding the layer's markers (none: no layer)."""
    import folium
    from folium.plugins import FeatureGroupSubGroup
    from folium.utilities import JsCode

    features = [_feature(s) for s in spots]
    if not features:
        return
    count = len({s.props["slug"] for s in spots})  # pros, not places
    name = (f'<span class="lb-pin lb-k-{layer.key}" aria-hidden="true"><b></b></span> '
            f"{_esc(layer.label)} ({count})")
    sub = FeatureGroupSubGroup(cluster, name=name).add_to(m)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        control=False,
        popup=folium.GeoJsonPopup(fields=[f for f, _ in popup], aliases=[a for _, a in popup],
                                  localize=False, class_name="lb-popup", max_width=260,
                                  auto_pan_padding_top_left=[10, 130]),
        tooltip=folium.GeoJsonTooltip(fields=["titre"], labels=False, localize=False,
                                      class_name="lb-tooltip"),
        point_to_layer=JsCode(f"laBulle.pin({script_json(layer.key)})"),
    ).add_to(sub)


def _add_controls(m: Any, cluster: Any, layers: list[Layer], spots: list[Spot],
                  legend: dict[str, Any]) -> None:
    """The search (when there are markers), the layer control, the layers' CSS and the
    `laBulle.start` call with the legend and the markers' bounds."""
    import folium
    from branca.element import Element
    from folium.plugins import Search

    search = None
    bounds = None
    if spots:
        search = Search(cluster, search_label="nom", search_zoom=16,
                        placeholder="Nom d’un pro").add_to(m)
        lats, lons = [s.lat for s in spots], [s.lon for s in spots]
        bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
    control = folium.LayerControl(collapsed=False).add_to(m)
    m.get_root().header.add_child(Element(f"<style>{_layer_css(layers)}</style>"), name="lb_css")
    start_element(m, cluster, control, search is not None,
                  {"legend": legend, "bounds": bounds}).add_to(m)


def _feature(spot: Spot) -> dict[str, Any]:
    return {"type": "Feature", "properties": spot.props,
            "geometry": {"type": "Point", "coordinates": [spot.lon, spot.lat]}}


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


# --- Small helpers ----------------------------------------------------------------------------


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _link(href: str, text_html: str) -> str:
    return f'<a href="{_esc(href)}" target="_top">{text_html}</a>'


def _day(osm: str | None, today: date) -> str:
    return hours.day_text(osm, today) if osm else "non précisés"


def _date_label(today: date) -> str:
    from labulle.pages.filters import date_fr

    return date_fr(today).rsplit(" ", 1)[0].capitalize()  # "Lundi 23 mars"


def _freshness_text(found: Freshness) -> str:
    """The popup's row: « il y a 3 mois », with a discreet mark when the entry is stale."""
    if found.state == "never":
        return '<span class="lb-stale">⚠ jamais</span>'
    text = ago(found.months or 0)
    if found.stale:
        return f'<span class="lb-stale">⚠ {text} (informations anciennes)</span>'
    return text


def _service_text(service: Any) -> str:
    return f"{service.label} uniquement" if service.only else service.label


def _glyphs(directory: Any, keys: list[str]) -> list[str]:
    """Two letters per main category ("Al", "Re"…), made unique with a digit if needed."""
    from labulle.model.directory import slugify

    taken: set[str] = set()
    glyphs = []
    for key in keys:
        letters = slugify(directory.categories[key].label).replace("-", "") or key
        glyph = letters[:2].capitalize()
        for n in itertools.count(1):
            if glyph not in taken:
                break
            glyph = f"{letters[0].upper()}{n}"
        taken.add(glyph)
        glyphs.append(glyph)
    return glyphs


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _layer_css(layers: Iterable[Layer]) -> str:
    rules = []
    for layer in layers:
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
