"""Pending participants of the pilot ("signups"), kept with the consent they gave.

Python API for the sign-up intake (email, form service CSV, site form)::

    from labulle.ledger.signups import record_signup

    signup_id = record_signup(
        conn_or_db_path,            # an open sqlite3.Connection or the ledger's path
        *,
        name: str,                  # required
        email: str | None = None,
        phone: str | None = None,
        commune: str | None = None,
        kind: str = "particulier",  # "particulier" | "pro" | "association"
        pro_slug: str | None = None,            # the pro's file name in pros/ (without .yml)
        expected_monthly_cents: int | None = None,
        consent_text: str | None = None,        # the exact wording the person accepted
        consent_version: str | None = None,
        consent_at: str | None = None,          # ISO 8601 date or datetime of the consent
        newsletter: bool = False,
        source: str = "form",       # "email" | "csv" | "form"
        received_at: str,           # ISO 8601, when the sign-up reached the association
        message_id: str | None = None,          # e.g. the email's Message-ID
    ) -> int

It is idempotent: the same ``message_id`` (or, without one, the same ``email`` +
``received_at``) returns the id recorded the first time and changes nothing. It raises
``LedgerError`` (French message) on a bad field. Discarding a sign-up (``discard``) erases
its personal data and keeps only that it existed (id, kind, source, dates) and the hash
used for idempotency, so that a re-run of the intake does not bring it back.
"""

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from labulle.ledger.dates import DateProblem, parse_timestamp
from labulle.ledger.db import open_ledger, transaction
from labulle.ledger.errors import LedgerError
from labulle.ledger.fields import check_email, check_text
from labulle.ledger.money import MAX_CENTS

KINDS = ("particulier", "pro", "association")
SOURCES = ("email", "csv", "form")
TEXTS = ("name", "phone", "commune", "pro_slug", "consent_text", "consent_version")
PERSONAL = (
    "name",
    "email",
    "phone",
    "commune",
    "pro_slug",
    "expected_monthly_cents",
    "consent_text",
    "consent_version",
    "consent_at",
)


def _dedup_key(message_id: str | None, email: str | None, received_at: str) -> str:
    basis = f"mid:{message_id}" if message_id else f"mail:{(email or '').lower()}|{received_at}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def _validate(fields: dict, message_id: str | None) -> None:
    """Refuse a sign-up the ledger cannot keep as is; free texts and the email address are
    cleaned in place by the ledger's one text rule (``fields.check_text``)."""
    if not (fields.get("name") or "").strip():
        raise LedgerError("inscription refusée : le nom est obligatoire")
    if fields["kind"] not in KINDS:
        raise LedgerError(
            f"inscription refusée : type « {fields['kind']} » inconnu ({', '.join(KINDS)})"
        )
    if fields["source"] not in SOURCES:
        raise LedgerError(f"inscription refusée : source « {fields['source']} » inconnue")
    cents = fields.get("expected_monthly_cents")
    if cents is not None and (
        not isinstance(cents, int) or isinstance(cents, bool) or not 0 <= cents <= MAX_CENTS
    ):
        raise LedgerError(
            "inscription refusée : le montant mensuel doit être un entier de centimes "
            f"de 0 à {MAX_CENTS}"
        )
    try:
        for key in TEXTS:
            if fields[key] is not None:
                fields[key] = check_text(fields[key], key)
        if message_id is not None:
            check_text(message_id, "message_id")
        if fields["email"]:
            fields["email"] = check_email(fields["email"])
    except LedgerError as problem:
        raise LedgerError(f"inscription refusée : {problem}") from None
    dates = (("received_at", "date de réception"), ("consent_at", "date du consentement"))
    for key, label in dates:
        try:
            if fields[key] is not None or key == "received_at":
                parse_timestamp(fields[key])
        except DateProblem as problem:
            raise LedgerError(f"inscription refusée : {key} ({label}) : {problem}") from None


def record_signup(
    conn_or_db_path: sqlite3.Connection | str | Path,
    *,
    name: str,
    received_at: str,
    email: str | None = None,
    phone: str | None = None,
    commune: str | None = None,
    kind: str = "particulier",
    pro_slug: str | None = None,
    expected_monthly_cents: int | None = None,
    consent_text: str | None = None,
    consent_version: str | None = None,
    consent_at: str | None = None,
    newsletter: bool = False,
    source: str = "form",
    message_id: str | None = None,
) -> int:
    """Record one sign-up (idempotent); return its id. See the module docstring."""
    fields = {
        "name": name,
        "email": email,
        "phone": phone,
        "commune": commune,
        "kind": kind,
        "pro_slug": pro_slug,
        "expected_monthly_cents": expected_monthly_cents,
        "consent_text": consent_text,
        "consent_version": consent_version,
        "consent_at": consent_at,
        "newsletter": int(bool(newsletter)),
        "source": source,
        "received_at": received_at,
    }
    _validate(fields, message_id)
    fields["dedup_key"] = _dedup_key(message_id, email, received_at)
    if isinstance(conn_or_db_path, sqlite3.Connection):
        return _insert(conn_or_db_path, fields)
    conn = open_ledger(Path(conn_or_db_path))
    try:
        return _insert(conn, fields)
    finally:
        conn.close()


def _insert(conn: sqlite3.Connection, fields: dict) -> int:
    with transaction(conn):
        row = conn.execute(
            "SELECT id FROM signups WHERE dedup_key = ?", (fields["dedup_key"],)
        ).fetchone()
        if row:
            return row[0]
        names = ", ".join(fields)
        return conn.execute(
            f"INSERT INTO signups ({names}) VALUES ({', '.join('?' * len(fields))}) RETURNING id",
            list(fields.values()),
        ).fetchone()[0]


def pending(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Sign-ups neither discarded nor turned into an account, oldest first."""
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(
            "SELECT * FROM signups s WHERE discarded_at IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM accounts a WHERE a.signup_id = s.id) ORDER BY received_at, id"
        ).fetchall()
    finally:
        conn.row_factory = None


def get_pending(conn: sqlite3.Connection, signup_id: int) -> dict:
    """One pending sign-up as a dict, or a refusal saying why it cannot be used."""
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute("SELECT * FROM signups WHERE id = ?", (signup_id,)).fetchone()
    finally:
        conn.row_factory = None
    if row is None:
        raise LedgerError(f"inscription inconnue : {signup_id}")
    if row["discarded_at"]:
        raise LedgerError(f"l'inscription {signup_id} a été écartée")
    used = conn.execute("SELECT id FROM accounts WHERE signup_id = ?", (signup_id,)).fetchone()
    if used:
        raise LedgerError(f"l'inscription {signup_id} a déjà son compte « {used[0]} »")
    return dict(row)


def discard(conn: sqlite3.Connection, signup_id: int) -> None:
    """Erase a pending sign-up's personal data, keeping that it existed."""
    get_pending(conn, signup_id)
    assignments = ", ".join(f"{name} = NULL" for name in PERSONAL)
    conn.execute(
        f"UPDATE signups SET {assignments}, newsletter = 0, discarded_at = ? WHERE id = ?",
        (datetime.now(UTC).isoformat(timespec="seconds"), signup_id),
    )
