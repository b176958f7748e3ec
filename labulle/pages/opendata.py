"""Open data of the directory: `/pros.json`, `/pros.geojson` and `/pros.csv`.

Public fields only: the pros are `Directory.published`, public views (`labulle.model.public`:
no `adhesion`, no contact key listed in `contact.prive`, no draft nor pro who left). The
GeoJSON carries OpenStreetMap-style tags so mappers can reuse it (`currency:<code>=yes`,
`check_date` and `check_date:currency:<code>` from verifie_le, ...):
one Feature per shop position and per market position. Each file is written whole, then
renamed into place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from labulle.atomic import write_file
from labulle.model.directory import Directory, communes_of
from labulle.model.freshness import LABELS as FRESHNESS_LABELS
from labulle.model.freshness import Freshness, freshness, thresholds
from labulle.model.public import public_contact
from labulle.pages import jsontext
from labulle.pages import tableschema as ts
from labulle.pages.filters import phone_fr
from labulle.source.fields import LABELS, describe, tags_of
from labulle.source.rules import parse_phone
from labulle.source.schema import CONTACT_KEYS, Bulle, Contact, Pro
from labulle.source.settings import identity

JSON_INDENT = 1  # pros.json is meant to be read by people too

#: Keys of `bulle` in the open data, in the schema's order.
BULLE_KEYS = tuple(spec.name for spec in describe(Bulle))
#: Contact key → its OpenStreetMap tag (from the schema's `osm` flags).
CONTACT_TAGS = tags_of(Contact)
#: Pro key → its OpenStreetMap tag (`nom` → name, `horaires` → opening_hours).
PRO_TAGS = tags_of(Pro)
#: The contact columns: their Table Schema format (the others are plain text).
_CONTACT_FORMATS = {"email": "email", "site": "uri", "facebook": "uri", "instagram": "uri"}
#: The columns of `bulle` (in the schema's order: BULLE_KEYS), title and description.
_BULLE_COLUMNS = {
    "billets": ts.yes_no("billets", "Billets acceptés", "Accepte les {plural} papier."),
    "numerique": ts.yes_no("numerique", "Monnaie numérique acceptée",
                           "Accepte les {plural} numériques."),
    "comptoir": ts.yes_no("comptoir", "Comptoir de change",
                          "On peut y échanger des euros contre des {plural}."),
    "comptoir_horaires": ts.hours("comptoir_horaires", "Horaires du comptoir de change",
                                  "Horaires du comptoir s'ils diffèrent de ceux du pro."),
    "avantage": ts.Column("avantage", "Avantage offert",
                          "Avantage offert pour un paiement en {plural}."),
    "pourquoi": ts.Column("pourquoi", "Pourquoi ce choix",
                          "Pourquoi le pro a choisi {the}, en une phrase."),
}
#: pros.csv and its Table Schema (/donnees/pros.schema.json): one row per published pro.
PROS_TABLE = ts.Table("pros", "Les pros qui acceptent {the}", (
    *ts.PRO_COLUMNS,
    ts.Column("categorie", "Catégorie principale", "Clé de la catégorie principale (premier "
              "niveau de la taxonomie du site)."),
    ts.Column("categories", "Catégories", "Clés des catégories du pro, séparées par des espaces, "
              "la principale d'abord."),
    ts.Column("resume", "Résumé", "Une ligne de présentation."),
    ts.Column("rue", "Rue", "Numéro et rue du lieu de vente."),
    ts.Column("code_postal", "Code postal", "Code postal du lieu de vente (5 chiffres).",
              constraints={"pattern": r"\d{5}"}),
    ts.Column("commune", "Commune", "Commune du lieu de vente, ou du premier marché."),
    *ts.POSITION_COLUMNS,
    ts.Column("zone", "Zone desservie", "Zone desservie, pour les pros sans boutique."),
    ts.Column("marches", "Marchés", "Marchés où le pro vend : nom ; commune ; horaires "
              "(syntaxe OpenStreetMap), séparés par « | »."),
    ts.hours("horaires", "Horaires", "Horaires habituels du lieu de vente."),
    ts.Column("horaires_precisions", "Précisions sur les horaires",
              "Ce que la syntaxe des horaires ne dit pas."),
    *(ts.Column(key, LABELS[f"contact.{key}"], f"{LABELS[f'contact.{key}']} du pro (seulement "
                "s'il le rend public).",
                extra={"format": _CONTACT_FORMATS[key]} if key in _CONTACT_FORMATS else {})
      for key in CONTACT_KEYS),
    *(_BULLE_COLUMNS[key] for key in BULLE_KEYS),
    ts.slugs("fournisseurs", "Fournisseurs dans le réseau", "Les pros publiés chez qui ce pro "
             "achète déjà en {plural}."),
    ts.Column("achats", "Achats souhaités", "Clés des catégories de ce que le pro achèterait "
              "en {plural}, séparées par des espaces."),
    ts.date_column("verifie_le", "Vérifiée le",
                   "Date à laquelle l'association a confirmé ces informations."),
    ts.choice("verification", "Vérification", "Fraîcheur de la fiche, en mots.",
              FRESHNESS_LABELS.values()),
))
CSV_COLUMNS = PROS_TABLE.names


def page_url(siteurl: str, pro: Pro) -> str:
    return f"{siteurl}/pros/{pro.slug}/"


def published_contact(pro: Pro) -> dict[str, str]:
    """The public contact values, the phone number written the French way."""
    contact = public_contact(pro)
    if "telephone" in contact:
        contact["telephone"] = phone_fr(contact["telephone"])
    return contact


def pro_record(pro: Pro, directory: Directory, siteurl: str,
               freshness_of: Callable[[Pro], Freshness]) -> dict[str, Any]:
    """Everything public about a pro, as plain JSON types; `verification` is its freshness in
    words (« vérifiée », « à revérifier bientôt », « informations anciennes », « jamais
    vérifiée »)."""
    address = None
    if pro.adresse:
        address = {"rue": pro.adresse.rue, "code_postal": pro.adresse.code_postal,
                   "commune": pro.adresse.commune,
                   "position": list(pro.adresse.position) if pro.adresse.position else None}
    return {
        "slug": pro.slug, "nom": pro.nom, "url": page_url(siteurl, pro),
        "categorie": directory.category(pro).key,
        "categories": [{"cle": key, "libelle": directory.categories[key].label}
                       for key in pro.categories],
        "resume": pro.resume, "description": pro.description, "adresse": address,
        "marches": [{"nom": m.nom, "commune": m.commune, "horaires": m.horaires,
                     "position": list(m.position) if m.position else None} for m in pro.marches],
        "zone": pro.zone, "horaires": pro.horaires, "horaires_precisions": pro.horaires_precisions,
        "contact": published_contact(pro),
        "bulle": {key: getattr(pro.bulle, key) for key in BULLE_KEYS},
        "fournisseurs": list(pro.fournisseurs), "achats": list(pro.achats),
        "verifie_le": pro.verifie_le.isoformat() if pro.verifie_le else None,
        "verification": freshness_of(pro).label,
    }


def osm_tags(pro: Pro, opening_hours: str | None, currency: str) -> dict[str, str]:
    """OpenStreetMap-style tags of one place of a pro (phone in international form); `currency`
    is the currency's OSM code (LABULLE_IDENTITY's osm_currency)."""
    contact = public_contact(pro)
    if "telephone" in contact:
        contact["telephone"] = phone_international(contact["telephone"])
    tags = {PRO_TAGS["nom"]: pro.nom, **currency_tags(pro, currency)}
    if opening_hours:
        tags[PRO_TAGS["horaires"]] = opening_hours
    if pro.verifie_le:
        tags[PRO_TAGS["verifie_le"]] = pro.verifie_le.isoformat()
    for key, tag in CONTACT_TAGS.items():
        if key in contact:
            tags[tag] = contact[key]
    return tags


def currency_tags(pro: Pro, currency: str) -> dict[str, str]:
    """The tags that say a place takes the currency (`currency`: its OSM code): accepted,
    paper notes, exchange office, and BTC Map's check_date:currency:<code>."""
    tags = {f"currency:{currency}": "yes"}
    if pro.bulle.billets:
        tags[f"payment:cash:{currency}"] = "yes"
    if pro.bulle.comptoir:
        tags[f"change:{currency}"] = "yes"
    if pro.verifie_le:
        tags[f"{PRO_TAGS['verifie_le']}:currency:{currency}"] = pro.verifie_le.isoformat()
    return tags


def phone_international(value: str) -> str:
    """"05 45 00 00 00" → "+33 5 45 00 00 00", the form OpenStreetMap's phone tag uses."""
    import phonenumbers

    number = parse_phone(value)
    if number is None:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def features(pro: Pro, directory: Directory, siteurl: str,
             currency: str) -> list[dict[str, Any]]:
    """One GeoJSON Feature per shop position and per market position."""
    common = {"slug": pro.slug, "nom": pro.nom, "url": page_url(siteurl, pro),
              "categorie": directory.category(pro).key,
              "categorie_libelle": directory.category(pro).label, "resume": pro.resume,
              "billets": pro.bulle.billets, "numerique": pro.bulle.numerique,
              "comptoir": pro.bulle.comptoir}
    places = []
    if pro.adresse and pro.adresse.position:
        places.append(({"lieu": "boutique", "commune": pro.adresse.commune},
                       pro.adresse.position, pro.horaires))
    for market in pro.marches:
        if market.position:
            places.append(({"lieu": "marché", "marche": market.nom, "commune": market.commune},
                           market.position, market.horaires))
    result = []
    for place, (lat, lon), opening_hours in places:
        properties = {**common, **place, **osm_tags(pro, opening_hours, currency)}
        result.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                       "properties": properties})
    return result


def csv_row(pro: Pro, record: dict[str, Any]) -> dict[str, Any]:
    """The CSV row of a pro, from its JSON record (`pro_record`)."""
    address = record["adresse"] or {}
    position = address.get("position") or [None, None]
    markets = " | ".join(" ; ".join(filter(None, (m.nom, m.commune, m.horaires)))
                         for m in pro.marches)
    return {**{k: record[k] for k in ("slug", "nom", "url", "categorie", "resume", "zone",
                                      "horaires", "horaires_precisions", "verifie_le",
                                      "verification")},
            **{key: " ".join(record[key]) for key in ("fournisseurs", "achats")},
            "categories": " ".join(pro.categories),
            "rue": address.get("rue"), "code_postal": address.get("code_postal"),
            "commune": (communes_of(pro) or [None])[0],
            "latitude": position[0], "longitude": position[1], "marches": markets,
            **record["contact"], **record["bulle"]}


def anew(_name: str, pro: Pro, make: Callable[..., Any], *args: Any, extra: Any = None) -> Any:
    """What `remember` does without a build's memo (labulle.build.fragments): make it now."""
    return make(pro, *args)


def render(directory: Directory, siteurl: str, currency: str,
           limits: tuple[int, int] = (9, 12), remember: Callable[..., Any] = anew,
           ) -> dict[str, str]:
    """File name → text of the three open data files (`limits`: the freshness thresholds).
    `remember(name, pro, make)`: the build's memo of what is made once per pro
    (labulle.build.fragments); by default everything is made anew."""
    pros = directory.published
    freshness_of = functools.partial(freshness, today=directory.today, limits=limits)
    records = [remember("open-data:record", p,
                        lambda p: pro_record(p, directory, siteurl, freshness_of)) for p in pros]
    head = {"date": directory.today.isoformat(), "source": f"{siteurl}/pros/"}
    as_json = [remember("open-data:json", p, lambda _p, r=r: jsontext.item(r, JSON_INDENT))
               for p, r in zip(pros, records, strict=True)]
    geojson = [remember("open-data:features", p,
                        lambda p: [jsontext.item(f) for f in features(p, directory, siteurl,
                                                                       currency)])
               for p in pros]
    table = PROS_TABLE.joined(remember("open-data:line", p,
                                       lambda p, r=r: PROS_TABLE.line(csv_row(p, r)))
                              for p, r in zip(pros, records, strict=True))
    return {"pros.json": jsontext.document(head, "pros", as_json, JSON_INDENT) + "\n",
            "pros.geojson": jsontext.document({"type": "FeatureCollection"}, "features",
                                              [f for texts in geojson for f in texts]) + "\n",
            "pros.csv": table}


def write_open_data(gen: Any, writer: Any) -> None:
    output = Path(gen.output_path)
    currency = identity(gen.settings)["osm_currency"]
    limits = thresholds(gen.settings)
    files = render(gen.directory, gen.settings["SITEURL"], currency, limits,
                   gen.memory.fragments.remember)
    for name, text in files.items():
        write_file(output / name, text)
