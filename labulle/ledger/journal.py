"""Posting entries: validation (balance per commodity), hash chaining, per-command checks."""

import sqlite3
from datetime import UTC, datetime
from typing import NamedTuple

from labulle.ledger import summary
from labulle.ledger.chain import GENESIS, Hasher
from labulle.ledger.dates import DateProblem, parse_iso
from labulle.ledger.db import insert_rows
from labulle.ledger.errors import LedgerError
from labulle.ledger.money import format_cents


class Line(NamedTuple):
    """One posting: ``cents`` of ``commodity`` on ``account`` (positive = debit).

    A plain tuple (account, commodity, cents): the form the hash chain serialises.
    """

    account: str
    commodity: str
    cents: int


ENTRY_COLUMNS = (
    "id", "ts", "date", "kind", "operator", "memo", "bank_line_id", "payout_id", "reverses",
    "prev_hash", "hash",
)  # fmt: skip
LINE_COLUMNS = ("entry_id", "seq", "account", "commodity", "cents")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def today_iso() -> str:
    return datetime.now().date().isoformat()


class Journal:
    """Writes entries inside the caller's transaction, one command at a time.

    Keeps the chain head and the accounts it saw, so a command posting thousands of
    entries (an import) does not re-read them; ``check()`` then verifies the invariants
    the command may have broken.
    """

    def __init__(self, conn: sqlite3.Connection, operator: str):
        self.conn = conn
        self.operator = operator
        self._kinds: dict[str, tuple[str, str]] = {}
        self._head: tuple[int, str] | None = None
        self._hash = Hasher()
        self.buffering = False
        self.ts = now_iso()  # one timestamp per command
        self._entries: list[tuple] = []
        self._lines: list[tuple] = []
        self._sound_dates: set[str] = set()

    def account_kind(self, account_id: str) -> tuple[str, str]:
        """(kind, commodity) of an account, or a refusal when it does not exist."""
        if account_id not in self._kinds:
            row = self.conn.execute(
                "SELECT kind, commodity FROM accounts WHERE id = ?", (account_id,)
            ).fetchone()
            if row is None:
                raise LedgerError(f"compte inconnu : « {account_id} »")
            self._kinds[account_id] = row
        return self._kinds[account_id]

    def preload(self) -> None:
        """Read every account's kind at once (for commands touching thousands of them)."""
        for account_id, kind, commodity in self.conn.execute(
            "SELECT id, kind, commodity FROM accounts"
        ):
            self._kinds[account_id] = (kind, commodity)

    def head(self) -> tuple[int, str]:
        if self._head is None:
            row = self.conn.execute(
                "SELECT id, hash FROM entries ORDER BY id DESC LIMIT 1"
            ).fetchone()
            self._head = row if row else (0, GENESIS)
        return self._head

    def validate(self, lines: list[tuple[str, str, int]]) -> None:
        """Refuse an empty or unbalanced entry, or a line in the wrong commodity."""
        if len(lines) < 2:
            raise LedgerError("écriture refusée : il faut au moins deux lignes")
        totals: dict[str, int] = {}
        known = self._kinds
        for account, commodity, cents in lines:
            held = (known.get(account) or self.account_kind(account))[1]
            if commodity != held:
                raise LedgerError(
                    f"écriture refusée : le compte « {account} » tient des {held}, "
                    f"pas des {commodity}"
                )
            if cents == 0:
                raise LedgerError("écriture refusée : une ligne a un montant nul")
            totals[commodity] = totals.get(commodity, 0) + cents
        if not any(totals.values()):
            return
        for commodity, total in sorted(totals.items()):
            if total != 0:
                raise LedgerError(
                    f"écriture déséquilibrée : la somme des lignes en {commodity} vaut "
                    f"{format_cents(total)} au lieu de zéro"
                )

    def check_date(self, date: str) -> None:
        """Refuse an entry dated outside the one date rule (each date checked once)."""
        if date not in self._sound_dates:
            try:
                parse_iso(date)
            except DateProblem as problem:
                raise LedgerError(f"écriture refusée : {problem}") from None
            self._sound_dates.add(date)

    def post(
        self,
        kind: str,
        date: str,
        memo: str,
        lines: list[tuple[str, str, int]],
        *,
        bank_line_id: int | None = None,
        payout_id: int | None = None,
        reverses: int | None = None,
    ) -> int:
        """Validate, chain and insert one entry; return its id.

        ``lines`` are ``Line`` or plain (account, commodity, cents) tuples.
        """
        self.validate(lines)
        self.check_date(date)
        last_id, prev_hash = self._head or self.head()
        entry_id = last_id + 1
        header = (
            entry_id,
            self.ts,
            date,
            kind,
            self.operator,
            memo,
            bank_line_id,
            payout_id,
            reverses,
        )
        digest = self._hash(prev_hash, header, lines)
        self._entries.append((*header, prev_hash, digest))
        self._lines.extend([(entry_id, seq, *line) for seq, line in enumerate(lines)])
        self._head = (entry_id, digest)
        if not self.buffering:
            self.flush()
        return entry_id

    def flush(self) -> None:
        """Write the buffered entries (an import posts thousands, then flushes once)."""
        if self._entries:
            insert_rows(self.conn, "entries", ENTRY_COLUMNS, self._entries)
            insert_rows(self.conn, "lines", LINE_COLUMNS, self._lines)
            moves: dict[str, int] = {}
            for _entry, _seq, account, _commodity, cents in self._lines:
                moves[account] = moves.get(account, 0) + cents
            self.conn.executemany(
                "INSERT INTO balances (account, cents) VALUES (?, ?) ON CONFLICT (account)"
                " DO UPDATE SET cents = cents + excluded.cents",
                moves.items(),
            )
            summary.add(self.conn, self._entries, self._lines, self._kinds)
            self._entries, self._lines = [], []

    def check(self) -> None:
        """After a command: no participant below zero; the reserve covers circulation."""
        from labulle.ledger.verify import coverage_problems

        self.flush()
        negative = self.conn.execute(
            "SELECT b.account, b.cents FROM balances b JOIN accounts a ON a.id = b.account"
            " WHERE b.cents < 0 AND a.kind IN ('member', 'pro') ORDER BY b.account LIMIT 1"
        ).fetchone()
        if negative:
            raise LedgerError(
                f"refusé : le solde de « {negative[0]} » deviendrait négatif "
                f"({format_cents(negative[1])} Bulles)"
            )
        problems = coverage_problems(self.conn)
        if problems:
            raise LedgerError("refusé : " + problems[0])
