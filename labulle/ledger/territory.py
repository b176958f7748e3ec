"""What the Bulle does for the territory, from ``month_totals``: the reuse rate and the
payments per commune (``stats``; defined in spec/ledger.md, Extensions).

- reuse rate: of the Bulles pros received in payments (from residents and from other
  pros), the share they paid to other pros; reconversion rate: the share they converted
  back to euros (gross amount of their reconversions). Both in basis points (10 000 =
  100 %), over the same period, rounded half up; null when pros received nothing. Pros may
  spend or reconvert Bulles received earlier, so a month's rate may pass 100 %.
- communes: the payments received by the pros of each commune (``pro_communes``), counting
  the pros who received something. No cell ever counts fewer than ``MINIMUM_PROS`` pros:
  smaller communes (and pros without a commune) are merged into « autres communes »; while
  that cell has one to four pros, the smallest named commune joins it; if all pros together
  are fewer than five, no commune figure is published.
"""

import sqlite3

MINIMUM_PROS = 5
OTHERS = "autres communes"


def rate_bp(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in basis points, rounded half up; None when ``whole`` is 0."""
    if whole <= 0:
        return None
    return (part * 10000 * 2 + whole) // (2 * whole)


def rates(received_cents: int, pro_to_pro_cents: int, reconversions_cents: int) -> dict:
    return {
        "reuse_rate_bp": rate_bp(pro_to_pro_cents, received_cents),
        "reconversion_rate_bp": rate_bp(reconversions_cents, received_cents),
    }


def per_pro(conn: sqlite3.Connection) -> list[tuple[str | None, int, int]]:
    """(commune or None, payments, cents) received by each pro account over the books."""
    return conn.execute(
        "SELECT c.commune, SUM(t.entries), SUM(t.cents) FROM month_totals t"
        " LEFT JOIN pro_communes c ON c.account = substr(t.measure, 10)"
        " WHERE t.measure LIKE 'received:%' GROUP BY t.measure"
    ).fetchall()


def cells(pros: list[tuple[str | None, int, int]], minimum: int = MINIMUM_PROS) -> list[dict]:
    """The published commune cells (largest amount first, « autres communes » last)."""
    groups: dict[str | None, list[int]] = {}
    for commune, count, cents in pros:
        if cents > 0:
            group = groups.setdefault(commune, [0, 0, 0])
            group[0], group[1], group[2] = group[0] + 1, group[1] + count, group[2] + cents
    named = {c: g for c, g in groups.items() if c is not None and g[0] >= minimum}
    others = [sum(g[i] for c, g in groups.items() if c not in named) for i in range(3)]
    while 0 < others[0] < minimum and named:
        smallest = min(named, key=lambda c: (named[c][0], named[c][2], c))
        others = [a + b for a, b in zip(others, named.pop(smallest), strict=True)]
    ordered = sorted(named.items(), key=lambda item: (-item[1][2], item[0]))
    if others[0] >= minimum:
        ordered.append((OTHERS, others))
    return [
        {"commune": commune, "pros": g[0], "payments": g[1], "payments_cents": g[2]}
        for commune, g in ordered
    ]


def communes(conn: sqlite3.Connection) -> list[dict]:
    return cells(per_pro(conn))
