"""Fixtures of the ledger tests: a real SQLite ledger in tmp_path and a CLI runner on it."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from labulle.ledger.cli import cli
from ledger.helpers import new_ledger, open_accounts


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
