"""Open data of the sample site: pros.json, pros.geojson, pros.csv (public fields only)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date

import pytest
import yaml
from conftest import ROOT

from labulle.atomic import write_file as write_atomic
from labulle.model.directory import Directory
from labulle.pages import jsontext
from labulle.pages.opendata import CSV_COLUMNS, render
from labulle.source.check import load

HIDDEN = {"le-vrac-des-remparts", "le-zinc-du-marche"}


def sample_files() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "pros").glob("*.yml")) if p.name != "categories.yml"}


def published() -> dict[str, dict]:
    return {slug: data for slug, data in sample_files().items() if slug not in HIDDEN}


@pytest.fixture(scope="module")
def pros_json(built_site):
    return json.loads((built_site / "pros.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def geojson(built_site):
    return json.loads((built_site / "pros.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def csv_rows(built_site):
    text = (built_site / "pros.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_json_lists_published_pros_only(pros_json):
    assert pros_json["date"] == "2020-03-23"
    assert {p["slug"] for p in pros_json["pros"]} == set(published())


def test_json_record(pros_json):
    record = next(p for p in pros_json["pros"] if p["slug"] == "maison-soulat")
    assert record["nom"] == "Maison Soulat"
    assert record["url"] == "/pros/maison-soulat/"
    assert record["categories"][0] == {"cle": "boulangerie", "libelle": "Boulangerie, pâtisserie"}
    assert record["adresse"]["position"] == [45.6503, 0.1581]
    assert record["contact"] == {"telephone": "05 45 95 30 71",
                                 "facebook": "https://www.facebook.com/maisonsoulat"}
    assert record["bulle"]["comptoir"] is True
    assert record["verifie_le"] == "2020-03-20"
    assert "adhesion" not in record and "brouillon" not in record


def test_json_has_no_private_contact(pros_json):
    files = published()
    for record in pros_json["pros"]:
        contact = files[record["slug"]].get("contact") or {}
        for key in contact.get("prive", []):
            assert key not in record["contact"], (record["slug"], key)
        assert "prive" not in record["contact"]


def test_geojson_features_and_osm_tags(geojson):
    assert geojson["type"] == "FeatureCollection"
    features = geojson["features"]
    slugs = {f["properties"]["slug"] for f in features}
    assert not slugs & HIDDEN
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"]
        assert 44.5 < lat < 47 and -1.5 < lon < 1.5  # Charente: [longitude, latitude]
        assert feature["properties"]["currency:XLT-BULE"] == "yes"
    soulat = next(f["properties"] for f in features if f["properties"]["slug"] == "maison-soulat")
    assert soulat["change:XLT-BULE"] == "yes"
    assert soulat["payment:cash:XLT-BULE"] == "yes"
    assert soulat["opening_hours"] == "Mo-Fr 07:00-19:30; Sa 07:00-13:00"
    assert soulat["phone"] == "+33 5 45 95 30 71"
    fleac = next(f["properties"] for f in features
                 if f["properties"]["slug"] == "le-potager-de-fleac")
    assert "change:XLT-BULE" not in fleac and "phone" not in fleac  # private phone


def test_one_feature_per_shop_and_per_market(geojson):
    files = published()
    expected = 0
    for data in files.values():
        expected += bool((data.get("adresse") or {}).get("position"))
        expected += sum(1 for m in data.get("marches") or [] if m.get("position"))
    assert len(geojson["features"]) == expected
    markets = [f["properties"] for f in geojson["features"] if f["properties"]["lieu"] == "marché"]
    assert markets and all(m["marche"] for m in markets)


def test_paper_bulles_tag_follows_billets(geojson):
    files = published()
    for feature in geojson["features"]:
        properties = feature["properties"]
        billets = (files[properties["slug"]].get("bulle") or {}).get("billets", True)
        assert ("payment:cash:XLT-BULE" in properties) == billets


def test_csv(csv_rows, built_site):
    header = (built_site / "pros.csv").read_text(encoding="utf-8").splitlines()[0]
    assert tuple(header.split(",")) == CSV_COLUMNS
    assert {row["slug"] for row in csv_rows} == set(published())
    soulat = next(row for row in csv_rows if row["slug"] == "maison-soulat")
    assert soulat["commune"] == "Angoulême"
    assert soulat["telephone"] == "05 45 95 30 71"
    assert soulat["comptoir"] == "oui"
    assert soulat["latitude"] == "45.6503"
    assert "adhesion" not in header


def test_suppliers_and_purchases_in_json_and_csv(pros_json, csv_rows):
    """`fournisseurs` (slugs) and `achats` (category keys), in the file's order; the CSV
    separates them by spaces, as `categories`."""
    records = {p["slug"]: p for p in pros_json["pros"]}
    cafe = records["le-cafe-des-remparts"]
    assert cafe["fournisseurs"] == ["brasserie-de-la-vienne-confolentaise", "maison-soulat",
                                    "les-ruches-du-ruffecois"]
    assert cafe["achats"] == ["bois", "jardinerie"]
    assert (records["au-levain-de-chateauneuf"]["fournisseurs"],
            records["au-levain-de-chateauneuf"]["achats"]) == ([], ["bois"])
    rows = {row["slug"]: row for row in csv_rows}
    assert rows["le-cafe-des-remparts"]["fournisseurs"] == (
        "brasserie-de-la-vienne-confolentaise maison-soulat les-ruches-du-ruffecois")
    assert rows["le-cafe-des-remparts"]["achats"] == "bois jardinerie"
    assert (rows["au-levain-de-chateauneuf"]["fournisseurs"],
            rows["au-levain-de-chateauneuf"]["achats"]) == ("", "bois")
    for record in pros_json["pros"]:
        assert set(record["fournisseurs"]) <= set(records), record["slug"]


def test_a_draft_or_a_pro_who_left_named_as_supplier_is_in_no_open_data_file():
    """The loader refuses a pro who left in `fournisseurs` (and a draft is allowed): whatever
    the record names, the open data only carry published suppliers."""
    data, problems = load(ROOT)
    assert problems == []
    named = ["le-vrac-des-remparts", "ferme-de-la-bonnieure", "le-zinc-du-marche"]
    pros = [dataclasses.replace(p, fournisseurs=named) if p.slug == "maison-soulat" else p
            for p in data.pros]
    files = render(Directory(data.categories, pros, date(2020, 3, 23)), "", "XLT-BULE")
    record = next(p for p in json.loads(files["pros.json"])["pros"]
                  if p["slug"] == "maison-soulat")
    assert record["fournisseurs"] == ["ferme-de-la-bonnieure"]
    row = next(r for r in csv.DictReader(io.StringIO(files["pros.csv"]))
               if r["slug"] == "maison-soulat")
    assert row["fournisseurs"] == "ferme-de-la-bonnieure"
    for name, text in files.items():
        assert not [slug for slug in HIDDEN if slug in text], name


def test_private_values_in_no_open_data_file(built_site):
    for slug, data in sample_files().items():
        contact = data.get("contact") or {}
        for key in contact.get("prive", []):
            for name in ("pros.json", "pros.geojson", "pros.csv"):
                text = (built_site / name).read_text(encoding="utf-8")
                assert str(contact[key]) not in text, (slug, key, name)


@pytest.mark.parametrize("name, indent", [("pros.json", 1), ("pros.geojson", None)])
def test_files_assembled_from_each_pros_text_are_what_one_dump_gives(built_site, name, indent):
    """Each pro's text is made once and the file assembled from them (labulle.pages.jsontext):
    the bytes must be those of one `json.dumps` of the whole."""
    text = (built_site / name).read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=indent) + "\n"


@pytest.mark.parametrize("indent", [None, 1, 2])
@pytest.mark.parametrize("items", [[], [{}], [{"nom": "« A » \\ \"b\"\n", "l": [[], {}, [1, None]],
                                             "x": {"y": [True, 2.5]}}, {"z": "é"}]])
def test_a_document_of_item_texts_is_the_dump_of_the_whole(indent, items):
    head = {"date": "2020-03-23", "source": "\u0000pros\u0000 is not the marker"}
    texts = [jsontext.item(item, indent) for item in items]
    assert (jsontext.document(head, "pros", texts, indent)
            == json.dumps({**head, "pros": items}, ensure_ascii=False, indent=indent))


def test_write_atomic_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out" / "pros.json"
    write_atomic(target, "[]\n")
    write_atomic(target, "[1]\n")
    assert target.read_text(encoding="utf-8") == "[1]\n"
    assert [p.name for p in target.parent.iterdir()] == ["pros.json"]
