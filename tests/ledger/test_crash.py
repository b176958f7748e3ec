"""Crash safety: an import killed (SIGKILL) at random points leaves a sound ledger, and
importing again completes it exactly."""

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from labulle.ledger.db import connect, transaction
from labulle.ledger.importer import import_statements, read_all
from labulle.ledger.statements.synthetic import Move, camt, nef_csv
from labulle.ledger.verify import verify
from ledger.helpers import journal, new_ledger, open_accounts

IBAN = "FR7642559100000800123456789"
COMMAND = [sys.executable, "-c", "from labulle.ledger.cli import main; main()"]


def big_statements(folder: Path, accounts: int, lines: int) -> list[Path]:
    """Two chained statements (CSV then camt) of ``lines`` movements each."""
    rng = random.Random(20)
    day = date(2025, 1, 1)
    files, opening = [], 0
    for number in range(2):
        moves = [
            Move(
                day + timedelta(days=i * 28 // lines),
                rng.choice([1000, 2000, 5000]),
                f"VIR SEPA BULLE M{rng.randrange(accounts)}",
                f"R{number}-{i}",
            )
            for i in range(lines)
        ]
        path = folder / f"releve-{number}"
        if number == 0:
            path = path.with_suffix(".csv")
            path.write_bytes(nef_csv(IBAN, opening, moves).encode("latin-1"))
        else:
            path = path.with_suffix(".xml")
            path.write_text(camt(IBAN, "S2", 2, opening, day, day + timedelta(days=27), moves))
        opening += sum(m.cents for m in moves)
        day += timedelta(days=28)
        files.append(path)
    return files


def contents(path: Path) -> tuple:
    conn = sqlite3.connect(path)
    try:
        return (
            sorted(conn.execute("SELECT account, cents FROM balances")),
            conn.execute("SELECT COUNT(*), SUM(amount_cents) FROM bank_lines").fetchone(),
            conn.execute("SELECT COUNT(*) FROM entries").fetchone(),
        )
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_during_import_then_reimport(tmp_path: Path) -> None:
    template = tmp_path / "template.sqlite3"
    conn = new_ledger(template)
    open_accounts(conn, *[(f"m{i}", "member") for i in range(200)])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    files = big_statements(tmp_path, 200, 1500)

    reference = tmp_path / "reference.sqlite3"
    shutil.copy(template, reference)
    started = time.monotonic()
    done = subprocess.run(
        [*COMMAND, "--db", str(reference), "import", *map(str, files)],
        capture_output=True,
        text=True,
    )
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    expected = contents(reference)
    assert expected[1][0] == 3000

    rng = random.Random(7)
    outcomes = {"nothing": 0, "all": 0}
    for attempt in range(20):
        db = tmp_path / f"crash-{attempt}.sqlite3"
        shutil.copy(template, db)
        process = subprocess.Popen(
            [*COMMAND, "--db", str(db), "import", *map(str, files)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.1, duration * 1.05))
        process.send_signal(signal.SIGKILL)
        process.wait()
        conn = connect(db)
        assert verify(conn) == [], attempt
        lines = conn.execute("SELECT COUNT(*) FROM bank_lines").fetchone()[0]
        assert lines in (0, 3000)  # one transaction: all or nothing
        outcomes["all" if lines else "nothing"] += 1
        with transaction(conn):
            import_statements(journal(conn), read_all(files))
        assert verify(conn) == []
        conn.close()
        assert contents(db) == expected
        db.unlink()
    assert outcomes["nothing"] > 0
