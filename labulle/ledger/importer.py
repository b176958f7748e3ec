"""Import bank statements: all files are read and checked first, then written in one go.

A statement already imported is skipped; a new one must chain onto the previous statement
of its bank account. Incoming lines naming ``BULLE <account>`` become conversions, outgoing
ones naming a pro with a reconversion of the same amount settle it; the rest stay unmatched.
"""

import gc
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from labulle.ledger import accounts as acc
from labulle.ledger import reserves
from labulle.ledger.db import insert_rows
from labulle.ledger.errors import StatementError
from labulle.ledger.journal import Journal, Line, today_iso
from labulle.ledger.matching import match_account
from labulle.ledger.money import format_cents as fc
from labulle.ledger.operations import BankLineRow, convert, open_payouts, settle
from labulle.ledger.statements import Statement, read_statements
from labulle.ledger.verify import statement_digest

BANK_LINE_COLUMNS = (
    "id", "statement_id", "lkey", "booking_date", "value_date", "amount_cents", "label",
    "bank_ref",
)  # fmt: skip


@dataclass
class ImportReport:
    statements_new: int = 0
    statements_known: int = 0
    lines: int = 0
    conversions: int = 0
    settlements: int = 0
    unmatched: int = 0
    sources: list[str] = field(default_factory=list)
    aside: Counter = field(default_factory=Counter)
    """Movements kept out of the books, by reason (0,00 € lines, camt entries not booked)."""
    new_reserves: list[str] = field(default_factory=list)
    """Bank accounts that became reserves with this import (books without any reserve)."""


@contextmanager
def bulk() -> Iterator[None]:
    """Pause Python's cycle collector while an import builds its rows.

    A monthly statement makes a few hundred thousand tuples and strings, none of them in a
    reference cycle; the collector would still walk them over and over as they pile up
    (a tenth of the import's time). It runs again, as before, on the way out.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_all(paths: list[Path]) -> list[Statement]:
    """Parse every file before touching the database (a bad file refuses the whole import)."""
    statements = []
    with bulk():
        for path in paths:
            statements.extend(read_statements(path))
    return statements


def _check_first(st: Statement) -> None:
    """The books start at the first statement: not on an overdrawn account."""
    if st.opening_cents < 0:
        raise StatementError(
            st.path or st.source,
            st.source_line,
            f"le premier relevé de ce compte s'ouvre sur un solde débiteur de "
            f"{fc(st.opening_cents)} € au {st.start_date} (compte à découvert selon la banque) : "
            "la réserve des Bulles ne peut pas commencer en négatif ; commencez le grand livre "
            "par le relevé d'un mois qui s'ouvre sur un solde positif ou nul. Relevé refusé",
        )


def _check_chain(journal: Journal, st: Statement) -> None:
    previous = journal.conn.execute(
        "SELECT closing_cents, end_date, seq FROM statements WHERE bank_account = ?"
        " ORDER BY id DESC LIMIT 1",
        (st.bank_account,),
    ).fetchone()
    if previous is None:
        return
    closing, end_date, seq = previous
    if st.opening_cents != closing:
        raise StatementError(
            st.path or st.source,
            st.source_line,
            f"le solde d'ouverture ({fc(st.opening_cents)} €) ne suit pas le solde de clôture "
            f"du relevé précédent ({fc(closing)} € au {end_date}) : relevé refusé en entier",
        )
    if seq is not None and st.seq is not None and st.seq != seq + 1:
        raise StatementError(
            st.path or st.source,
            st.source_line,
            f"relevé n°{st.seq} reçu alors que le précédent importé est le n°{seq} : "
            "importez les relevés dans l'ordre",
        )


def _refused_line(conn: sqlite3.Connection, st: Statement, statement_id: int) -> str:
    """Why the UNIQUE line key refused ``st``: which line was already imported elsewhere."""
    keys = [line.key for line in st.lines]
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        known = conn.execute(
            f"SELECT lkey FROM bank_lines WHERE lkey IN ({','.join('?' * len(chunk))})"
            " AND statement_id <> ?",
            (*chunk, statement_id),
        ).fetchone()
        if known:
            return f"une ligne de ce relevé est déjà importée d'un autre relevé ({known[0]})"
    seen: set[str] = set()
    for line in st.lines:
        if line.key in seen:
            return (
                f"deux lignes de ce relevé ont la même clé ({line.key}) : relevé refusé en entier"
            )
        seen.add(line.key)
    return "une ligne de ce relevé n'a pas pu être enregistrée : relevé refusé en entier"


def _insert(journal: Journal, st: Statement, skey: str, reserve: str) -> list[BankLineRow]:
    conn = journal.conn
    digest = statement_digest(
        [(ln.key, ln.booking_date, ln.amount_cents, ln.label) for ln in st.lines]
    )
    statement_id = conn.execute(
        "INSERT INTO statements (skey, bank_account, format, start_date, end_date,"
        " opening_cents, closing_cents, seq, digest, source_name, imported_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        (
            skey,
            st.bank_account,
            st.format,
            st.start_date,
            st.end_date,
            st.opening_cents,
            st.closing_cents,
            st.seq,
            digest,
            st.source,
            today_iso(),
        ),
    ).fetchone()[0]
    first_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM bank_lines").fetchone()[0]
    rows = [
        (
            first_id + i,
            statement_id,
            ln.key,
            ln.booking_date,
            ln.value_date,
            ln.amount_cents,
            ln.label,
            ln.bank_ref,
        )
        for i, ln in enumerate(st.lines)
    ]
    try:
        insert_rows(conn, "bank_lines", BANK_LINE_COLUMNS, rows)
    except sqlite3.IntegrityError:
        # The UNIQUE key refused a line (the whole import rolls back): say which one.
        raise StatementError(
            st.path or st.source, st.source_line, _refused_line(conn, st, statement_id)
        ) from None
    return [BankLineRow(r[0], reserve, r[3], r[5], r[6]) for r in rows]


def _due_payouts(conn: sqlite3.Connection) -> dict[tuple[str, int], list[int]]:
    """Reconversions still to pay, by (pro, net amount), oldest first."""
    due: dict[tuple[str, int], list[int]] = {}
    for payout_id, pro, net, _date in open_payouts(conn):
        due.setdefault((pro, net), []).append(payout_id)
    return due


def _reserve_of(conn: sqlite3.Connection, st: Statement, report: ImportReport) -> str:
    """The reserve account of ``st``'s bank account (the first statement's account becomes
    the reserve of books that have none yet, and the report says so)."""
    had_reserves = bool(reserves.declared(conn))
    reserve, st.bank_account = reserves.resolve(
        conn, st.bank_account, st.path or st.source, today_iso()
    )
    if not had_reserves:
        report.new_reserves.extend(reserves.declared(conn))
    return reserve


def _open_books(journal: Journal, st: Statement, reserve: str) -> None:
    """Check that ``st`` follows the previous statement of its account; the account's first
    statement posts its opening balance."""
    _check_chain(journal, st)
    first = not journal.conn.execute(
        "SELECT 1 FROM statements WHERE bank_account = ?", (st.bank_account,)
    ).fetchone()
    if first:
        _check_first(st)
    if first and st.opening_cents:
        journal.post(
            "opening",
            st.start_date,
            f"Solde d'ouverture du compte {st.bank_account}",
            [
                Line(reserve, "EUR", st.opening_cents),
                Line(acc.EXTERNAL, "EUR", -st.opening_cents),
            ],
        )


@dataclass
class _Matcher:
    """Who a bank line can be matched to: the participants and the reconversions due."""

    participants: dict[str, str]
    due: dict[tuple[str, int], list[int]]

    def book(self, journal: Journal, rows: list[BankLineRow], report: ImportReport) -> None:
        """A line naming a participant is a conversion (money in) or settles a reconversion
        of the same amount (money out); any other line stays unmatched."""
        for row in rows:
            account = match_account(row.label, self.participants)
            if account and row.amount_cents > 0:
                convert(journal, row, account)
                report.conversions += 1
            elif account and self.due.get((account, -row.amount_cents)):
                settle(journal, row, self.due[(account, -row.amount_cents)].pop(0))
                report.settlements += 1
            else:
                report.unmatched += 1


def _import_one(journal: Journal, st: Statement, matcher: _Matcher, report: ImportReport) -> None:
    """Write one statement and book its lines, unless it was imported before."""
    conn = journal.conn
    reserve = _reserve_of(conn, st, report)
    skey = st.key
    if conn.execute("SELECT 1 FROM statements WHERE skey = ?", (skey,)).fetchone():
        report.statements_known += 1
        return
    _open_books(journal, st, reserve)
    rows = _insert(journal, st, skey, reserve)
    report.statements_new += 1
    report.lines += len(rows)
    report.aside.update(st.aside)
    report.sources.append(st.source)
    matcher.book(journal, rows, report)


def import_statements(journal: Journal, statements: list[Statement]) -> ImportReport:
    """Write the statements (inside the caller's transaction) and match their lines."""
    conn = journal.conn
    report = ImportReport()
    participants = dict(
        conn.execute("SELECT id, kind FROM accounts WHERE kind IN ('member','pro')")
    )
    matcher = _Matcher(participants, _due_payouts(conn))
    journal.buffering = True  # nothing below reads entries back before check()
    journal.preload()
    with bulk():
        for st in statements:
            _import_one(journal, st, matcher, report)
        journal.buffering = False
        journal.check()
    return report
