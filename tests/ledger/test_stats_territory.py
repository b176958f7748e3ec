"""Issue 16, point 3 in the ledger: payments residents → pros and between pros, reuse and
reconversion rates, payments per commune (never a cell under five pros), and ``verify``
recomputing them by a second path.

The books are the README's treasurer month, run as written, plus a month of the network:
twelve more pros in Cognac (with the README's Fournil: 6 pros), Angoulême (5) and Jarnac (2),
payments from residents, payments between pros, reconversions and a reversed payment.
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from labulle.ledger.cli import cli
from labulle.ledger.territory import cells
from ledger.history import history
from ledger.test_docs import runnable_blocks, treasurer_section

PROS = {
    "Cognac": [f"cognac-{n}" for n in range(1, 6)],
    "Angoulême": [f"angou-{n}" for n in range(1, 6)],
    "Jarnac": ["jarnac-1", "jarnac-2"],
}
# After the README: alice 35,00, bob 87,50, charlotte 30,00, fournil 7,50 Bulles.
APRIL = [
    *[("pay", "bob", pro, "5,00") for pro in PROS["Cognac"]],
    *[("pay", "bob", pro, "4,00") for pro in PROS["Angoulême"]],
    *[("pay", "bob", pro, "3,00") for pro in PROS["Jarnac"]],
    ("pay", "alice", "fournil", "20,00"),
    ("pay", "charlotte", "angou-1", "10,00"),
    ("pay", "fournil", "cognac-1", "12,00"),   # between pros
    ("pay", "cognac-1", "angou-1", "8,00"),
    ("pay", "angou-1", "jarnac-1", "6,00"),
    ("reconvert", "angou-1", "10,00"),
    ("reconvert", "fournil", "5,00"),
]


def readme_month(home: Path) -> Path:
    """The README's treasurer section run as written with HOME=home; the ledger's path."""
    script = "set -euo pipefail\n" + "\n".join(runnable_blocks(treasurer_section()))
    env = {**os.environ, "HOME": str(home),
           "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    env.pop("BULLE_LEDGER_DB", None)
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return home / "bulle-pilote" / "ledger.sqlite3"


def territory_books(home: Path) -> Path:
    """The README's month, then April 2025 in the network (see the module's docstring)."""
    db = readme_month(home)
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--db", str(db), *args], prog_name="bulle-ledger")
        assert result.exit_code == 0, (args, result.output)
        return result.output

    for commune, pros in PROS.items():
        for pro in pros:
            run("account", "open", pro, "--name", pro.title(), "--kind", "pro", "--pro",
                f"{pro}-fiche", "--commune", commune)
    for args in APRIL:
        run(*args, "--date", "2025-04-15")
    paid = run("pay", "bob", "jarnac-2", "1,00", "--date", "2025-04-20")
    entry = re.search(r"écriture (\d+)", paid)[1]
    run("reverse", entry, "--memo", "erreur de montant", "--date", "2025-05-02")
    return db


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return territory_books(tmp_path_factory.mktemp("tresoriere"))


@pytest.fixture
def copy(books: Path, tmp_path: Path) -> Path:
    """A copy of the books to tamper with."""
    target = tmp_path / "copie.sqlite3"
    sqlite3.connect(books).backup(sqlite3.connect(target))
    return target


def ledger(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], prog_name="bulle-ledger")


def test_stats_json_gives_the_exact_territory_figures(books: Path) -> None:
    result = ledger(books, "stats", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    march, april = data["monthly"]
    flows = ("resident_to_pro", "resident_to_pro_cents", "pro_to_pro", "pro_to_pro_cents",
             "reconversions_cents", "reuse_rate_bp", "reconversion_rate_bp")
    # March: Alice 35,00 and Bob 12,50 to the Fournil, which reconverts 40,00 of 47,50.
    assert [march[key] for key in flows] == [2, 4750, 0, 0, 4000, 0, 8421]
    # April: 14 payments (81,00) from residents, 3 between pros (26,00); 15,00 reconverted;
    # the reversed payment of 1,00 counts in no month. 2 600 / 10 700 = 24,30 %.
    assert [april[key] for key in flows] == [14, 8100, 3, 2600, 1500, 2430, 1402]
    # The whole books: 2 600 / 15 450 and 5 500 / 15 450.
    assert [data[key] for key in flows] == [16, 12850, 3, 2600, 5500, 1683, 3560]
    # Cognac: 6 pros; Angoulême's 5 join Jarnac's 2 in « autres communes » (2 < 5).
    assert data["communes"] == [
        {"commune": "Cognac", "pros": 6, "payments": 9, "payments_cents": 10450},
        {"commune": "autres communes", "pros": 7, "payments": 10, "payments_cents": 5000},
    ]
    text = result.output.lower()
    for secret in ("alice", "bob", "fournil", "cognac-", "angou-", "jarnac", "fr76", "@"):
        assert secret not in text


def test_stats_equal_a_plain_python_recomputation_from_the_entries(books: Path) -> None:
    """The stored totals (kept entry by entry), and the SQL verify recomputes them with,
    give what a third path, reading every line in Python, finds."""
    data = json.loads(ledger(books, "stats", "--json").output)
    series, communes = history(sqlite3.connect(books))
    assert data["monthly"] == series and data["communes"] == communes


def test_stats_says_the_territory_figures_in_french(books: Path) -> None:
    result = ledger(books, "stats")
    assert result.exit_code == 0, result.output
    assert (
        "Paiements des habitants aux pros : 16 (128,50 Bulles) ; entre pros : 3 (26,00 Bulles)\n"
        "Des Bulles reçues par les pros : 16,83 % dépensées chez d'autres pros, 35,60 % "
        "reconverties en euros\n"
        "Paiements reçus par commune (jamais moins de cinq pros par case) :\n"
        "  Cognac : 6 pros, 9 paiement(s), 104,50 Bulles\n"
        "  autres communes : 7 pros, 10 paiement(s), 50,00 Bulles\n"
    ) in result.output


def test_verify_recomputes_the_figures_and_says_so(books: Path) -> None:
    result = ledger(books, "verify")
    assert (result.exit_code, result.output) == (0, (
        "Grand livre cohérent : 33 écriture(s), chaîne de hachage intacte.\n"
        "Chiffres publiés (stats --json) recalculés depuis les écritures par un second "
        "calcul : identiques.\n"))


def test_verify_names_a_tampered_payment_figure(copy: Path) -> None:
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE month_totals SET cents = cents + 100 WHERE measure = 'payment-pro-pro'")
    conn.commit()
    result = ledger(copy, "verify")
    assert (result.exit_code, result.output) == (1, (
        "- le total mensuel « paiements entre pros » de 2025-04 ne correspond pas à "
        "l'historique\n"
        "Erreur : Grand livre incohérent : 1 problème(s).\n"))


def test_verify_names_a_tampered_commune_figure(copy: Path) -> None:
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE month_totals SET cents = cents + 5000"
                 " WHERE measure = 'received:jarnac-1'")
    conn.commit()
    result = ledger(copy, "verify")
    assert (result.exit_code, result.output) == (1, (
        "- le total mensuel « paiements reçus par le pro jarnac-1 » de 2025-04 ne correspond "
        "pas à l'historique\n"
        "Erreur : Grand livre incohérent : 1 problème(s).\n"))


def test_a_missing_payment_total_is_named(copy: Path) -> None:
    conn = sqlite3.connect(copy)
    conn.execute("DELETE FROM month_totals WHERE measure = 'payment-member-pro'"
                 " AND month = '2025-03'")
    conn.commit()
    result = ledger(copy, "verify")
    assert (result.exit_code, result.output) == (1, (
        "- le total mensuel « paiements des habitants aux pros » de 2025-03 ne correspond pas "
        "à l'historique\n"
        "Erreur : Grand livre incohérent : 1 problème(s).\n"))


def test_a_pros_commune_is_changed_and_refused_in_french(copy: Path) -> None:
    moved = ledger(copy, "account", "commune", "angou-1", "  Cognac ")
    assert (moved.exit_code, moved.output) == (0, "Commune du compte pro « angou-1 » : Cognac.\n")
    data = json.loads(ledger(copy, "stats", "--json").output)
    # Cognac now has 7 pros; Angoulême's 4 others and Jarnac's 2 make « autres communes ».
    assert [(c["commune"], c["pros"]) for c in data["communes"]] == [
        ("Cognac", 7), ("autres communes", 6)]
    for args, message in [
        (("account", "commune", "bob", "Cognac"),
         "Erreur : « bob » n'est pas un compte pro : seule la commune d'un pro est enregistrée "
         "(pour les chiffres par commune)\n"),
        (("account", "commune", "fournil", "16100"),
         "Erreur : Commune invalide « 16100 » : écrivez-la comme sur la fiche du pro (lettres, "
         "espaces, tirets et apostrophes, 100 caractères au plus)\n"),
        (("account", "commune", "personne", "Cognac"), "Erreur : Compte inconnu : « personne »\n"),
        (("account", "open", "zoe", "--name", "Zoé", "--kind", "member", "--commune", "Cognac"),
         "Erreur : « zoe » n'est pas un compte pro : seule la commune d'un pro est enregistrée "
         "(pour les chiffres par commune)\n"),
    ]:
        result = ledger(copy, *args)
        assert (result.exit_code, result.output) == (1, message)
    assert ledger(copy, "balance", "zoe").exit_code == 1  # the refused account was not opened


@pytest.mark.parametrize(("pros", "expected"), [
    # fewer than five pros in all: nothing per commune
    ([("A", 1, 100)] * 4, []),
    # five pros of one commune: one named cell, nothing else
    ([("A", 1, 100)] * 5, [("A", 5, 500)]),
    # small communes merged; « autres communes » reaches five on its own
    ([("A", 1, 100)] * 5 + [("B", 1, 10)] * 3 + [("C", 2, 20)] * 2 + [(None, 1, 1)],
     [("A", 5, 500), ("autres communes", 6, 71)]),
    # « autres communes » under five: the named commune with the fewest pros joins it
    ([("A", 1, 100)] * 6 + [("B", 1, 50)] * 5 + [("C", 1, 1)],
     [("A", 6, 600), ("autres communes", 6, 251)]),
    # a pro who received nothing (net of reversals) is not counted
    ([("A", 1, 100)] * 4 + [("A", 0, 0)], []),
])
def test_no_commune_cell_under_five_pros(pros, expected) -> None:
    assert [(c["commune"], c["pros"], c["payments_cents"]) for c in cells(pros)] == expected
