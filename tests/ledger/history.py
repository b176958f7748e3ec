"""The published figures recomputed in plain Python from every entry and line, for tests.

Independent of ``month_totals``, of its SQL (``summary.TOTALS``, what ``verify`` checks the
stored totals against) and of the incremental path (``summary.add``): a reversal counts
against the month of the entry it cancels; circulation and reserve are balances at each
month's end; payments are classed by the kinds of their payer and payee.
"""

import sqlite3
from collections import Counter, defaultdict
from itertools import groupby

from labulle.ledger import territory
from labulle.ledger.reports import _months

_PAYMENT_KEYS = {("member", "pro"): "resident_to_pro", ("pro", "pro"): "pro_to_pro"}


def history(conn: sqlite3.Connection) -> tuple[list[dict], list[dict]]:
    """(monthly series, commune cells) as ``stats`` publishes them, from the raw books."""
    entries = {
        row[0]: row[1:] for row in conn.execute("SELECT id, date, kind, reverses FROM entries")
    }
    kinds = dict(conn.execute("SELECT id, kind FROM accounts"))
    per: dict[str, Counter] = defaultdict(Counter)
    received: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rows = conn.execute("SELECT entry_id, account, cents FROM lines ORDER BY entry_id, seq")
    for entry_id, lines in groupby(rows, key=lambda row: row[0]):
        day, kind, reverses = entries[entry_id]
        month, sign = day[:7], 1
        if kind == "reversal":
            origin_day, kind, _ = entries[reverses]
            month, sign = origin_day[:7], -1
        lines = [(account, cents) for _id, account, cents in lines]
        for account, cents in lines:
            _level(per, day[:7], month, kinds[account], kind, sign, cents)
        if kind == "payment":
            _payment(per[month], received, kinds, lines, sign)
    series = _series(per)
    where = dict(conn.execute("SELECT account, commune FROM pro_communes"))
    cells = territory.cells([(where.get(a), n, c) for a, (n, c) in received.items()])
    return series, cells


def _level(per, day_month: str, month: str, account_kind: str, kind: str, sign: int, cents: int):
    """The reserve, circulation, conversion and reconversion figures of one line."""
    if account_kind == "reserve":
        per[day_month]["reserve"] += cents
    if account_kind != "issuance":
        return
    per[day_month]["circulation"] -= cents
    if kind == "conversion":
        per[month]["conversions"] += sign
        per[month]["conversions_cents"] -= cents
    elif kind == "reconversion":
        per[month]["reconversions"] += sign
        per[month]["reconversions_cents"] += cents


def _payment(month: Counter, received: dict, kinds: dict, lines: list, sign: int) -> None:
    """A payment (sign 1) or its reversal (sign -1): the payee gains in the payment."""
    payee = next((a, c) for a, c in lines if c * sign > 0)
    payer = next(a for a, c in lines if c * sign < 0)
    key = _PAYMENT_KEYS.get((kinds[payer], kinds[payee[0]]))
    if key:
        month[key] += sign
        month[f"{key}_cents"] += payee[1]
    if kinds[payee[0]] == "pro":
        received[payee[0]][0] += sign
        received[payee[0]][1] += payee[1]


def _series(per: dict[str, Counter]) -> list[dict]:
    series, circulation, reserve = [], 0, 0
    for month in _months(min(per), max(per)) if per else []:
        m = per[month]
        circulation, reserve = circulation + m["circulation"], reserve + m["reserve"]
        row = {"month": month}
        for key in ("conversions", "reconversions", "resident_to_pro", "pro_to_pro"):
            row[key], row[f"{key}_cents"] = m[key], m[f"{key}_cents"]
        row.update(circulation_end_cents=circulation, reserve_end_cents=reserve)
        received = row["resident_to_pro_cents"] + row["pro_to_pro_cents"]
        row.update(territory.rates(received, row["pro_to_pro_cents"], row["reconversions_cents"]))
        series.append(row)
    return series
