"""The fast paths of an import write exactly what the one-by-one paths write.

An import buffers its entries and writes rows many per INSERT statement (``insert_rows``),
with the cycle collector paused; a payment writes one entry at a time. Same books, same
hash chain, same refusals.
"""

import gc
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from labulle.ledger import db
from labulle.ledger.db import insert_rows, transaction
from labulle.ledger.errors import StatementError
from labulle.ledger.importer import import_statements, read_all
from labulle.ledger.money import parse_signed_decimal
from labulle.ledger.operations import BankLineRow, convert
from labulle.ledger.statements.synthetic import Move, camt, nef_csv
from labulle.ledger.verify import verify
from ledger.helpers import RESERVE_IBAN, journal, new_ledger, open_accounts

STAMP = "2025-05-02T09:30:00.000000+00:00"
"""One command timestamp for both ledgers compared (it is part of every entry's hash)."""
MEMBERS = [f"membre{i}" for i in range(7)]
TABLES = ("bank_lines", "entries", "lines", "balances", "month_totals")


def ledger(path: Path) -> sqlite3.Connection:
    conn = new_ledger(path)
    open_accounts(conn, *[(member, "member") for member in MEMBERS], ("fournil", "pro"))
    return conn


def month_of_transfers(folder: Path, count: int, named: bool = True) -> Path:
    """A La Nef CSV of ``count`` transfers; every fifth one names nobody, or all of them
    when not ``named``."""
    moves = [
        Move(
            date(2025, 4, 1) + timedelta(days=i % 28),
            500 + 100 * (i % 9),
            f"VIR SEPA BULLE {MEMBERS[i % 7].upper()}" if named and i % 5 != 4 else "VIR SEPA",
            f"R{i}",
        )
        for i in range(count)
    ]
    path = folder / "nef-2025-04.csv"
    path.write_bytes(nef_csv(RESERVE_IBAN, 0, moves).encode("latin-1"))
    return path


def books(conn: sqlite3.Connection) -> tuple:
    """Every table an import writes, and the statements without their import date."""
    statements = conn.execute("SELECT * FROM statements ORDER BY id").fetchall()
    return (
        [row[:-1] for row in statements],
        *(conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for table in TABLES),
    )


def imported(conn: sqlite3.Connection, path: Path):
    statements = read_all([path])
    with transaction(conn):
        posting = journal(conn)
        posting.ts = STAMP
        return import_statements(posting, statements)


def test_an_import_in_many_row_statements_writes_what_one_row_statements_write(
    tmp_path, monkeypatch
) -> None:
    # 450 bank lines, 360 conversions, 1,440 entry lines: several full statements of
    # rows in every table, and a remainder written one row at a time.
    path = month_of_transfers(tmp_path, 450)
    bulk = ledger(tmp_path / "bulk.sqlite3")
    report = imported(bulk, path)
    monkeypatch.setattr(db, "BOUND_VALUES", 1)  # one row per INSERT statement
    single = ledger(tmp_path / "single.sqlite3")
    imported(single, path)
    assert (report.lines, report.conversions, report.unmatched) == (450, 360, 90)
    assert books(bulk) == books(single)
    assert verify(bulk) == verify(single) == []
    assert bulk.execute("SELECT COUNT(*) FROM lines").fetchone() == (1440,)


def test_buffered_posting_and_posting_one_entry_at_a_time_give_the_same_chain(tmp_path) -> None:
    # 260 bank lines that name nobody, then converted by hand in one command: buffered
    # (as an import does: 260 entries, 1,040 lines, many rows per statement) or each
    # entry written as it is posted (as a payment is).
    path = month_of_transfers(tmp_path, 260, named=False)
    found = []
    for name, buffering in (("buffered", True), ("one-by-one", False)):
        conn = ledger(tmp_path / f"{name}.sqlite3")
        assert imported(conn, path).unmatched == 260
        reserve = conn.execute("SELECT id FROM accounts WHERE kind = 'reserve'").fetchone()[0]
        rows = [
            BankLineRow(line_id, reserve, day, cents, label)
            for line_id, day, cents, label in conn.execute(
                "SELECT id, booking_date, amount_cents, label FROM bank_lines ORDER BY id"
            ).fetchall()
        ]
        with transaction(conn):
            posting = journal(conn)
            posting.ts, posting.buffering = STAMP, buffering
            for number, row in enumerate(rows):
                convert(posting, row, MEMBERS[number % 7])
            posting.buffering = False
            posting.check()
        assert verify(conn) == []
        found.append((books(conn), conn.execute("SELECT id, hash FROM entries").fetchall()))
    assert found[0] == found[1]
    assert len(found[0][1]) == 260


@pytest.mark.parametrize("count", [0, 1, 332, 333, 334, 1000])
def test_rows_are_written_whole_and_in_order_around_each_statement_boundary(count) -> None:
    # Three columns: 333 rows fill one statement of 999 bound values.
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, v INTEGER)")
    rows = [(i + 1, f"clé {i}", i * 7) for i in range(count)]
    insert_rows(conn, "t", ("id", "k", "v"), rows)
    assert conn.execute("SELECT * FROM t ORDER BY rowid").fetchall() == rows


def test_a_refused_row_inside_a_many_row_statement_writes_nothing() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE)")
    rows = [(i + 1, f"clé {i}") for i in range(700)]
    rows[450] = (451, "clé 3")
    refused = pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed: t.k")
    with refused, transaction(conn):
        insert_rows(conn, "t", ("id", "k"), rows)
    assert conn.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)


def test_a_line_imported_before_is_named_even_deep_in_a_large_statement(tmp_path) -> None:
    conn = ledger(tmp_path / "l.sqlite3")
    first, second = tmp_path / "1.xml", tmp_path / "2.xml"
    march = [Move(date(2025, 3, 3), 5000, "BULLE MEMBRE1", "REF-7")]
    first.write_text(camt(RESERVE_IBAN, "S1", 1, 0, date(2025, 3, 1), date(2025, 3, 31), march))
    april = [
        Move(date(2025, 4, 1 + i % 28), 100 + i, "BULLE MEMBRE2", f"REF-{1000 + i}")
        for i in range(400)
    ]
    april[321] = Move(date(2025, 4, 3), 5000, "BULLE MEMBRE1", "REF-7")
    second.write_text(
        camt(RESERVE_IBAN, "S2", 2, 5000, date(2025, 4, 1), date(2025, 4, 30), april)
    )
    imported(conn, first)
    before = books(conn)
    with pytest.raises(StatementError) as refused:
        imported(conn, second)
    assert str(refused.value) == (
        f"{second} : une ligne de ce relevé est déjà importée d'un autre relevé "
        f"(camt:{RESERVE_IBAN}:ref:REF-7)"
    )
    assert books(conn) == before


def test_an_import_leaves_the_cycle_collector_as_it_found_it(tmp_path) -> None:
    conn = ledger(tmp_path / "l.sqlite3")
    good = month_of_transfers(tmp_path, 30)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        nef_csv(RESERVE_IBAN, 0, [Move(date(2025, 5, 2), 100, "X", "R")], error_cents=1).encode(
            "latin-1"
        )
    )
    assert gc.isenabled()
    imported(conn, good)
    assert gc.isenabled()
    with pytest.raises(StatementError):
        imported(conn, bad)
    assert gc.isenabled()
    gc.disable()
    try:
        read_all([good])
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "text, cents",
    [
        ("6 265 734,04", 626573404),
        ("-1 621,08", -162108),
        ("\u202f1\u00a0234,5 ", 123450),
        ("+3", 300),
        ("8.850", 885),
        ("-0,00", 0),
        ("0000000000000012,00", 1200),
    ],
)
def test_bank_amounts_are_read_in_cents(text, cents) -> None:
    assert parse_signed_decimal(text) == cents


@pytest.mark.parametrize(
    "text, message",
    [
        ("12.", "montant illisible « 12. »"),
        (",5", "montant illisible « ,5 »"),
        ("1,2,3", "montant illisible « 1,2,3 »"),
        ("1.234,56", "montant illisible « 1.234,56 »"),
        ("--3", "montant illisible « --3 »"),
        ("+-3", "montant illisible « +-3 »"),
        ("3-", "montant illisible « 3- »"),
        ("", "montant illisible «  »"),
        ("١٢,٥٠", "montant illisible « ١٢,٥٠ »"),
        ("12,５", "montant illisible « 12,５ »"),
        ("²", "montant illisible « ² »"),
        ("12 EUR", "montant illisible « 12 EUR »"),
        (
            "0,001",
            "montant « 0,001 » avec une fraction de centime (au-delà de deux décimales, "
            "seuls des zéros sont admis)",
        ),
        (
            "12345678901234",
            "montant « 12345678901234 » trop grand (13 chiffres avant la virgule au plus)",
        ),
    ],
)
def test_a_bank_amount_that_is_not_one_is_named(text, message) -> None:
    with pytest.raises(ValueError) as refused:
        parse_signed_decimal(text)
    assert str(refused.value) == message
