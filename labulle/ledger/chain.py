"""The SHA-256 hash chain over entries: each hash covers the entry, its lines and the previous hash."""

import hashlib
from collections.abc import Iterable

GENESIS = "0" * 64


def _field(value: object) -> str:
    text = "" if value is None else str(value)
    return f"{len(text)}:{text}"


def entry_hash(
    prev_hash: str, header: Iterable[object], lines: Iterable[tuple[str, str, int]]
) -> str:
    """Hash of one entry.

    ``header`` is (id, ts, date, kind, operator, memo, bank_line_id, payout_id, reverses) and
    ``lines`` the (account, commodity, cents) triples in insertion order. Every field is
    length-prefixed, so no memo can forge another entry's serialisation.
    """
    parts = [prev_hash]
    parts.extend(_field(value) for value in header)
    for account, commodity, cents in lines:
        parts.append("L" + _field(account) + _field(commodity) + _field(cents))
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()
