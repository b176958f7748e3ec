"""Hostile and broken input on the ledger's side (issue 12 points 1-3, issue 11 point 11).

Each test runs the real thing: SQLite files on disk, tmpfs mounts for a read-only or full
disk, ``chattr +i``, capabilities dropped with ``setpriv`` so that root meets file modes,
and ``bulle-ledger`` as a subprocess where a traceback could leak to the terminal.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from labulle.ledger import signups
from labulle.ledger.db import transaction
from labulle.ledger.errors import LedgerError
from labulle.ledger.journal import Journal
from labulle.ledger.migrations import applied
from labulle.ledger.reports import _months
from labulle.ledger.verify import DATES, TIMESTAMPS
from ledger.helpers import SAMPLES

CLI = "from labulle.ledger.cli import main; main()"


def dump(path: Path) -> list[str]:
    """Every row of the ledger, as SQL text (the data, whatever sits in the WAL)."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def copy_ledger(source: Path, target: Path) -> None:
    """A whole copy of a ledger in WAL mode (what the WAL still holds included)."""
    with sqlite3.connect(source) as conn, sqlite3.connect(target) as copy:
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    conn.close()


def ledger_cmd(db: Path, *args: str, state: Path, prefix: tuple[str, ...] = ()):
    """``bulle-ledger --db DB ARGS…`` in its own process (the way the treasurer runs it)."""
    env = {**os.environ, "XDG_STATE_HOME": str(state), "BULLE_LEDGER_OPERATOR": "tests"}
    return subprocess.run(
        [*prefix, sys.executable, "-c", CLI, "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def funded(run, ledger_path) -> Path:
    assert run("import", str(SAMPLES / "nef-2025-03.csv")).exit_code == 0
    return ledger_path


@pytest.fixture
def disk(tmp_path):
    """A 512 KiB tmpfs mounted in tmp_path (root only), unmounted afterwards."""
    where = tmp_path / "disque"
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("monter un tmpfs demande d'être root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(where)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip(f"mount impossible ici : {mounted.stderr!r}")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=False)


def fill_up(folder: Path) -> Path:
    """Write zeros in ``folder`` until its disk is full; returns the filler file."""
    filler = folder / "remplissage"
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


# --- 12.1: dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, message",
    [
        ("2025-02-30", "date impossible « 2025-02-30 » (ce jour n'existe pas)"),
        ("2025-13-45", "date impossible « 2025-13-45 » (ce jour n'existe pas)"),
        (
            "1900-01-01",
            "date 1900-01-01 hors de la plage permise "
            "(entre le 1er janvier 2000 et le 31 décembre 2099)",
        ),
        (
            "9999-12-31",
            "date 9999-12-31 hors de la plage permise "
            "(entre le 1er janvier 2000 et le 31 décembre 2099)",
        ),
        ("２０２５-03-20", "date illisible « ２０２５-03-20 » (AAAA-MM-JJ attendu)"),
        ("not-a-date", "date illisible « not-a-date » (AAAA-MM-JJ attendu)"),
    ],
)
def test_date_options_follow_the_one_date_rule(run, funded, day, message) -> None:
    before = dump(funded)
    for args in (("pay", "alice", "bob", "1"), ("reconvert", "fournil", "1"), ("reverse", "2")):
        result = run(*args, "--date", day)
        assert result.exit_code == 2, args
        assert result.output.splitlines()[-1] == (
            f"Erreur : Valeur invalide pour '--date' : {message}"
        )
    assert dump(funded) == before
    assert run("pay", "alice", "bob", "1", "--date", "20/03/2025").exit_code == 0
    assert run("stats", "--json").output.count('"month": "2025-03"') == 1


class OldJournal(Journal):
    """The journal as the old version wrote it: any date it was given went into the books."""

    def check_date(self, date: str) -> None:
        return None


def old_version_payment(path: Path, day: str) -> int:
    """A payment dated ``day``, posted as the old version did (chained, totals kept)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with transaction(conn):
            journal = OldJournal(conn, "ancienne version")
            entry = journal.post(
                "payment", day, "Paiement", [("alice", "BULLE", -100), ("bob", "BULLE", 100)]
            )
            journal.flush()
        return entry
    finally:
        conn.close()


@pytest.mark.parametrize(
    "day, problem",
    [
        ("2025-13-45", "date impossible « 2025-13-45 » (ce jour n'existe pas)"),
        ("not-a-date", "date illisible « not-a-date » (AAAA-MM-JJ attendu)"),
        (
            "9999-12-31",
            "date 9999-12-31 hors de la plage permise "
            "(entre le 1er janvier 2000 et le 31 décembre 2099)",
        ),
        (
            "1900-01-01",
            "date 1900-01-01 hors de la plage permise "
            "(entre le 1er janvier 2000 et le 31 décembre 2099)",
        ),
    ],
)
def test_a_bad_date_from_an_old_version_is_named_by_verify_and_stops_stats_and_export(
    run, funded, tmp_path, day, problem
) -> None:
    entry = old_version_payment(funded, day)
    result = run("verify")
    assert (result.exit_code, result.output) == (
        1,
        f"- écriture {entry} : {problem}\nErreur : Grand livre incohérent : 1 problème(s).\n",
    )
    refusal = (
        "Erreur : Le grand livre contient une date invalide (« {} ») : lancez "
        "« bulle-ledger verify », qui nomme l'écriture en cause\n"
    )
    result = run("stats", "--json")
    assert (result.exit_code, result.output) == (1, refusal.format(day))
    target = tmp_path / "livre.beancount"
    result = run("export", "--beancount", str(target))
    assert (result.exit_code, result.output) == (1, refusal.format(day))
    assert sorted(p.name for p in tmp_path.iterdir() if "beancount" in p.name) == []


def test_a_bad_date_in_the_middle_of_history_stops_the_export(run, funded, tmp_path) -> None:
    old_version_payment(funded, "2025-02-30")  # sorts between good dates
    assert run("pay", "alice", "bob", "1", "--date", "2025-04-01").exit_code == 0
    result = run("export", "--beancount", str(tmp_path / "livre.beancount"))
    assert result.exit_code == 1
    assert "date invalide (« 2025-02-30 »)" in result.output
    assert not (tmp_path / "livre.beancount").exists()
    assert not (tmp_path / "livre.beancount.tmp").exists()


def schema_date_columns(path: Path) -> set[tuple[str, str]]:
    """Every column of the schema that holds a date or a timestamp, by its name."""
    conn = sqlite3.connect(path)
    try:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master"
                                                   " WHERE type = 'table'")]
        return {
            (table, column)
            for table in tables
            for (_cid, column, *_rest) in conn.execute(f"PRAGMA table_info({table})")
            if column in ("date", "ts") or column.endswith(("_date", "_at"))
        } - {("month_totals", "first_date"), ("month_totals", "last_date")}  # verified as sums
    finally:
        conn.close()


def test_verify_knows_every_date_column_of_the_schema(books) -> None:
    checked = {(table, column) for table, _key, column, _name, _what in DATES + TIMESTAMPS}
    assert schema_date_columns(books) == checked


COLUMNS = [(table, column, key) for table, key, column, _name, _what in DATES + TIMESTAMPS]


@pytest.mark.parametrize("table, column, key", COLUMNS)
def test_verify_names_a_bad_date_in_any_column(run, books, table, column, key) -> None:
    conn = sqlite3.connect(books, isolation_level=None)
    signups.record_signup(conn, name="Zoé", received_at="2025-03-02T10:00:00+01:00",
                          consent_at="2025-03-02T10:00:00+01:00", email="zoe@example.org")
    signups.discard(conn, signups.record_signup(conn, name="Yves", received_at="2025-03-03"))
    conn.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
    bad = "2025-02-30" if (table, column) in {(t, c) for t, _k, c, _n, _w in DATES} else (
        "2025-02-30T10:00:00+00:00"
    )
    row = conn.execute(
        f"SELECT {key} FROM {table} WHERE {column} IS NOT NULL ORDER BY {key} LIMIT 1"
    ).fetchone()[0]
    conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", (bad, row))
    conn.close()
    name, what = next((n, w) for t, _k, c, n, w in DATES + TIMESTAMPS if (t, c) == (table, column))
    what = f"{what} : " if what else ""
    expected = f"- {name.format(row)} : {what}date impossible « 2025-02-30 »"
    result = run("verify")
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "2025-02-30" in line] == [
        expected + " (ce jour n'existe pas)"
    ]


def test_the_journal_refuses_an_entry_dated_outside_the_rule(funded) -> None:
    conn = sqlite3.connect(funded, isolation_level=None)
    refusal = "écriture refusée : date impossible « 2025-02-29 »"
    with pytest.raises(LedgerError, match=refusal), transaction(conn):
        Journal(conn, "tests").post(
            "payment", "2025-02-29", "x", [("alice", "BULLE", -1), ("bob", "BULLE", 1)]
        )
    assert conn.execute("SELECT COUNT(*) FROM entries").fetchone() == (4,)


def test_the_months_walk_is_bounded_by_the_date_rule() -> None:
    assert len(_months("2000-01", "2099-12")) == 1200
    assert _months("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    with pytest.raises(LedgerError, match="date invalide \\(« 2025-13 »\\)"):
        _months("2025-01", "2025-13")


# --- 12.2: the database file --------------------------------------------------------------


def not_ledgers(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    text = tmp_path / "notes.txt"
    text.write_text("Ceci est un texte, pas une base.\n", encoding="utf-8")
    noise = tmp_path / "bruit.bin"
    noise.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(8192)))
    fake = tmp_path / "faux.sqlite3"
    fake.write_bytes(b"SQLite format 3\0" + bytes((i * 31 + 5) % 256 for i in range(8192)))
    foreign = tmp_path / "autre.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE contacts (nom TEXT)")
    conn.commit()
    conn.close()
    folder = tmp_path / "dossier.sqlite3"
    folder.mkdir()
    fifo = tmp_path / "tube.sqlite3"
    os.mkfifo(fifo)
    empty = tmp_path / "vide.sqlite3"
    empty.touch()
    not_sqlite = "le fichier {} n'est pas une base SQLite : ce n'est pas un grand livre"
    return {
        "text": (text, not_sqlite.format(text) + " (vérifiez --db ou BULLE_LEDGER_DB)"),
        "noise": (noise, not_sqlite.format(noise) + " (vérifiez --db ou BULLE_LEDGER_DB)"),
        "header": (fake, not_sqlite.format(fake)),
        "foreign": (
            foreign,
            f"le fichier {foreign} est une base SQLite, mais pas un grand livre de bulle-ledger "
            "(elle n'a pas de table « migrations ») : vérifiez --db ou BULLE_LEDGER_DB",
        ),
        "folder": (
            folder,
            f"le chemin {folder} est un dossier, pas un grand livre : donnez le chemin du fichier",
        ),
        "fifo": (
            fifo,
            f"le chemin {fifo} ne désigne pas un fichier ordinaire : ce n'est pas un grand livre",
        ),
        "empty": (
            empty,
            f"la base {empty} est vide : ce n'est pas un grand livre ; "
            "« bulle-ledger init » crée un grand livre neuf",
        ),
    }


@pytest.mark.parametrize("kind", ["text", "noise", "header", "foreign", "folder", "fifo", "empty"])
def test_what_is_not_a_ledger_is_refused_and_left_as_it_was(tmp_path, kind) -> None:
    path, message = not_ledgers(tmp_path)[kind]
    before = path.read_bytes() if path.is_file() else None
    for args in (("report",), ("verify",), ("account", "open", "zoe", "--name", "Z",
                                             "--kind", "member")):
        result = ledger_cmd(path, *args, state=tmp_path / "etat")
        assert (result.returncode, result.stdout) == (1, ""), args
        assert result.stderr == "Erreur : " + message[0].upper() + message[1:] + "\n", args
    assert (path.read_bytes() if path.is_file() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir() if "-wal" in p.name or "-shm" in p.name) == []


def test_init_takes_an_empty_file_but_never_one_with_data(tmp_path) -> None:
    empty = tmp_path / "vide.sqlite3"
    empty.touch()
    done = ledger_cmd(empty, "init", state=tmp_path)
    assert done.returncode == 0, done.stderr
    assert ledger_cmd(empty, "verify", state=tmp_path).returncode == 0
    again = ledger_cmd(empty, "init", state=tmp_path)
    assert (again.returncode, again.stderr) == (
        1,
        f"Erreur : Le grand livre {empty} existe déjà\n",
    )
    text = tmp_path / "notes.txt"
    text.write_text("garder\n")
    refused = ledger_cmd(text, "init", state=tmp_path)
    assert refused.returncode == 1
    assert text.read_text() == "garder\n"
    assert sorted(p.name for p in tmp_path.iterdir() if ".init-" in p.name) == []


def test_a_ledger_written_by_a_newer_version_is_refused_before_anything_is_written(
    funded, tmp_path
) -> None:
    db = tmp_path / "nouvelle.sqlite3"
    copy_ledger(funded, db)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO migrations VALUES ('0042_comptes_en_fondants', '2030-01-01')")
    conn.commit()
    last = max(applied(conn) - {"0042_comptes_en_fondants"})
    conn.execute("PRAGMA journal_mode=DELETE")  # say the newer version left WAL: kept so
    conn.close()
    before = db.read_bytes()
    for args in (("report",), ("pay", "alice", "bob", "1"), ("verify",)):
        result = ledger_cmd(db, *args, state=tmp_path)
        assert result.returncode == 1, args
        assert result.stderr == (
            f"Erreur : La base {db} a été écrite par une version plus récente de "
            "bulle-ledger (migration inconnue de cette version : « 0042_comptes_en_fondants » ; "
            f"cette version, labulle 0.1.0, s'arrête à « {last} ») : installez la version à jour "
            "de bulle-ledger ; rien n'a été modifié\n"
        )
    assert db.read_bytes() == before


def test_a_read_only_mount_is_read_but_never_written(books, disk, tmp_path) -> None:
    db = disk / "ledger.sqlite3"
    copy_ledger(books, db)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    before = db.read_bytes()
    report = ledger_cmd(db, "verify", state=tmp_path)
    assert (report.returncode, report.stderr) == (0, "")
    result = ledger_cmd(db, "pay", "alice", "bob", "1", state=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        f"Erreur : La base {db} ne peut pas être modifiée : le disque qui la contient est monté "
        "en lecture seule ; rien n'a été modifié\n",
    )
    assert db.read_bytes() == before


WITHOUT_DAC = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")


@pytest.mark.parametrize("as_root", [True, False], ids=["root", "sans-CAP_DAC_OVERRIDE"])
def test_a_read_only_file_or_folder_is_read_but_never_written(books, tmp_path, as_root) -> None:
    """chmod 444 / 555 mean read-only, for root too (who could otherwise write through them);
    without root's override the operating system itself refuses, with the same message."""
    prefix: tuple[str, ...] = ()
    if not as_root:
        if os.geteuid() != 0 or not shutil.which("setpriv"):
            pytest.skip("il faut root et setpriv pour retirer CAP_DAC_OVERRIDE")
        prefix = WITHOUT_DAC
    folder = tmp_path / "protege"
    folder.mkdir()
    db = folder / "ledger.sqlite3"
    copy_ledger(books, db)
    before = dump(db)
    pay = ("pay", "alice", "bob", "1")
    db.chmod(0o444)
    assert ledger_cmd(db, "verify", state=tmp_path, prefix=prefix).returncode == 0
    result = ledger_cmd(db, *pay, state=tmp_path, prefix=prefix)
    assert (result.returncode, result.stderr) == (
        1,
        f"Erreur : La base {db} ne peut pas être modifiée : le fichier est protégé en écriture "
        "(voyez ses droits avec « ls -l ») ; rien n'a été modifié\n",
    )
    db.chmod(0o644)
    folder.chmod(0o555)
    try:
        verify = ledger_cmd(db, "verify", state=tmp_path, prefix=prefix)
        result = ledger_cmd(db, *pay, state=tmp_path, prefix=prefix)
    finally:
        folder.chmod(0o755)
    assert verify.returncode == 0, verify.stderr
    assert (result.returncode, result.stderr) == (
        1,
        f"Erreur : La base {db} ne peut pas être modifiée : son dossier {folder} est protégé en "
        f"écriture (SQLite doit y écrire {db.name}-wal et {db.name}-shm) ; rien n'a été "
        "modifié\n",
    )
    assert dump(db) == before


def test_an_immutable_file_is_named_and_left_intact(books, tmp_path) -> None:
    if os.geteuid() != 0 or not shutil.which("chattr"):
        pytest.skip("chattr +i demande root")
    db = tmp_path / "immuable.sqlite3"
    copy_ledger(books, db)
    before = dump(db)
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode:
        pytest.skip("ce système de fichiers ne connaît pas l'attribut immuable")
    try:
        result = ledger_cmd(db, "pay", "alice", "bob", "1", state=tmp_path)
        report = ledger_cmd(db, "verify", state=tmp_path)
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)
    assert (result.returncode, result.stderr) == (
        1,
        f"Erreur : La base {db} ne peut pas être modifiée : le fichier est immuable (attribut "
        "« i » : « chattr -i » le lève) ; rien n'a été modifié\n",
    )
    assert report.returncode == 0, report.stderr
    assert dump(db) == before


def test_a_full_disk_refuses_the_command_and_keeps_the_books(disk, tmp_path) -> None:
    db = disk / "ledger.sqlite3"
    steps = [
        ("init",),
        ("account", "open", "alice", "--name", "Alice", "--kind", "member"),
        ("import", str(SAMPLES / "nef-2025-03.csv")),
    ]
    for args in steps:
        assert ledger_cmd(db, *args, state=tmp_path).returncode == 0, args
    before = dump(db)
    filler = fill_up(disk)
    for args in (
        ("import", str(SAMPLES / "camt053-2025-04.xml")),
        ("account", "open", "bob", "--name", "Bob", "--kind", "member"),
    ):
        result = ledger_cmd(db, *args, state=tmp_path)
        assert (result.returncode, result.stderr) == (
            1,
            f"Erreur : Le disque de la base {db} est plein : rien n'a été modifié ; libérez de "
            "la place puis recommencez\n",
        ), args
    filler.unlink()
    assert dump(db) == before
    result = ledger_cmd(db, "verify", state=tmp_path)
    assert result.returncode == 0, result.stderr


def test_export_and_backup_to_a_full_disk_leave_no_partial_file(books, disk, tmp_path) -> None:
    fill_up(disk)
    for args, target in (
        (("export", "--beancount"), disk / "livre.beancount"),
        (("backup",), disk / "copie.sqlite3"),
    ):
        result = ledger_cmd(books, *args, str(target), state=tmp_path)
        assert (result.returncode, result.stderr) == (
            1,
            f"Erreur : Impossible d'écrire {target} : le disque est plein ; rien n'a été écrit\n",
        ), args
    assert sorted(p.name for p in disk.iterdir()) == ["remplissage"]


# --- 12.3: numbers, digits, emails and lengths on the command line ------------------------


def assert_usage_refusal(run, funded, args, hint: str, message: str) -> None:
    """The command is a usage error (exit 2) with this one French line; the books unchanged."""
    before = dump(funded)
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Erreur : Valeur invalide pour {hint} : {message}"
    assert "Traceback" not in result.output
    assert dump(funded) == before


@pytest.mark.parametrize(
    "args, hint, message",
    [
        (("assign", "99999999999999999999", "alice"), "'BANK_LINE'",
         "numéro invalide « 99999999999999999999 » : 18 chiffres au plus"),
        (("assign", "١", "alice"), "'BANK_LINE'",
         "numéro invalide « ١ » : un nombre écrit avec les chiffres 0 à 9"),
        (("reverse", "99999999999999999999"), "'ENTRY_ID'",
         "numéro invalide « 99999999999999999999 » : 18 chiffres au plus"),
        (("reverse", "５"), "'ENTRY_ID'",
         "numéro invalide « ５ » : un nombre écrit avec les chiffres 0 à 9"),
        (("signups", "--discard", "1_0"), "'--discard'",
         "numéro invalide « 1_0 » : un nombre écrit avec les chiffres 0 à 9"),
        (("account", "open", "zoe", "--from-signup", "٣"), "'--from-signup'",
         "numéro invalide « ٣ » : un nombre écrit avec les chiffres 0 à 9"),
        (("pay", "alice", "bob", "99999999999999999999"), "'AMOUNT'",
         "montant invalide « 99999999999999999999 » : au plus 1\u202f000\u202f000,00"),
        (("pay", "alice", "bob", "1000000,01"), "'AMOUNT'",
         "montant invalide « 1000000,01 » : au plus 1\u202f000\u202f000,00"),
        (("pay", "alice", "bob", "١٠"), "'AMOUNT'",
         "montant invalide « ١٠ » : écrivez-le avec les chiffres 0 à 9, par exemple 12,50 ou "
         "12.50"),
        (("pay", "alice", "bob", "５"), "'AMOUNT'",
         "montant invalide « ５ » : écrivez-le avec les chiffres 0 à 9, par exemple 12,50 ou "
         "12.50"),
        (("reconvert", "fournil", "1,٥"), "'AMOUNT'",
         "montant invalide « 1,٥ » : écrivez-le avec les chiffres 0 à 9, par exemple 12,50 ou "
         "12.50"),
    ],
)
def test_numbers_that_do_not_fit_and_foreign_digits_are_refused(
    run, funded, args, hint, message
) -> None:
    assert_usage_refusal(run, funded, args, hint, message)


def test_an_email_that_is_not_one_is_refused(run, funded) -> None:
    before = dump(funded)
    for bad in ("not an email", "alice@", "@example.org", "a b@example.org"):
        result = run("account", "open", "zoe", "--name", "Zoé", "--kind", "member",
                     "--email", bad)
        assert result.exit_code == 2
        assert result.output.splitlines()[-1] == (
            f"Erreur : Valeur invalide pour '--email' : adresse électronique invalide « {bad} » : "
            "écrivez-la comme prenom@exemple.fr"
        )
    assert dump(funded) == before
    result = run("account", "open", "zoe", "--name", "Zoé", "--kind", "member",
                 "--email", "zoe@Example.ORG")
    assert result.exit_code == 0
    conn = sqlite3.connect(funded)
    assert conn.execute("SELECT email FROM accounts WHERE id = 'zoe'").fetchone() == (
        "zoe@example.org",
    )


LONG = "x" * 200_000


@pytest.mark.parametrize(
    "args, hint, message",
    [
        (("account", "open", "zoe", "--kind", "member", "--name", LONG), "'--name'",
         "le nom fait 200\u202f000 caractères : 200 au plus"),
        (("account", "open", "zoe", "--kind", "pro", "--name", "Z", "--pro", LONG), "'--pro'",
         "l'identifiant de fiche (--pro) fait 200\u202f000 caractères : 100 au plus"),
        (("pay", "alice", "bob", "1", "--memo", LONG), "'--memo'",
         "le libellé fait 200\u202f000 caractères : 500 au plus"),
        (("reverse", "2", "--memo", LONG), "'--memo'",
         "le libellé fait 200\u202f000 caractères : 500 au plus"),
        (("pay", LONG, "bob", "1"), "'FROM'",
         "l'identifiant de compte fait 200\u202f000 caractères : 100 au plus"),
        (("balance", "zoe\x1b[2J"), "'ACCOUNT'",
         "l'identifiant de compte contient un caractère de contrôle (U+001B) : une seule ligne de "
         "texte imprimable est admise"),
        (("config", "--operator", LONG), "'--operator'",
         "le nom de l'opérateur fait 200\u202f000 caractères : 100 au plus"),
        (("pay", "alice", "bob", "1", "--memo", "ligne\nforgée"), "'--memo'",
         "le libellé contient un caractère de contrôle (U+000A) : une seule ligne de texte "
         "imprimable est admise"),
        (("account", "open", "zoe", "--kind", "member", "--name", "Zo\x1b[31mé"), "'--name'",
         "le nom contient un caractère de contrôle (U+001B) : une seule ligne de texte "
         "imprimable est admise"),
        (("account", "open", "zoe", "--kind", "member", "--name", "Z",
          "--email", "z" * 300 + "@example.org"), "'--email'",
         "l'adresse électronique fait 312 caractères : 254 au plus"),
    ],
)
def test_texts_beyond_their_limit_are_refused_with_the_limit(
    run, funded, args, hint, message
) -> None:
    assert_usage_refusal(run, funded, args, hint, message)


def test_a_fee_rate_of_any_length_is_refused_in_one_short_line(run, funded) -> None:
    result = run("config", "--fee", LONG)
    assert (result.exit_code, result.output) == (
        1,
        f"Erreur : Taux de commission invalide « {LONG[:40]} » : écrivez par exemple 2,0 "
        "(pour 2 %)\n",
    )


def test_an_operator_from_the_environment_follows_the_same_rule(funded, tmp_path) -> None:
    before = dump(funded)
    # 100 000 characters: Linux refuses an environment string over 128 KiB.
    env = {**os.environ, "BULLE_LEDGER_OPERATOR": "x" * 100_000, "XDG_STATE_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", CLI, "--db", str(funded), "pay", "alice", "bob", "1"],
        capture_output=True, text=True, env=env,
    )
    assert (result.returncode, result.stderr) == (
        1,
        "Erreur : Le nom de l'opérateur fait 100\u202f000 caractères : 100 au plus\n",
    )
    assert dump(funded) == before


def test_a_sign_up_beyond_the_limits_is_refused(ledger_path) -> None:
    for fields, message in (
        ({"name": LONG}, "inscription refusée : le nom fait 200\u202f000 caractères : 200 au plus"),
        ({"name": "Zoé", "email": "pas une adresse"},
         "inscription refusée : adresse électronique invalide « pas une adresse » : "
         "écrivez-la comme prenom@exemple.fr"),
        ({"name": "Zoé", "consent_at": "1900-01-01"},
         "inscription refusée : consent_at (date du consentement) : date 1900-01-01 hors de la "
         "plage permise (entre le 1er janvier 2000 et le 31 décembre 2099)"),
        ({"name": "Zoé", "expected_monthly_cents": 10**20},
         "inscription refusée : le montant mensuel doit être un entier de centimes de 0 à "
         "100000000"),
    ):
        with pytest.raises(LedgerError) as refused:
            signups.record_signup(ledger_path, received_at="2025-03-01", **fields)
        assert str(refused.value) == message
    conn = sqlite3.connect(ledger_path)
    assert conn.execute("SELECT COUNT(*) FROM signups").fetchone() == (0,)


# --- 11.11: no traceback, ever ------------------------------------------------------------


def test_an_unexpected_failure_is_one_sentence_logged_and_rolled_back(funded, tmp_path) -> None:
    conn = sqlite3.connect(funded)
    conn.execute("DROP TABLE month_totals")  # a tampered schema: the payment's last write fails
    conn.commit()
    conn.close()
    before = dump(funded)
    state = tmp_path / "etat"
    result = ledger_cmd(funded, "pay", "alice", "bob", "1", state=state)
    log = state / "bulle-ledger" / "log" / "erreurs.log"
    assert (result.returncode, result.stdout) == (3, "")
    assert result.stderr == (
        "Erreur : Échec inattendu pendant l'enregistrement d'un paiement (bulle-ledger pay, "
        f"base {funded}, OperationalError) : la commande est annulée, rien n'a été enregistré ; "
        f"le détail est dans {log}\n"
    )
    details = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in details
    assert "sqlite3.OperationalError: no such table: month_totals" in details
    assert dump(funded) == before


def test_an_unexpected_failure_of_a_report_is_one_sentence_too(funded, tmp_path) -> None:
    conn = sqlite3.connect(funded)
    conn.execute("ALTER TABLE balances RENAME TO balances_old")
    conn.commit()
    conn.close()
    result = ledger_cmd(funded, "report", state=tmp_path)
    assert result.returncode == 3
    assert result.stderr.startswith(
        "Erreur : Échec inattendu pendant le rapport du trésorier (bulle-ledger report, "
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.splitlines()) == 1


def test_control_characters_are_never_echoed_raw(run, funded) -> None:
    result = run("pay", "alice", "bob", "1\x1b[31m")
    assert result.output.splitlines()[-1] == (
        "Erreur : Valeur invalide pour 'AMOUNT' : montant invalide « 1\\x1b[31m » : écrivez par "
        "exemple 12,50 ou 12.50"
    )
    conn = sqlite3.connect(funded)  # a label stored by an old version, terminal codes and all
    conn.execute("DROP TRIGGER bank_lines_no_update")
    conn.execute("UPDATE bank_lines SET label = 'VIR \x1b]0;pirate\x07 X' WHERE id = 3")
    conn.commit()
    conn.close()
    for command in ("unmatched", "report"):
        output = run(command).output
        assert "\x1b" not in output and "\x07" not in output
        assert "VIR \\x1b]0;pirate\\x07 X" in output


def test_a_folder_given_for_a_file_is_named_in_french(run, funded, tmp_path) -> None:
    for args, hint in (
        (("import", str(tmp_path)), "'STATEMENT_FILE...'"),
        (("export", "--beancount", str(tmp_path)), "'--beancount'"),
        (("backup", str(tmp_path)), "'FILE'"),
    ):
        result = run(*args)
        assert result.exit_code == 2
        assert result.output.splitlines()[-1] == (
            f"Erreur : Valeur invalide pour {hint} : '{tmp_path}' est un dossier, pas un fichier."
        )


def test_a_file_size_limit_is_named_and_changes_nothing(books, tmp_path) -> None:
    """``ulimit -f`` (RLIMIT_FSIZE): the other way a disk runs out under a process."""
    import resource

    db = tmp_path / "limite.sqlite3"
    copy_ledger(books, db)
    before = dump(db)
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path)}

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    result = subprocess.run(
        [sys.executable, "-c", CLI, "--db", str(db), "pay", "alice", "bob", "1"],
        capture_output=True, text=True, env=env, preexec_fn=limited,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"Erreur : La base {db} n'a pas pu être écrite ni lue (SQLITE_")
    assert result.stderr.endswith(
        ") : la taille des fichiers est limitée à 8192 octets pour ce programme (ulimit -f) ; "
        "rien n'a été modifié\n"
    )
    assert dump(db) == before


def test_stats_and_export_hold_at_both_ends_of_the_allowed_range(run, funded, tmp_path) -> None:
    """What verify accepts, stats and export take: here the first and last allowed days."""
    import json

    assert run("pay", "alice", "fournil", "10", "--date", "2000-01-01").exit_code == 0
    assert run("reconvert", "fournil", "5", "--date", "2099-12-31").exit_code == 0
    assert run("verify").exit_code == 0
    result = run("stats", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert (figures["period_start"], figures["period_end"]) == ("2000-01-01", "2099-12-31")
    months = [m["month"] for m in figures["monthly"]]
    # the payment of 2000-01 starts the series (payments are monthly figures too)
    assert (months[0], months[-1], len(months)) == ("2000-01", "2099-12", 100 * 12)
    target = tmp_path / "livre.beancount"
    assert run("export", "--beancount", str(target)).exit_code == 0
    checked = subprocess.run(
        [str(Path(sys.executable).parent / "bean-check"), str(target)],
        capture_output=True, text=True,
    )
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


def test_init_on_a_full_or_read_only_disk_leaves_nothing(disk, tmp_path) -> None:
    db = disk / "ledger.sqlite3"
    filler = fill_up(disk)
    result = ledger_cmd(db, "init", state=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        f"Erreur : Le disque de la base {db} est plein : rien n'a été modifié ; libérez de la "
        "place puis recommencez\n",
    )
    assert sorted(p.name for p in disk.iterdir()) == [filler.name]
    filler.unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    result = ledger_cmd(db, "init", state=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        f"Erreur : Impossible d'ouvrir la base {db} : le disque qui la contient est monté en "
        "lecture seule\n",
    )


def test_a_damaged_ledger_is_named_and_the_backup_advised(books, tmp_path) -> None:
    db = tmp_path / "abime.sqlite3"
    copy_ledger(books, db)
    data = bytearray(db.read_bytes())
    for page in range(1, len(data) // 4096):  # every b-tree page header after the first
        data[page * 4096 + 8 : page * 4096 + 208] = b"\xee" * 200
    db.write_bytes(bytes(data))
    for args in (("verify",), ("pay", "alice", "bob", "1")):
        result = ledger_cmd(db, *args, state=tmp_path)
        assert (result.returncode, result.stderr) == (
            1,
            f"Erreur : La base {db} est endommagée (SQLITE_CORRUPT) : rien n'a été modifié ; "
            "restaurez la dernière sauvegarde (« bulle-ledger backup »)\n",
        ), args
