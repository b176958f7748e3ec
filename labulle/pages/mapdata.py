"""The markers' data of the maps: compact JSON files that `theme/static/js/carte.js` fetches once
the map is shown (`carte/carte-donnees.json`, and `carte/crise-donnees.json` in crisis mode).

- `network_data(pros, directory, settings)`: every place of every pro given, one layer per main
  category and one for the exchange offices.
- `crisis_data(entries, directory, settings)`: the crisis page's pros, one layer per crisis status
  (entries of `labulle.pages.crisis.CrisisList.listed`).

Both return a dict (see `_data`): the title and legend of the map, the popup's rows, the layers,
the pros' popup values (HTML-escaped: the popup shows them as HTML; `nom` is the raw name, used
as text only) with their category keys and the keys' ancestors, one array per place
`[lat, lon, layer index, slug, commune slug, place, hours of the day]`, and the known communes
and categories (so the map tells an unknown `?commune=` or `?categorie=` from an empty result).
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from labulle.model import hours
from labulle.model.directory import slugify
from labulle.model.freshness import Freshness, ago, freshness_for
from labulle.pages.opendata import anew
from labulle.source.schema import STATUT_LABELS
from labulle.source.settings import identity

COMPTOIR_KEY = "comptoir-de-change"  # a dash: no category key can take it
# Marker colours of the main categories, in taxonomy order (white glyphs readable on each).
PALETTE = ("#2e7d32", "#b3261e", "#6a1b9a", "#7b4a12", "#ad1457", "#00695c", "#1565c0",
           "#455a64", "#a34700", "#283593", "#5d4037", "#00796b")
CRISIS_LAYERS = (  # status, legend label, colour, glyph, shape
    ("ouvert", STATUT_LABELS["ouvert"], "#1b7a3a", "O", "circle"),
    ("horaires_adaptes", STATUT_LABELS["horaires_adaptes"], "#0b5566", "A", "square"),
    ("partiel", STATUT_LABELS["partiel"], "#a34700", "P", "diamond"),
    ("ferme", "Fermé, produits vendus ailleurs", "#5f6368", "F", "circle"),
)
CRISIS_PREFIX = "crise-"  # crisis layer keys: a dash, so no category key can take one


@dataclass(frozen=True)
class Layer:
    """One switchable group of markers and how its markers look."""

    key: str  # CSS class suffix (lb-k-<key>)
    label: str
    colour: str
    glyph: str  # one or two characters drawn in the marker
    shape: str = "circle"  # circle, square or diamond


@dataclass(frozen=True)
class Place:
    """Where a pro can be found on the map."""

    lat: float
    lon: float
    text: str  # street and commune, or market and commune
    osm: str | None  # opening hours there
    commune: str  # slug of the commune ("" when none is given)


# --- Layers ----------------------------------------------------------------------------------


def network_layers(directory: Any) -> list[Layer]:
    """One layer per main category (taxonomy order), then the exchange offices."""
    main_keys = [k for k, c in directory.categories.items() if not c.parent]
    layers = [Layer(k, directory.categories[k].label, PALETTE[i % len(PALETTE)], glyph)
              for i, (k, glyph) in enumerate(zip(main_keys, _glyphs(directory, main_keys),
                                                 strict=True))]
    layers.append(Layer(COMPTOIR_KEY, "Comptoirs de change", "#f4a236", "€", "diamond"))
    return layers


def crisis_layers() -> list[Layer]:
    return [Layer(CRISIS_PREFIX + key, label, colour, glyph, shape)
            for key, label, colour, glyph, shape in CRISIS_LAYERS]


# --- The two data sets -------------------------------------------------------------------------


def network_data(pros: Sequence[Any], directory: Any, settings: dict[str, Any],
                 site_root: str = "../", remember: Callable[..., Any] = anew) -> dict[str, Any]:
    """The map of the network: every place of every pro given, grouped by main category
    (`remember`: the build's memo of what is made once per pro, labulle.build.fragments)."""
    today, currency = directory.today, identity(settings)
    layers = network_layers(directory)
    index = {layer.key: i for i, layer in enumerate(layers)}
    freshness_of = freshness_for(settings, today)

    def marker(pro: Any, _root: str) -> tuple[dict[str, Any], list[list[Any]]]:
        layer = index[COMPTOIR_KEY if pro.bulle.comptoir else directory.main_category(pro).key]
        value = {
            "nom": pro.nom,
            "titre": _esc(pro.nom),
            "categorie": _esc(directory.category(pro).label),
            "change": "oui" if pro.bulle.comptoir else "non",
            "num": "oui" if pro.bulle.numerique else "non",
            "verif": _freshness_text(freshness_of(pro)),
            "fiche": _link(f"{site_root}pros/{pro.slug}/", "Voir la fiche"),
            "cats": category_keys(pro, directory),
        }
        return value, [_spot(place, layer, pro.slug, _day(place.osm, today))
                       for place in places(pro)]

    values, spots = {}, []
    for pro in pros:
        values[pro.slug], found = remember("map:network", pro, marker, site_root)
        spots += found
    popup = [("titre", "Nom"), ("categorie", "Catégorie"), ("lieu", "Lieu"),
             ("jour", _date_label(today)), ("change", "Comptoir de change"),
             ("num", f"{currency['name']} numérique"), ("verif", "Fiche vérifiée"),
             ("fiche", "Fiche")]
    legend = {"title": "Catégories",
              "notes": [["lb-num", f"N : accepte {currency['the']} numérique"]]}
    return _data(f"Carte des pros {currency['of_the']}", legend, popup, layers, values, spots,
                 directory)


def crisis_data(entries: Sequence[Any], directory: Any, settings: dict[str, Any],
                site_root: str = "../") -> dict[str, Any]:
    """The crisis map: the crisis page's pros, one layer (colour, shape, letter) per status.

    `entries` are crisis entries (`.pro`, `.status`, `.unconfirmed`, `.label`, `.hosts`,
    `.services`, `.hours`), as `labulle.pages.crisis.CrisisList.listed` gives them.
    """
    today = directory.today
    layers = crisis_layers()
    index = {layer.key: i for i, layer in enumerate(layers)}
    values, spots = {}, []
    for entry in entries:
        layer = index.get(CRISIS_PREFIX + entry.status)
        if layer is None:
            continue
        pro, closed = entry.pro, entry.status == "ferme"
        hosts = ", ".join(_link(f"{site_root}pros/{h.slug}/", _esc(h.nom)) for h in entry.hosts)
        values[pro.slug] = {
            "nom": pro.nom,
            "titre": _esc(pro.nom),
            "statut": _esc(entry.label),
            "services": _esc(", ".join(_service_text(s) for s in entry.services)),
            "vendu": hosts if closed else "",
            "num": "oui" if pro.bulle.numerique and not closed else "non",
            "stale": "oui" if entry.unconfirmed else "non",
            "fiche": _link(f"{site_root}pros/{pro.slug}/", "Voir la fiche"),
            "cats": category_keys(pro, directory),
        }
        day = "fermé" if closed else _day(entry.hours, today)
        spots += [_spot(place, layer, pro.slug, day) for place in places(pro)]
    popup = [("titre", "Nom"), ("statut", "Situation"), ("services", "Services"),
             ("jour", _date_label(today)), ("lieu", "Lieu"),
             ("vendu", "En vente chez"), ("fiche", "Fiche")]
    legend = {"title": "Situation pendant la crise",
              "notes": [["lb-num", f"N : accepte {identity(settings)['the']} numérique"],
                        ["lb-pin lb-stale", "contour pointillé : à confirmer"]]}
    return _data("Carte des pros ouverts pendant la crise", legend, popup, layers, values, spots,
                 directory)


def bounds(data: dict[str, Any]) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the data's places (None: no place)."""
    spots = data["spots"]
    if not spots:
        return None
    lats, lons = [s[0] for s in spots], [s[1] for s in spots]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def places(pro: Any) -> list[Place]:
    """The pro's shop, then its markets, those with a position."""
    found = []
    address = pro.adresse
    if address and address.position:
        text = ", ".join(x for x in (address.rue, address.commune) if x)
        found.append(Place(*address.position, text or pro.nom, pro.horaires,
                           slugify(address.commune or "")))
    for market in pro.marches:
        if market.position:
            text = ", ".join(x for x in (market.nom, market.commune) if x)
            found.append(Place(*market.position, text, market.horaires,
                               slugify(market.commune or "")))
    return found


def _data(title: str, legend: dict[str, Any], popup: list[tuple[str, str]], layers: list[Layer],
          values: dict[str, Any], spots: list[list[Any]], directory: Any) -> dict[str, Any]:
    return {
        "title": title,
        "legend": legend,
        "popup": [list(row) for row in popup],
        "layers": [{"key": layer.key, "label": _esc(layer.label)} for layer in layers],
        "pros": values,
        "spots": spots,
        "communes": dict(sorted(directory.commune_names.items())),
        "categories": {key: c.label for key, c in directory.categories.items()},
    }


def _spot(place: Place, layer: int, slug: str, day: str) -> list[Any]:
    return [place.lat, place.lon, layer, slug, place.commune, _esc(place.text), day]


def category_keys(pro: Any, directory: Any) -> list[str]:
    """The pro's categories and every category above them (for `?categorie=`)."""
    keys: dict[str, None] = {}
    for key in pro.categories:
        while key:
            keys[key] = None
            key = directory.categories[key].parent
    return list(keys)


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
