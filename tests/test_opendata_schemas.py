"""Issue 15, points 2 and 6: every CSV of the open data validates against its Frictionless Table
Schema (the sample, and a copy of it with hostile values: commas, quotes, line breaks, cells a
spreadsheet would run as formulas); the schemas come from the tables' one declaration; and no
data file carries a private value, `adhesion`, a draft or a pro who left."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import build_site, copy_project
from frictionless import Resource, Schema

from labulle.pages.catalogue import DATASETS
from labulle.pages.crisisdata import CRISIS_TABLE
from labulle.pages.opendata import CSV_COLUMNS, PROS_TABLE
from labulle.pages.osmguide import MAPPING_TABLE
from labulle.pages.tableschema import OSM_HOURS_WIKI

#: CSV (path from the site's root) → its schema.
CSVS = {d.path: d.schema_path for s in DATASETS for d in s.distributions if d.table}

HOSTILE = """\
nom: '=HYPERLINK("https://exemple.org";"clic"), "Le Comptoir"'
categories: [epicerie]
resume: "+cmd|' /C calc'!A0, avec des virgules ; et des « guillemets »"
description: |
  Ligne un, avec virgule.
  Ligne deux "citée" ;=1+1
adresse:
  rue: '-12, rue des "Quotes"'
  code_postal: "16000"
  commune: "@Angoulême"
  position: [45.6501, 0.1502]
horaires: "Mo-Fr 09:00-12:00,14:00-18:00; PH off"
horaires_precisions: "=1+1, fermé\\nle lundi ; \\"vraiment\\""
contact:
  telephone: "05 45 11 22 33"
  email: "=commande@example.org"
  site: "https://example.org/?a=1,2&b=\\"x\\""
  prive: [telephone]
bulle:
  comptoir: true
  comptoir_horaires: "Sa 10:00-12:00"
  avantage: "@SUM(1+1)*cmd|' /C calc'!A0"
  pourquoi: "-2+3, parce que"
adhesion: 2020
verifie_le: 2020-03-20
crise:
  horaires: same
  sur_place: oui
  livraison: uniquement
  apres_la_crise: [livraison, drive]
  commande: [telephone, site]
  telephone_commande: "+33 5 45 99 88 77"
  modalites: "=cmd, \\"citée\\"\\nsur deux lignes"
  paniers:
    - nom: '=Panier, "spécial"'
      prix: 12.5
      commande_avant: lundi 18 h
      retrait: "-samedi, 9 h"
  verifie_le: 2020-03-21
fournisseurs: [brouillon-secret, maison-soulat]
achats: [bois, boissons]
"""
#: A draft and a pro who left, with values found nowhere else.
HIDDEN = {
    "brouillon-secret": "nom: Brouillon Zorglub\nbrouillon: true\n",
    "parti-secret": "nom: Parti Zorglub\nquitte_le: 2020-01-15\n",
}
HIDDEN_BODY = """\
categories: [epicerie]
resume: Zorglub resume.
adresse: {rue: 1 rue Zorglub, code_postal: "16000", commune: Angoulême, position: [45.65, 0.15]}
contact: {telephone: "05 45 77 66 55"}
crise: {statut: ouvert, livraison: oui, verifie_le: 2020-03-21}
"""
#: Private values (this file's and the sample's: contact.prive), a draft's, a departed pro's.
SECRETS = ("05 45 11 22 33", "+33 5 45 11 22 33", "perso.chevrerie@example.org",
           "06 98 76 54 32", "+33 6 98 76 54 32", "Zorglub",
           "05 45 77 66 55", "+33 5 45 77 66 55")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample plus a hostile pro, a draft and a pro who left."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "projet")
    (project / "pros" / "zz-hostile.yml").write_text(HOSTILE, encoding="utf-8")
    for slug, head in HIDDEN.items():
        (project / "pros" / f"{slug}.yml").write_text(head + HIDDEN_BODY, encoding="utf-8")
    out = project / "output"
    result = build_site(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def validate(site: Path, path: str, schema_path: str):  # type: ignore[no-untyped-def]
    schema = Schema.from_descriptor(json.loads((site / schema_path).read_text(encoding="utf-8")))
    return Resource(path=path, schema=schema, basepath=str(site)).validate()


def errors(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.message for task in report.tasks for e in task.errors]


def rows(site: Path, path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((site / path).read_text(encoding="utf-8"))))


@pytest.mark.parametrize("path", CSVS)
def test_every_csv_of_the_sample_validates_against_its_schema(built_site, path):
    report = validate(built_site, path, CSVS[path])
    assert report.valid, errors(report)
    assert report.tasks[0].stats["rows"] == len(rows(built_site, path)) > 0


@pytest.mark.parametrize("path", CSVS)
def test_every_csv_with_hostile_values_validates(hostile_site, path):
    report = validate(hostile_site, path, CSVS[path])
    assert report.valid, errors(report)


def test_csv_header_and_schema_come_from_one_declaration(built_site):
    for table in (PROS_TABLE, CRISIS_TABLE, MAPPING_TABLE):
        path = next(p for p, s in CSVS.items() if s.endswith(f"/{table.name}.schema.json"))
        header = (built_site / path).read_text(encoding="utf-8").splitlines()[0]
        schema = json.loads((built_site / CSVS[path]).read_text(encoding="utf-8"))
        assert next(csv.reader([header])) == list(table.names)
        assert [f["name"] for f in schema["fields"]] == list(table.names)
        assert all(f["title"] and f["description"] for f in schema["fields"])
        assert schema["licenses"] == [{"title": "Open Database License (ODbL) 1.0",
                                       "path": "https://opendatacommons.org/licenses/odbl/1-0/"}]
    assert PROS_TABLE.names == CSV_COLUMNS


def test_hours_columns_declare_the_osm_syntax(built_site):
    schema = json.loads((built_site / "donnees/pros.schema.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in schema["fields"]}
    for name in ("horaires", "comptoir_horaires"):
        assert OSM_HOURS_WIKI in fields[name]["description"]
        assert "opening_hours" in fields[name]["description"]
        assert fields[name]["constraints"]["pattern"]
    assert fields["latitude"]["type"] == "number"
    assert fields["verifie_le"]["type"] == "date"
    assert fields["billets"] == {**fields["billets"], "type": "boolean",
                                 "trueValues": ["oui"], "falseValues": ["non"]}
    crisis = json.loads((built_site / "donnees/ouverts-pendant-la-crise.schema.json")
                        .read_text(encoding="utf-8"))
    covid = next(f for f in crisis["fields"] if f["name"] == "opening_hours:covid19")
    assert covid["constraints"]["pattern"].startswith("(same|off|closed|open|restricted|")


def test_suppliers_and_purchases_columns(built_site, hostile_site):
    """Declared once (the CSV header and the schema); a draft named as supplier is left out."""
    schema = json.loads((built_site / "donnees/pros.schema.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["fournisseurs"]["title"] == "Fournisseurs dans le réseau"
    assert fields["fournisseurs"]["description"] == (
        "Les pros publiés chez qui ce pro achète déjà en Bulles. Identifiants séparés par des "
        "espaces.")
    assert fields["achats"]["title"] == "Achats souhaités"
    pro = next(r for r in rows(hostile_site, "pros.csv") if r["slug"] == "zz-hostile")
    assert (pro["fournisseurs"], pro["achats"]) == ("maison-soulat", "bois boissons")
    record = next(p for p in json.loads((hostile_site / "pros.json").read_text(encoding="utf-8"))
                  ["pros"] if p["slug"] == "zz-hostile")
    assert (record["fournisseurs"], record["achats"]) == (["maison-soulat"], ["bois", "boissons"])
    page = (built_site / "donnees" / "index.html").read_text(encoding="utf-8")
    assert "Fournisseurs dans le réseau" in page and "Achats souhaités" in page


def broken_pros_csv(built_site, folder, good: str, bad: str):  # type: ignore[no-untyped-def]
    """The frictionless report on the built pros.csv with its first `good` replaced by `bad`,
    checked against the built Table Schema (both copied into `folder`)."""
    (folder / "donnees").mkdir(parents=True)
    (folder / "donnees" / "pros.schema.json").write_text(
        (built_site / "donnees" / "pros.schema.json").read_text(encoding="utf-8"),
        encoding="utf-8")
    text = (built_site / "pros.csv").read_text(encoding="utf-8")
    assert good in text
    (folder / "pros.csv").write_text(text.replace(good, bad, 1), encoding="utf-8")
    return validate(folder, "pros.csv", "donnees/pros.schema.json")


def test_a_suppliers_cell_that_is_not_a_list_of_slugs_is_reported(built_site, tmp_path):
    good = "brasserie-de-la-vienne-confolentaise maison-soulat les-ruches-du-ruffecois"
    report = broken_pros_csv(built_site, tmp_path / "site", good, "Maison Soulat")
    assert ['constraint "pattern"' in m and '"fournisseurs"' in m for m in errors(report)] == [
        True]


def test_a_value_breaking_the_hours_pattern_is_reported(built_site, tmp_path):
    """The pattern is not decorative: a multi-line or timeless value fails validation."""
    good = rows(built_site, "pros.csv")[0]["horaires"]
    report = broken_pros_csv(built_site, tmp_path / "site", good, "le matin")
    assert not report.valid
    assert ['constraint "pattern"' in m and '"horaires"' in m for m in errors(report)] == [True]


def test_hostile_cells_are_neutralised_and_round_trip(hostile_site):
    pro = next(r for r in rows(hostile_site, "pros.csv") if r["slug"] == "zz-hostile")
    assert pro["nom"] == '\'=HYPERLINK("https://exemple.org";"clic"), "Le Comptoir"'
    assert pro["resume"].startswith("'+cmd|")
    assert pro["rue"] == '\'-12, rue des "Quotes"'
    assert pro["commune"] == "'@Angoulême"
    assert pro["horaires_precisions"] == "'=1+1, fermé\nle lundi ; \"vraiment\""
    assert pro["email"] == "'=commande@example.org"
    assert pro["site"] == 'https://example.org/?a=1,2&b="x"'
    assert pro["avantage"].startswith("'@SUM") and pro["pourquoi"] == "'-2+3, parce que"
    crisis = next(r for r in rows(hostile_site, "ouverts-pendant-la-crise.csv")
                  if r["slug"] == "zz-hostile")
    assert crisis["description:covid19"] == "'=cmd, \"citée\"\nsur deux lignes"
    assert crisis["paniers"] == "'=Panier, \"spécial\" (12.5 €)"
    assert (crisis["delivery:covid19"], crisis["delivery"], crisis["drive_through"]) == (
        "only", "yes", "yes")


def data_files(site: Path) -> list[Path]:
    catalogue = json.loads((site / "donnees" / "catalogue.jsonld").read_text(encoding="utf-8"))
    paths = {d["dcat:downloadURL"]["@id"].lstrip("/") for s in catalogue["dcat:dataset"]
             for d in s["dcat:distribution"]}
    found = [site / p for p in paths] + [p for p in (site / "donnees").rglob("*") if p.is_file()]
    assert len(found) > 12
    return found


def test_no_private_value_draft_or_departed_pro_in_any_data_file(hostile_site):
    for path in data_files(hostile_site):
        text = path.read_text(encoding="utf-8")
        for secret in SECRETS:
            assert secret not in text, (path.name, secret)
        for word in ("adhesion", "brouillon", "quitte_le", "prive"):
            assert word not in text, (path.name, word)
        assert "brouillon-secret" not in text and "parti-secret" not in text, path.name


def test_the_hostile_pro_is_published_in_every_file_of_its_kind(hostile_site):
    for name in ("pros.csv", "pros.json", "pros.geojson", "ouverts-pendant-la-crise.csv",
                 "ouverts-pendant-la-crise.geojson", "donnees/a-cartographier.csv",
                 "donnees/a-cartographier.geojson"):
        assert "zz-hostile" in (hostile_site / name).read_text(encoding="utf-8"), name


def test_a_pros_hostile_values_stay_valid_json(hostile_site):
    data = json.loads((hostile_site / "ouverts-pendant-la-crise.geojson")
                      .read_text(encoding="utf-8"))
    pro = next(f["properties"] for f in data["features"] if f["properties"]["slug"]
               == "zz-hostile")
    assert pro["description:covid19"] == '=cmd, "citée"\nsur deux lignes'
    assert pro["paniers"] == [{"nom": '=Panier, "spécial"', "commande_avant": "lundi 18 h",
                               "retrait": "-samedi, 9 h", "prix": 12.5}]
    assert pro["opening_hours:covid19"] == "same"
