"""The treasurer's operations as entries: conversion, payment, reconversion, settlement,
assignment of a bank line, reversal. Each function refuses with a French ``LedgerError``.
"""

import sqlite3
from typing import NamedTuple

from labulle.ledger import accounts as acc
from labulle.ledger.errors import LedgerError
from labulle.ledger.journal import Journal, Line, today_iso
from labulle.ledger.money import fee_for
from labulle.ledger.money import format_cents as fc

ACTIVE = "e.kind <> 'reversal' AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses = e.id)"


class BankLineRow(NamedTuple):
    id: int
    reserve: str
    booking_date: str
    amount_cents: int
    label: str


def bank_line(conn: sqlite3.Connection, line_id: int) -> BankLineRow:
    row = conn.execute(
        "SELECT b.id, a.id, b.booking_date, b.amount_cents, b.label FROM bank_lines b"
        " JOIN statements s ON s.id = b.statement_id"
        " JOIN accounts a ON a.bank_account = s.bank_account WHERE b.id = ?",
        (line_id,),
    ).fetchone()
    if row is None:
        raise LedgerError(f"ligne bancaire inconnue : {line_id}")
    return BankLineRow(*row)


def line_entry(conn: sqlite3.Connection, line_id: int) -> int | None:
    """The active entry that already uses this bank line, if any."""
    row = conn.execute(
        f"SELECT e.id FROM entries e WHERE e.bank_line_id = ? AND {ACTIVE}", (line_id,)
    ).fetchone()
    return row[0] if row else None


def open_payouts(conn: sqlite3.Connection) -> list[tuple[int, str, int, str]]:
    """(payout id, pro, net cents, date) of reconversions not yet paid out, oldest first."""
    return conn.execute(
        "SELECT p.id, p.pro, p.net_cents, e.date FROM payouts p"
        f" JOIN entries e ON e.payout_id = p.id AND e.kind = 'reconversion' WHERE {ACTIVE}"
        " AND NOT EXISTS (SELECT 1 FROM entries e2 WHERE e2.payout_id = p.id"
        " AND e2.kind = 'settlement' AND NOT EXISTS"
        " (SELECT 1 FROM entries r2 WHERE r2.reverses = e2.id)) ORDER BY p.id"
    ).fetchall()


def convert(journal: Journal, line: BankLineRow, member: str) -> int:
    """Credit ``member`` with the Bulles bought by the incoming transfer ``line``."""
    amount = line.amount_cents
    return journal.post(
        "conversion",
        line.booking_date,
        f"Conversion, ligne bancaire {line.id}",
        # Plain (account, commodity, cents) tuples, the shape of Line: an import posts
        # thousands of conversions and building named tuples costs a fifth of the posting.
        [
            (line.reserve, "EUR", amount),
            (acc.OWED, "EUR", -amount),
            (acc.ISSUANCE, "BULLE", -amount),
            (member, "BULLE", amount),
        ],
        bank_line_id=line.id,
    )


def settle(journal: Journal, line: BankLineRow, payout_id: int) -> int:
    """Record that the outgoing transfer ``line`` paid the reconversion ``payout_id``."""
    amount = -line.amount_cents
    return journal.post(
        "settlement",
        line.booking_date,
        f"Paiement de la reconversion {payout_id}",
        [Line(acc.PAYOUTS, "EUR", amount), Line(line.reserve, "EUR", -amount)],
        bank_line_id=line.id,
        payout_id=payout_id,
    )


def _require_funds(conn: sqlite3.Connection, account: str, cents: int) -> None:
    held = acc.balance(conn, account)
    if held < cents:
        raise LedgerError(
            f"solde insuffisant : « {account} » a {fc(held)} Bulles, il en faudrait {fc(cents)}"
        )


def pay(
    journal: Journal, payer: str, payee: str, cents: int, memo: str = "", date: str | None = None
) -> int:
    """Move ``cents`` Bulles from one participant to another."""
    source = acc.require_participant(journal.conn, payer)
    target = acc.require_participant(journal.conn, payee)
    if source.id == target.id:
        raise LedgerError("paiement refusé : le payeur et le bénéficiaire sont le même compte")
    _require_funds(journal.conn, source.id, cents)
    return journal.post(
        "payment",
        date or today_iso(),
        memo or f"Paiement {source.id} → {target.id}",
        [Line(source.id, "BULLE", -cents), Line(target.id, "BULLE", cents)],
    )


def reconvert(
    journal: Journal, pro: str, cents: int, fee_bp: int, date: str | None = None
) -> tuple[int, int, int]:
    """A pro turns Bulles back into euros; returns (payout id, fee, net to pay)."""
    account = acc.require_participant(journal.conn, pro)
    if account.kind != "pro":
        raise LedgerError(
            f"reconversion refusée : « {account.id} » est un compte de membre ; seuls les "
            "comptes pro peuvent reconvertir des Bulles en euros"
        )
    _require_funds(journal.conn, account.id, cents)
    fee = fee_for(cents, fee_bp)
    net = cents - fee
    if net <= 0:
        raise LedgerError("reconversion refusée : après commission, il ne resterait rien à payer")
    day = date or today_iso()
    payout_id = journal.conn.execute(
        "INSERT INTO payouts (pro, gross_cents, fee_bp, fee_cents, net_cents, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (account.id, cents, fee_bp, fee, net, day),
    ).fetchone()[0]
    lines = [
        Line(account.id, "BULLE", -cents),
        Line(acc.ISSUANCE, "BULLE", cents),
        Line(acc.OWED, "EUR", cents),
        Line(acc.PAYOUTS, "EUR", -net),
    ]
    if fee:
        lines.append(Line(acc.FEES, "EUR", -fee))
    journal.post(
        "reconversion", day, f"Reconversion {payout_id} de {account.id}", lines, payout_id=payout_id
    )
    return payout_id, fee, net


def assign(journal: Journal, line_id: int, raw_account: str) -> str:
    """Settle an unmatched bank line by hand; returns what it became (French, for the CLI)."""
    conn = journal.conn
    line = bank_line(conn, line_id)
    used = line_entry(conn, line_id)
    if used:
        raise LedgerError(f"la ligne bancaire {line_id} est déjà rapprochée (écriture {used})")
    account = acc.require(conn, raw_account)
    if account.is_participant and line.amount_cents > 0:
        entry = convert(journal, line, account.id)
        return f"conversion {entry} : {fc(line.amount_cents)} Bulles pour « {account.id} »"
    if account.is_participant:
        due = [p for p in open_payouts(conn) if p[1] == account.id and p[2] == -line.amount_cents]
        if not due:
            raise LedgerError(
                f"aucune reconversion de {fc(-line.amount_cents)} € en attente "
                f"pour « {account.id} »"
            )
        entry = settle(journal, line, due[0][0])
        return f"règlement {entry} de la reconversion {due[0][0]}"
    if account.id in (acc.EXTERNAL, acc.TRANSIT):
        entry = journal.post(
            "assignment",
            line.booking_date,
            f"Ligne bancaire {line_id} : {account.name}",
            [
                Line(line.reserve, "EUR", line.amount_cents),
                Line(account.id, "EUR", -line.amount_cents),
            ],
            bank_line_id=line_id,
        )
        return f"écriture {entry} sur « {account.name} »"
    raise LedgerError(
        f"« {raw_account} » ne peut pas recevoir une ligne bancaire (un participant, "
        "hors-bulle ou virement-interne)"
    )


def reverse(journal: Journal, entry_id: int, memo: str = "", date: str | None = None) -> int:
    """Cancel entry ``entry_id`` by posting its exact opposite (history is never edited)."""
    conn = journal.conn
    row = conn.execute(
        "SELECT kind, bank_line_id, payout_id FROM entries WHERE id = ?", (entry_id,)
    ).fetchone()
    if row is None:
        raise LedgerError(f"écriture inconnue : {entry_id}")
    kind, line_id, payout_id = row
    if kind == "reversal":
        raise LedgerError(
            f"l'écriture {entry_id} est déjà une annulation : refaites plutôt l'opération"
        )
    if kind == "opening":
        raise LedgerError("le solde d'ouverture d'un relevé ne s'annule pas")
    done = conn.execute("SELECT id FROM entries WHERE reverses = ?", (entry_id,)).fetchone()
    if done:
        raise LedgerError(f"l'écriture {entry_id} est déjà annulée (écriture {done[0]})")
    if kind == "reconversion" and payout_id not in {p[0] for p in open_payouts(conn)}:
        raise LedgerError(
            f"la reconversion {payout_id} est déjà payée : annulez d'abord son règlement"
        )
    lines = [
        Line(a, c, -cents)
        for a, c, cents in conn.execute(
            "SELECT account, commodity, cents FROM lines WHERE entry_id = ? ORDER BY seq",
            (entry_id,),
        )
    ]
    return journal.post(
        "reversal",
        date or today_iso(),
        memo or f"Annulation de l'écriture {entry_id}",
        lines,
        bank_line_id=line_id,
        payout_id=payout_id,
        reverses=entry_id,
    )
