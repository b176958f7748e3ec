"""Open data of the crisis list: `/ouverts-pendant-la-crise.geojson` and `.csv` (crisis mode).

The pros are the crisis page's entries (`CrisisList.listed`: open pros, and closed pros whose
goods are sold by a dépôt-vente host), public views only. Each carries the OpenStreetMap keys
Ça reste ouvert used and others reused (wiki: Key:opening_hours:covid19):
`opening_hours:covid19` (hours, `same`, `off`), `access:covid19` (customers may come in),
`delivery:covid19`, `takeaway:covid19`, `pickup:covid19` (click & collect),
`drive_through:covid19` (`yes` / `no` / `only`), `description:covid19`, `phone:covid19`;
`check_date` is the pro's last check (as in /pros.geojson) and
`check_date:opening_hours:covid19` the day the crisis information was confirmed (OSM's
`check_date:<key>` form). A service the pro keeps after the crisis (`crise.apres_la_crise`) is
written with the plain key too (`delivery=yes`). Dépôt-vente links and baskets follow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from labulle.model.directory import communes_of
from labulle.pages import jsontext
from labulle.pages import tableschema as ts
from labulle.pages.crisis import CrisisList, Entry
from labulle.pages.opendata import anew, page_url, phone_international
from labulle.source.fields import STATUSES
from labulle.source.schema import CHANNEL_LABELS, Panier, Pro

NAME = "ouverts-pendant-la-crise"
COVID = ":covid19"
#: Crisis service key → its OpenStreetMap key (without `:covid19`).
SERVICE_TAGS = {"livraison": "delivery", "a_emporter": "takeaway", "retrait": "pickup",
                "drive": "drive_through"}
OSM_VALUES = {"oui": "yes", "non": "no", "uniquement": "only"}
#: `opening_hours:covid19` may also say: unchanged, closed, open (hours unknown), restricted.
HOURS_WORDS = ("same", "off", "closed", "open", "restricted")
_SERVICE_WORDS = "Valeurs OpenStreetMap : « yes », « no » ou « only » (seulement ainsi)."
_LASTING = ("Le pro le garde après la crise : « yes » (clé OpenStreetMap sans :covid19), "
            "sinon vide.")
_SERVICE_TITLES = {"livraison": "Livraison", "a_emporter": "Vente à emporter",
                   "retrait": "Retrait de commande (click & collect)", "drive": "Drive"}

CRISIS_TABLE = ts.Table(NAME, "Les pros {of_the} ouverts pendant la crise", (
    *ts.PRO_COLUMNS,
    ts.Column("categorie", "Catégorie principale", "Clé de la catégorie principale."),
    ts.Column("commune", "Commune", "Commune du lieu de vente, ou du premier marché."),
    *ts.POSITION_COLUMNS,
    ts.choice("statut", "Situation", "Ce que le pro a dit de sa situation.", STATUSES),
    ts.yes_no("a_confirmer", "À confirmer", "Information trop ancienne ou période finie : "
              "appelez avant de vous déplacer."),
    ts.hours("opening_hours", "Horaires habituels", "Horaires hors crise."),
    ts.hours("opening_hours:covid19", "Horaires pendant la crise",
             "Horaires pendant la crise ; « same » : inchangés, « off » : fermé.", HOURS_WORDS),
    ts.choice("access:covid19", "Accueil sur place", "Les clients peuvent entrer (OpenStreetMap "
              "« yes » ou « no »).", ("yes", "no")),
    *(ts.choice(f"{tag}{COVID}", _SERVICE_TITLES[key], f"{_SERVICE_TITLES[key]} pendant la "
                f"crise. {_SERVICE_WORDS}", OSM_VALUES.values())
      for key, tag in SERVICE_TAGS.items()),
    *(ts.choice(tag, f"{_SERVICE_TITLES[key]} après la crise", _LASTING, ("yes",))
      for key, tag in SERVICE_TAGS.items()),
    ts.Column("description:covid19", "Modalités", "Modalités pratiques pendant la crise."),
    ts.Column("phone:covid19", "Téléphone des commandes", "Numéro temporaire pour les "
              "commandes, au format international."),
    ts.Column("commande", "Comment commander", "Moyens de commander, séparés par des espaces : "
              + ", ".join(CHANNEL_LABELS) + "."),
    ts.date_column("check_date", "Fiche vérifiée le", "Dernière vérification de la fiche."),
    ts.date_column("check_date:opening_hours:covid19", "Situation confirmée le",
                   "Date à laquelle la situation pendant la crise a été confirmée."),
    ts.date_column("depuis", "Depuis", "Début de cette situation."),
    ts.date_column("jusqu_au", "Jusqu'au", "Fin prévue de cette situation."),
    ts.Column("vendu_chez", "En vente chez", "Identifiants des pros chez qui ses produits sont "
              "en vente (dépôt-vente), séparés par des espaces."),
    ts.Column("depot_vente_de", "Vend les produits de", "Identifiants des pros dont il vend "
              "les produits (dépôt-vente), séparés par des espaces."),
    ts.Column("paniers", "Paniers", "Paniers proposés : nom (prix en euros), séparés par "
              "« | » ; le détail est dans le GeoJSON et sur la page des paniers."),
))


def crisis_tags(pro: Pro, closed: bool) -> dict[str, str]:
    """The OpenStreetMap keys of a pro's crisis situation (see the module docstring)."""
    crise = pro.crise
    assert crise is not None
    tags: dict[str, str] = {}
    hours = crise.horaires or ("off" if closed else None)
    if hours:
        tags[f"opening_hours{COVID}"] = hours
    if crise.sur_place:
        tags[f"access{COVID}"] = OSM_VALUES[crise.sur_place]
    for key, tag in SERVICE_TAGS.items():
        value = getattr(crise, key)
        if value:
            tags[f"{tag}{COVID}"] = OSM_VALUES[value]
    for key in crise.apres_la_crise:
        tags[SERVICE_TAGS[key]] = "yes"
    if crise.modalites:
        tags[f"description{COVID}"] = crise.modalites
    if crise.telephone_commande and not closed:
        tags[f"phone{COVID}"] = phone_international(crise.telephone_commande)
    if crise.verifie_le:
        tags[f"check_date:opening_hours{COVID}"] = crise.verifie_le.isoformat()
    return tags


def _link(pro: Pro, siteurl: str) -> dict[str, str]:
    return {"slug": pro.slug, "nom": pro.nom, "url": page_url(siteurl, pro)}


def basket(panier: Panier) -> dict[str, Any]:
    found = {key: getattr(panier, key) for key in
             ("nom", "contenu", "commande_avant", "retrait", "retrait_horaires")
             if getattr(panier, key, None)}
    if panier.prix is not None:
        found["prix"] = float(panier.prix)
    return found


def _position(entry: Entry) -> tuple[float, float] | None:
    """The shop's position, else (not closed) the first market's: where to find the pro."""
    pro = entry.pro
    if pro.adresse and pro.adresse.position:
        return pro.adresse.position
    found = [m.position for m in pro.marches if m.position]
    return found[0] if found and not entry.closed else None


def record(entry: Entry, siteurl: str) -> dict[str, Any]:
    """Everything the two files say of an entry: OSM keys, then La Bulle's own."""
    pro = entry.pro
    crise = pro.crise
    assert crise is not None
    position = _position(entry)
    found: dict[str, Any] = {
        "slug": pro.slug, "nom": pro.nom, "url": page_url(siteurl, pro),
        "categorie": entry.category.key, "commune": (communes_of(pro) or [None])[0],
        "latitude": position[0] if position else None,
        "longitude": position[1] if position else None,
        "statut": entry.status, "statut_libelle": entry.label, "a_confirmer": entry.unconfirmed,
        "opening_hours": pro.horaires, **crisis_tags(pro, entry.closed),
        "commande": " ".join(crise.commande) or None,
        "check_date": pro.verifie_le.isoformat() if pro.verifie_le else None,
        "depuis": crise.depuis.isoformat() if crise.depuis else None,
        "jusqu_au": crise.jusqu_au.isoformat() if crise.jusqu_au else None,
        "vendu_chez": [_link(p, siteurl) for p in entry.hosts],
        "depot_vente_de": [_link(p, siteurl) for p in entry.guests],
        "paniers": [basket(p) for p in entry.baskets],
    }
    return found


def csv_row(found: dict[str, Any]) -> dict[str, Any]:
    """The record with its lists written as text."""
    baskets = [b["nom"] + (f" ({b['prix']:g} €)" if "prix" in b else "") for b in found["paniers"]]
    return {**found, "vendu_chez": " ".join(p["slug"] for p in found["vendu_chez"]) or None,
            "depot_vente_de": " ".join(p["slug"] for p in found["depot_vente_de"]) or None,
            "paniers": " | ".join(baskets) or None}


def feature(found: dict[str, Any]) -> dict[str, Any]:
    properties = {"name": found["nom"], **{k: v for k, v in found.items()
                  if k not in ("latitude", "longitude") and v not in (None, [])}}
    geometry = None
    if found["latitude"] is not None:
        geometry = {"type": "Point", "coordinates": [found["longitude"], found["latitude"]]}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def render(crisis: CrisisList, siteurl: str, remember: Callable[..., Any] = anew,
           ) -> dict[str, str]:
    """File name → text of the two crisis files (`remember`: the build's memo of what is made
    once per entry, labulle.build.fragments)."""
    texts = [remember("crisis-data", e.pro, lambda _p, e=e: _texts(record(e, siteurl)),
                      extra=e.key) for e in crisis.listed]
    return {f"{NAME}.geojson": jsontext.document({"type": "FeatureCollection"}, "features",
                                                 [feature_text for feature_text, _ in texts])
            + "\n",
            f"{NAME}.csv": CRISIS_TABLE.joined(line for _, line in texts)}


def _texts(found: dict[str, Any]) -> tuple[str, str]:
    """An entry's GeoJSON feature and CSV line."""
    return jsontext.item(feature(found)), CRISIS_TABLE.line(csv_row(found))
