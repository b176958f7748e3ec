"""Books written under the first schema are migrated whole: same history, same stats."""

import sqlite3
from pathlib import Path

import pytest

from labulle.ledger.db import connect, open_ledger
from labulle.ledger.errors import LedgerError
from labulle.ledger.migrations import migrate
from labulle.ledger.reports import stats
from labulle.ledger.schema import MIGRATIONS
from labulle.ledger.verify import verify

TABLES = ("config", "signups", "accounts", "statements", "bank_lines", "payouts", "entries")


def first_schema_copy(books: Path, target: Path) -> None:
    """The history of ``books`` in a database that only has the first migration."""
    conn = connect(target)
    migrate(conn, MIGRATIONS[:1])
    conn.execute("ATTACH ? AS current", (str(books),))
    conn.execute("BEGIN IMMEDIATE")
    for table in (*TABLES, "lines", "balances"):
        conn.execute(f"INSERT INTO {table} SELECT * FROM current.{table}")
    conn.execute("COMMIT")
    conn.execute("DETACH current")
    conn.close()


def without_time(figures: dict) -> dict:
    return {key: value for key, value in figures.items() if key != "generated_at"}


def test_first_schema_books_are_migrated_with_their_totals(books, tmp_path) -> None:
    old = tmp_path / "old.sqlite3"
    first_schema_copy(books, old)
    current = sqlite3.connect(books)
    conn = open_ledger(old)
    assert [name for (name,) in conn.execute("SELECT name FROM migrations ORDER BY name")] == [
        name for name, _script in MIGRATIONS
    ]
    assert verify(conn) == []
    # Totals filled from history at migration equal those kept entry by entry.
    query = "SELECT * FROM month_totals ORDER BY month, measure"
    assert conn.execute(query).fetchall() == current.execute(query).fetchall()
    assert without_time(stats(conn)) == without_time(stats(current))
    for table in (*TABLES, "lines"):
        query = f"SELECT * FROM {table} ORDER BY 1"
        assert conn.execute(query).fetchall() == current.execute(query).fetchall(), table
    with pytest.raises(sqlite3.IntegrityError, match="historique en ajout seul"):
        conn.execute("UPDATE entries SET memo = 'autre' WHERE id = 2")
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)


def test_a_migration_that_breaks_a_reference_is_rolled_back(tmp_path) -> None:
    conn = open_ledger(tmp_path / "l.sqlite3", create=True)
    broken = ("9999_broken", "INSERT INTO lines VALUES (42, 0, 'personne', 'EUR', 5)")
    with pytest.raises(LedgerError, match="migration 9999_broken annulée"):
        migrate(conn, [*MIGRATIONS, broken])
    assert conn.execute("SELECT COUNT(*) FROM lines").fetchone() == (0,)
    assert conn.execute("SELECT 1 FROM migrations WHERE name = '9999_broken'").fetchone() is None
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
