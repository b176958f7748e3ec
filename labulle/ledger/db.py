"""SQLite connection for the ledger: path, pragmas, and one IMMEDIATE transaction per command."""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from labulle.ledger.errors import LedgerError

ENV_VAR = "BULLE_LEDGER_DB"


def default_path() -> Path:
    """The ledger's default file, in the user's data folder (never inside the site)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("bulle-ledger")) / "ledger.sqlite3"


def resolve_path(cli_value: str | None) -> Path:
    """``--db`` wins, then ``BULLE_LEDGER_DB``, then the default path."""
    raw = cli_value or os.environ.get(ENV_VAR)
    path = Path(raw).expanduser() if raw else default_path()
    _refuse_site_folder(path)
    return path


def _refuse_site_folder(path: Path) -> None:
    """Refuse a database inside the site's content or output folders (it would be published)."""
    absolute = path.resolve()
    for parent in absolute.parents:
        if parent.name in {"content", "output"} and (parent.parent / "pelicanconf.py").exists():
            raise LedgerError(
                f"la base {path} serait dans le dossier « {parent.name} » du site : "
                "choisissez un chemin hors du site"
            )


def connect(path: Path | str) -> sqlite3.Connection:
    """Open ``path`` in autocommit mode with WAL, synchronous=FULL, foreign keys on."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    # 64 MiB of page cache (default 2 MiB): an import dirties thousands of index pages,
    # which would otherwise spill to the WAL mid-transaction and be read back.
    conn.execute("PRAGMA cache_size=-65536")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; any exception rolls everything back."""
    if conn.in_transaction:
        # Nested use (a command calling another operation): the outer one commits.
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def open_ledger(path: Path, create: bool = False) -> sqlite3.Connection:
    """Open the ledger at ``path`` (creating it when ``create``) and apply pending migrations."""
    from labulle.ledger.migrations import migrate

    if not create and not path.exists():
        raise LedgerError(
            f"base introuvable : {path} (lancez d'abord « bulle-ledger init » ou donnez --db)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    migrate(conn)
    return conn
