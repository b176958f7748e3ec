"""Accounts: system accounts and participants (member|pro); reserve accounts: ``reserves``."""

import re
import sqlite3
from dataclasses import dataclass

from labulle.ledger.errors import LedgerError

OWED, ISSUANCE, FEES, PAYOUTS = "sys:owed", "sys:issuance", "sys:fees", "sys:payouts"
EXTERNAL, TRANSIT = "sys:external", "sys:transit"

SYSTEM_ACCOUNTS = {
    OWED: ("owed", "EUR", "Euros dus aux détenteurs de Bulles"),
    ISSUANCE: ("issuance", "BULLE", "Émission de Bulles"),
    FEES: ("fees", "EUR", "Commissions de reconversion retenues"),
    PAYOUTS: ("payouts", "EUR", "Reconversions à payer aux pros"),
    EXTERNAL: ("external", "EUR", "Hors Bulle (fonds propres de l'association)"),
    TRANSIT: ("transit", "EUR", "Virements internes entre comptes de réserve"),
}
# Words the treasurer may type for system accounts in `assign`.
ALIASES = {"hors-bulle": EXTERNAL, "virement-interne": TRANSIT}
PARTICIPANT_KINDS = ("member", "pro")
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
# A commune as written on the pro's page: letters (accents too), spaces, hyphens, apostrophes.
COMMUNE_PATTERN = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’-])*", re.UNICODE)


@dataclass(frozen=True)
class Account:
    """One row of ``accounts``."""

    id: str
    kind: str
    commodity: str
    name: str
    pro_slug: str | None = None

    @property
    def is_participant(self) -> bool:
        return self.kind in PARTICIPANT_KINDS


def normalize_id(raw: str) -> str:
    return raw.strip().lower()


def get(conn: sqlite3.Connection, account_id: str) -> Account | None:
    row = conn.execute(
        "SELECT id, kind, commodity, name, pro_slug FROM accounts WHERE id = ?", (account_id,)
    ).fetchone()
    return Account(*row) if row else None


def require(conn: sqlite3.Connection, raw_id: str) -> Account:
    """The account named ``raw_id`` (any case, or a system alias), or a refusal."""
    account_id = ALIASES.get(normalize_id(raw_id), normalize_id(raw_id))
    account = get(conn, account_id)
    if account is None:
        raise LedgerError(f"compte inconnu : « {raw_id} »")
    return account


def require_participant(conn: sqlite3.Connection, raw_id: str) -> Account:
    account = require(conn, raw_id)
    if not account.is_participant:
        raise LedgerError(f"« {raw_id} » n'est pas un compte de participant")
    return account


def create_system_accounts(conn: sqlite3.Connection, today: str) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO accounts (id, kind, commodity, name, opened_at) VALUES (?,?,?,?,?)",
        [(aid, kind, com, name, today) for aid, (kind, com, name) in SYSTEM_ACCOUNTS.items()],
    )


def open_participant(
    conn: sqlite3.Connection,
    raw_id: str,
    *,
    name: str,
    kind: str,
    today: str,
    pro_slug: str | None = None,
    email: str | None = None,
    signup_id: int | None = None,
) -> Account:
    """Open a member or pro account; refuse a bad or taken id, or a pro without slug."""
    account_id = normalize_id(raw_id)
    if not ID_PATTERN.fullmatch(account_id) or account_id in ALIASES:
        raise LedgerError(
            f"identifiant de compte invalide « {raw_id} » : lettres minuscules, chiffres et "
            "tirets, 40 caractères au plus"
        )
    if kind not in PARTICIPANT_KINDS:
        raise LedgerError(f"type de compte invalide « {kind} » : member ou pro")
    if kind == "pro" and not (pro_slug and SLUG_PATTERN.fullmatch(pro_slug)):
        raise LedgerError("un compte pro doit nommer sa fiche avec --pro SLUG")
    if kind == "member" and pro_slug:
        raise LedgerError("--pro ne s'applique qu'aux comptes pro")
    if not name.strip():
        raise LedgerError("le nom du compte ne peut pas être vide")
    if get(conn, account_id):
        raise LedgerError(f"le compte « {account_id} » existe déjà")
    conn.execute(
        "INSERT INTO accounts (id, kind, commodity, name, email, pro_slug, signup_id, opened_at)"
        " VALUES (?, ?, 'BULLE', ?, ?, ?, ?, ?)",
        (account_id, kind, name.strip(), email, pro_slug, signup_id, today),
    )
    return Account(account_id, kind, "BULLE", name.strip(), pro_slug)


def balance(conn: sqlite3.Connection, account_id: str) -> int:
    row = conn.execute("SELECT cents FROM balances WHERE account = ?", (account_id,)).fetchone()
    return row[0] if row else 0


def set_commune(conn: sqlite3.Connection, raw_id: str, commune: str) -> tuple[Account, str]:
    """Record (or change) the commune of a pro account, as its page writes it."""
    account = require(conn, raw_id)
    if account.kind != "pro":
        raise LedgerError(
            f"« {account.id} » n'est pas un compte pro : seule la commune d'un pro est "
            "enregistrée (pour les chiffres par commune)"
        )
    name = " ".join(commune.split())
    if not (COMMUNE_PATTERN.fullmatch(name) and len(name) <= 100):
        raise LedgerError(
            f"commune invalide « {commune} » : écrivez-la comme sur la fiche du pro "
            "(lettres, espaces, tirets et apostrophes, 100 caractères au plus)"
        )
    conn.execute(
        "INSERT INTO pro_communes (account, commune) VALUES (?, ?)"
        " ON CONFLICT (account) DO UPDATE SET commune = excluded.commune",
        (account.id, name),
    )
    return account, name
