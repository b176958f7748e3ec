"""What every reader produces: statements of booked lines, with their balances."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

ZERO = "mouvement(s) à 0,00 €"
"""Reason for setting a movement aside: banks write 0,00 € lines (fee reversals, notices)."""
LABEL_MAX = 2000
"""Longest label kept (a camt entry's texts together, a CSV cell): real ones are far shorter."""


def check_label(label: str, where: str) -> str:
    """``label``, or ValueError naming ``where`` when it is longer than LABEL_MAX."""
    if len(label) > LABEL_MAX:
        raise ValueError(
            f"{where} : libellé de {len(label):,} caractères ({LABEL_MAX:,} au plus)".replace(
                ",", "\u202f"
            )
        )
    return label


class BankLine(NamedTuple):
    """One booked movement of a statement (amount signed: positive = money in).

    A named tuple: a statement of a month holds thousands of them.
    """

    key: str
    """Stable key: the bank's reference, else a hash of the raw record + its occurrence."""
    booking_date: str
    value_date: str | None
    amount_cents: int
    label: str
    bank_ref: str | None
    source_line: int | None
    """Line in the file (1-based) where the movement starts, when the format has lines."""


@dataclass
class Statement:
    """One statement of one bank account: opening + sum(lines) must equal closing."""

    format: str
    bank_account: str
    start_date: str
    end_date: str
    opening_cents: int
    closing_cents: int
    lines: list[BankLine] = field(default_factory=list)
    seq: int | None = None
    source: str = ""
    """The file's name, stored with the statement."""
    source_line: int | None = None
    path: str = ""
    """The file as the treasurer named it on the command line (for messages)."""
    aside: Counter = field(default_factory=Counter)
    """Movements kept out of the books, counted by reason (``ZERO``, camt statuses)."""

    @property
    def key(self) -> str:
        """Identity of the statement: same account, dates, balances and line keys."""
        text = "|".join(
            [
                self.bank_account,
                self.start_date,
                self.end_date,
                str(self.opening_cents),
                str(self.closing_cents),
                *(line.key for line in self.lines),
            ]
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def occurrence_keys(prefix: str, raws: list[str]) -> list[str]:
    """Key each raw record by its hash plus its occurrence number among identical records.

    Two identical records of one statement (two 50 € transfers from two members on the
    same day) thus get ``…#1`` and ``…#2``; re-reading the same file gives the same keys.
    """
    seen: dict[str, int] = {}
    keys = []
    for raw in raws:
        digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        keys.append(f"{prefix}:{digest}#{seen[digest]}")
    return keys
