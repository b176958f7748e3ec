"""La Nef's CSV export: latin-1, metadata lines, then the header row found by its content.

Columns: ``Date opération, Date Valeur, Référence, Montant, Solde, Libellé``; French dates,
decimal comma, a running balance (``Solde``) on every row, in either chronological order.
"""

import csv
import io
import re
import unicodedata
from datetime import date, datetime

from labulle import csvsafe
from labulle.ledger import reserves
from labulle.ledger.dates import DateProblem, check_day
from labulle.ledger.errors import StatementError
from labulle.ledger.money import parse_signed_decimal
from labulle.ledger.statements.model import (
    LABEL_MAX,
    ZERO,
    BankLine,
    Statement,
    check_label,
    occurrence_keys,
)

COLUMNS = ("date operation", "date valeur", "reference", "montant", "solde", "libelle")


def _plain(text: str) -> str:
    """Lower case without accents: ``Date opération`` -> ``date operation``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip().lower()


def decode(data: bytes) -> str:
    """UTF-8 when the file really is UTF-8, else latin-1 (La Nef's encoding)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


_DMY = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def _french_date(text: str, path: str, line: int, seen: dict[str, str] | None = None) -> str:
    """``31/01/2025`` -> ``2025-01-31``; ``seen`` remembers the dates of one file."""
    if seen is not None:
        if text not in seen:
            seen[text] = _french_date(text, path, line)
        return seen[text]
    try:
        return check_day(_calendar_day(text))
    except DateProblem as problem:
        raise StatementError(path, line, str(problem)) from None
    except ValueError:
        raise StatementError(
            path, line, f"date illisible « {text.strip()[:40]} » (JJ/MM/AAAA attendu)"
        ) from None


def _calendar_day(text: str) -> date:
    """The day written ``31/01/2025`` (or ``31/01/25``, ``31-01-2025``, ``2025-01-31``)."""
    fast = _DMY.fullmatch(text.strip())
    if fast:
        return date(int(fast[3]), int(fast[2]), int(fast[1]))
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _bank_account(metadata: list[str]) -> tuple[str, str]:
    """(as written, canonical identity) of the IBAN or account number in the metadata lines."""
    joined = " ".join(metadata)
    iban = re.search(r"\b[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){2,7}(?: ?[0-9A-Z]{1,4})?\b", joined)
    if iban:
        compact = iban.group(0).replace(" ", "")
        return compact, reserves.from_iban(compact)
    number = re.search(r"(?i)compte\D{0,20}(\d{6,11})\b", joined)
    if number:
        return number.group(1), reserves.from_nef_number(number.group(1))
    return "nef", reserves.from_nef_number("")  # some La Nef account: the only one declared


def _header_index(rows: list[list[str]], path: str) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows):
        names = [_plain(cell) for cell in row]
        if all(column in names for column in COLUMNS):
            return index, {column: names.index(column) for column in COLUMNS}
    raise StatementError(
        path,
        None,
        "en-tête introuvable (colonnes attendues : Date opération, Date Valeur, Référence, "
        "Montant, Solde, Libellé)",
    )


def _rows(text: str, path: str) -> list[list[str]]:
    header_line = next((line for line in text.splitlines() if "olde" in line), "")
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        with csvsafe.field_limit():  # ours, whatever a library did to the process's
            return list(reader)
    except csv.Error:
        raise StatementError(
            path,
            max(reader.line_num, 1),
            f"ligne illisible (une cellule de plus de {csvsafe.MAX_FIELD:,} caractères, "
            "ou un guillemet jamais fermé)".replace(",", "\u202f", 1),
        ) from None


def _ordered(parsed: list[tuple], path: str) -> list[tuple]:
    """Rows in chronological order, proven by the running balance; refuse if it never adds up."""
    for candidate in (parsed, parsed[::-1]):
        if all(
            prev[4] + cur[3] == cur[4] for prev, cur in zip(candidate, candidate[1:], strict=False)
        ):
            return candidate
    for prev, cur in zip(parsed, parsed[1:], strict=False):
        if prev[4] + cur[3] != cur[4]:
            raise StatementError(
                path,
                cur[0],
                "le solde de la ligne ne correspond pas au solde précédent plus le montant : "
                "relevé refusé en entier",
            )
    return parsed  # pragma: no cover - one of the loops above decides


def _row(cells: list[str], raw: str, path: str, index: int, seen: tuple[dict, dict]) -> tuple:
    """(amount, balance, booking date, value date) of one row, every cell checked.

    ``seen`` remembers the file's dates and amounts (a month repeats a few dozen of each)."""
    dates, amounts = seen
    try:
        if len(raw) > LABEL_MAX:  # no cell can be longer than the whole row
            check_label(max(cells, key=len), "cellule")
        amount = amounts.get(cells[3])
        if amount is None:
            amount = amounts[cells[3]] = parse_signed_decimal(cells[3])
        balance = parse_signed_decimal(cells[4])
    except ValueError as error:
        raise StatementError(path, index, str(error)) from None
    booked = _french_date(cells[0], path, index, dates)
    valued = _french_date(cells[1], path, index, dates) if cells[1] else None
    return amount, balance, booked, valued


def parse(data: bytes, path: str) -> list[Statement]:
    text = decode(data)
    rows = _rows(text, path)
    header, col = _header_index(rows, path)
    where = [col[name] for name in COLUMNS]  # cells below come in the order of COLUMNS
    parsed, zeros, seen = [], 0, ({}, {})
    for index, row in enumerate(rows[header + 1 :], start=header + 2):
        if not "".join(row).strip():
            continue
        if len(row) < len(COLUMNS):
            raise StatementError(path, index, f"ligne incomplète ({len(row)} colonnes)")
        cells = [row[i].strip() for i in where]
        raw = "|".join(cells)
        amount, balance, booked, valued = _row(cells, raw, path, index, seen)
        if amount == 0:
            zeros += 1
            continue
        parsed.append((index, cells, raw, amount, balance, booked, valued))
    if not parsed:
        return []
    ordered = _ordered(parsed, path)
    bank, identity = _bank_account([",".join(r) for r in rows[:header]])
    keys = occurrence_keys(f"nef:{bank}", [item[2] for item in ordered])
    lines = [
        BankLine(key, booked, valued, amount, " ".join(cells[5].split()), cells[2] or None, index)
        for key, (index, cells, _raw, amount, _bal, booked, valued) in zip(
            keys, ordered, strict=True
        )
    ]
    days = sorted(line.booking_date for line in lines)
    opening = ordered[0][4] - ordered[0][3]
    statement = Statement(
        "nef_csv", identity, days[0], days[-1], opening, ordered[-1][4], lines,
        source_line=header + 1,
    )
    if zeros:
        statement.aside[ZERO] = zeros
    return [statement]
