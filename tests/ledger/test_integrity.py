"""Tamper evidence, the beancount cross-check, unbalanced entries and sign-ups."""

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from labulle.ledger import signups
from labulle.ledger.beancount_export import export
from labulle.ledger.chain import GENESIS, Hasher, entry_hash
from labulle.ledger.db import transaction
from labulle.ledger.errors import LedgerError
from labulle.ledger.journal import Line
from labulle.ledger.verify import verify
from ledger.helpers import journal

BEAN_CHECK = Path(sys.executable).with_name("bean-check")


def raw(path: Path, *statements: str) -> None:
    """An edit made behind the program's back, with plain sqlite3."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_history_triggers_refuse_update_and_delete(books) -> None:
    conn = sqlite3.connect(books)
    for statement in (
        "UPDATE lines SET cents = cents + 1 WHERE entry_id = 1 AND seq = 0",
        "DELETE FROM entries WHERE id = 3",
        "UPDATE bank_lines SET amount_cents = 1 WHERE id = 1",
        "DELETE FROM accounts WHERE id = 'alice'",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="historique en ajout seul"):
            conn.execute(statement)


def test_clean_books_verify(books) -> None:
    conn = sqlite3.connect(books)
    assert verify(conn) == []


@pytest.mark.parametrize(
    "statements, problem",
    [
        (
            [
                "DROP TRIGGER lines_no_update",
                "UPDATE lines SET cents = cents + 100 WHERE entry_id = 3 AND seq = 1",
            ],
            "le hachage ne correspond pas à son contenu",
        ),
        (
            ["DROP TRIGGER entries_no_update", "UPDATE entries SET memo = 'autre' WHERE id = 2"],
            "écriture 2 : le hachage ne correspond pas à son contenu",
        ),
        (
            [
                "DROP TRIGGER entries_no_delete",
                "DROP TRIGGER lines_no_delete",
                "DELETE FROM lines WHERE entry_id = 5",
                "DELETE FROM entries WHERE id = 5",
            ],
            "écriture 5 manquante dans la chaîne",
        ),
        (
            [
                "DROP TRIGGER bank_lines_no_update",
                "UPDATE bank_lines SET amount_cents = 9000 WHERE id = 1",
            ],
            "ne s'additionne pas",
        ),
        (
            ["UPDATE balances SET cents = cents + 5 WHERE account = 'alice'"],
            "le solde mémorisé de « alice » ne correspond pas à ses lignes",
        ),
        (
            ["UPDATE month_totals SET cents = cents - 100 WHERE measure = 'conversion'"],
            "le total mensuel « conversion » de 2025-03 ne correspond pas à l'historique",
        ),
        (
            ["DELETE FROM month_totals WHERE month = '2025-04' AND measure = 'reserve'"],
            "le total mensuel « reserve » de 2025-04 ne correspond pas à l'historique",
        ),
        (
            [
                "INSERT INTO month_totals VALUES"
                " ('2025-05', 'conversion', 1, -100000, '2025-05-02', '2025-05-02')"
            ],
            "le total mensuel « conversion » de 2025-05 ne correspond pas à l'historique",
        ),
    ],
)
def test_edit_behind_the_programs_back_fails_verify(books, run, statements, problem) -> None:
    raw(books, *statements)
    problems = verify(sqlite3.connect(books))
    assert any(problem in p for p in problems), problems
    result = run("verify")
    assert result.exit_code == 1
    assert "Erreur : Grand livre incohérent" in result.output


def test_database_refuses_an_entry_that_does_not_extend_the_chain(books) -> None:
    conn = sqlite3.connect(books)
    head_id, head_hash = conn.execute(
        "SELECT id, hash FROM entries ORDER BY id DESC LIMIT 1"
    ).fetchone()
    insert = (
        "INSERT INTO entries (id, ts, date, kind, operator, memo, prev_hash, hash)"
        " VALUES (?, 't', '2025-05-01', 'payment', 'x', 'x', ?, ?)"
    )
    for entry_id, prev_hash in (
        (head_id + 1, "f" * 64),  # not the head's hash
        (head_id + 2, head_hash),  # a gap in the numbering
        (None, head_hash),  # no explicit number
    ):
        with pytest.raises(sqlite3.IntegrityError, match="chaîne de hachage"):
            conn.execute(insert, (entry_id, prev_hash, "a" * 64))
    conn.execute(insert, (head_id + 1, head_hash, "a" * 64))  # the rule lets a good one in


def test_hasher_gives_the_bytes_of_entry_hash() -> None:
    hasher = Hasher()
    hasher.LIMIT = 2  # forget often: the memory must never change a hash
    prev = GENESIS
    for number, memo, refs, lines in [
        (1, "Conversion, ligne bancaire 1", (1, None, None), [("m1", "BULLE", 5000)] * 2),
        (2, "Été « 12,50 € » | 3:x", (None, 4, 1), [("sys:owed", "EUR", -5000)]),
        (3, None, (None, None, None), [("m1", "BULLE", 5000), ("m1", "BULLE", -5000)]),
        (4, "", (7, 8, 9), []),
    ]:
        header = (number, "2025-03-01T10:00:00+00:00", "2025-03-01", "payment", "trésorière")
        header += (memo, *refs)
        assert hasher(prev, header, [Line(*line) for line in lines]) == entry_hash(
            prev, header, lines
        )
        prev = entry_hash(prev, header, lines)


def test_unbalanced_entry_is_refused(books) -> None:
    conn = sqlite3.connect(books, isolation_level=None)
    before = conn.execute("SELECT COUNT(*) FROM entries").fetchone()
    with pytest.raises(LedgerError) as refused, transaction(conn):
        journal(conn).post(
            "payment",
            "2025-04-01",
            "faux",
            [Line("alice", "BULLE", -500), Line("bob", "BULLE", 400)],
        )
    assert str(refused.value) == (
        "écriture déséquilibrée : la somme des lignes en BULLE vaut -1,00 au lieu de zéro"
    )
    with pytest.raises(LedgerError, match="le compte « alice » tient des BULLE, pas des EUR"):
        journal(conn).validate([Line("alice", "EUR", -5), Line("sys:owed", "EUR", 5)])
    assert conn.execute("SELECT COUNT(*) FROM entries").fetchone() == before


def test_beancount_export_passes_bean_check_and_fails_on_one_cent(books, tmp_path) -> None:
    target = tmp_path / "livre.beancount"
    count = export(sqlite3.connect(books), target)
    assert count == 12
    text = target.read_text()
    assert 'option "tolerance_multiplier" "0"' in text
    check = subprocess.run([str(BEAN_CHECK), str(target)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    changed, n = re.subn(
        r"(Assets:Pros:Fournil\s+)35\.00 BULLE", r"\g<1>35.01 BULLE", text, count=1
    )
    assert n == 1
    target.write_text(changed)
    check = subprocess.run([str(BEAN_CHECK), str(target)], capture_output=True, text=True)
    assert check.returncode != 0


def test_record_signup_is_idempotent_and_opens_an_account(run, ledger_path) -> None:
    fields = dict(
        name="Hélène Dupré",
        email="helene@example.org",
        phone="0545000000",
        commune="Cognac",
        kind="particulier",
        expected_monthly_cents=5000,
        consent_text="J'accepte que La Bulle conserve mes données pour le pilote.",
        consent_version="2025-02",
        consent_at="2025-03-01T10:00:00",
        newsletter=True,
        source="email",
        received_at="2025-03-01T10:02:00",
    )
    first = signups.record_signup(ledger_path, **fields)
    assert signups.record_signup(ledger_path, **fields) == first
    assert signups.record_signup(ledger_path, **{**fields, "message_id": "<m1@x>"}) != first
    assert (
        signups.record_signup(
            ledger_path, **{**fields, "message_id": "<m1@x>", "received_at": "2025-03-02T00:00:00"}
        )
        == first + 1
    )
    listing = run("signups").output
    assert (
        f"{first:>4}  2025-03-01  particulier  Hélène Dupré <helene@example.org> Cognac" in listing
    )
    result = run("account", "open", "helene", "--from-signup", str(first))
    assert result.output == "Compte membre « helene » ouvert (Hélène Dupré).\n"
    result = run("account", "open", "helene2", "--from-signup", str(first))
    assert (result.exit_code, result.output) == (
        1,
        f"Erreur : L'inscription {first} a déjà son compte « helene »\n",
    )


def test_discarding_a_signup_erases_personal_data(run, ledger_path) -> None:
    signup_id = signups.record_signup(
        ledger_path,
        name="Zoé",
        email="zoe@example.org",
        kind="pro",
        pro_slug="chez-zoe",
        source="form",
        received_at="2025-03-03T08:00:00",
    )
    assert run("signups", "--discard", str(signup_id)).output == (
        f"Inscription {signup_id} écartée : ses données personnelles sont effacées.\n"
    )
    row = (
        sqlite3.connect(ledger_path)
        .execute(
            "SELECT name, email, phone, pro_slug, kind, source, received_at, discarded_at"
            " FROM signups WHERE id = ?",
            (signup_id,),
        )
        .fetchone()
    )
    assert row[:4] == (None, None, None, None)
    assert row[4:7] == ("pro", "form", "2025-03-03T08:00:00") and row[7]
    assert run("signups").output == "Aucune inscription en attente.\n"
    # The intake running again does not bring it back.
    assert (
        signups.record_signup(
            ledger_path,
            name="Zoé",
            email="zoe@example.org",
            kind="pro",
            source="form",
            received_at="2025-03-03T08:00:00",
        )
        == signup_id
    )


def test_record_signup_refuses_bad_fields(ledger_path) -> None:
    with pytest.raises(LedgerError, match="type « client » inconnu"):
        signups.record_signup(ledger_path, name="X", kind="client", received_at="2025-03-01")
    with pytest.raises(LedgerError, match=r"received_at \(date de réception\) : date illisible"):
        signups.record_signup(ledger_path, name="X", received_at="hier")
