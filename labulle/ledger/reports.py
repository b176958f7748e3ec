"""What the treasurer and the public read: balances, the report, and ``stats`` (aggregates only)."""

import sqlite3
from datetime import UTC, datetime

from labulle.ledger import territory
from labulle.ledger.dates import is_valid_iso
from labulle.ledger.errors import LedgerError
from labulle.ledger.operations import open_payouts
from labulle.ledger.verify import totals


def balances(conn: sqlite3.Connection) -> list[tuple[str, str, str, str, int]]:
    """(id, kind, name, commodity, cents) of every account, system accounts first."""
    return conn.execute(
        "SELECT a.id, a.kind, a.name, a.commodity, COALESCE(b.cents, 0) FROM accounts a"
        " LEFT JOIN balances b ON b.account = a.id"
        " ORDER BY a.kind IN ('member', 'pro'), a.kind, a.id"
    ).fetchall()


def unmatched(conn: sqlite3.Connection) -> list[tuple[int, str, int, str]]:
    """(id, date, cents, label) of bank lines no active entry uses."""
    return conn.execute(
        "SELECT b.id, b.booking_date, b.amount_cents, b.label FROM bank_lines b"
        " WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.bank_line_id = b.id"
        " AND e.kind <> 'reversal'"
        " AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses = e.id))"
        " ORDER BY b.booking_date, b.id"
    ).fetchall()


def last_statements(conn: sqlite3.Connection) -> list[tuple[str, str, int, str, str]]:
    """Per bank account: (account, end date, closing cents, format, file) of the last statement."""
    return conn.execute(
        "SELECT s.bank_account, s.end_date, s.closing_cents, s.format, s.source_name"
        " FROM statements s WHERE s.id = (SELECT MAX(id) FROM statements t"
        " WHERE t.bank_account = s.bank_account) ORDER BY s.bank_account"
    ).fetchall()


def report(conn: sqlite3.Connection) -> dict:
    t = totals(conn)
    return {
        "totals": t,
        "available": t["reserve"] - t["fees"] - t["payouts_due"],
        "payouts": open_payouts(conn),
        "unmatched": unmatched(conn),
        "statements": last_statements(conn),
    }


def require_date(value: str | None, suffix: str = "") -> None:
    """Refuse to compute figures from a stored date (or month, with ``suffix="-01"``) that
    the one date rule rejects: ``verify`` names the entry."""
    if value is not None and not is_valid_iso(value + suffix):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise LedgerError(
            f"le grand livre contient une date invalide (« {shown} ») : lancez "
            "« bulle-ledger verify », qui nomme l'écriture en cause"
        )


def _months(first: str, last: str) -> list[str]:
    """Every month ``AAAA-MM`` from ``first`` to ``last``, both checked by the date rule
    (so at most the 1 200 months of the allowed range)."""
    for month in (first, last):
        require_date(month, "-01")
    start = int(first[:4]) * 12 + int(first[5:7]) - 1
    end = int(last[:4]) * 12 + int(last[5:7]) - 1
    return [f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(start, end + 1)]


# How each measure of ``month_totals`` adds to a month: (key, sign applied to its cents),
# and for flows the sign applied to its count of entries.
_LEVELS = {"issuance": ("issued_delta", -1), "reserve": ("reserve_delta", 1)}
_FLOWS = {
    "conversion": ("conversions", 1, -1),
    "conversion-reversed": ("conversions", -1, -1),
    "reconversion": ("reconversions", 1, 1),
    "reconversion-reversed": ("reconversions", -1, 1),
    "payment-member-pro": ("resident_to_pro", 1, 1),
    "payment-pro-pro": ("pro_to_pro", 1, 1),
}
_PAYMENTS = ("resident_to_pro", "pro_to_pro")


def monthly(conn: sqlite3.Connection) -> list[dict]:
    """Per month: conversions and reconversions, payments to pros (from residents, from
    pros) and their rates, circulation and reserve at the month's end.

    Read from ``month_totals`` (a few rows per month; the per-pro rows are for
    ``territory.communes``). A reversal counts against the month of the entry it cancels,
    so a month's figures never go below zero; circulation and reserve are balances as booked.
    """
    rows = conn.execute(
        "SELECT month, measure, entries, cents FROM month_totals"
        " WHERE measure <> 'entries' AND measure NOT LIKE 'received:%'"
    ).fetchall()
    if not any(measure in _LEVELS for _month, measure, _n, _c in rows):
        return []
    per: dict[str, dict[str, int]] = {}
    for month, measure, count, cents in rows:
        require_date(month, "-01")
        m = per.setdefault(month, {})
        if measure in _LEVELS:
            key, sign = _LEVELS[measure]
            m[key] = m.get(key, 0) + sign * cents
        elif measure in _FLOWS:
            key, count_sign, cents_sign = _FLOWS[measure]
            m[key] = m.get(key, 0) + count_sign * count
            m[f"{key}_cents"] = m.get(f"{key}_cents", 0) + cents_sign * cents
    series, circulation, reserve = [], 0, 0
    for month in _months(min(per), max(per)):
        m = per.get(month, {})
        circulation += m.get("issued_delta", 0)
        reserve += m.get("reserve_delta", 0)
        row = {"month": month}
        for key in ("conversions", "reconversions", *_PAYMENTS):
            row[key], row[f"{key}_cents"] = m.get(key, 0), m.get(f"{key}_cents", 0)
        row.update(circulation_end_cents=circulation, reserve_end_cents=reserve)
        series.append(row | _rates(row))
    return series


def _rates(figures: dict) -> dict:
    """Reuse and reconversion rates of ``figures`` (a month, or the whole books)."""
    received = figures["resident_to_pro_cents"] + figures["pro_to_pro_cents"]
    return territory.rates(received, figures["pro_to_pro_cents"], figures["reconversions_cents"])


def stats(conn: sqlite3.Connection) -> dict:
    """Aggregates for the public transparency page: numbers and dates only.

    No name, email, IBAN, label or account id is ever part of it.
    """
    t = totals(conn)
    kinds = dict(
        conn.execute(
            "SELECT kind, COUNT(*) FROM accounts WHERE kind IN ('member', 'pro') GROUP BY kind"
        )
    )
    head = conn.execute("SELECT id, hash, date FROM entries ORDER BY id DESC LIMIT 1").fetchone()
    period = conn.execute(
        "SELECT MIN(first_date), MAX(last_date) FROM month_totals WHERE measure = 'entries'"
    ).fetchone()
    last = conn.execute("SELECT MAX(end_date) FROM statements").fetchone()[0]
    for value in (*period, last, head[2] if head else None):
        require_date(value)  # dates first: the refusal names a day, not a month
    series = monthly(conn)
    flows = {
        key: sum(m[key] for m in series)
        for key in ("conversions", "conversions_cents", "reconversions", "reconversions_cents")
        + tuple(f"{name}{unit}" for name in _PAYMENTS for unit in ("", "_cents"))
    }
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "unit": "cents",
        "circulation_cents": t["circulation"],
        "reserve_cents": t["reserve"],
        "fees_retained_cents": t["fees"],
        "payouts_due_cents": t["payouts_due"],
        "reserve_available_cents": t["reserve"] - t["fees"] - t["payouts_due"],
        "period_start": period[0],
        "period_end": period[1],
        **flows,
        **_rates(flows),
        "communes": territory.communes(conn),
        "accounts": {"member": kinds.get("member", 0), "pro": kinds.get("pro", 0)},
        "last_reconciled_statement": last,
        "entries": head[0] if head else 0,
        "chain_head": head[1] if head else None,
        "monthly": series,
    }
