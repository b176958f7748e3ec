"""Named, transactional schema migrations (each one applies whole or not at all)."""

import sqlite3
from datetime import UTC, datetime

from labulle.ledger.errors import LedgerError
from labulle.ledger.schema import MIGRATIONS


def split_statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (trigger bodies kept whole)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements


def applied(conn: sqlite3.Connection) -> set[str]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    return {name for (name,) in conn.execute("SELECT name FROM migrations")}


def migrate(conn: sqlite3.Connection, migrations: list[tuple] = MIGRATIONS) -> list[str]:
    """Apply the pending migrations in order, each in its own IMMEDIATE transaction.

    Foreign keys are off while a migration runs (SQLite's procedure for rebuilding a
    table) and checked in full before its COMMIT: a violation rolls it back.
    """
    done = applied(conn)
    pending = [(name, script) for name, script in migrations if name not in done]
    if not pending:
        return []
    conn.execute("PRAGMA foreign_keys=OFF")
    try:
        return [name for name, script in pending if _apply(conn, name, script)]
    finally:
        conn.execute("PRAGMA foreign_keys=ON")


def _apply(conn: sqlite3.Connection, name: str, script) -> bool:
    """Run one migration (SQL text or a function of the connection); False if already done."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have applied it while we waited for the lock.
        if conn.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
            conn.execute("COMMIT")
            return False
        if callable(script):
            script(conn)
        else:
            for statement in split_statements(script):
                conn.execute(statement)
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken:
            raise LedgerError(
                f"migration {name} annulée : une référence de la table « {broken[0]} » est rompue"
            )
        conn.execute(
            "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
            (name, datetime.now(UTC).isoformat(timespec="seconds")),
        )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True
