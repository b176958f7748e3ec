"""THE one registry of the site's published data files, and the two descriptions made from it.

Every data file the site publishes is a `Distribution` of one `Dataset` below (the crisis ones
only in crisis mode). From this list come the page `/donnees/`, its schema.org `Dataset`
JSON-LD, and the DCAT catalogue `/donnees/catalogue.jsonld` in the DCAT-AP form data.gouv.fr's
harvester reads (dcat:Catalog → dcat:Dataset → dcat:Distribution with dcat:downloadURL,
dcat:mediaType, dct:format, dct:license, dct:modified, dct:conformsTo for a CSV's Table
Schema). A CSV with a `table` has its schema at `/donnees/<name>.schema.json`. A new data file
is added here, or it is not on the page nor in the catalogue (a test checks every file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from labulle.pages.crisisdata import CRISIS_TABLE
from labulle.pages.opendata import PROS_TABLE
from labulle.pages.osmguide import MAPPING_TABLE
from labulle.pages.osmguide import PAGE_PATH as GUIDE_PATH
from labulle.pages.tableschema import Table

FOLDER = "donnees/"
CATALOGUE = f"{FOLDER}catalogue.jsonld"
#: Media type → (format name, its French words on the page).
FORMATS = {
    "text/csv": ("CSV", "tableau CSV (UTF-8, virgules)"),
    "application/geo+json": ("GeoJSON", "GeoJSON (carte : QGIS, uMap, JOSM, MapRoulette)"),
    "application/json": ("JSON", "JSON"),
    "text/calendar": ("iCalendar", "calendrier iCalendar (Thunderbird, Google Agenda, téléphone)"),
    "application/ld+json": ("JSON-LD", "JSON-LD"),
}
IANA = "https://www.iana.org/assignments/media-types/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/FRA"


@dataclass(frozen=True)
class Distribution:
    """One file: its path from the site's root, media type and, for a CSV, its table."""

    path: str
    media_type: str
    table: Table | None = None

    @property
    def format(self) -> str:
        return FORMATS[self.media_type][0]

    @property
    def format_words(self) -> str:
        return FORMATS[self.media_type][1]

    @property
    def schema_path(self) -> str | None:
        return f"{FOLDER}{self.table.schema_name}" if self.table else None


@dataclass(frozen=True)
class Dataset:
    """A set of files saying the same thing in several formats; `{the}`-style words are the
    currency's (LABULLE_IDENTITY)."""

    key: str
    title: str
    description: str
    landing: str  # the site's page that shows these data
    distributions: tuple[Distribution, ...]
    keywords: tuple[str, ...]
    crisis: bool = False  # published in crisis mode only


DATASETS = (
    Dataset("pros", "L'annuaire des pros {of_the}",
            "Les commerçants, producteurs, artisans et associations qui acceptent {the} : "
            "nom, catégories, adresse et position, marchés, horaires (syntaxe OpenStreetMap), "
            "contacts publics, billets, monnaie numérique, comptoirs de change, fournisseurs "
            "dans le réseau et achats souhaités, date de vérification. "
            "Une ligne par pro publié ; jamais de donnée privée.", "pros/",
            (Distribution("pros.json", "application/json"),
             Distribution("pros.geojson", "application/geo+json"),
             Distribution("pros.csv", "text/csv", PROS_TABLE)),
            ("monnaie locale", "commerces", "annuaire", "OpenStreetMap")),
    Dataset("ouverts-pendant-la-crise", "Les pros {of_the} ouverts pendant la crise",
            "Les pros de la liste de crise : horaires pendant la crise, accueil sur place, "
            "livraison, vente à emporter, retrait, drive (clés OpenStreetMap :covid19, comme "
            "Ça reste ouvert), services gardés après la crise, modalités, dépôts-ventes et "
            "paniers.", "ouverts-pendant-la-crise/",
            (Distribution("ouverts-pendant-la-crise.geojson", "application/geo+json"),
             Distribution("ouverts-pendant-la-crise.csv", "text/csv", CRISIS_TABLE)),
            ("covid19", "confinement", "commerces ouverts", "livraison"), crisis=True),
    Dataset("paniers", "Les paniers de la crise",
            "Les paniers des pros de la liste de crise : date limite de commande et créneaux "
            "de retrait, à ajouter à son agenda.", "paniers/",
            (Distribution("paniers.ics", "text/calendar"),),
            ("paniers", "circuit court", "agenda"), crisis=True),
    Dataset("agenda", "L'agenda de l'association",
            "Les événements publics de l'association : marchés, ateliers, réunions.",
            "agenda/", (Distribution("agenda.ics", "text/calendar"),),
            ("agenda", "événements")),
    Dataset("reserve", "La réserve et la circulation {of_the} numérique",
            "Les chiffres agrégés du registre {of_the} numérique : monnaie en circulation, "
            "réserve en euros, conversions et reconversions, mois par mois et par commune "
            "(jamais un compte ni une personne).", "reserve/",
            (Distribution("data/stats.json", "application/json"),),
            ("monnaie locale", "monnaie numérique", "statistiques")),
    Dataset("a-cartographier", "Les pros à ajouter dans OpenStreetMap",
            "Les pros publiés qui ont une position, avec les clés OpenStreetMap à ajouter "
            "(currency:{osm_currency}=yes…), pour les contributeurs d'OpenStreetMap.",
            GUIDE_PATH,
            (Distribution(f"{FOLDER}a-cartographier.geojson", "application/geo+json"),
             Distribution(f"{FOLDER}a-cartographier.csv", "text/csv", MAPPING_TABLE)),
            ("OpenStreetMap", "cartographie", "monnaie locale")),
)


def published(crisis_mode: bool) -> list[Dataset]:
    """The datasets of this build (the crisis ones only in crisis mode)."""
    return [d for d in DATASETS if crisis_mode or not d.crisis]


def tables(crisis_mode: bool) -> list[Table]:
    return [d.table for s in published(crisis_mode) for d in s.distributions if d.table]


def words(text: str, identity: Mapping[str, Any]) -> str:
    return text.format_map(identity)


def _ref(url: str) -> dict[str, str]:
    return {"@id": url}


def _day(day: date) -> dict[str, str]:
    return {"@value": day.isoformat(), "@type": "xsd:date"}


def _distribution(dist: Distribution, siteurl: str, licence: Mapping[str, str],
                  day: date) -> dict[str, Any]:
    url = f"{siteurl}/{dist.path}"
    found: dict[str, Any] = {
        "@id": url, "@type": "dcat:Distribution", "dct:title": dist.path.rsplit("/", 1)[-1],
        "dct:description": dist.format_words, "dcat:accessURL": _ref(url),
        "dcat:downloadURL": _ref(url), "dcat:mediaType": _ref(IANA + dist.media_type),
        "dct:format": dist.format, "dct:license": _ref(licence["url"]), "dct:modified": _day(day),
    }
    if dist.schema_path:
        found["dct:conformsTo"] = _ref(f"{siteurl}/{dist.schema_path}")
    return found


def dcat(siteurl: str, identity: Mapping[str, Any], licence: Mapping[str, str], day: date,
         crisis_mode: bool) -> dict[str, Any]:
    """The DCAT catalogue (JSON-LD) of this build's datasets."""
    publisher = {"@type": "foaf:Organization", "foaf:name": identity["association"],
                 "foaf:homepage": _ref(f"{siteurl}/")}
    datasets = []
    for dataset in published(crisis_mode):
        datasets.append({
            "@id": f"{siteurl}/{FOLDER}#{dataset.key}", "@type": "dcat:Dataset",
            "dct:identifier": f"{siteurl}/{FOLDER}#{dataset.key}",
            "dct:title": words(dataset.title, identity),
            "dct:description": words(dataset.description, identity),
            "dcat:keyword": list(dataset.keywords), "dcat:landingPage": _ref(
                f"{siteurl}/{dataset.landing}"),
            "dct:modified": _day(day), "dct:publisher": publisher,
            "dct:license": _ref(licence["url"]), "dct:language": _ref(LANGUAGE),
            "dcat:distribution": [_distribution(d, siteurl, licence, day)
                                  for d in dataset.distributions],
        })
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/",
                     "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@id": f"{siteurl}/{CATALOGUE}", "@type": "dcat:Catalog",
        "dct:title": f"Les données ouvertes {identity['of_the']}",
        "dct:description": f"Les fichiers publiés par le site {identity['of_the']}, monnaie "
                           f"locale {identity['region_of']}.",
        "foaf:homepage": _ref(f"{siteurl}/{FOLDER}"), "dct:publisher": publisher,
        "dct:license": _ref(licence["url"]), "dct:language": _ref(LANGUAGE),
        "dct:modified": _day(day), "dcat:dataset": datasets,
    }


def schema_org(siteurl: str, identity: Mapping[str, Any], licence: Mapping[str, str],
               day: date, crisis_mode: bool) -> dict[str, Any]:
    """schema.org `Dataset`s of /donnees/ (JSON-LD, for `script_json`), with distributions."""
    creator = {"@type": "Organization", "name": identity["association"], "url": f"{siteurl}/"}
    graph = [{
        "@type": "Dataset", "name": words(d.title, identity),
        "description": words(d.description, identity), "url": f"{siteurl}/{d.landing}",
        "identifier": f"{siteurl}/{FOLDER}#{d.key}", "keywords": list(d.keywords),
        "license": licence["url"], "isAccessibleForFree": True, "inLanguage": "fr",
        "dateModified": day.isoformat(), "creator": creator,
        "spatialCoverage": {"@type": "Place", "name": identity["region"]},
        "distribution": [{"@type": "DataDownload", "encodingFormat": dist.media_type,
                          "contentUrl": f"{siteurl}/{dist.path}"} for dist in d.distributions],
    } for d in published(crisis_mode)]
    return {"@context": "https://schema.org", "@graph": graph}
