"""The SQL of each migration. History tables get triggers refusing UPDATE and DELETE."""

import sqlite3
from collections.abc import Callable

from labulle.ledger import summary
from labulle.ledger.chain import GENESIS

HISTORY_TABLES = ("accounts", "statements", "bank_lines", "payouts", "entries", "lines")


def _append_only(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, 'historique en ajout seul : modification refusée'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, 'historique en ajout seul : suppression refusée'); END;
"""


INITIAL = """
CREATE TABLE config (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE signups (
    id INTEGER PRIMARY KEY,
    dedup_key TEXT NOT NULL UNIQUE,
    name TEXT, email TEXT, phone TEXT, commune TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('particulier', 'pro', 'association')),
    pro_slug TEXT,
    expected_monthly_cents INTEGER CHECK (expected_monthly_cents >= 0),
    consent_text TEXT, consent_version TEXT, consent_at TEXT,
    newsletter INTEGER NOT NULL DEFAULT 0 CHECK (newsletter IN (0, 1)),
    source TEXT NOT NULL CHECK (source IN ('email', 'csv', 'form')),
    received_at TEXT NOT NULL,
    discarded_at TEXT
) STRICT;

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('reserve', 'owed', 'issuance', 'fees', 'payouts',
                                       'external', 'transit', 'member', 'pro')),
    commodity TEXT NOT NULL CHECK (commodity IN ('EUR', 'BULLE')),
    name TEXT NOT NULL,
    email TEXT,
    pro_slug TEXT,
    bank_account TEXT UNIQUE,
    signup_id INTEGER UNIQUE REFERENCES signups(id),
    opened_at TEXT NOT NULL,
    CHECK ((kind = 'pro') = (pro_slug IS NOT NULL)),
    CHECK ((kind IN ('member', 'pro')) = (commodity = 'BULLE') OR kind = 'issuance')
) STRICT;

-- Derived cache of account balances, kept by Journal.flush; `verify` recomputes it from lines.
CREATE TABLE balances (
    account TEXT PRIMARY KEY REFERENCES accounts(id),
    cents INTEGER NOT NULL
) STRICT;

CREATE TABLE statements (
    id INTEGER PRIMARY KEY,
    skey TEXT NOT NULL UNIQUE,
    bank_account TEXT NOT NULL,
    format TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    opening_cents INTEGER NOT NULL,
    closing_cents INTEGER NOT NULL,
    seq INTEGER,
    digest TEXT NOT NULL,
    source_name TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;

CREATE TABLE bank_lines (
    id INTEGER PRIMARY KEY,
    statement_id INTEGER NOT NULL REFERENCES statements(id),
    lkey TEXT NOT NULL UNIQUE,
    booking_date TEXT NOT NULL,
    value_date TEXT,
    amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),
    label TEXT NOT NULL,
    bank_ref TEXT
) STRICT;

CREATE TABLE payouts (
    id INTEGER PRIMARY KEY,
    pro TEXT NOT NULL REFERENCES accounts(id),
    gross_cents INTEGER NOT NULL CHECK (gross_cents > 0),
    fee_bp INTEGER NOT NULL,
    fee_cents INTEGER NOT NULL CHECK (fee_cents >= 0),
    net_cents INTEGER NOT NULL CHECK (net_cents >= 0),
    created_at TEXT NOT NULL,
    CHECK (fee_cents + net_cents = gross_cents)
) STRICT;

CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('opening', 'conversion', 'payment', 'reconversion',
                                       'settlement', 'assignment', 'reversal')),
    operator TEXT NOT NULL,
    memo TEXT NOT NULL,
    bank_line_id INTEGER REFERENCES bank_lines(id),
    payout_id INTEGER REFERENCES payouts(id),
    reverses INTEGER UNIQUE REFERENCES entries(id),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX entries_bank_line ON entries(bank_line_id) WHERE bank_line_id IS NOT NULL;
CREATE INDEX entries_payout ON entries(payout_id) WHERE payout_id IS NOT NULL;
CREATE INDEX entries_kind_date ON entries(kind, date) WHERE kind <> 'payment';

-- Clustered by entry (WITHOUT ROWID): an entry's lines are read together, in order.
CREATE TABLE lines (
    entry_id INTEGER NOT NULL REFERENCES entries(id),
    seq INTEGER NOT NULL,
    account TEXT NOT NULL REFERENCES accounts(id),
    commodity TEXT NOT NULL CHECK (commodity IN ('EUR', 'BULLE')),
    cents INTEGER NOT NULL CHECK (cents <> 0),
    PRIMARY KEY (entry_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX lines_account ON lines(account, entry_id);

""" + "".join(_append_only(table) for table in HISTORY_TABLES)

# Entries rebuilt for faster posting, with the chain linkage enforced on insert:
# - ``hash`` loses its UNIQUE index (a random key: every insert touched a random page of a
#   1M-row index); the trigger below is the stronger rule: an entry's ``prev_hash`` must be
#   the hash of entry id - 1 (the genesis hash for entry 1). As ids are unique and never
#   deleted, entries stay numbered 1, 2, 3… and each one extends the head of the chain;
# - ``kind`` is checked by comparisons (``IN (list)`` in a CHECK builds a table per row);
# - ``reverses`` is unique through a partial index (no index row for the entries that
#   reverse nothing, i.e. nearly all of them);
# - ``lines_account`` and ``entries_kind_date`` only served the monthly statistics, now
#   read from ``month_totals`` (migration 0003).
ENTRIES_REBUILT = f"""
DROP TRIGGER entries_no_update;
DROP TRIGGER entries_no_delete;
DROP INDEX entries_kind_date;
DROP INDEX lines_account;

CREATE TABLE entries_rebuilt (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind = 'opening' OR kind = 'conversion' OR kind = 'payment'
                              OR kind = 'reconversion' OR kind = 'settlement'
                              OR kind = 'assignment' OR kind = 'reversal'),
    operator TEXT NOT NULL,
    memo TEXT NOT NULL,
    bank_line_id INTEGER REFERENCES bank_lines(id),
    payout_id INTEGER REFERENCES payouts(id),
    reverses INTEGER REFERENCES entries(id),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
INSERT INTO entries_rebuilt SELECT id, ts, date, kind, operator, memo, bank_line_id, payout_id,
    reverses, prev_hash, hash FROM entries ORDER BY id;
DROP TABLE entries;
ALTER TABLE entries_rebuilt RENAME TO entries;
CREATE INDEX entries_bank_line ON entries(bank_line_id) WHERE bank_line_id IS NOT NULL;
CREATE INDEX entries_payout ON entries(payout_id) WHERE payout_id IS NOT NULL;
CREATE UNIQUE INDEX entries_reverses ON entries(reverses) WHERE reverses IS NOT NULL;

CREATE TRIGGER entries_chain BEFORE INSERT ON entries
WHEN NEW.prev_hash IS NOT COALESCE((SELECT hash FROM entries WHERE id = NEW.id - 1),
                                   IIF(NEW.id = 1, '{GENESIS}', NULL))
BEGIN SELECT RAISE(ABORT, 'chaîne de hachage : une écriture doit suivre la dernière'); END;
""" + _append_only("entries")

# The commune of each pro account (``account open --commune``, ``account commune``): where
# the pro is now, changed in place (not history); ``stats`` adds payments up per commune.
PRO_COMMUNES = """
CREATE TABLE pro_communes (
    account TEXT PRIMARY KEY REFERENCES accounts(id),
    commune TEXT NOT NULL CHECK (length(commune) BETWEEN 1 AND 100)
) STRICT
"""


def _pro_communes(conn: sqlite3.Connection) -> None:
    """Migration 0004: the pros' communes, and ``month_totals`` recomputed with the
    payment measures."""
    conn.execute(PRO_COMMUNES)
    summary.refill(conn)


MIGRATIONS: list[tuple[str, str | Callable[[sqlite3.Connection], None]]] = [
    ("0001_initial", INITIAL),
    ("0002_entries_chain_trigger", ENTRIES_REBUILT),
    ("0003_month_totals", summary.fill),
    ("0004_pro_communes", _pro_communes),
]
