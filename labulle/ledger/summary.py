"""Month-by-month totals of history, kept for ``stats`` so it never re-reads every line.

``month_totals`` is derived data, like ``balances``: each command adds the totals of the
entries it writes, in the same transaction; ``verify`` recomputes the whole table from
entries and lines in SQL (``TOTALS``, also used by the migration that created it), so a
stale or edited row is reported.

Measures (one row per month and measure, counting lines: ``entries``, their ``cents``, and
the first and last date of their entries):

- ``entries``: every entry (one row each, no cents), by its date: the books' period;
- ``issuance``, ``reserve``: lines on accounts of that kind, by their entry's date;
- ``conversion``, ``reconversion``: the issuance line of those entries (one each), so the
  count is the number of conversions or reconversions, by their date;
- ``conversion-reversed``, ``reconversion-reversed``: the issuance line of their
  reversals, by the month of the entry they cancel (so a month's figures never go below
  zero);
- ``payment-<payer kind>-<payee kind>`` (``payment-member-pro``, ``payment-pro-pro``…):
  payments between participants, by the kinds of their two accounts; ``received:<account>``:
  the payments a pro account received. A payment's reversal counts minus one payment and
  minus its amount in the month of the payment it cancels.
"""

import sqlite3

CREATE = """
CREATE TABLE month_totals (
    month TEXT NOT NULL,
    measure TEXT NOT NULL,
    entries INTEGER NOT NULL,
    cents INTEGER NOT NULL,
    first_date TEXT NOT NULL,
    last_date TEXT NOT NULL,
    PRIMARY KEY (month, measure)
) STRICT, WITHOUT ROWID
"""

# The totals recomputed from all history (``verify``; the migrations). Each payment is read
# once with its payer's and payee's lines (entries first: the planner would otherwise scan
# every line of the books).
TOTALS = """
SELECT substr(e.date, 1, 7), 'entries', COUNT(*), 0, MIN(e.date), MAX(e.date)
FROM entries e GROUP BY 1
UNION ALL
SELECT substr(e.date, 1, 7), a.kind, COUNT(*), SUM(l.cents), MIN(e.date), MAX(e.date)
FROM entries e JOIN lines l ON l.entry_id = e.id JOIN accounts a ON a.id = l.account
WHERE e.kind <> 'payment' AND a.kind IN ('issuance', 'reserve')
GROUP BY 1, 2
UNION ALL
SELECT substr(COALESCE(o.date, e.date), 1, 7),
       COALESCE(o.kind, e.kind) || IIF(e.kind = 'reversal', '-reversed', ''),
       COUNT(*), SUM(l.cents), MIN(e.date), MAX(e.date)
FROM entries e LEFT JOIN entries o ON o.id = e.reverses
JOIN lines l ON l.entry_id = e.id AND l.account = 'sys:issuance'
WHERE e.kind IN ('conversion', 'reconversion', 'reversal')
  AND COALESCE(o.kind, e.kind) IN ('conversion', 'reconversion')
GROUP BY 1, 2
UNION ALL
SELECT month, 'payment-' || payer || '-' || payee, SUM(n), SUM(cents), MIN(day), MAX(day)
FROM (SELECT substr(COALESCE(o.date, e.date), 1, 7) AS month, pa.kind AS payer,
             ta.kind AS payee, IIF(e.kind = 'reversal', -1, 1) AS n, t.cents, e.date AS day
      FROM entries e LEFT JOIN entries o ON o.id = e.reverses
      CROSS JOIN lines t ON t.entry_id = e.id AND (t.cents > 0) = (e.kind = 'payment')
      CROSS JOIN lines p ON p.entry_id = e.id AND (p.cents < 0) = (e.kind = 'payment')
      JOIN accounts ta ON ta.id = t.account JOIN accounts pa ON pa.id = p.account
      WHERE e.kind IN ('payment', 'reversal') AND COALESCE(o.kind, e.kind) = 'payment')
GROUP BY month, payer, payee
UNION ALL
SELECT substr(COALESCE(o.date, e.date), 1, 7), 'received:' || t.account,
       SUM(IIF(e.kind = 'reversal', -1, 1)), SUM(t.cents), MIN(e.date), MAX(e.date)
FROM entries e LEFT JOIN entries o ON o.id = e.reverses
CROSS JOIN lines t ON t.entry_id = e.id AND (t.cents > 0) = (e.kind = 'payment')
JOIN accounts ta ON ta.id = t.account AND ta.kind = 'pro'
WHERE e.kind IN ('payment', 'reversal') AND COALESCE(o.kind, e.kind) = 'payment'
GROUP BY 1, 2
"""

_UPSERT = """
INSERT INTO month_totals (month, measure, entries, cents, first_date, last_date)
{rows}
ON CONFLICT (month, measure) DO UPDATE SET
    entries = entries + excluded.entries,
    cents = cents + excluded.cents,
    first_date = min(first_date, excluded.first_date),
    last_date = max(last_date, excluded.last_date)
"""


def fill(conn: sqlite3.Connection) -> None:
    """Migration: create the table and fill it from the whole history."""
    conn.execute(CREATE)
    conn.execute(_UPSERT.format(rows=f"SELECT * FROM ({TOTALS}) WHERE true"))


def refill(conn: sqlite3.Connection) -> None:
    """Migration: recompute the table from the whole history (new measures were added)."""
    conn.execute("DELETE FROM month_totals")
    conn.execute(_UPSERT.format(rows=f"SELECT * FROM ({TOTALS}) WHERE true"))


def add(
    conn: sqlite3.Connection,
    entries: list[tuple],
    lines: list[tuple],
    kind_of: dict[str, tuple[str, str]],
) -> None:
    """Add entries being written, as the rows ``Journal.flush`` inserts (the same totals
    as ``TOTALS``, computed here from memory: an import writes thousands of entries).

    ``kind_of`` maps every account of ``lines`` to its (kind, commodity).
    """
    totals: dict[tuple[str, str], list] = {}
    dated: dict[int, tuple] = {}  # entry id -> (month, date, kind, reverses), payments left out
    paid: dict[int, tuple] = {}  # payment or its reversal -> (month counted, date, sign)
    for entry in entries:
        entry_id, date, kind, reverses = entry[0], entry[2], entry[3], entry[8]
        _count(totals, (date[:7], "entries"), 0, date)
        if kind == "payment":
            paid[entry_id] = (date[:7], date, 1)
        else:
            dated[entry_id] = (date[:7], date, kind, reverses)
    originals = _originals(conn, [e[3] for e in dated.values() if e[3] is not None])
    for entry_id, (_month, date, _kind, reverses) in dated.items():
        if originals.get(reverses, ("", ""))[1] == "payment":
            paid[entry_id] = (originals[reverses][0][:7], date, -1)
    levels = {account for account in {line[2] for line in lines} if kind_of[account][0] in _LEVELS}
    for entry_id, _seq, account, _commodity, cents in lines:
        if account not in levels or entry_id not in dated:
            continue
        kind = kind_of[account][0]
        month, date, entry_kind, reverses = dated[entry_id]
        _count(totals, (month, kind), cents, date)
        if kind != "issuance":
            continue
        if entry_kind in _FLOWS:
            _count(totals, (month, entry_kind), cents, date)
        elif originals.get(reverses, ("", ""))[1] in _FLOWS:
            original = originals[reverses]
            _count(totals, (original[0][:7], f"{original[1]}-reversed"), cents, date)
    _add_payments(totals, paid, lines, kind_of)
    conn.executemany(
        _UPSERT.format(rows="VALUES (?, ?, ?, ?, ?, ?)"),
        [(*key, *row) for key, row in totals.items()],
    )


_LEVELS = ("issuance", "reserve")
_FLOWS = ("conversion", "reconversion")


def _add_payments(totals: dict, paid: dict[int, tuple], lines: list[tuple], kind_of: dict):
    """The ``payment-…`` and ``received:…`` measures of the payments (and their reversals)
    among ``lines``: the payee is the line that gains in the payment itself."""
    if not paid:
        return
    parties: dict[int, list] = {}  # entry id -> [payer, payee, payee's cents]
    for entry_id, _seq, account, _commodity, cents in lines:
        if entry_id in paid:
            slot = parties.setdefault(entry_id, [None, None, 0])
            if cents * paid[entry_id][2] > 0:
                slot[1], slot[2] = account, cents
            else:
                slot[0] = account
    for entry_id, (payer, payee, cents) in parties.items():
        month, date, sign = paid[entry_id]
        payee_kind = kind_of[payee][0]
        _count(totals, (month, f"payment-{kind_of[payer][0]}-{payee_kind}"), cents, date, sign)
        if payee_kind == "pro":
            _count(totals, (month, f"received:{payee}"), cents, date, sign)


def _count(
    totals: dict[tuple[str, str], list], key: tuple[str, str], cents: int, date: str, step=1
) -> None:
    """``step`` more lines (minus one for a reversed payment) under ``key``:
    [lines, cents, first date, last date]."""
    row = totals.get(key)
    if row is None:
        totals[key] = [step, cents, date, date]
        return
    row[0] += step
    row[1] += cents
    if date < row[2]:
        row[2] = date
    elif date > row[3]:
        row[3] = date


def _originals(conn: sqlite3.Connection, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Date and kind of the entries ``ids`` that reversals cancel."""
    found = {}
    for entry_id in ids:
        row = conn.execute("SELECT date, kind FROM entries WHERE id = ?", (entry_id,)).fetchone()
        if row:
            found[entry_id] = (row[0], row[1])
    return found


# How ``verify`` names a measure of ``month_totals`` (the published figure it feeds).
FIGURES = {
    "payment-member-pro": "paiements des habitants aux pros",
    "payment-pro-pro": "paiements entre pros",
}


def figure_name(measure: str) -> str:
    if measure.startswith("received:"):
        return f"paiements reçus par le pro {measure.removeprefix('received:')}"
    return FIGURES.get(measure, measure)


def problems(conn: sqlite3.Connection) -> list[str]:
    """Rows of ``month_totals`` that differ from a recomputation from history."""
    stored = {(r[0], r[1]): r[2:] for r in conn.execute("SELECT * FROM month_totals")}
    recomputed = {(r[0], r[1]): r[2:] for r in conn.execute(TOTALS)}
    return [
        f"le total mensuel « {figure_name(measure)} » de {month} ne correspond pas à l'historique"
        for month, measure in sorted(set(stored) | set(recomputed))
        if stored.get((month, measure)) != recomputed.get((month, measure))
    ]
