"""The invariants of the spec, checked in full by ``bulle-ledger verify``.

Each check returns a list of French problem sentences; ``verify`` runs them all and
reports everything it found (it never stops at the first one).
"""

import hashlib
import sqlite3
from itertools import groupby

from labulle.ledger import accounts as acc
from labulle.ledger import summary
from labulle.ledger.chain import GENESIS, entry_hash
from labulle.ledger.dates import EARLIEST, LATEST, DateProblem, parse_iso, parse_timestamp
from labulle.ledger.money import format_cents as fc


def totals(conn: sqlite3.Connection) -> dict[str, int]:
    """Circulation, owed euros, reserve, retained fees and payouts due (cached balances)."""
    by_kind = dict(
        conn.execute(
            "SELECT a.kind, SUM(b.cents) FROM balances b JOIN accounts a ON a.id = b.account"
            " GROUP BY a.kind"
        ).fetchall()
    )
    return {
        "circulation": -by_kind.get("issuance", 0),
        "participants": by_kind.get("member", 0) + by_kind.get("pro", 0),
        "owed": -by_kind.get("owed", 0),
        "reserve": by_kind.get("reserve", 0),
        "fees": -by_kind.get("fees", 0),
        "payouts_due": -by_kind.get("payouts", 0),
    }


def coverage_problems(conn: sqlite3.Connection) -> list[str]:
    """Invariant 3 on the cached balances (cheap: run after every command)."""
    t = totals(conn)
    problems = []
    if t["circulation"] != t["owed"]:
        problems.append(
            f"les euros dus ({fc(t['owed'])} €) diffèrent des Bulles en circulation "
            f"({fc(t['circulation'])})"
        )
    available = t["reserve"] - t["fees"] - t["payouts_due"]
    if t["circulation"] > available:
        problems.append(
            f"les Bulles en circulation ({fc(t['circulation'])}) dépasseraient la réserve "
            f"disponible ({fc(available)} € après commissions et reconversions dues)"
        )
    return problems


def check_chain(conn: sqlite3.Connection) -> list[str]:
    """Invariants 1 and 7: every entry balances per commodity and the hash chain is intact."""
    commodity_of = dict(conn.execute("SELECT id, commodity FROM accounts"))
    problems: list[str] = []
    rows = conn.execute(
        "SELECT e.id, e.ts, e.date, e.kind, e.operator, e.memo, e.bank_line_id, e.payout_id,"
        " e.reverses, e.prev_hash, e.hash, l.account, l.commodity, l.cents"
        " FROM entries e LEFT JOIN lines l ON l.entry_id = e.id ORDER BY e.id, l.seq"
    )
    expected_prev, expected_id = GENESIS, 1
    for entry_id, group in groupby(rows, key=lambda r: r[0]):
        group = list(group)
        first = group[0]
        lines = [(r[11], r[12], r[13]) for r in group if r[11] is not None]
        if entry_id != expected_id:
            problems.append(f"écriture {expected_id} manquante dans la chaîne")
        if first[9] != expected_prev:
            problems.append(f"écriture {entry_id} : le hachage précédent ne correspond pas")
        if entry_hash(first[9], first[:9], lines) != first[10]:
            problems.append(f"écriture {entry_id} : le hachage ne correspond pas à son contenu")
        sums: dict[str, int] = {}
        for account, commodity, cents in lines:
            if commodity_of.get(account) != commodity:
                problems.append(f"écriture {entry_id} : ligne en {commodity} sur « {account} »")
            sums[commodity] = sums.get(commodity, 0) + cents
        if any(sums.values()) or len(lines) < 2:
            problems.append(f"écriture {entry_id} : elle n'est pas équilibrée")
        expected_prev, expected_id = first[10], entry_id + 1
    return problems


def check_balances(conn: sqlite3.Connection) -> list[str]:
    """Invariants 2 and 3, recomputed from the lines (not the cache)."""
    problems = []
    recomputed = dict(conn.execute("SELECT account, SUM(cents) FROM lines GROUP BY account"))
    cached = dict(conn.execute("SELECT account, cents FROM balances"))
    for account in sorted(set(recomputed) | set(cached)):
        if recomputed.get(account, 0) != cached.get(account, 0):
            problems.append(f"le solde mémorisé de « {account} » ne correspond pas à ses lignes")
    kinds = dict(conn.execute("SELECT id, kind FROM accounts"))
    participants = 0
    for account, cents in recomputed.items():
        if kinds.get(account) in acc.PARTICIPANT_KINDS:
            participants += cents
            if cents < 0:
                problems.append(f"le solde de « {account} » est négatif ({fc(cents)})")
    circulation = -recomputed.get(acc.ISSUANCE, 0)
    if participants != circulation:
        problems.append(
            f"la somme des comptes ({fc(participants)}) diffère des Bulles émises "
            f"({fc(circulation)})"
        )
    return problems + coverage_problems(conn)


def check_bank_lines(conn: sqlite3.Connection) -> list[str]:
    """Invariant 4: each bank line credited at most once, conversions equal their line."""
    problems = []
    for (line_id,) in conn.execute(
        "SELECT e.bank_line_id FROM entries e WHERE e.bank_line_id IS NOT NULL"
        " AND e.kind <> 'reversal' AND NOT EXISTS (SELECT 1 FROM entries r WHERE r.reverses = e.id)"
        " GROUP BY e.bank_line_id HAVING COUNT(*) > 1"
    ):
        problems.append(f"la ligne bancaire {line_id} est créditée plusieurs fois")
    for (entry_id,) in conn.execute(
        "SELECT e.id FROM entries e WHERE e.kind = 'conversion' AND (e.bank_line_id IS NULL OR"
        " (SELECT b.amount_cents FROM bank_lines b WHERE b.id = e.bank_line_id) <>"
        " (SELECT SUM(l.cents) FROM lines l WHERE l.entry_id = e.id AND l.account LIKE 'reserve:%')"
        " OR (SELECT b.amount_cents FROM bank_lines b WHERE b.id = e.bank_line_id) <>"
        " -(SELECT SUM(l.cents) FROM lines l WHERE l.entry_id = e.id AND l.account = ?))",
        (acc.ISSUANCE,),
    ):
        problems.append(f"la conversion {entry_id} ne correspond pas à sa ligne bancaire")
    for (entry_id,) in conn.execute(
        "SELECT e.id FROM entries e JOIN payouts p ON p.id = e.payout_id"
        " WHERE e.kind = 'settlement' AND (SELECT b.amount_cents FROM bank_lines b"
        " WHERE b.id = e.bank_line_id) IS NOT -p.net_cents"
    ):
        problems.append(f"le règlement {entry_id} ne correspond pas à sa reconversion")
    return problems


def check_reconversions(conn: sqlite3.Connection) -> list[str]:
    """Invariant 5: only pro accounts reconvert, for their gross amount minus the fee."""
    problems = []
    for entry_id, pro_kind in conn.execute(
        "SELECT e.id, a.kind FROM entries e JOIN payouts p ON p.id = e.payout_id"
        " JOIN accounts a ON a.id = p.pro WHERE e.kind = 'reconversion'"
    ):
        if pro_kind != "pro":
            problems.append(f"la reconversion {entry_id} est faite par un compte non pro")
    for (entry_id,) in conn.execute(
        "SELECT e.id FROM entries e JOIN payouts p ON p.id = e.payout_id"
        " WHERE e.kind = 'reconversion' AND (SELECT SUM(l.cents) FROM lines l"
        " WHERE l.entry_id = e.id AND l.account = p.pro) IS NOT -p.gross_cents"
    ):
        problems.append(f"la reconversion {entry_id} ne débite pas le montant demandé")
    return problems


def statement_digest(rows: list[tuple]) -> str:
    """Digest of a statement's lines (key, date, amount, label) in order."""
    text = "\n".join([f"{key}|{day}|{cents}|{label}" for key, day, cents, label in rows])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_statements(conn: sqlite3.Connection) -> list[str]:
    """Invariant 6: statements add up, chain, and their lines are unchanged."""
    problems = []
    previous: dict[str, int] = {}
    statements = conn.execute(
        "SELECT id, bank_account, opening_cents, closing_cents, digest, source_name"
        " FROM statements ORDER BY id"
    ).fetchall()
    for sid, bank, opening, closing, digest, source in statements:
        rows = conn.execute(
            "SELECT lkey, booking_date, amount_cents, label FROM bank_lines"
            " WHERE statement_id = ? ORDER BY id",
            (sid,),
        ).fetchall()
        if opening + sum(r[2] for r in rows) != closing:
            problems.append(f"le relevé {sid} ({source}) ne s'additionne pas")
        if statement_digest(rows) != digest:
            problems.append(f"les lignes du relevé {sid} ({source}) ont été modifiées")
        if bank in previous and previous[bank] != opening:
            problems.append(f"le relevé {sid} ({source}) ne suit pas le relevé précédent")
        previous[bank] = closing
    return problems


# Every date column of the schema: (table, key, column, how a row is named, which date it is).
DATES = (
    ("entries", "id", "date", "écriture {}", ""),
    ("bank_lines", "id", "booking_date", "ligne bancaire {}", "date d'opération"),
    ("bank_lines", "id", "value_date", "ligne bancaire {}", "date de valeur"),
    ("statements", "id", "start_date", "relevé {}", "date de début"),
    ("statements", "id", "end_date", "relevé {}", "date de fin"),
    ("payouts", "id", "created_at", "reconversion {}", ""),
    ("accounts", "id", "opened_at", "compte « {} »", "date d'ouverture"),
)
TIMESTAMPS = (
    ("entries", "id", "ts", "écriture {}", "horodatage"),
    ("statements", "id", "imported_at", "relevé {}", "date d'import"),
    ("signups", "id", "received_at", "inscription {}", "date de réception"),
    ("signups", "id", "consent_at", "inscription {}", "date du consentement"),
    ("signups", "id", "discarded_at", "inscription {}", "date de mise à l'écart"),
    ("migrations", "name", "applied_at", "migration {}", "date d'application"),
)
# SQL's view of a sound day (ASCII digits, a real calendar day, in range): only the rows
# it rejects are read into Python, whose rule (``dates.parse_iso``) has the last word.
_SOUND_DAY = (
    "({day} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
    " AND date({day}, '+0 days') IS {day}"  # the modifier normalises 02-30 to 03-02
    f" AND {{day}} BETWEEN '{EARLIEST.isoformat()}' AND '{LATEST.isoformat()}')"
)


def check_dates(conn: sqlite3.Connection) -> list[str]:
    """Every stored date is a real day in the allowed range; every timestamp is ISO 8601."""
    problems = []
    for columns, parse, sound in (
        (DATES, parse_iso, _SOUND_DAY.format(day="{column}")),
        (TIMESTAMPS, parse_timestamp, _SOUND_DAY.format(day="substr({column}, 1, 10)")
         + " AND (length({column}) = 10 OR datetime({column}) IS NOT NULL)"),
    ):
        for table, key, column, row_name, what in columns:
            rows = conn.execute(
                f"SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL"
                f" AND NOT ({sound.format(column=column)}) ORDER BY {key}"
            )
            for row_key, value in rows:
                try:
                    parse(value if isinstance(value, str) else repr(value))
                except DateProblem as problem:
                    what_ = f"{what} : " if what else ""
                    problems.append(f"{row_name.format(row_key)} : {what_}{problem}")
    return problems


def verify(conn: sqlite3.Connection) -> list[str]:
    """Run every check; an empty list means the ledger is sound."""
    problems: list[str] = []
    for check in (
        check_dates,
        check_chain,
        check_balances,
        check_bank_lines,
        check_reconversions,
        check_statements,
        summary.problems,
    ):
        problems.extend(check(conn))
    return problems
