"""What the treasurer and the public read: balances, the report, and ``stats`` (aggregates only)."""

import sqlite3
from datetime import UTC, datetime

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


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly(conn: sqlite3.Connection) -> list[dict]:
    """Per month: conversions and reconversions, circulation and reserve at the month's end.

    A reversal counts against the month of the entry it cancels, so a month's figures
    never go below zero; circulation and reserve are balances as booked. Payments never
    change either, so only the other entries are read.
    """
    flows = conn.execute(
        "SELECT substr(COALESCE(o.date, e.date), 1, 7), COALESCE(o.kind, e.kind),"
        " SUM(l.cents), COUNT(DISTINCT e.id), e.kind = 'reversal'"
        " FROM entries e LEFT JOIN entries o ON o.id = e.reverses"
        " JOIN lines l ON l.entry_id = e.id"
        " WHERE e.kind <> 'payment' AND l.account = 'sys:issuance' GROUP BY 1, 2, 5"
    ).fetchall()
    levels = conn.execute(
        "SELECT substr(e.date, 1, 7), a.kind, SUM(l.cents)"
        # CROSS JOIN keeps SQLite from scanning every line: start from the few accounts.
        " FROM accounts a CROSS JOIN lines l ON l.account = a.id"
        " JOIN entries e ON e.id = l.entry_id"
        " WHERE e.kind <> 'payment' AND a.kind IN ('issuance', 'reserve') GROUP BY 1, 2"
    ).fetchall()
    if not levels:
        return []
    per: dict[str, dict[str, int]] = {}
    for month, kind, cents, count, is_reversal in flows:
        m = per.setdefault(month, {})
        sign = -1 if is_reversal else 1
        if kind == "conversion":
            m["conversions"] = m.get("conversions", 0) + sign * count
            m["conversions_cents"] = m.get("conversions_cents", 0) - cents
        elif kind == "reconversion":
            m["reconversions"] = m.get("reconversions", 0) + sign * count
            m["reconversions_cents"] = m.get("reconversions_cents", 0) + cents
    for month, account_kind, cents in levels:
        m = per.setdefault(month, {})
        key = "reserve_delta" if account_kind == "reserve" else "issued_delta"
        m[key] = m.get(key, 0) + (cents if account_kind == "reserve" else -cents)
    series, circulation, reserve = [], 0, 0
    for month in _months(min(per), max(per)):
        m = per.get(month, {})
        circulation += m.get("issued_delta", 0)
        reserve += m.get("reserve_delta", 0)
        series.append(
            {
                "month": month,
                "conversions": m.get("conversions", 0),
                "conversions_cents": m.get("conversions_cents", 0),
                "reconversions": m.get("reconversions", 0),
                "reconversions_cents": m.get("reconversions_cents", 0),
                "circulation_end_cents": circulation,
                "reserve_end_cents": reserve,
            }
        )
    return series


def stats(conn: sqlite3.Connection) -> dict:
    """Aggregates for the public transparency page: numbers and dates only.

    No name, email, IBAN, label or account id is ever part of it.
    """
    t = totals(conn)
    series = monthly(conn)
    kinds = dict(
        conn.execute(
            "SELECT kind, COUNT(*) FROM accounts WHERE kind IN ('member', 'pro') GROUP BY kind"
        )
    )
    head = conn.execute("SELECT id, hash, date FROM entries ORDER BY id DESC LIMIT 1").fetchone()
    period = conn.execute("SELECT MIN(date), MAX(date) FROM entries").fetchone()
    last = conn.execute("SELECT MAX(end_date) FROM statements").fetchone()[0]
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
        "conversions": sum(m["conversions"] for m in series),
        "conversions_cents": sum(m["conversions_cents"] for m in series),
        "reconversions": sum(m["reconversions"] for m in series),
        "reconversions_cents": sum(m["reconversions_cents"] for m in series),
        "accounts": {"member": kinds.get("member", 0), "pro": kinds.get("pro", 0)},
        "last_reconciled_statement": last,
        "entries": head[0] if head else 0,
        "chain_head": head[1] if head else None,
        "monthly": series,
    }
