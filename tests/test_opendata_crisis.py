"""Issue 15, point 1: /ouverts-pendant-la-crise.geojson and .csv, the crisis list's pros with
the OpenStreetMap :covid19 keys; `crise.apres_la_crise` (a service kept after the crisis) and
its plain key; crisis mode off: no crisis file, and neither /donnees/ nor the catalogue lists
them (that build also sets another LABULLE_DATA_LICENCE)."""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import typing
from pathlib import Path

import pytest
from conftest import build_site, copy_project
from test_check_rules import problems_of

from labulle.source import fields, schema

#: The crisis page's entries in the sample: open pros and the closed chèvrerie, whose cheeses
#: two dépôt-vente hosts sell.
LISTED = {
    "atelier-terre-de-touvre", "boucherie-mercier", "brasserie-de-la-vienne-confolentaise",
    "chevrerie-des-brandes", "ferme-de-la-bonnieure", "fromagerie-du-champ-de-mars",
    "informatique-libre-16", "l-isle-aux-images", "la-drole-d-epicerie",
    "le-comptoir-de-l-houmeau", "le-grain-de-sel", "le-panier-rochefoucauld",
    "le-potager-de-fleac", "les-ruches-du-ruffecois", "maison-soulat", "pepiniere-du-gond",
    "plomberie-touvre-services", "quincaillerie-barbezilienne", "velo-toque",
}
LICENCE = {"title": "Licence Ouverte 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte"}


@pytest.fixture(scope="module")
def features(built_site: Path) -> dict[str, dict]:
    data = json.loads((built_site / "ouverts-pendant-la-crise.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    return {f["properties"]["slug"]: f for f in data["features"]}


@pytest.fixture(scope="module")
def table(built_site: Path) -> dict[str, dict[str, str]]:
    text = (built_site / "ouverts-pendant-la-crise.csv").read_text(encoding="utf-8")
    return {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_crisis_files_list_the_crisis_pages_entries(built_site, features, table):
    assert set(features) == set(table) == LISTED
    page = (built_site / "ouverts-pendant-la-crise" / "index.html").read_text(encoding="utf-8")
    for slug in LISTED:
        assert f"/pros/{slug}/" in page, slug


def test_an_adapted_pro_with_osm_covid_keys(features):
    feature = features["la-drole-d-epicerie"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [0.1467, 45.6513]}
    tags = feature["properties"]
    assert {k: v for k, v in tags.items() if ":covid19" in k} == {
        "opening_hours:covid19": "Tu,Th,Sa 09:00-12:00", "access:covid19": "yes",
        "delivery:covid19": "yes", "takeaway:covid19": "no", "pickup:covid19": "yes",
        "drive_through:covid19": "no",
        "description:covid19": "Trois clients à la fois dans la boutique. Commande la veille "
                               "avant 18 h, retrait le lendemain matin ; livraison à vélo dans "
                               "Angoulême le jeudi pour les personnes âgées ou malades.",
        "phone:covid19": "+33 6 31 48 72 05", "check_date:opening_hours:covid19": "2020-03-21"}
    assert tags["name"] == "La Drôle d'Épicerie"
    assert tags["opening_hours"] == "Tu-Sa 09:00-12:30,14:30-19:00; PH off"
    assert tags["check_date"] == "2020-03-21"
    assert (tags["statut"], tags["statut_libelle"], tags["a_confirmer"]) == (
        "horaires_adaptes", "Ouvert, horaires adaptés", False)
    assert [b["nom"] for b in tags["paniers"]] == ["Panier légumes de saison",
                                                  "Panier épicerie de base"]
    assert tags["paniers"][0]["prix"] == 15 and tags["paniers"][0]["commande_avant"] == (
        "mercredi 18 h")
    assert [g["slug"] for g in tags["depot_vente_de"]] == ["chevrerie-des-brandes",
                                                          "le-potager-de-fleac"]


def test_a_service_kept_after_the_crisis_has_its_plain_key(features, table):
    tags = features["la-drole-d-epicerie"]["properties"]
    assert tags["delivery"] == "yes"
    assert "pickup" not in tags and "takeaway" not in tags and "drive_through" not in tags
    assert table["la-drole-d-epicerie"]["delivery"] == "yes"
    assert table["la-drole-d-epicerie"]["pickup"] == ""
    others = [s for s, f in features.items() if "delivery" in f["properties"]]
    assert others == ["la-drole-d-epicerie"]


def test_a_closed_pro_sold_by_hosts(features, table):
    chevrerie = features["chevrerie-des-brandes"]
    assert chevrerie["geometry"] is None  # no shop, its markets are suspended
    tags = chevrerie["properties"]
    assert tags["opening_hours:covid19"] == "off"
    assert tags["statut"] == "ferme"
    assert [h["slug"] for h in tags["vendu_chez"]] == ["la-drole-d-epicerie",
                                                      "fromagerie-du-champ-de-mars"]
    assert tags["vendu_chez"][0]["url"] == "/pros/la-drole-d-epicerie/"
    assert "paniers" not in tags
    row = table["chevrerie-des-brandes"]
    assert row["vendu_chez"] == "la-drole-d-epicerie fromagerie-du-champ-de-mars"
    assert (row["latitude"], row["opening_hours:covid19"]) == ("", "off")


def test_baskets_and_pickup_only_in_the_csv(table):
    fleac = table["le-potager-de-fleac"]
    assert fleac["paniers"] == "Petit panier (12 €) | Grand panier (20 €)"
    assert (fleac["pickup:covid19"], fleac["delivery:covid19"], fleac["access:covid19"]) == (
        "only", "no", "no")
    assert fleac["vendu_chez"] == "la-drole-d-epicerie"
    assert fleac["phone:covid19"] == ""  # no order number; its private phone stays private


def test_osm_values_only(features):
    for slug, feature in features.items():
        tags = feature["properties"]
        for key in ("delivery", "takeaway", "pickup", "drive_through"):
            assert tags.get(f"{key}:covid19", "yes") in ("yes", "no", "only"), slug
            assert tags.get(key, "yes") == "yes", slug
        assert tags.get("access:covid19", "yes") in ("yes", "no"), slug


def test_lasting_services_are_the_crisis_services():
    assert typing.get_args(schema.Lasting) == fields.SERVICES
    assert fields.LABELS["crise.apres_la_crise"] == "Après la crise"


def test_an_unknown_lasting_service_is_refused_at_its_line(tmp_path):
    text = ("nom: Essai\ncategories: [epicerie]\nresume: Un essai.\ncrise:\n"
            "  livraison: oui\n  apres_la_crise: [livraison, velo]\n")
    assert problems_of(tmp_path, text) == [
        "pros/essai.yml:6: crise.apres_la_crise.1: valeur « velo » inconnue : livraison, "
        "a_emporter, retrait, drive"]


def test_the_format_schema_has_the_key():
    from conftest import ROOT

    published = json.loads((ROOT / "pros" / "schema.json").read_text(encoding="utf-8"))
    text = json.dumps(published, ensure_ascii=False)
    assert "apres_la_crise" in text and "Services que le pro garde après la crise" in text


@pytest.fixture(scope="module")
def calm_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with crisis mode off and another licence, built into the output folder of a
    crisis build (as `invoke build` does: output/ is kept)."""
    project = copy_project(tmp_path_factory.mktemp("calme") / "projet")
    out = project / "output"
    result = build_site(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "ouverts-pendant-la-crise.csv").exists()
    result = build_site(project, out, extra=("-e", "LABULLE_CRISIS_MODE=false",
                                             f"LABULLE_DATA_LICENCE={json.dumps(LICENCE)}"))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_crisis_mode_off_no_crisis_file_anywhere(calm_site):
    for name in ("ouverts-pendant-la-crise.geojson", "ouverts-pendant-la-crise.csv",
                 "paniers.ics", "donnees/ouverts-pendant-la-crise.schema.json"):
        assert not (calm_site / name).exists(), name
    catalogue = (calm_site / "donnees" / "catalogue.jsonld").read_text(encoding="utf-8")
    page = (calm_site / "donnees" / "index.html").read_text(encoding="utf-8")
    for text in (catalogue, page):
        assert "ouverts-pendant-la-crise" not in text and "paniers" not in text
    assert re.findall(r'href="/([^"]+)" download>', page) == [
        "pros.json", "pros.geojson", "pros.csv", "agenda.ics", "data/stats.json",
        "donnees/a-cartographier.geojson", "donnees/a-cartographier.csv"]


def test_the_licence_setting_is_everywhere(calm_site):
    catalogue = json.loads((calm_site / "donnees" / "catalogue.jsonld").read_text(encoding="utf-8"))
    licences = {d["dct:license"]["@id"] for s in catalogue["dcat:dataset"]
                for d in s["dcat:distribution"]}
    assert licences == {catalogue["dct:license"]["@id"]} == {LICENCE["url"]}
    schema_file = json.loads((calm_site / "donnees" / "pros.schema.json")
                             .read_text(encoding="utf-8"))
    assert schema_file["licenses"] == [{"title": LICENCE["title"], "path": LICENCE["url"]}]
    page = (calm_site / "donnees" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{LICENCE["url"]}">{LICENCE["title"]}</a>' in page


@pytest.mark.parametrize(("value", "message"), [
    ('{"title": "ODbL"}', "clé « url » manquante ou vide ; attendu : du texte entre guillemets"),
    ('{"title": "ODbL", "url": ""}',
     "clé « url » manquante ou vide ; attendu : du texte entre guillemets"),
    ('{"titre": "ODbL", "url": "https://x.org"}',
     "clé « titre » inconnue ; vouliez-vous dire « title » ?"),
    ('"ODbL"', "valeur 'ODbL' refusée ; attendu : un dictionnaire { … }"),
])
def test_a_wrong_licence_setting_is_refused_at_its_line(tmp_path, value, message):
    from labulle.source.settingscheck import check_settings

    (tmp_path / "pelicanconf.py").write_text(
        f'SITENAME = "Essai"\nLABULLE_DATA_LICENCE = {value}\n', encoding="utf-8")
    settings = {"LABULLE_DATA_LICENCE": ast.literal_eval(value)}
    problems = [str(p) for p in check_settings(settings, tmp_path, environ={})]
    assert problems == [f"pelicanconf.py:2: LABULLE_DATA_LICENCE: {message}"]
