"""The SHA-256 hash chain: each entry's hash covers the entry, its lines and the previous hash."""

import hashlib
from collections.abc import Iterable

GENESIS = "0" * 64


def entry_hash(
    prev_hash: str, header: Iterable[object], lines: Iterable[tuple[str, str, int]]
) -> str:
    """Hash of one entry.

    ``header`` is (id, ts, date, kind, operator, memo, bank_line_id, payout_id, reverses) and
    ``lines`` the (account, commodity, cents) triples in insertion order. Every field is
    length-prefixed, so no memo can forge another entry's serialisation.
    """
    parts = [prev_hash]
    for value in header:
        text = "" if value is None else str(value)
        parts.append(f"{len(text)}:{text}")
    for account, commodity, cents in lines:
        cents_text = str(cents)
        parts.append(
            f"L{len(account)}:{account}{len(commodity)}:{commodity}{len(cents_text)}:{cents_text}"
        )
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def _field(value: object) -> str:
    text = "" if value is None else str(value)
    return f"{len(text)}:{text}"


def _line(line: tuple[str, str, int]) -> str:
    account, commodity, cents = line
    cents_text = str(cents)
    return f"L{len(account)}:{account}{len(commodity)}:{commodity}{len(cents_text)}:{cents_text}"


class Hasher:
    """``entry_hash`` with memory, for a command posting thousands of entries.

    Same bytes (``verify`` recomputes every hash with ``entry_hash``); the parts that
    repeat from entry to entry (timestamp, date, kind, operator, and whole lines such as
    ``sys:owed EUR -5000``) are serialised once. The memory is emptied when it grows large.
    """

    LIMIT = 100_000

    def __init__(self) -> None:
        self._texts: dict[object, str] = {}
        self._lines: dict[tuple[str, str, int], str] = {}

    def __call__(self, prev_hash: str, header: tuple, lines: Iterable[tuple[str, str, int]]) -> str:
        if len(self._lines) > self.LIMIT:
            self._lines = {}
        texts, known = self._texts, self._lines
        entry_id, ts, date, kind, operator, memo, *references = header
        number, memo = str(entry_id), "" if memo is None else str(memo)
        parts = [prev_hash, f"{len(number)}:{number}"]
        for value in (ts, date, kind, operator):
            part = texts.get(value)
            if part is None:
                part = texts[value] = _field(value)
            parts.append(part)
        parts.append(f"{len(memo)}:{memo}")
        for value in references:  # bank line, payout, reversed entry: an id or None
            number = "" if value is None else str(value)
            parts.append(f"{len(number)}:{number}")
        for line in lines:
            part = known.get(line)
            if part is None:
                part = known[line] = _line(line)
            parts.append(part)
        return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()
