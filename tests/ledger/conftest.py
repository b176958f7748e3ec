"""Fixtures of the ledger tests: a real SQLite ledger in tmp_path and a CLI runner on it."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from labulle.ledger.cli import cli
from ledger.helpers import SAMPLES, new_ledger, open_accounts


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.sqlite3"
    conn = new_ledger(path)
    open_accounts(conn, ("alice", "member"), ("bob", "member"), ("fournil", "pro"))
    conn.close()
    return path


@pytest.fixture
def run(ledger_path: Path):
    """Invoke ``bulle-ledger --db <ledger> ARGS…`` in-process; returns click's Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--db", str(ledger_path), *args], prog_name="bulle-ledger")

    return invoke


@pytest.fixture
def books(run, ledger_path) -> Path:
    """March and April samples, payments, a reconversion paid out, a reversal."""
    for args in (
        ("import", str(SAMPLES / "nef-2025-03.csv")),
        ("pay", "alice", "fournil", "35", "--date", "2025-03-20"),
        ("pay", "bob", "fournil", "12,50", "--date", "2025-03-21"),
        ("reconvert", "fournil", "40", "--date", "2025-03-31"),
        ("pay", "bob", "alice", "1", "--date", "2025-03-31"),
        ("reverse", "8", "--date", "2025-03-31"),
        ("import", str(SAMPLES / "camt053-2025-04.xml")),
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    return ledger_path
