"""The digital Bulle's pages: the transparency page from the stats file, and its refusals.

The public stats file must hold the ledger's aggregates only: a name, an email address, an
IBAN or any key outside the allow-list stops the build (and `invoke check`) with
`content/data/stats.json:<line>: <key>: <message>`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, build_site, copy_project
from ledger.test_stats_territory import territory_books

from labulle.ledger.cli import cli as ledger_cli
from labulle.ledger.statements.synthetic import Move, nef_csv
from labulle.pages.bulle import add_months, amount
from labulle.pages.svgchart import nice_step, number_fr
from labulle.source import stats

STATS = "content/data/stats.json"


def html_of(out: Path, path: str) -> str:
    """The page's HTML, its runs of white space made single spaces."""
    return re.sub(r"[ \t\r\n]+", " ", (out / path / "index.html").read_text(encoding="utf-8"))


# --- the sample site ---------------------------------------------------------------------------

def test_reserve_page_shows_the_sample_figures(built_site: Path):
    html = html_of(built_site, "reserve")
    assert "7\u202f730\u00a0Bulles" in html          # circulation
    assert "8\u202f159\u00a0€" in html                # euros on the reserve
    assert "dont 7\u202f730\u00a0€ pour les Bulles en circulation" in html
    assert ">100 %<" in html                          # coverage
    assert "Conversions en mai 2020" in html and "4\u202f010\u00a0€" in html
    assert "Reconversions en mai 2020" in html and "1\u202f250\u00a0Bulles" in html
    assert "29 mai 2020" in html                      # last reconciled statement
    assert "5f0c3a9e7b21d4c8a6e9f1b3d5c7a9e0b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2" in html
    # the chart: inline SVG, labelled, one pair of bars per month, and its data table
    assert '<svg class="chart"' in html and 'role="img"' in html
    assert 'aria-labelledby="reserve-chart-title reserve-chart-desc"' in html
    assert html.count('class="chart-bar chart-bar--bulles"') == 3 + 1  # 3 months + legend
    for month in ("mars 2020", "avril 2020", "mai 2020"):
        assert f'<th scope="row">{month}</th>' in html
    assert "<script" not in html.split('<main id="contenu"')[1].split("</main>")[0]


def test_bulle_pages_are_written(built_site: Path):
    page = html_of(built_site, "bulle-numerique")
    assert "La monnaie numérique est en cours de test" in page
    assert 'role="img" aria-labelledby="flux-title flux-steps"' in page
    assert page.count('<ol id="flux-steps"') == 1
    assert "BULLE votre-identifiant" in page and "frais de reconversion de 2 %" in page
    assert "du 2 mars 2020 au 31 août 2020" in page and "<details>" in page
    fiche = html_of(built_site, "bulle-numerique/fiche")
    assert "flux-svg--wide" in fiche and "bonjour@labulle16.fr" in fiche
    assert "Charte du test" in html_of(built_site, "bulle-numerique/charte")
    form = html_of(built_site, "bulle-numerique/inscription")
    assert ('action="mailto:bonjour@labulle16.fr'
            '?subject=%5BLa%20Bulle%5D%20Inscription%20au%20test"') in form
    assert 'enctype="text/plain"' in form
    assert "Jusqu’au 31 août 2021" in form            # 12 months after the pilot's end
    assert 'value="velo-toque">Vélo Toqué</option>' in form


def test_bulle_css_prints_one_a4_sheet():
    css = (ROOT / "theme/static/css/bulle.css").read_text(encoding="utf-8")
    assert "@page { size: A4 portrait;" in css


# --- building copies of the project -------------------------------------------------------

def test_without_stats_file_the_page_says_figures_will_come(tmp_path: Path):
    root = copy_project(tmp_path / "site")
    (root / STATS).unlink()
    out = tmp_path / "output"
    result = build_site(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    html = html_of(out, "reserve")
    assert "Les chiffres apparaîtront ici dès le début du test" in html
    assert "<svg class=\"chart\"" not in html


def test_stats_with_a_name_and_an_email_stop_the_build(tmp_path: Path):
    root = copy_project(tmp_path / "site")
    data = json.loads((root / STATS).read_text(encoding="utf-8"))
    data["monthly"][1]["nom"] = "Marie Dupont"
    data["chain_head"] = "marie.dupont@example.org"
    (root / STATS).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    lines = (root / STATS).read_text(encoding="utf-8").splitlines()
    name_line = next(i for i, line in enumerate(lines, 1) if '"nom"' in line)
    hash_line = next(i for i, line in enumerate(lines, 1) if '"chain_head"' in line)
    out = tmp_path / "output"
    result = build_site(root, out)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert (f"{STATS}:{hash_line}: chain_head: une adresse électronique ne doit jamais être "
            "publiée : seuls des totaux sont permis") in output
    assert (f"{STATS}:{name_line}: monthly.1.nom: donnée personnelle interdite : le fichier des "
            "chiffres publics ne contient que des totaux (régénérez-le avec « bulle-ledger stats "
            "--json »)") in output
    assert "Traceback" not in output
    assert not (out / "reserve").exists()
    check = subprocess.run([sys.executable, "-m", "labulle.source.check", "--root", str(root)],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 1
    assert f"{STATS}:{name_line}: monthly.1.nom: donnée personnelle interdite" in check.stdout


# --- the allow-list, without building ------------------------------------------------------

def problems_of(text: str) -> list[str]:
    found = stats.check_text(textwrap.dedent(text))[1]
    return [f"{line}: {key}: {message}" for line, key, message in found]


SAMPLE = (ROOT / STATS).read_text(encoding="utf-8")


def test_sample_stats_file_is_accepted():
    data, problems = stats.check_text(SAMPLE)
    assert problems == [] and data is not None
    figures = stats.Stats.from_json(data)
    assert figures.coverage_text == "100 %"
    assert [m.month.month for m in figures.monthly] == [3, 4, 5]


@pytest.mark.parametrize(("edit", "expected"), [
    ('"entries": 412,', '"iban": "FR76 3000 4000 0500 0012 3456 789",\n  "entries": 412,'),
    ('"unit": "cents",', '"unit": "cents",\n  "total_membres": 3,'),
    ('"period_start": "2020-03-02"', '"period_start": "FR7630004000050000123456789"'),
    ('"reserve_available_cents": 773000', '"reserve_available_cents": 700000'),
    ('"entries": 412', '"entries": "beaucoup"'),
])
def test_refusals_name_the_line_and_the_key(edit: str, expected: str):
    text = SAMPLE.replace(edit, expected)
    lines = text.splitlines()
    problems = problems_of(text)
    assert len(problems) == 1, problems
    line, key, message = problems[0].split(": ", 2)
    assert key in lines[int(line) - 1]
    assert message.startswith(("donnée personnelle interdite", "clé non autorisée", "un IBAN",
                               "doit valoir", "valeur refusée"))


def test_coverage_under_100_percent_is_refused():
    text = (SAMPLE.replace('"reserve_cents": 815900', '"reserve_cents": 800000')
            .replace('"reserve_available_cents": 773000', '"reserve_available_cents": 757100'))
    assert problems_of(text) == [
        "8: reserve_available_cents: la réserve ne couvre pas toutes les Bulles en circulation "
        "(couverture inférieure à 100 %) : vérifiez le grand livre avec « bulle-ledger verify »"]


def test_invalid_json_gives_its_line():
    assert problems_of('{\n  "unit": "cents",\n  oops\n}') == [
        "3: json: JSON invalide : Expecting property name enclosed in double quotes (colonne 3)"]


def test_allow_list_matches_the_ledgers_real_stats_output(tmp_path: Path):
    """`bulle-ledger stats --json` on a real ledger with conversions passes the allow-list."""
    db = str(tmp_path / "ledger.sqlite3")
    statement = tmp_path / "nef.csv"
    statement.write_bytes(nef_csv("FR7630004000050000123456789", 0, [
        Move(date(2020, 3, 5), 5000, "VIR SEPA MARIE D BULLE marie"),
        Move(date(2020, 4, 2), 12000, "VIR SEPA FOURNIL BULLE-fournil"),
    ]).encode("latin-1"))
    runner = CliRunner()

    def ledger(*args: str) -> str:
        result = runner.invoke(ledger_cli, ["--db", db, *args], prog_name="bulle-ledger")
        assert result.exit_code == 0, result.output
        return result.output

    ledger("init")
    ledger("account", "open", "marie", "--name", "Marie", "--kind", "member")
    ledger("account", "open", "fournil", "--name", "Fournil", "--kind", "pro",
           "--pro", "au-fournil")
    ledger("import", str(statement))
    ledger("reconvert", "fournil", "20,00")
    output = ledger("stats", "--json")
    data, problems = stats.check_text(output)
    assert problems == [], problems
    assert set(json.loads(output)) == set(stats.SCHEMA)
    figures = stats.Stats.from_json(data)
    assert figures.circulation_cents == 15000 and len(figures.monthly) >= 2
    assert figures.coverage_text == "100 %"


# --- small helpers ----------------------------------------------------------------------------

def test_amounts_and_dates_in_french():
    assert amount(773000) == "7\u202f730\u00a0€"
    assert amount(815950, "Bulles") == "8\u202f159,50\u00a0Bulles"
    assert number_fr(12500) == "12\u202f500"
    assert nice_step(8159) == 2500 and nice_step(90) == 25
    assert add_months(date(2020, 8, 31), 12) == date(2021, 8, 31)
    assert add_months(date(2020, 1, 31), 1) == date(2020, 2, 29)


# --- what the Bulle does for the territory (issue 16, point 3) -------------------------------

def build_with_stats(tmp_path: Path, text: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    root = copy_project(tmp_path / "site")
    (root / STATS).write_text(text, encoding="utf-8")
    out = tmp_path / "output"
    return build_site(root, out), out


def test_reserve_page_shows_the_ledgers_territory_figures(tmp_path: Path):
    """The README's month plus a month of the network, through stats --json, on /reserve/."""
    db = territory_books(tmp_path / "tresoriere")
    figures = CliRunner().invoke(ledger_cli, ["--db", str(db), "stats", "--json"])
    assert figures.exit_code == 0, figures.output
    result, out = build_with_stats(tmp_path, figures.output)
    assert result.returncode == 0, result.stdout + result.stderr
    html = html_of(out, "reserve")
    nb = "\u00a0"
    assert (f"Depuis le début : 128,50{nb}Bulles payées par les habitants aux pros "
            f"(16 paiements) et 26{nb}Bulles payées entre pros (3 paiements)") in html
    assert (f"Depuis le début : <strong>16,8{nb}%</strong> dépensées chez d’autres pros, "
            f"<strong>35,6{nb}%</strong> reconverties en euros.") in html
    assert (f'<th scope="row">mars 2025</th> <td>47,50{nb}B (2)</td> <td>0{nb}B (0)</td>'
            in html)
    assert (f'<th scope="row">avril 2025</th> <td>81{nb}B (14)</td> <td>26{nb}B (3)</td>'
            in html)
    assert (f'<th scope="row">mars 2025</th> <td>47,50{nb}B</td> <td>0{nb}%</td>'
            f"<td>84,2{nb}%</td>") in html
    assert (f'<th scope="row">avril 2025</th> <td>107{nb}B</td> <td>24,3{nb}%</td>'
            f"<td>14{nb}%</td>") in html
    assert f'<th scope="row">Cognac</th><td>6</td><td>9</td> <td>104,50{nb}B</td>' in html
    assert f'<th scope="row">autres communes</th><td>7</td><td>10</td> <td>50{nb}B</td>' in html
    for chart in ("paiements-chart", "reutilisation-chart", "communes-chart"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
    assert f"<title>Cognac : 104,5{nb}Bulles</title>" in html
    for secret in ("Jarnac", "Angoulême", "angou-", "jarnac-", "fournil", "Alice"):
        assert secret not in html
    assert "pas encore disponibles" not in html


OLD_KEYS = ("resident_to_pro", "resident_to_pro_cents", "pro_to_pro", "pro_to_pro_cents",
            "reuse_rate_bp", "reconversion_rate_bp", "communes")


@pytest.mark.parametrize(("keep_communes", "later", "communes_text"), [
    (False, 3, None),   # a file from a ledger before issue 16
    (True, 0, "Moins de 5 pros ont reçu des paiements : les chiffres par commune paraîtront"),
])
def test_stats_without_the_new_figures_builds_and_says_so(tmp_path: Path, keep_communes,
                                                          later, communes_text):
    data = json.loads(SAMPLE)
    for row in (data, *data["monthly"]):
        for key in OLD_KEYS if not keep_communes else ():
            row.pop(key, None)
    if keep_communes:
        data["communes"] = []   # fewer than five pros paid in all
    result, out = build_with_stats(tmp_path, json.dumps(data, indent=2, ensure_ascii=False))
    assert result.returncode == 0, result.stdout + result.stderr
    html = html_of(out, "reserve")
    assert html.count("Ces chiffres ne sont pas encore disponibles") == later
    assert ("paiements-chart-title" in html) is keep_communes
    assert "communes-chart-title" not in html
    assert 'aria-labelledby="reserve-chart-title reserve-chart-desc"' in html
    if communes_text:
        assert communes_text in html


def test_a_commune_cell_under_five_pros_stops_the_build_at_its_line(tmp_path: Path):
    text = (SAMPLE.replace('"commune": "autres communes",\n      "pros": 7,',
                           '"commune": "Jarnac",\n      "pros": 4,')
            .replace('"commune": "Angoulême"', '"commune": "Marie Dupont"'))
    lines = text.splitlines()
    line = lines.index('      "pros": 4,') + 1
    name_line = lines.index('      "commune": "Marie Dupont",') + 1
    result, out = build_with_stats(tmp_path, text)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert (f"{STATS}:{line}: communes.1.pros: moins de 5 pros dans la case « Jarnac » (4) : "
            "aucun chiffre ne doit permettre de lire celui d'un pro ; régénérez le fichier avec "
            "« bulle-ledger stats --json », qui regroupe les petites communes dans « autres "
            "communes »") in output
    # a name that is no pro's commune (a person, an account) is refused too
    assert (f"{STATS}:{name_line}: communes.0.commune: « Marie Dupont » n'est la commune "
            "d'aucune fiche pro : une case ne nomme qu'une commune où sont des pros (écrite "
            "comme sur leur fiche) ou « autres communes » ; corrigez-la avec « bulle-ledger "
            "account commune » puis régénérez le fichier") in output
    assert "Traceback" not in output
    assert not (out / "reserve").exists()


@pytest.mark.parametrize(("edit", "expected"), [
    ('"commune": "Angoulême",', '"commune": "marie.dupont@example.org",'),
    ('"commune": "Angoulême",', '"commune": "Angoulême",\n      "compte": "fournil",'),
    ('"commune": "Angoulême",', '"commune": "16000 Angoulême",'),
    ('"reuse_rate_bp": 1768,', '"reuse_rate_bp": -5,'),
    ('"pros": 6,', ''),   # a cell without its count of pros
])
def test_commune_cells_and_rates_refusals_name_the_line(edit: str, expected: str):
    text = SAMPLE.replace(edit, expected)
    lines = text.splitlines()
    problems = problems_of(text)
    assert len(problems) == 1, problems
    line, key, message = problems[0].split(": ", 2)
    assert key.rsplit(".", 1)[-1] in lines[int(line) - 1] or key == "communes.0"
    assert message.startswith(("une adresse électronique", "donnée personnelle interdite",
                               "clé obligatoire absente : pros",
                               "valeur refusée : un nom de commune",
                               "valeur refusée : un taux en points de base"))


def test_reserve_page_at_375_px_is_accessible(page, site_url, axe):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site_url}/reserve/", wait_until="load")
    for heading in ("Paiements des habitants aux pros et entre pros",
                    "Dépensées chez d’autres pros, ou reconverties en euros",
                    "Paiements reçus par commune"):
        assert page.get_by_role("heading", name=heading).is_visible()
    for chart in ("Paiements en Bulles numériques, chaque mois",
                  "Ce que les pros font des Bulles reçues, chaque mois",
                  "Bulles numériques reçues par les pros de chaque commune"):
        assert page.get_by_role("img", name=chart).is_visible()
    assert page.get_by_role("table", name="Paiements reçus par les pros de chaque commune"
                            ).get_by_role("row").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.errors == []
    violations = axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
