"""Settings stored in the ledger itself: reconversion fee (basis points) and operator name."""

import sqlite3

DEFAULTS = {"fee_bp": "200", "operator": "trésorerie"}


def get(conn: sqlite3.Connection, key: str) -> str:
    row = conn.execute("SELECT value FROM config WHERE key = ?", (key,)).fetchone()
    return row[0] if row else DEFAULTS[key]


def put(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO config (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def fee_bp(conn: sqlite3.Connection) -> int:
    return int(get(conn, "fee_bp"))
