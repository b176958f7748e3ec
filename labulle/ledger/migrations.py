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
    """Names of the migrations already applied (the table is created on a new database)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
    ).fetchone()
    if not exists:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS migrations"
            " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
    return {name for (name,) in conn.execute("SELECT name FROM migrations")}


def refuse_unknown(conn: sqlite3.Connection, done: set[str], migrations: list[tuple]) -> None:
    """A database written by a newer version is refused before anything is written to it."""
    unknown = sorted(done - {name for name, _script in migrations})
    if not unknown:
        return
    path = conn.execute("PRAGMA database_list").fetchone()[2] or "en mémoire"
    names = ", ".join(f"« {name} »" for name in unknown[:5])
    raise LedgerError(
        f"la base {path} a été écrite par une version plus récente de bulle-ledger "
        f"(migration{'s' if len(unknown) > 1 else ''} inconnue{'s' if len(unknown) > 1 else ''}"
        f" de cette version : {names} ; cette version, labulle {_version()}, s'arrête à "
        f"« {migrations[-1][0]} ») : "
        "installez la version à jour de bulle-ledger ; rien n'a été modifié"
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("labulle")
    except PackageNotFoundError:
        return "sans numéro"


def migrate(conn: sqlite3.Connection, migrations: list[tuple] = MIGRATIONS) -> list[str]:
    """Apply the pending migrations in order, each in its own IMMEDIATE transaction.

    Foreign keys are off while a migration runs (SQLite's procedure for rebuilding a
    table) and checked in full before its COMMIT: a violation rolls it back. A migration
    this version does not know means a newer version wrote the database: it is refused.
    """
    done = applied(conn)
    refuse_unknown(conn, done, migrations)
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
