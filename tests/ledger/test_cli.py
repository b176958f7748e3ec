"""The CLI: French help, exact French refusals, exit status 0 / 1 / 2, nothing changed."""

import json
import sqlite3
import subprocess
import sys

import pytest

from labulle.ledger.cli import cli
from ledger.helpers import SAMPLES


def counts(path) -> tuple:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT (SELECT COUNT(*) FROM entries), (SELECT COUNT(*) FROM bank_lines),"
            " (SELECT COUNT(*) FROM payouts), (SELECT COUNT(*) FROM accounts)"
        ).fetchone()
    finally:
        conn.close()


@pytest.fixture
def funded(run, ledger_path):
    """alice 50,00 and bob 50,00 + 30,00 from the March CSV (charlotte's line unmatched)."""
    assert run("import", str(SAMPLES / "nef-2025-03.csv")).exit_code == 0
    return ledger_path


def test_every_command_has_french_help(run) -> None:
    commands = (
        [["--help"]] + [[name, "--help"] for name in cli.commands] + [["account", "open", "--help"]]
    )
    for args in commands:
        result = run(*args)
        assert result.exit_code == 0, args
        assert result.output.startswith("Utilisation : bulle-ledger"), args
        assert "Afficher cette aide et quitter." in result.output
        assert "Show this message" not in result.output


def test_import_reports_in_french(run) -> None:
    result = run("import", str(SAMPLES / "nef-2025-03.csv"))
    assert result.exit_code == 0
    assert result.output == (
        "1 relevé(s) importé(s), 0 déjà connu(s) ; 5 ligne(s) : "
        "3 conversion(s), 0 reconversion(s) payée(s), 2 à rapprocher.\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("pay", "alice", "bob", "100"),
            "Erreur : Solde insuffisant : « alice » a 90,00 Bulles, il en faudrait 100,00\n",
        ),
        (("pay", "alice", "zoe", "5"), "Erreur : Compte inconnu : « zoe »\n"),
        (
            ("pay", "alice", "alice", "5"),
            "Erreur : Paiement refusé : le payeur et le bénéficiaire sont le même compte\n",
        ),
        (
            ("reconvert", "alice", "5"),
            "Erreur : Reconversion refusée : « alice » est un compte de membre ; seuls les comptes "
            "pro peuvent reconvertir des Bulles en euros\n",
        ),
        (
            ("reconvert", "fournil", "5"),
            "Erreur : Solde insuffisant : « fournil » a 0,00 Bulles, il en faudrait 5,00\n",
        ),
        (("balance", "zoe"), "Erreur : Compte inconnu : « zoe »\n"),
        (("assign", "99", "alice"), "Erreur : Ligne bancaire inconnue : 99\n"),
        (("assign", "1", "bob"), "Erreur : La ligne bancaire 1 est déjà rapprochée (écriture 2)\n"),
        (
            ("assign", "4", "alice"),
            "Erreur : Aucune reconversion de 3,50 € en attente pour « alice »\n",
        ),
        (("reverse", "77"), "Erreur : Écriture inconnue : 77\n"),
        (("reverse", "1"), "Erreur : Le solde d'ouverture d'un relevé ne s'annule pas\n"),
        (
            ("account", "open", "alice", "--name", "A", "--kind", "member"),
            "Erreur : Le compte « alice » existe déjà\n",
        ),
        (
            ("account", "open", "boulange", "--name", "B", "--kind", "pro"),
            "Erreur : Un compte pro doit nommer sa fiche avec --pro SLUG\n",
        ),
    ],
)
def test_refusals_exit_1_with_one_french_sentence_and_change_nothing(
    run, funded, args, message
) -> None:
    assert run("pay", "bob", "alice", "20").exit_code == 0
    before = counts(funded)
    result = run(*args)
    assert (result.exit_code, result.output) == (1, message)
    assert counts(funded) == before


@pytest.mark.parametrize(
    "amount, reason",
    [
        ("12,5,0", "écrivez par exemple 12,50 ou 12.50"),
        ("abc", "écrivez par exemple 12,50 ou 12.50"),
        ("1 000", "écrivez par exemple 12,50 ou 12.50"),
        ("12.505", "écrivez par exemple 12,50 ou 12.50"),
        ("", "écrivez par exemple 12,50 ou 12.50"),
        ("0", "il doit être supérieur à zéro"),
        ("0,00", "il doit être supérieur à zéro"),
    ],
)
def test_malformed_amount_is_a_usage_error(run, funded, amount, reason) -> None:
    before = counts(funded)
    result = run("pay", "alice", "bob", amount)
    assert result.exit_code == 2
    assert result.output.endswith(
        f"Erreur : Valeur invalide pour 'AMOUNT' : montant invalide « {amount} » : {reason}\n"
    )
    assert result.output.startswith(
        "Utilisation : bulle-ledger pay [OPTIONS] FROM TO AMOUNT\n"
        "Essayez « bulle-ledger pay --help » pour l'aide.\n"
    )
    assert counts(funded) == before


def test_amounts_with_comma_or_dot(run, funded) -> None:
    assert run("pay", "alice", "fournil", "12,5").output == (
        "Paiement enregistré (écriture 5) : 12,50 Bulles de « alice » à « fournil ».\n"
    )
    assert run("pay", "alice", "fournil", "0.25").exit_code == 0
    assert run("balance", "fournil").output == "fournil (Fournil) : 12,75 Bulles\n"


def test_usage_errors_exit_2_in_french(run) -> None:
    result = run("pay", "alice", "bob", "-3")
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        2,
        "Erreur : option inconnue : '-3'.",
    )
    result = run("pay", "alice")
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        2,
        "Erreur : argument manquant 'TO'.",
    )
    result = run("frobnicate")
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        2,
        "Erreur : commande inconnue : 'frobnicate'.",
    )


def test_statement_that_does_not_add_up_refused_via_cli(run, funded, tmp_path) -> None:
    bad = tmp_path / "avril.csv"
    bad.write_bytes(
        '"Date opération","Date Valeur","Référence","Montant","Solde","Libellé"\r\n'
        '"01/04/2025","01/04/2025","X1","10,00","1 156,50","BULLE ALICE"\r\n'
        '"02/04/2025","02/04/2025","X2","10,00","1 176,50","BULLE BOB"\r\n'.encode("latin-1")
    )
    before = counts(funded)
    result = run("import", str(bad))
    assert result.exit_code == 1
    assert result.output == (
        f"Erreur : {bad}:3 : le solde de la ligne ne correspond pas au solde précédent plus le "
        "montant : relevé refusé en entier\n"
    )
    assert counts(funded) == before


def test_reconversion_fee_and_settlement(run, funded) -> None:
    assert run("pay", "alice", "fournil", "40").exit_code == 0
    result = run("reconvert", "fournil", "33,33")
    assert result.output == (
        "Reconversion 1 : 33,33 Bulles, commission 0,67 €, virement à "
        "faire : 32,66 € avec le libellé « BULLE fournil ».\n"
    )
    report = run("report").output
    assert "n°1 du " in report and "32,66 € à « fournil »" in report


def test_reverse_a_payment_then_refuse_twice(run, funded) -> None:
    assert run("pay", "alice", "bob", "10").output.startswith("Paiement enregistré (écriture 5)")
    assert run("reverse", "5", "--memo", "erreur de saisie").output == (
        "Écriture 5 annulée par l'écriture 6.\n"
    )
    assert run("balance", "alice").output == "alice (Alice) : 70,00 Bulles\n"
    result = run("reverse", "5")
    assert (result.exit_code, result.output) == (
        1,
        "Erreur : L'écriture 5 est déjà annulée (écriture 6)\n",
    )


def test_reverse_a_conversion_frees_the_bank_line(run, funded) -> None:
    assert run("reverse", "2").exit_code == 0  # alice's first 50,00
    assert "     1  2025-03-03" in run("unmatched").output
    assert run("assign", "1", "bob").exit_code == 0
    assert run("balance", "bob").output == "bob (Bob) : 100,00 Bulles\n"


def test_reversal_that_would_overdraw_is_refused(run, funded) -> None:
    assert run("pay", "alice", "bob", "70").exit_code == 0
    result = run("reverse", "2")
    assert result.exit_code == 1
    assert result.output == (
        "Erreur : Refusé : le solde de « alice » deviendrait négatif (-50,00 Bulles)\n"
    )


def test_stats_json_has_aggregates_only(run, funded) -> None:
    result = run("stats", "--json")
    data = json.loads(result.output)
    assert data["circulation_cents"] == 15000 - 3000  # charlotte's 30,00 waits
    text = result.output.lower()
    for secret in ("alice", "bob", "fournil", "fr76", "4255", "vir sepa", "@"):
        assert secret not in text
    assert data["monthly"][0] == {
        "month": "2025-03",
        "conversions": 3,
        "conversions_cents": 12000,
        "reconversions": 0,
        "reconversions_cents": 0,
        "resident_to_pro": 0,
        "resident_to_pro_cents": 0,
        "pro_to_pro": 0,
        "pro_to_pro_cents": 0,
        "circulation_end_cents": 12000,
        "reserve_end_cents": 112000,
        "reuse_rate_bp": None,  # pros received nothing yet
        "reconversion_rate_bp": None,
    }


def test_verify_and_backup(run, funded, tmp_path) -> None:
    assert run("verify").output == (
        "Grand livre cohérent : 4 écriture(s), chaîne de hachage intacte.\n"
        "Chiffres publiés (stats --json) recalculés depuis les écritures par un second "
        "calcul : identiques.\n"
    )
    target = tmp_path / "copie.sqlite3"
    assert run("backup", str(target)).exit_code == 0
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT COUNT(*) FROM entries").fetchone() == (4,)


def test_db_from_environment_and_missing_db(tmp_path) -> None:
    env = {"BULLE_LEDGER_DB": str(tmp_path / "env.sqlite3"), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-c", "from labulle.ledger.cli import main; main()"]
    missing = subprocess.run([*command, "report"], env=env, capture_output=True, text=True)
    assert missing.returncode == 1
    assert missing.stderr == (
        f"Erreur : Base introuvable : {tmp_path / 'env.sqlite3'} (lancez "
        "d'abord « bulle-ledger init » ou donnez --db)\n"
    )
    done = subprocess.run(
        [*command, "init", "--fee", "1,5"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "commission de reconversion 1,50 %" in done.stdout
    again = subprocess.run([*command, "init"], env=env, capture_output=True, text=True)
    assert again.returncode == 1 and "existe déjà" in again.stderr
