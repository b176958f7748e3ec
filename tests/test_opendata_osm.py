"""Issue 15, point 5: /donnees/openstreetmap/ (how a pro's shop is tagged in OpenStreetMap) and
the mappers' files /donnees/a-cartographier.geojson and .csv: one feature per published pro with
a shop position, carrying the tags to add, from the currency's OSM code (never hard-coded)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from labulle.pages import osmguide

HIDDEN = {"le-vrac-des-remparts", "le-zinc-du-marche"}  # a draft and a pro who left


def with_shop_position() -> set[str]:
    found = set()
    for path in (ROOT / "pros").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.stem not in HIDDEN and "nom" in data and (data.get("adresse") or {}).get(
                "position"):
            found.add(path.stem)
    return found


@pytest.fixture(scope="module")
def features(built_site: Path) -> dict[str, dict]:
    data = json.loads((built_site / "donnees" / "a-cartographier.geojson")
                      .read_text(encoding="utf-8"))
    return {f["properties"]["slug"]: f for f in data["features"]}


def test_one_feature_per_published_pro_with_a_shop_position(features, built_site):
    assert set(features) == with_shop_position()
    rows = list(csv.DictReader(io.StringIO(
        (built_site / "donnees" / "a-cartographier.csv").read_text(encoding="utf-8"))))
    assert [r["slug"] for r in rows] == list(features)


def test_a_feature_carries_the_tags_to_add(features):
    soulat = features["maison-soulat"]
    assert soulat["geometry"] == {"type": "Point", "coordinates": [0.1581, 45.6503]}
    assert soulat["properties"] == {
        "name": "Maison Soulat", "currency:XLT-BULE": "yes", "payment:cash:XLT-BULE": "yes",
        "change:XLT-BULE": "yes", "check_date:currency:XLT-BULE": "2020-03-20",
        "slug": "maison-soulat", "nom": "Maison Soulat", "url": "/pros/maison-soulat/",
        "adresse": soulat["properties"]["adresse"], "commune": "Angoulême",
        "openstreetmap": "https://www.openstreetmap.org/?mlat=45.6503&mlon=0.1581"
                         "#map=19/45.6503/0.1581",
        "modifier": "https://www.openstreetmap.org/edit?editor=id#map=19/45.6503/0.1581"}
    assert soulat["properties"]["adresse"].endswith("16000 Angoulême")
    for slug, feature in features.items():
        assert feature["properties"]["currency:XLT-BULE"] == "yes", slug
        assert "phone" not in feature["properties"], slug  # tags to add, not contact data


def test_the_csv_writes_the_tags_as_osm_text(built_site):
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(
        (built_site / "donnees" / "a-cartographier.csv").read_text(encoding="utf-8")))}
    assert rows["maison-soulat"]["tags"] == (
        "currency:XLT-BULE=yes;payment:cash:XLT-BULE=yes;change:XLT-BULE=yes;"
        "check_date:currency:XLT-BULE=2020-03-20")
    assert rows["maison-soulat"]["latitude"] == "45.6503"


def page_text(built_site: Path) -> str:
    page = (built_site / "donnees" / "openstreetmap" / "index.html").read_text(encoding="utf-8")
    main = re.search(r"<main.*</main>", page, re.S)
    assert main
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main.group(0))))


def test_the_guide_says_the_tags_and_how(built_site, features):
    text = page_text(built_site)
    for line in ("currency:XLT-BULE=yes Le lieu accepte la Bulle",
                 "payment:cash:XLT-BULE=yes Il accepte les billets (les Bulles papier)",
                 "change:XLT-BULE=yes C'est un comptoir de change",
                 "check_date:currency:XLT-BULE=AAAA-MM-JJ Le jour où l'acceptation a été "
                 "vérifiée"):
        assert line in text, line
    assert "Avec iD" in text and "StreetComplete" in text
    assert "Jamais de copie depuis Google Maps" in text
    assert f"{len(features)} pros du réseau ont une adresse et une position" in text
    for feature in features.values():
        assert feature["properties"]["nom"] in text


def test_the_guide_links_its_files(built_site):
    page = (built_site / "donnees" / "openstreetmap" / "index.html").read_text(encoding="utf-8")
    for path in ("/donnees/a-cartographier.geojson", "/donnees/a-cartographier.csv",
                 "/donnees/a-cartographier.schema.json", "/donnees/"):
        assert f'href="{path}"' in page, path


def test_the_osm_code_is_the_currencys():
    words = {"osm_currency": "XLT-PECH", "the": "la Pêche", "plural": "Pêches"}
    assert [key for key, _value, _meaning in osmguide.guide_tags(words)] == [
        "currency:XLT-PECH", "payment:cash:XLT-PECH", "change:XLT-PECH",
        "check_date:currency:XLT-PECH"]
    for path in (ROOT / "labulle" / "pages" / "osmguide.py",
                 ROOT / "theme" / "templates" / "donnees_osm.html"):
        assert "XLT-BULE" not in path.read_text(encoding="utf-8"), path
