"""Issue 14, point 1: how fresh every entry is (labulle/model/freshness.py), shown on the pro
page, marked in the lists and map popups, filtered without JavaScript (/pros/a-verifier/),
published as OpenStreetMap's check_date; a verifie_le in the future and thresholds in the wrong
order are refused in French."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from conftest import build_site, copy_project

from labulle.model.freshness import ago, freshness, months_between
from labulle.source import site
from labulle.source.schema import Pro
from labulle.source.settingscheck import check_settings

TODAY = date(2020, 3, 23)  # the sample's LABULLE_TODAY
#: One sample pro in each state as of 23 March 2020.
SAMPLE = {"fresh": "maison-soulat", "soon": "atelier-terre-de-touvre",
          "old": "l-aiguille-de-ruffec", "never": "repair-cafe-du-plateau"}


def pro(checked: date | None) -> Pro:
    return Pro(nom="Essai", categories=["epicerie"], resume="Un essai.", verifie_le=checked,
               slug="essai")


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- The rule ------------------------------------------------------------------------------

@pytest.mark.parametrize(("checked", "state", "months"), [
    (date(2020, 3, 23), "fresh", 0),
    (date(2020, 2, 24), "fresh", 0),     # 28 days: less than a month
    (date(2020, 2, 23), "fresh", 1),
    (date(2019, 6, 24), "fresh", 8),     # one day short of 9 months
    (date(2019, 6, 23), "soon", 9),      # 9 months to the day
    (date(2019, 3, 24), "soon", 11),
    (date(2019, 3, 23), "old", 12),      # 12 months to the day
    (date(2018, 1, 31), "old", 25),
    (None, "never", None),
])
def test_states_and_months_at_the_limits(checked, state, months):
    found = freshness(pro(checked), TODAY, (9, 12))
    assert (found.state, found.months, found.checked) == (state, months, checked)
    assert found.stale is (state in ("old", "never"))


def test_calendar_months_and_their_french_words():
    assert months_between(date(2020, 1, 31), date(2020, 2, 29)) == 0  # no 31 February
    assert months_between(date(2020, 1, 31), date(2020, 3, 1)) == 1
    assert months_between(date(2020, 4, 1), TODAY) == 0  # later than today: 0, never < 0
    assert [ago(0), ago(1), ago(14)] == ["il y a moins d'un mois", "il y a 1 mois",
                                         "il y a 14 mois"]


def test_thresholds_come_from_the_settings():
    assert freshness(pro(date(2019, 12, 23)), TODAY, (3, 6)).state == "soon"
    assert freshness(pro(date(2019, 9, 23)), TODAY, (3, 6)).state == "old"


# --- The built sample ----------------------------------------------------------------------

def page_text(built_site: Path, path: str) -> str:
    return (built_site / path / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("state", "sentence"), [
    ("fresh", "Vérifié il y a moins d'un mois, le 20 mars 2020."),
    ("soon", "À revérifier bientôt : vérifié il y a 9 mois, le 20 juin 2019."),
    ("old", "Informations anciennes : vérifiées il y a 12 mois, le 15 mars 2019. "
            "Appelez avant de vous déplacer."),
    ("never", "Fiche jamais vérifiée par l'association. Appelez avant de vous déplacer."),
])
def test_each_state_on_its_pro_page(built_site, state, sentence):
    html = page_text(built_site, f"pros/{SAMPLE[state]}")
    note = re.search(r'<p class="freshness freshness-(\w+)"[^>]*>(.*?)</p>', html, re.S)
    assert note is not None
    assert (note.group(1), text_of(note.group(2))) == (state, sentence)


def test_stale_pages_carry_the_mark_under_their_name(built_site):
    marks = {state: re.findall(r'<p class="freshness-mark[^"]*">(.*?)</p>',
                               page_text(built_site, f"pros/{slug}"))
             for state, slug in SAMPLE.items()}
    assert marks == {"fresh": [], "soon": [],
                     "old": ["Informations anciennes (vérifiées il y a 12 mois)"],
                     "never": ["Fiche jamais vérifiée"]}


def marked(html: str) -> dict[str, str]:
    """Slug → the freshness mark of its list item, for every item of the page's pro lists."""
    items = re.findall(r'<li class="pro-item">(.*?)</li>\s*(?=<li class="pro-item">|</ul>)',
                       html, re.S)
    found = {}
    for item in items:
        slug = re.search(r'href="[^"]*/pros/([a-z0-9-]+)/"', item).group(1)
        mark = re.search(r'<p class="freshness-mark[^"]*">(.*?)</p>', item)
        found[slug] = mark.group(1) if mark else ""
    return found


@pytest.mark.parametrize("path", ["pros", "pros/categorie/associations",
                                  "pros/commune/ruffec", "pros/commune/soyaux"])
def test_lists_mark_only_the_stale_entries(built_site, path):
    found = marked(page_text(built_site, path))
    assert found, path
    stale = {slug: mark for slug, mark in found.items() if mark}
    expected = {SAMPLE["old"]: "Informations anciennes (vérifiées il y a 12 mois)",
                SAMPLE["never"]: "Fiche jamais vérifiée"}
    assert stale == {slug: expected[slug] for slug in found if slug in expected}


def test_the_commune_and_category_lists_show_the_sample_marks(built_site):
    assert marked(page_text(built_site, "pros/commune/ruffec"))[SAMPLE["old"]] == (
        "Informations anciennes (vérifiées il y a 12 mois)")
    category = json.loads((built_site / "pros.json").read_text(encoding="utf-8"))
    repair = next(p for p in category["pros"] if p["slug"] == SAMPLE["never"])
    assert marked(page_text(built_site, f"pros/categorie/{repair['categorie']}"))[
        SAMPLE["never"]] == "Fiche jamais vérifiée"


def test_filter_without_javascript_lists_soon_old_never_most_urgent_first(built_site):
    html = page_text(built_site, "pros/a-verifier")
    assert "<script" not in html.split("</header>", 1)[1].split("<footer", 1)[0]
    sections = re.findall(r'<h2 id="(\w+)" tabindex="-1">(.*?)</h2>(.*?)</section>', html, re.S)
    assert [(state, title) for state, title, _ in sections] == [
        ("old", "Informations anciennes"), ("never", "Jamais vérifiée"),
        ("soon", "À revérifier bientôt")]
    listed = {state: set(marked(body)) for state, _, body in sections}
    assert listed == {"old": {SAMPLE["old"]}, "never": {SAMPLE["never"]},
                      "soon": {SAMPLE["soon"]}}
    published = len(json.loads((built_site / "pros.json").read_text("utf-8"))["pros"])
    assert (f"3 fiches sur {published} n'ont pas été vérifiées par l'association depuis plus "
            "de 9 mois, ou jamais.") in text_of(html)
    directory = page_text(built_site, "pros")
    assert '<a href="/pros/a-verifier/">Fiches à revérifier</a>' in directory


def test_pro_pages_give_the_search_a_freshness_filter(built_site):
    for state, words in (("fresh", "vérifiée"), ("never", "jamais vérifiée")):
        html = page_text(built_site, f"pros/{SAMPLE[state]}")
        assert f'data-pagefind-filter="vérification:{words}"' in html


def test_map_popups_mark_the_stale_entries(built_site):
    data = json.loads((built_site / "carte" / "carte-donnees.json").read_text(encoding="utf-8"))
    rows = {slug: values["verif"] for slug, values in data["pros"].items()}
    assert rows[SAMPLE["fresh"]] == "il y a moins d'un mois"
    assert rows[SAMPLE["soon"]] == "il y a 9 mois"
    assert rows[SAMPLE["old"]] == ('<span class="lb-stale">⚠ il y a 12 mois '
                                   '(informations anciennes)</span>')
    assert rows[SAMPLE["never"]] == '<span class="lb-stale">⚠ jamais</span>'
    assert ["verif", "Fiche vérifiée"] in data["popup"]  # the popup row's label


# --- Open data -----------------------------------------------------------------------------

def test_geojson_has_check_date_and_the_currency_check_date(built_site):
    features = json.loads((built_site / "pros.geojson").read_text(encoding="utf-8"))["features"]
    props = {f["properties"]["slug"]: f["properties"] for f in features}
    old = props[SAMPLE["old"]]
    assert old["check_date"] == old["check_date:currency:XLT-BULE"] == "2019-03-15"
    never = props[SAMPLE["never"]]
    assert "check_date" not in never and "check_date:currency:XLT-BULE" not in never


def test_json_and_csv_say_the_state_in_words(built_site):
    pros = json.loads((built_site / "pros.json").read_text(encoding="utf-8"))["pros"]
    states = {p["slug"]: (p["verifie_le"], p["verification"]) for p in pros}
    assert states[SAMPLE["soon"]] == ("2019-06-20", "à revérifier bientôt")
    assert states[SAMPLE["never"]] == (None, "jamais vérifiée")
    rows = list(csv.DictReader(io.StringIO((built_site / "pros.csv").read_text("utf-8"))))
    row = next(r for r in rows if r["slug"] == SAMPLE["old"])
    assert (row["verifie_le"], row["verification"]) == ("2019-03-15", "informations anciennes")


# --- Bad input -----------------------------------------------------------------------------

def test_verifie_le_in_the_future_is_refused_at_its_line(tmp_path):
    root = copy_project(tmp_path / "site")
    path = root / "pros" / f"{SAMPLE['fresh']}.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = lines.index("verifie_le: 2020-03-20") + 1
    lines[number - 1] = "verifie_le: 2021-01-01"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    built = build_site(root, out)
    assert built.returncode == 1
    assert (f"pros/{SAMPLE['fresh']}.yml:{number}: verifie_le: date dans le futur (2021-01-01, "
            "après le 2020-03-23, date de référence du site) : une vérification ne peut pas "
            "être à venir") in built.stderr
    assert "Traceback" not in built.stderr
    assert not (out / "pros").exists()  # nothing written


def test_crisis_verifie_le_in_the_future_is_refused_too(tmp_path):
    root = copy_project(tmp_path / "site")
    data = site.load(root, {"LABULLE_TODAY": "2020-03-23"})
    assert data.problems == []
    path = root / "pros" / "plomberie-touvre-services.yml"
    text = path.read_text(encoding="utf-8").replace("  verifie_le: 2020-03-20",
                                                     "  verifie_le: 2020-03-24")
    path.write_text(text, encoding="utf-8")
    number = text.splitlines().index("  verifie_le: 2020-03-24") + 1
    problems = [str(p) for p in site.load(root, {"LABULLE_TODAY": "2020-03-23"}).problems]
    assert problems == [
        f"pros/plomberie-touvre-services.yml:{number}: crise.verifie_le: date dans le futur "
        "(2020-03-24, après le 2020-03-23, date de référence du site) : une vérification ne "
        "peut pas être à venir"]


def test_a_threshold_that_is_not_a_number_of_months():
    problems = check_settings({"LABULLE_FRESH_MONTHS": "9 mois"}, None, environ={})
    assert [str(p) for p in problems] == [
        "(réglages):1: LABULLE_FRESH_MONTHS: valeur '9 mois' refusée ; attendu : un nombre "
        "entier positif"]


@pytest.mark.parametrize(("fresh", "outdated"), [(12, 12), (15, 12)])
def test_thresholds_in_the_wrong_order(fresh, outdated):
    problems = check_settings({"LABULLE_FRESH_MONTHS": fresh,
                               "LABULLE_OUTDATED_MONTHS": outdated}, None, environ={})
    assert [str(p) for p in problems] == [
        f"(réglages):1: LABULLE_FRESH_MONTHS: {fresh} mois, il en faut moins que "
        f"LABULLE_OUTDATED_MONTHS ({outdated} mois) : une fiche est « à revérifier bientôt » "
        "avant d'avoir des « informations anciennes »"]


def test_thresholds_in_the_wrong_order_stop_the_build_at_their_line(tmp_path):
    root = copy_project(tmp_path / "site")
    conf = root / "pelicanconf.py"
    text = conf.read_text(encoding="utf-8") + "LABULLE_OUTDATED_MONTHS = 6\n"
    conf.write_text(text, encoding="utf-8")
    line = len(text.splitlines())
    built = build_site(root, tmp_path / "out")
    assert built.returncode == 1
    assert (f"pelicanconf.py:{line}: LABULLE_OUTDATED_MONTHS: 6 mois, il en faut plus que "
            "LABULLE_FRESH_MONTHS (9 mois) : une fiche est « à revérifier bientôt » avant "
            "d'avoir des « informations anciennes »") in built.stderr
    assert "Traceback" not in built.stderr
    assert not (tmp_path / "out" / "pros").exists()
    shutil.rmtree(root)
