"""SQLite connection for the ledger: path, pragmas, and one IMMEDIATE transaction per command."""

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from itertools import chain
from pathlib import Path
from urllib.parse import quote

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
    return configure(sqlite3.connect(str(path), isolation_level=None, timeout=30))


def configure(conn: sqlite3.Connection, read_only: bool = False) -> sqlite3.Connection:
    """The ledger's settings on an open connection (WAL is written into the file's header,
    except on a read-only connection, which takes the file's journal as it is)."""
    if not read_only:
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


BOUND_VALUES = 999
"""Values bound to one statement in ``insert_rows``: the smallest limit any SQLite has had."""


def insert_rows(
    conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: list[tuple]
) -> None:
    """``INSERT INTO table (columns) VALUES …`` for every row, in statements of as many
    rows as ``BOUND_VALUES`` allows (the rest one by one): the same rows in the same order,
    with every constraint and trigger, for three quarters of the cost of one statement per row
    (an import writes tens of thousands)."""
    one = "(" + ",".join("?" * len(columns)) + ")"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    size = max(1, BOUND_VALUES // len(columns))
    whole = len(rows) - len(rows) % size
    if whole:
        conn.executemany(
            head + ",".join([one] * size),
            (list(chain.from_iterable(rows[at : at + size])) for at in range(0, whole, size)),
        )
    conn.executemany(head + one, rows[whole:])


def open_ledger(path: Path, create: bool = False) -> sqlite3.Connection:
    """Open the ledger at ``path`` (creating it when ``create``) and apply pending migrations.

    Anything that is not a ledger (a folder, a device, an empty file, another program's
    database) is refused before SQLite writes a byte to it.
    """
    from labulle.ledger.migrations import applied, migrate, refuse_unknown
    from labulle.ledger.schema import MIGRATIONS

    if not create:
        check_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = None if create else read_only_mode(path)
    target = f"file:{quote(str(path.absolute()))}?{mode}" if mode else str(path)
    conn = sqlite3.connect(target, uri=bool(mode), isolation_level=None, timeout=30)
    read_only = mode is not None
    try:
        if not create:  # before any setting is written into the file:
            _check_tables(conn, path)
            refuse_unknown(conn, applied(conn), MIGRATIONS)
        migrate(configure(conn, read_only))
    except BaseException:
        conn.close()
        raise
    return conn


def read_only_mode(path: Path) -> str | None:
    """How to open a write-protected ledger, or None when it can be written.

    Write protection is what the file or its folder says: a read-only mount, no write bit
    in a mode (which root would otherwise ignore), or no write access for this user. The
    ledger is then opened read-only: reports work, a command that writes is refused, naming
    the cause. When its folder cannot be written and holds no ``-wal`` file, nobody can be
    writing the ledger: it is read as immutable (SQLite needs no ``-shm`` file then).
    """
    folder = path.parent
    try:
        modes = (path.stat().st_mode, folder.stat().st_mode)
        mounted_read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return None
    folder_locked = (
        mounted_read_only or not modes[1] & 0o222 or not os.access(folder, os.W_OK | os.X_OK)
    )
    wal = Path(f"{path}-wal")
    if folder_locked and not (wal.exists() and wal.stat().st_size):
        return "mode=ro&immutable=1"
    if folder_locked or not modes[0] & 0o222 or not os.access(path, os.W_OK):
        return "mode=ro"
    return None


SQLITE_HEADER = b"SQLite format 3\x00"
EMPTY = (
    "la base {path} est vide : ce n'est pas un grand livre ; "
    "« bulle-ledger init » crée un grand livre neuf"
)


def check_file(path: Path) -> None:
    """Refuse a missing path, a folder, a special file, an empty or non-SQLite file."""
    if path.is_dir():
        raise LedgerError(
            f"le chemin {path} est un dossier, pas un grand livre : donnez le chemin du fichier"
        )
    if not path.exists():
        raise LedgerError(
            f"base introuvable : {path} (lancez d'abord « bulle-ledger init » ou donnez --db)"
        )
    if not path.is_file():
        raise LedgerError(
            f"le chemin {path} ne désigne pas un fichier ordinaire : ce n'est pas un grand livre"
        )
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if not header:
        raise LedgerError(EMPTY.format(path=path))
    if header != SQLITE_HEADER:
        raise LedgerError(
            f"le fichier {path} n'est pas une base SQLite : ce n'est pas un grand livre "
            "(vérifiez --db ou BULLE_LEDGER_DB)"
        )


def _check_tables(conn: sqlite3.Connection, path: Path) -> None:
    """A SQLite file without the ledger's ``migrations`` table is not a ledger."""
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    if not tables:
        raise LedgerError(EMPTY.format(path=path))
    if "migrations" not in tables:
        raise LedgerError(
            f"le fichier {path} est une base SQLite, mais pas un grand livre de bulle-ledger "
            "(elle n'a pas de table « migrations ») : vérifiez --db ou BULLE_LEDGER_DB"
        )


def is_blank(path: Path) -> bool:
    """True for an empty file, or a SQLite file without any table (``init`` may use it)."""
    if not path.is_file():
        return False
    if path.stat().st_size == 0:
        return True
    try:
        check_file(path)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone() == (0,)
        finally:
            conn.close()
    except (LedgerError, sqlite3.Error):
        return False


def create_ledger(path: Path, fill: Callable[[sqlite3.Connection], None]) -> None:
    """Build a new ledger beside ``path`` and move it into place in one step.

    ``fill`` writes the first rows inside one transaction. An interrupted ``init`` leaves
    no half-made ledger behind; an existing file is never replaced, unless it is blank.
    """
    if path.is_dir() or (path.exists() and not is_blank(path)):
        check_file(path)
        raise LedgerError(f"le grand livre {path} existe déjà")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.init-{os.getpid()}")
    try:
        conn = open_ledger(temp, create=True)
        try:
            with transaction(conn):
                fill(conn)
        finally:
            conn.close()
        if path.exists():
            os.replace(temp, path)
        else:
            os.link(temp, path)  # fails rather than replace a file created meanwhile
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            with suppress(OSError):  # a read-only disk answers EROFS even for a missing file
                leftover.unlink(missing_ok=True)


def explain(error: sqlite3.Error, path: Path) -> str | None:
    """The French sentence for a storage failure of the ledger at ``path``; None for a bug."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "la base est occupée par une autre commande : réessayez dans un instant"
    if name == "SQLITE_FULL" or (name.startswith("SQLITE_IOERR") and _disk_full(path)):
        return (
            f"le disque de la base {path} est plein : rien n'a été modifié ; "
            "libérez de la place puis recommencez"
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")):
        return (
            f"la base {path} ne peut pas être modifiée : {_write_obstacle(path)} ; "
            "rien n'a été modifié"
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return f"impossible d'ouvrir la base {path} : {_write_obstacle(path)}"
    if name.startswith("SQLITE_NOTADB"):
        return f"le fichier {path} n'est pas une base SQLite : ce n'est pas un grand livre"
    if name.startswith("SQLITE_CORRUPT"):
        return (
            f"la base {path} est endommagée ({name}) : rien n'a été modifié ; "
            "restaurez la dernière sauvegarde (« bulle-ledger backup »)"
        )
    if name.startswith("SQLITE_IOERR"):
        return (
            f"la base {path} n'a pas pu être écrite ni lue ({name}) : {_io_cause()} ; "
            "rien n'a été modifié"
        )
    return None


def _io_cause() -> str:
    """The likely cause of an I/O error: this process's file size limit, or the disk."""
    import resource

    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY:
        return f"la taille des fichiers est limitée à {limit} octets pour ce programme (ulimit -f)"
    return "le disque est peut-être défaillant ou retiré"


def _disk_full(path: Path) -> bool:
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


IMMUTABLE_FLAG = 0x10  # FS_IMMUTABLE_FL of Linux's FS_IOC_GETFLAGS


def _immutable(path: Path) -> bool:
    import array
    import fcntl

    try:
        with path.open("rb") as handle:
            flags = array.array("l", [0])
            fcntl.ioctl(handle.fileno(), 0x80086601, flags, True)
        return bool(flags[0] & IMMUTABLE_FLAG)
    except (OSError, ValueError):
        return False


def _write_obstacle(path: Path) -> str:
    """Why SQLite cannot write ``path`` or the -wal and -shm files beside it, in French."""
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "le disque qui la contient est monté en lecture seule"
    except OSError:
        pass
    if path.exists() and _immutable(path):
        return "le fichier est immuable (attribut « i » : « chattr -i » le lève)"
    if path.exists() and (not path.stat().st_mode & 0o222 or not os.access(path, os.W_OK)):
        return "le fichier est protégé en écriture (voyez ses droits avec « ls -l »)"
    if not folder.stat().st_mode & 0o222 or not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"son dossier {folder} est protégé en écriture (SQLite doit y écrire "
            f"{path.name}-wal et {path.name}-shm)"
        )
    return "l'accès en écriture est refusé"
