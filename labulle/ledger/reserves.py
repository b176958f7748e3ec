"""One bank account = one reserve account, whatever a statement format calls it.

A bank account's identity is written in one canonical form:

- a French account (IBAN ``FRkk BBBBB GGGGG CCCCCCCCCCC KK``, or CFONB's bank + branch +
  number) is its RIB without key, ``BBBBBGGGGGCCCCCCCCCCC`` (21 characters);
- La Nef's CSV names the account by its number alone: the RIB of bank ``42559`` with the
  branch unknown, written ``42559?????CCCCCCCCCCC`` (``?`` matches any character);
- another IBAN is itself; any other identifier (camt ``Othr/Id``) is ``ID:`` + itself.

Reserve accounts are declared by the treasurer (``init --reserve``, ``config --reserve``);
books with no reserve at all take the account of their first statement as their reserve.
A statement of any other account is refused with its number named.
"""

import re
import sqlite3

from labulle.ledger.errors import LedgerError, StatementError

NEF_BANK = "42559"
_IBAN = re.compile(r"[A-Z]{2}\d{2}[0-9A-Z]{11,30}")
_RIB_LETTERS = {c: str(v) for c, v in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                          "12345678912345678923456789", strict=True)}


def _compact(text: str) -> str:
    return re.sub(r"[\s-]", "", text or "").upper()


def _iban_ok(iban: str) -> bool:
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _rib_key_ok(rib23: str) -> bool:
    digits = "".join(_RIB_LETTERS.get(c, c) for c in rib23)
    bank, branch, number, key = digits[:5], digits[5:10], digits[10:21], digits[21:]
    return (89 * int(bank) + 15 * int(branch) + 3 * int(number) + int(key)) % 97 == 0


def from_rib(bank: str, branch: str, number: str) -> str:
    """CFONB's zones -> ``BBBBBGGGGGCCCCCCCCCCC`` (the number zero-filled to 11)."""
    return f"{bank.strip()}{branch.strip()}{_compact(number).rjust(11, '0')}".upper()


def from_iban(iban: str) -> str:
    compact = _compact(iban)
    if compact.startswith("FR") and len(compact) == 27:
        return compact[4:25]
    return compact


def from_nef_number(number: str) -> str:
    """La Nef's account number alone: bank 42559, branch unknown (number unknown if "")."""
    return f"{NEF_BANK}?????{_compact(number).rjust(11, '0') if number else '?' * 11}"


def from_other(text: str) -> str:
    """camt ``Othr/Id``: an IBAN or a RIB when it is one, else the identifier as written."""
    compact = _compact(text)
    if _IBAN.fullmatch(compact):
        return from_iban(compact)
    if re.fullmatch(r"\d{10}[0-9A-Z]{11}(\d{2})?", compact):
        return compact[:21]
    return compact if compact.startswith("ID:") else f"ID:{compact}"


def from_stored(text: str) -> str:
    """An identity stored by this version or by older ones (a bare number, ``nef``)."""
    compact = _compact(text)
    if compact == "NEF":  # older books: a La Nef CSV that did not name its account
        return from_nef_number("")
    if re.fullmatch(r"\d{5}\?{5}([0-9A-Z]{11}|\?{11})", compact):
        return compact
    if re.fullmatch(r"\d{1,11}", compact):  # older books: La Nef CSV's number alone
        return from_nef_number(compact)
    return from_other(compact)


def declared_form(text: str) -> str:
    """The identity of an IBAN or RIB typed by the treasurer (checksums verified)."""
    compact = _compact(text)
    if _IBAN.fullmatch(compact) and _iban_ok(compact):
        return from_iban(compact)
    if re.fullmatch(r"\d{10}[0-9A-Z]{11}\d{2}", compact) and _rib_key_ok(compact):
        return compact[:21]
    raise LedgerError(
        f"compte de réserve « {text} » illisible : écrivez son IBAN (FR76 4255 9…) ou son RIB "
        "complet (banque, guichet, numéro, clé), clés de contrôle comprises"
    )


def describe(identity: str) -> str:
    """The identity as a treasurer reads it on her bank's documents."""
    if identity.endswith("?" * 11):
        return f"de la banque {identity[:5]} (numéro non indiqué dans le fichier)"
    if re.fullmatch(r"\d{5}\?{5}[0-9A-Z]{11}", identity):
        return f"n° {identity[10:]} (banque {identity[:5]})"
    if re.fullmatch(r"\d{10}[0-9A-Z]{11}", identity):
        return f"banque {identity[:5]}, guichet {identity[5:10]}, n° {identity[10:]}"
    return identity.removeprefix("ID:")


def _same(a: str, b: str) -> bool:
    return len(a) == len(b) and all(x == y or "?" in (x, y) for x, y in zip(a, b, strict=True))


def _holds(stored: str | None, identity: str) -> bool:
    """Whether the reserve stored as ``stored`` is the bank account ``identity``."""
    return _same(from_stored(stored or ""), identity)


def _reserves(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(account id, stored identity) of every reserve account."""
    return conn.execute(
        "SELECT id, bank_account FROM accounts WHERE kind = 'reserve' ORDER BY rowid"
    ).fetchall()


def _new_id(conn: sqlite3.Connection, identity: str) -> str:
    base = "reserve:" + (re.sub(r"[^a-z0-9]", "", identity.lower()) or "banque")
    account_id, number = base, 1
    while conn.execute("SELECT 1 FROM accounts WHERE id = ?", (account_id,)).fetchone():
        number += 1
        account_id = f"{base}-{number}"
    return account_id


def _create(conn: sqlite3.Connection, identity: str, today: str) -> str:
    account_id = _new_id(conn, identity)
    conn.execute(
        "INSERT INTO accounts (id, kind, commodity, name, bank_account, opened_at)"
        " VALUES (?, 'reserve', 'EUR', ?, ?, ?)",
        (account_id, f"Réserve (compte {describe(identity)})", identity, today),
    )
    return account_id


def declare(conn: sqlite3.Connection, text: str, today: str) -> tuple[str, bool]:
    """Declare the bank account ``text`` (IBAN or RIB) a reserve: (account id, newly made)."""
    identity = declared_form(text)
    for account_id, stored in _reserves(conn):
        if _holds(stored, identity):
            return account_id, False
    return _create(conn, identity, today), True


def declared(conn: sqlite3.Connection) -> list[str]:
    """The declared bank accounts, as the treasurer reads them."""
    return [describe(from_stored(stored or "")) for _id, stored in _reserves(conn)]


def resolve(conn: sqlite3.Connection, identity: str, source: str, today: str) -> tuple[str, str]:
    """(reserve account id, stored identity) of the statement's bank account, or a refusal.

    Books without any reserve yet take this account as their reserve (first import).
    """
    reserves = _reserves(conn)
    found = [(aid, stored) for aid, stored in reserves if _holds(stored, identity)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(describe(from_stored(stored)) for _aid, stored in found)
        raise StatementError(
            source,
            None,
            f"le compte {describe(identity)} peut être plusieurs comptes de réserve ({names}) : "
            "exportez le relevé avec l'IBAN du compte",
        )
    if not reserves:
        return _create(conn, identity, today), identity
    raise StatementError(
        source,
        None,
        f"relevé du compte {describe(identity)}, qui n'est pas un compte de réserve déclaré "
        f"(déclaré(s) : {' ; '.join(declared(conn))}) : rien n'est importé. S'il est bien un "
        "compte de réserve de la Bulle, déclarez-le : bulle-ledger config --reserve IBAN",
    )
