"""Issue 15, points 3 and 4: the DCAT catalogue /donnees/catalogue.jsonld and the page /donnees/.

The sample is built with SITEURL set to the local server that serves it, as on the published
site: every distribution of the catalogue is fetched from there and answers 200 with content of
its declared media type (a CSV that validates against its Table Schema, GeoJSON, JSON,
iCalendar); every data file of the build (under /donnees/ and at the root) is in the catalogue
and on the page, whose schema.org Dataset JSON-LD lists the same files.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import urllib.request
from pathlib import Path

import icalendar
import pytest
from conftest import ROOT, build_site, serve
from frictionless import Resource, Schema

DATA_SUFFIXES = (".json", ".geojson", ".csv", ".ics", ".jsonld")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """(output folder, its URL): the sample built for the address it is served at."""
    out = tmp_path_factory.mktemp("catalogue") / "output"
    out.mkdir()
    server, url = serve(out)
    result = build_site(ROOT, out, extra=("-e", f'SITEURL="{url}"'))
    assert result.returncode == 0, result.stdout + result.stderr
    yield out, url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def catalogue(served) -> dict:
    _out, url = served
    return json.loads(fetch(f"{url}/donnees/catalogue.jsonld"))


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - the local server
        assert answer.status == 200, url
        return answer.read().decode("utf-8")


def distributions(catalogue: dict) -> list[dict]:
    return [d for s in catalogue["dcat:dataset"] for d in s["dcat:distribution"]]


def test_the_catalogue_is_dcat(catalogue, served):
    _out, url = served
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalogue["@id"] == f"{url}/donnees/catalogue.jsonld"
    assert catalogue["dct:publisher"]["foaf:name"] == "Poivre MLC"
    titles = [s["dct:title"] for s in catalogue["dcat:dataset"]]
    assert titles == ["L'annuaire des pros de la Bulle",
                      "Les pros de la Bulle ouverts pendant la crise", "Les paniers de la crise",
                      "L'agenda de l'association",
                      "La réserve et la circulation de la Bulle numérique",
                      "Les pros à ajouter dans OpenStreetMap"]
    for dataset in catalogue["dcat:dataset"]:
        assert dataset["@type"] == "dcat:Dataset" and dataset["dct:description"]
        assert dataset["dcat:landingPage"]["@id"].startswith(f"{url}/")
        assert dataset["dct:modified"] == {"@value": "2020-03-23", "@type": "xsd:date"}
    for dist in distributions(catalogue):
        assert dist["@type"] == "dcat:Distribution"
        assert dist["dcat:downloadURL"] == dist["dcat:accessURL"]
        assert dist["dct:license"] == {"@id": "https://opendatacommons.org/licenses/odbl/1-0/"}
        assert dist["dcat:mediaType"]["@id"].startswith(
            "https://www.iana.org/assignments/media-types/")
        assert ("dct:conformsTo" in dist) == dist["dcat:mediaType"]["@id"].endswith("text/csv")


def media_type(dist: dict) -> str:
    return dist["dcat:mediaType"]["@id"].removeprefix(
        "https://www.iana.org/assignments/media-types/")


def check_content(kind: str, text: str, dist: dict) -> None:
    if kind == "text/csv":
        schema = Schema.from_descriptor(json.loads(fetch(dist["dct:conformsTo"]["@id"])))
        header = next(csv.reader(io.StringIO(text)))
        assert header == [f.name for f in schema.fields]
        report = Resource(data=text.encode("utf-8"), format="csv", schema=schema).validate()
        assert report.valid, [e.message for t in report.tasks for e in t.errors]
    elif kind == "application/geo+json":
        data = json.loads(text)
        assert data["type"] == "FeatureCollection" and data["features"]
        assert {f["type"] for f in data["features"]} == {"Feature"}
    elif kind == "application/json":
        assert isinstance(json.loads(text), dict)
    elif kind == "text/calendar":
        calendar = icalendar.Calendar.from_ical(text)
        assert calendar.name == "VCALENDAR" and calendar.walk("VEVENT")
    else:
        raise AssertionError(f"media type without a check: {kind}")


def test_every_distribution_answers_with_its_media_type(catalogue):
    kinds = set()
    for dist in distributions(catalogue):
        kind = media_type(dist)
        kinds.add(kind)
        check_content(kind, fetch(dist["dcat:downloadURL"]["@id"]), dist)
    assert kinds == {"text/csv", "application/geo+json", "application/json", "text/calendar"}


def data_files(out: Path) -> set[str]:
    """Every data file of the build: at the root, under /donnees/ and /data/."""
    found = {p.name for p in out.iterdir() if p.is_file() and p.suffix in DATA_SUFFIXES}
    for folder in ("donnees", "data"):
        found |= {str(p.relative_to(out)) for p in (out / folder).rglob("*")
                  if p.is_file() and p.suffix in DATA_SUFFIXES}
    return found


def test_every_data_file_is_in_the_catalogue_and_on_the_page(served, catalogue):
    out, url = served
    files = data_files(out)
    assert {"pros.json", "pros.csv", "ouverts-pendant-la-crise.geojson", "paniers.ics",
            "agenda.ics", "donnees/catalogue.jsonld", "donnees/pros.schema.json",
            "donnees/a-cartographier.geojson", "data/stats.json"} <= files
    listed = {d["dcat:downloadURL"]["@id"] for d in distributions(catalogue)}
    listed |= {d["dct:conformsTo"]["@id"] for d in distributions(catalogue)
               if "dct:conformsTo" in d}
    listed.add(catalogue["@id"])
    assert {f"{url}/{name}" for name in files} == listed
    page = (out / "donnees" / "index.html").read_text(encoding="utf-8")
    links = {html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)}
    assert {f"{url}/{name}" for name in files} <= links
    guide = f"{url}/donnees/openstreetmap/"
    assert guide in links
    assert {"@id": guide} in [s["dcat:landingPage"] for s in catalogue["dcat:dataset"]]


def test_the_page_says_licence_date_formats_and_fields(served):
    out, url = served
    page = (out / "donnees" / "index.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    text = re.sub(r"\s+", " ", text)
    assert "Licence Open Database License (ODbL) 1.0" in text
    assert "Mise à jour 23 mars 2020" in text
    assert "pros.csv : tableau CSV (UTF-8, virgules) ; schéma : pros.schema.json" in text
    assert "Les 30 colonnes de pros.csv" in text
    assert "opening_hours:covid19 : Horaires pendant la crise (texte)" in text
    assert "slug : Identifiant (texte, toujours rempli)" in text


def test_the_page_has_schema_org_datasets(served):
    out, url = served
    page = (out / "donnees" / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(found) == 1
    data = json.loads(found[0])
    assert data["@context"] == "https://schema.org"
    graph = data["@graph"]
    assert {d["@type"] for d in graph} == {"Dataset"}
    pros = graph[0]
    assert pros["name"] == "L'annuaire des pros de la Bulle"
    assert pros["license"] == "https://opendatacommons.org/licenses/odbl/1-0/"
    assert pros["dateModified"] == "2020-03-23"
    assert pros["creator"] == {"@type": "Organization", "name": "Poivre MLC", "url": f"{url}/"}
    assert pros["distribution"] == [
        {"@type": "DataDownload", "encodingFormat": "application/json",
         "contentUrl": f"{url}/pros.json"},
        {"@type": "DataDownload", "encodingFormat": "application/geo+json",
         "contentUrl": f"{url}/pros.geojson"},
        {"@type": "DataDownload", "encodingFormat": "text/csv",
         "contentUrl": f"{url}/pros.csv"}]
    assert all(len(d["description"]) >= 50 for d in graph)


def test_footer_links_to_the_page(served):
    out, url = served
    home = (out / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{url}/donnees/">Données ouvertes</a>' in home
