"""Backups through SQLite's online backup API (consistent even while the ledger is in use)."""

import os
import sqlite3
from contextlib import suppress
from pathlib import Path

from labulle.ledger.errors import LedgerError, write_error


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """Copy the whole database to ``target`` (written to a temp file, then renamed).

    The copy appears whole or not at all: a full disk or a read-only folder is refused in
    French and leaves no partial file behind.
    """
    if target.parent and not target.parent.exists():
        raise LedgerError(f"dossier introuvable : {target.parent}")
    temp = target.with_name(target.name + ".tmp")
    try:
        temp.unlink(missing_ok=True)
        copy = sqlite3.connect(temp)
        try:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        os.replace(temp, target)
    except BaseException as error:
        with suppress(OSError):
            temp.unlink(missing_ok=True)
        raise _backup_error(error, target) from error


def _backup_error(error: BaseException, target: Path) -> BaseException:
    """SQLite reports the copy's failures with its own codes: name the target's cause."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL":
        return LedgerError(
            f"impossible d'écrire {target} : le disque est plein ; rien n'a été écrit"
        )
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_PERM")):
        return LedgerError(
            f"impossible d'écrire {target} : le dossier ou le disque n'accepte pas l'écriture "
            f"({name}) ; rien n'a été écrit"
        )
    return write_error(error, target)
