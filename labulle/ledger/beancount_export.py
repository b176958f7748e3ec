"""Write the ledger as a beancount file that ``bean-check`` accepts with zero tolerance."""

import os
import sqlite3
from contextlib import suppress
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path
from typing import TextIO

from labulle.ledger.errors import write_error
from labulle.ledger.money import plain_decimal
from labulle.ledger.reports import require_date
from labulle.text import escaped

SYSTEM_NAMES = {
    "sys:owed": "Liabilities:Owed-to-holders",
    "sys:issuance": "Equity:Issuance",
    "sys:fees": "Income:Reconversion-fees",
    "sys:payouts": "Liabilities:Payouts-due",
    "sys:external": "Equity:Own-funds",
    "sys:transit": "Assets:Transit",
}


def account_name(account_id: str, kind: str) -> str:
    """``alice`` (member) -> ``Assets:Members:Alice``; ``reserve:123`` -> ``Assets:Reserve:123``."""
    if account_id in SYSTEM_NAMES:
        return SYSTEM_NAMES[account_id]
    if kind == "reserve":
        return "Assets:Reserve:" + account_id.split(":", 1)[1].capitalize()
    parent = "Members" if kind == "member" else "Pros"
    return f"Assets:{parent}:{account_id[0].upper()}{account_id[1:]}"


def _quote(text: str) -> str:
    """A beancount string on one line; control characters are written as escapes."""
    return '"' + escaped(" ".join(text.split())).replace("\\", "\\\\").replace('"', '\\"') + '"'


def export(conn: sqlite3.Connection, target: Path) -> int:
    """Write every entry, plus final balance assertions; returns the number of entries.

    The file appears whole or not at all (written beside ``target``, then renamed); a stored
    date the one date rule rejects stops the export (``verify`` names the entry).
    """
    temp = target.with_name(target.name + ".tmp")
    try:
        with temp.open("w", encoding="utf-8") as out:
            count = _write(conn, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException as error:
        with suppress(OSError):
            temp.unlink(missing_ok=True)
        raise write_error(error, target) from error
    return count


def _write(conn: sqlite3.Connection, out: TextIO) -> int:
    accounts = conn.execute("SELECT id, kind, commodity FROM accounts ORDER BY id").fetchall()
    names = {aid: account_name(aid, kind) for aid, kind, _ in accounts}
    first, last = conn.execute("SELECT MIN(date), MAX(date) FROM entries").fetchone()
    opened = (
        conn.execute("SELECT MIN(opened_at) FROM accounts").fetchone()[0]
        or date.today().isoformat()
    )
    for day in (first, last, opened):
        require_date(day)
    start = min(filter(None, [first, opened]))
    end = (date.fromisoformat(max(filter(None, [last, opened]))) + timedelta(days=1)).isoformat()
    count = 0
    out.write('option "title" "La Bulle : grand livre du pilote numérique"\n')
    out.write('option "operating_currency" "EUR"\noption "tolerance_multiplier" "0"\n\n')
    out.write(f"{start} commodity EUR\n{start} commodity BULLE\n")
    for aid, _kind, commodity in accounts:
        out.write(f"{start} open {names[aid]} {commodity}\n")
    rows = conn.execute(
        "SELECT e.id, e.date, e.kind, e.memo, e.hash, l.account, l.commodity, l.cents"
        " FROM entries e JOIN lines l ON l.entry_id = e.id ORDER BY e.id, l.seq"
    )
    sound = set()  # dates already checked (an export walks a million entries)
    for entry_id, group in groupby(rows, key=lambda r: r[0]):
        group = list(group)
        _, day, kind, memo, digest = group[0][:5]
        if day not in sound:
            require_date(day)
            sound.add(day)
        parts = [
            f'\n{day} * {_quote(memo)}\n  entry: {entry_id}\n  kind: "{kind}"\n'
            f'  hash: "{digest}"\n'
        ]
        parts.extend(f"  {names[r[5]]}  {plain_decimal(r[7])} {r[6]}\n" for r in group)
        out.write("".join(parts))
        count += 1
    out.write("\n")
    for aid, cents, commodity in conn.execute(
        "SELECT a.id, COALESCE(b.cents, 0), a.commodity FROM accounts a"
        " LEFT JOIN balances b ON b.account = a.id ORDER BY a.id"
    ):
        out.write(f"{end} balance {names[aid]}  {plain_decimal(cents)} {commodity}\n")
    return count
