"""Tell OpenStreetMap: `/donnees/openstreetmap/` (a short French guide for pros and volunteer
mappers) and the pros whose tagging could be added, `/donnees/a-cartographier.geojson` and
`.csv` (one feature per published pro with a shop position).

Each feature carries the tags to add (`currency:<code>=yes`, `payment:cash:<code>`,
`change:<code>`, `check_date:currency:<code>`: `opendata.currency_tags`, the code being
LABULLE_IDENTITY's osm_currency) as properties, so JOSM or MapRoulette show them as they are;
plus the pro's name, address and links to the place on openstreetmap.org and in iD.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from labulle.model.directory import Directory
from labulle.pages import jsontext
from labulle.pages import tableschema as ts
from labulle.pages.opendata import anew, currency_tags, page_url
from labulle.source.schema import Pro

NAME = "a-cartographier"
PAGE_PATH = "donnees/openstreetmap/"
#: The tags of the guide, in its order: (key, value, what it says); `{code}` is the OSM code.
GUIDE_TAGS = (
    ("currency:{code}", "yes", "Le lieu accepte {the} (à ajouter à chaque pro du réseau)"),
    ("payment:cash:{code}", "yes", "Il accepte les billets (les {plural} papier)"),
    ("change:{code}", "yes", "C'est un comptoir de change : on y échange des euros contre des "
                             "{plural}"),
    ("check_date:currency:{code}", "AAAA-MM-JJ", "Le jour où l'acceptation a été vérifiée"),
)

MAPPING_TABLE = ts.Table(NAME, "Les pros {of_the} à ajouter dans OpenStreetMap", (
    *ts.PRO_COLUMNS,
    ts.Column("adresse", "Adresse", "Rue, code postal et commune du lieu de vente."),
    ts.Column("commune", "Commune", "Commune du lieu de vente."),
    *ts.POSITION_COLUMNS,
    ts.Column("tags", "Clés à ajouter", "Clés OpenStreetMap à ajouter au lieu, « clé=valeur » "
              "séparées par « ; » (currency:{osm_currency}=yes…).",
              constraints={"required": True}),
    ts.web_address("openstreetmap", "Voir sur OpenStreetMap",
                   "Le lieu sur openstreetmap.org (à vérifier : la position vient de la fiche)."),
    ts.web_address("modifier", "Modifier avec iD", "L'éditeur iD, ouvert à cet endroit."),
))


def places(directory: Directory) -> list[Pro]:
    """The published pros with a shop position: the ones a mapper can tag."""
    return [p for p in directory.published if p.adresse and p.adresse.position]


def record(pro: Pro, siteurl: str, currency: str) -> dict[str, Any]:
    assert pro.adresse is not None and pro.adresse.position is not None
    lat, lon = pro.adresse.position
    tags = currency_tags(pro, currency)
    return {
        "slug": pro.slug, "nom": pro.nom, "url": page_url(siteurl, pro),
        "adresse": pro.adresse.one_line, "commune": pro.adresse.commune,
        "latitude": lat, "longitude": lon, "tags": tags,
        "openstreetmap": f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=19/{lat}/{lon}",
        "modifier": f"https://www.openstreetmap.org/edit?editor=id#map=19/{lat}/{lon}",
    }


def tags_text(tags: dict[str, str]) -> str:
    return ";".join(f"{key}={value}" for key, value in tags.items())


def feature(found: dict[str, Any]) -> dict[str, Any]:
    properties = {"name": found["nom"], **found["tags"],
                  **{k: v for k, v in found.items()
                     if k not in ("tags", "latitude", "longitude") and v is not None}}
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": "Point", "coordinates": [found["longitude"], found["latitude"]]}}


def records(directory: Directory, siteurl: str, currency: str,
            remember: Callable[..., Any] = anew) -> list[tuple[Pro, dict[str, Any]]]:
    """Each place a mapper can tag, with its record (`remember`: the build's memo of what is
    made once per pro, labulle.build.fragments)."""
    return [(p, remember("osm:record", p, lambda p: record(p, siteurl, currency)))
            for p in places(directory)]


def render(found: list[tuple[Pro, dict[str, Any]]], remember: Callable[..., Any] = anew,
           ) -> dict[str, str]:
    """File name → text of the two files for mappers, from `records`."""
    texts = [remember("osm:texts", p, lambda _p, r=r: (
        jsontext.item(feature(r)), MAPPING_TABLE.line({**r, "tags": tags_text(r["tags"])})))
        for p, r in found]
    return {f"{NAME}.geojson": jsontext.document({"type": "FeatureCollection"}, "features",
                                                 [feature_text for feature_text, _ in texts])
            + "\n",
            f"{NAME}.csv": MAPPING_TABLE.joined(line for _, line in texts)}


def guide_tags(words: dict[str, Any]) -> list[tuple[str, str, str]]:
    """GUIDE_TAGS in the currency's words (for the page)."""
    code = words["osm_currency"]
    return [(key.format(code=code), value, meaning.format_map(words))
            for key, value, meaning in GUIDE_TAGS]
