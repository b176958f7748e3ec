"""Backups through SQLite's online backup API (consistent even while the ledger is in use)."""

import os
import sqlite3
from pathlib import Path

from labulle.ledger.errors import LedgerError


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """Copy the whole database to ``target`` (written to a temp file, then renamed)."""
    if target.parent and not target.parent.exists():
        raise LedgerError(f"dossier introuvable : {target.parent}")
    temp = target.with_name(target.name + ".tmp")
    temp.unlink(missing_ok=True)
    copy = sqlite3.connect(temp)
    try:
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
    os.replace(temp, target)
