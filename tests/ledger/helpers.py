"""Helpers shared by the ledger tests: a real SQLite ledger with a few accounts."""

import sqlite3
from pathlib import Path

from labulle.ledger import accounts, config, reserves
from labulle.ledger.db import open_ledger, transaction
from labulle.ledger.journal import Journal

SAMPLES = Path(__file__).parent / "samples"
RESERVE_IBAN = "FR7642559100000800123456771"
"""The reserve account of the samples (La Nef, bank 42559): declared in every test ledger."""


def new_ledger(path: Path, fee_bp: int = 200) -> sqlite3.Connection:
    conn = open_ledger(path, create=True)
    with transaction(conn):
        accounts.create_system_accounts(conn, "2025-01-01")
        config.put(conn, "fee_bp", str(fee_bp))
        config.put(conn, "operator", "tests")
        reserves.declare(conn, RESERVE_IBAN, "2025-01-01")
    return conn


def open_accounts(conn: sqlite3.Connection, *specs: tuple[str, str]) -> None:
    """Open (id, kind) participant accounts; pros get the slug ``<id>-slug``."""
    with transaction(conn):
        for account_id, kind in specs:
            accounts.open_participant(
                conn,
                account_id,
                name=account_id.title(),
                kind=kind,
                today="2025-01-01",
                pro_slug=f"{account_id}-slug" if kind == "pro" else None,
            )


def journal(conn: sqlite3.Connection) -> Journal:
    return Journal(conn, "tests")
