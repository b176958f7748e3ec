"""Statement readers on the committed samples and on the traps of real bank files."""

import sqlite3
from datetime import date
from pathlib import Path
from textwrap import dedent

import pytest

from labulle.ledger import reserves
from labulle.ledger.db import transaction
from labulle.ledger.errors import StatementError
from labulle.ledger.importer import import_statements, read_all
from labulle.ledger.statements import read_statements
from labulle.ledger.statements.detect import detect
from labulle.ledger.statements.synthetic import Move, camt, cfonb, nef_csv
from ledger.helpers import SAMPLES, journal, new_ledger, open_accounts

IBAN = "FR7642559100000800123456771"


def do_import(conn: sqlite3.Connection, *paths: Path):
    statements = read_all(list(paths))
    with transaction(conn):
        return import_statements(journal(conn), statements)


def snapshot(conn: sqlite3.Connection) -> tuple:
    return tuple(
        conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        for table in ("statements", "bank_lines", "entries", "lines", "balances", "accounts")
    )


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    conn = new_ledger(tmp_path / "l.sqlite3")
    open_accounts(
        conn, ("alice", "member"), ("bob", "member"), ("charlotte", "member"), ("fournil", "pro")
    )
    return conn


@pytest.mark.parametrize(
    "name, kind",
    [
        ("nef-2025-03.csv", "nef_csv"),
        ("cfonb-2025-03.txt", "cfonb"),
        ("camt053-2025-04.xml", "camt"),
    ],
)
def test_samples_are_detected_by_content(name: str, kind: str) -> None:
    assert detect((SAMPLES / name).read_bytes()) == kind


@pytest.mark.parametrize("name", ["nef-2025-03.csv", "cfonb-2025-03.txt"])
def test_march_samples_read_the_same_movements(name: str) -> None:
    (statement,) = read_statements(SAMPLES / name)
    assert statement.bank_account == "425591000008001234567"
    assert (statement.opening_cents, statement.closing_cents) == (100000, 114650)
    assert [line.amount_cents for line in statement.lines] == [5000, 5000, 3000, -350, 2000]
    assert [line.booking_date for line in statement.lines][:2] == ["2025-03-03", "2025-03-03"]
    assert "BULLE ALICE" in statement.lines[0].label


def test_nef_csv_latin1_header_found_by_content_and_keys(conn) -> None:
    report = do_import(conn, SAMPLES / "nef-2025-03.csv")
    assert (report.lines, report.conversions, report.unmatched) == (5, 4, 1)
    assert conn.execute("SELECT label FROM bank_lines WHERE amount_cents = -350").fetchone() == (
        "FRAIS TENUE DE COMPTE",
    )


def test_nef_csv_newest_first_is_reordered_by_running_balance(tmp_path: Path, conn) -> None:
    moves = [
        Move(date(2025, 3, 1), 1000, "BULLE ALICE"),
        Move(date(2025, 3, 2), -200, "FRAIS"),
        Move(date(2025, 3, 3), 700, "BULLE BOB"),
    ]
    path = tmp_path / "desc.csv"
    path.write_bytes(nef_csv(IBAN, 5000, moves, newest_first=True).encode("latin-1"))
    (statement,) = read_statements(path)
    assert [line.amount_cents for line in statement.lines] == [1000, -200, 700]
    assert (statement.opening_cents, statement.closing_cents) == (5000, 6500)


def test_nef_csv_running_balance_that_does_not_add_up_is_refused_whole(tmp_path, conn) -> None:
    path = tmp_path / "faux.csv"
    text = dedent("""\
        "IBAN","FR76 4255 9100 0008 0012 3456 771"

        "Date opération","Date Valeur","Référence","Montant","Solde","Libellé"
        "03/03/2025","03/03/2025","R1","50,00","1 050,00","BULLE ALICE"
        "04/03/2025","04/03/2025","R2","20,00","1 075,00","BULLE BOB"
        "05/03/2025","05/03/2025","R3","10,00","1 085,00","BULLE BOB"
        """)
    path.write_bytes(text.encode("latin-1"))
    before = snapshot(conn)
    with pytest.raises(StatementError, match=r"faux.csv:5 : le solde de la ligne"):
        do_import(conn, path)
    assert snapshot(conn) == before


def test_two_identical_transfers_same_day_are_both_kept(tmp_path, conn) -> None:
    same = Move(date(2025, 3, 3), 5000, "VIR SEPA BULLE ALICE", "", "")
    moves = [same, Move(same.day, same.cents, "VIR SEPA BULLE BOB"), same]
    for name, content in [
        (
            "a.txt",
            cfonb("42559", "10000", "08001234567", 0, date(2025, 3, 1), date(2025, 3, 31), moves),
        ),
        (
            "b.xml",
            camt(
                "FR7630004000031234567890143",
                "S1",
                1,
                0,
                date(2025, 3, 1),
                date(2025, 3, 31),
                moves,
            ),
        ),
    ]:
        path = tmp_path / name
        path.write_text(content, encoding="latin-1")
        (statement,) = read_statements(path)
        keys = [line.key for line in statement.lines]
        assert len(set(keys)) == 3, keys
        assert keys[0].endswith("#1") and keys[2].endswith("#2")
    with transaction(conn):  # two reserves: the Nef account and another bank's
        reserves.declare(conn, IBAN, "2025-01-01")
        reserves.declare(conn, "FR7630004000031234567890143", "2025-01-01")
    do_import(conn, tmp_path / "a.txt", tmp_path / "b.xml")
    assert conn.execute("SELECT cents FROM balances WHERE account = 'alice'").fetchone() == (20000,)


def test_same_file_twice_changes_nothing(conn) -> None:
    do_import(conn, SAMPLES / "nef-2025-03.csv")
    before = snapshot(conn)
    report = do_import(conn, SAMPLES / "nef-2025-03.csv")
    assert (report.statements_new, report.statements_known) == (0, 1)
    assert snapshot(conn) == before


def test_cfonb_statement_that_does_not_add_up_is_refused_whole(tmp_path, conn) -> None:
    good = cfonb(
        "42559",
        "10000",
        "08001234567",
        0,
        date(2025, 3, 1),
        date(2025, 3, 31),
        [Move(date(2025, 3, 3), 5000, "BULLE ALICE"), Move(date(2025, 3, 4), 800, "X")],
    )
    records = good.split("\r\n")
    records[-2] = records[-2][:90] + "0000000000580{" + records[-2][104:]  # 58.00 not 58.00+..
    records[-2] = records[-2][:90] + "0000000000590{" + records[-2][104:]
    path = tmp_path / "faux.txt"
    path.write_text("\r\n".join(records), encoding="latin-1")
    before = snapshot(conn)
    with pytest.raises(StatementError, match=r"faux.txt:\d+ : le relevé ne s'additionne pas"):
        do_import(conn, path)
    assert snapshot(conn) == before


def test_camt_that_does_not_add_up_is_refused_whole(tmp_path, conn) -> None:
    text = camt(
        IBAN,
        "S1",
        1,
        0,
        date(2025, 3, 1),
        date(2025, 3, 31),
        [Move(date(2025, 3, 3), 5000, "BULLE ALICE", "R1")],
    )
    path = tmp_path / "faux.xml"
    path.write_text(
        text.replace(
            '<Amt Ccy="EUR">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt>',
            '<Amt Ccy="EUR">50.10</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt>',
        )
    )
    with pytest.raises(StatementError, match="ne s'additionne pas"):
        do_import(conn, path)
    assert conn.execute("SELECT COUNT(*) FROM bank_lines").fetchone() == (0,)


def test_statement_that_does_not_chain_is_refused_and_nothing_from_the_batch_lands(
    tmp_path, conn
) -> None:
    first = tmp_path / "1.xml"
    first.write_text(
        camt(
            IBAN,
            "S1",
            1,
            0,
            date(2025, 3, 1),
            date(2025, 3, 31),
            [Move(date(2025, 3, 3), 5000, "BULLE ALICE", "R1")],
        )
    )
    gap = tmp_path / "2.xml"
    gap.write_text(
        camt(
            IBAN,
            "S2",
            2,
            9999,
            date(2025, 4, 1),
            date(2025, 4, 30),
            [Move(date(2025, 4, 3), 100, "BULLE BOB", "R2")],
        )
    )
    with pytest.raises(StatementError, match="ne suit pas le solde de clôture"):
        do_import(conn, first, gap)
    assert conn.execute("SELECT COUNT(*) FROM statements").fetchone() == (0,)


def test_line_imported_from_another_statement_refuses_it_whole(tmp_path, conn) -> None:
    files = []
    for number, (opening, moves) in enumerate(
        [
            (0, [Move(date(2025, 3, 3), 5000, "BULLE ALICE", "R1")]),
            (
                5000,
                [
                    Move(date(2025, 4, 3), 700, "BULLE BOB", "R2"),
                    Move(date(2025, 3, 3), 5000, "BULLE ALICE", "R1"),
                ],
            ),
        ],
        start=1,
    ):
        path = tmp_path / f"{number}.xml"
        month = date(2025, 2 + number, 1)
        path.write_text(
            camt(IBAN, f"S{number}", number, opening, month, month.replace(day=28), moves)
        )
        files.append(path)
    do_import(conn, files[0])
    before = snapshot(conn)
    with pytest.raises(StatementError, match=r"2.xml : .*déjà importée d'un autre relevé"):
        do_import(conn, files[1])
    assert snapshot(conn) == before


def test_back_dated_line_is_still_imported(tmp_path, conn) -> None:
    march = tmp_path / "m.xml"
    march.write_text(
        camt(
            IBAN,
            "S1",
            1,
            0,
            date(2025, 3, 1),
            date(2025, 3, 31),
            [Move(date(2025, 3, 30), 5000, "BULLE ALICE", "R1")],
        )
    )
    april = tmp_path / "a.xml"
    april.write_text(
        camt(
            IBAN,
            "S2",
            2,
            5000,
            date(2025, 4, 1),
            date(2025, 4, 30),
            [
                Move(date(2025, 3, 12), 1500, "BULLE BOB", "R0"),
                Move(date(2025, 4, 2), 700, "BULLE BOB", "R2"),
            ],
        )
    )
    do_import(conn, march)
    report = do_import(conn, april)
    assert (report.lines, report.conversions) == (2, 2)
    assert conn.execute("SELECT cents FROM balances WHERE account = 'bob'").fetchone() == (2200,)


def test_cfonb_without_line_breaks_and_latin1(tmp_path, conn) -> None:
    text = cfonb(
        "42559",
        "10000",
        "08001234567",
        0,
        date(2025, 3, 1),
        date(2025, 3, 31),
        [
            Move(date(2025, 3, 3), 5000, "VIR DUPRÉ BULLE-ALICE", "", "HÉLÈNE DUPRÉ"),
            Move(date(2025, 3, 4), -970, "COTISATION CARTE"),
        ],
        newline="",
    )
    path = tmp_path / "sans-retour.txt"
    path.write_bytes(text.encode("latin-1"))
    assert b"\n" not in path.read_bytes()
    (statement,) = read_statements(path)
    assert [line.amount_cents for line in statement.lines] == [5000, -970]
    assert "HÉLÈNE DUPRÉ" in statement.lines[0].label
    report = do_import(conn, path)
    assert (report.conversions, report.unmatched) == (1, 1)


def test_cfonb_with_trailing_blanks_trimmed(tmp_path, conn) -> None:
    text = cfonb(
        "42559",
        "10000",
        "08001234567",
        0,
        date(2025, 3, 1),
        date(2025, 3, 31),
        [Move(date(2025, 3, 3), 5000, "BULLE ALICE")],
    )
    path = tmp_path / "court.txt"
    path.write_text("\n".join(line.rstrip() for line in text.splitlines()) + "\n")
    (statement,) = read_statements(path)
    assert [line.amount_cents for line in statement.lines] == [5000]


def test_cfonb_amount_encoding() -> None:
    from labulle.ledger.statements.cfonb import amount

    assert amount("0000000000500{", 2) == 5000
    assert amount("0000000000097}", 2) == -970
    assert amount("0000000001234R", 2) == -12349
    assert amount("000000000000{".rjust(14, "0"), 0) == 0


def test_camt_pending_entries_are_ignored(conn) -> None:
    (statement,) = read_statements(SAMPLES / "camt053-2025-04.xml")
    assert [line.amount_cents for line in statement.lines] == [-3920, 2500, 2500]
    assert all(line.key.startswith("camt:") and ":ref:NEF-" in line.key for line in statement.lines)
    assert statement.seq == 2


def test_camt_key_is_acctsvcrref_never_endtoendid(tmp_path) -> None:
    moves = [
        Move(date(2025, 3, 3), 5000, "BULLE ALICE", "REF-A"),
        Move(date(2025, 3, 3), 5000, "BULLE ALICE", "REF-B"),
    ]
    path = tmp_path / "c.xml"
    path.write_text(camt(IBAN, "S1", 1, 0, date(2025, 3, 1), date(2025, 3, 31), moves))
    assert "NOTPROVIDED" in path.read_text()
    keys = [line.key for line in read_statements(path)[0].lines]
    assert keys == [f"camt:{IBAN}:ref:REF-A", f"camt:{IBAN}:ref:REF-B"]


def test_camt_with_entities_is_refused_safely(tmp_path) -> None:
    path = tmp_path / "bombe.xml"
    path.write_text(
        dedent("""\
        <?xml version="1.0"?>
        <!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>
        <Document><BkToCstmrStmt><Stmt><Id>&b;</Id></Stmt></BkToCstmrStmt></Document>
        """)
    )
    with pytest.raises(StatementError, match="DTD ou entités interdites"):
        read_statements(path)


def test_unknown_format_is_refused(tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("bonjour\n")
    with pytest.raises(StatementError, match="format de relevé non reconnu"):
        read_statements(path)


@pytest.mark.parametrize(
    "label, expected",
    [
        ("VIR SEPA BULLE ALICE", "alice"),
        ("vir bulle-alice", "alice"),
        ("Bulle   Alice merci", "alice"),
        ("LA BULLE BULLE BOB", "bob"),
        ("BULLEBOB", None),
        ("VIR BULLE ZOE", None),
    ],
)
def test_matching_bulle_reference(label: str, expected: str | None) -> None:
    from labulle.ledger.matching import match_account

    assert match_account(label, {"alice": "member", "bob": "member"}) == expected
