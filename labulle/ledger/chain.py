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
