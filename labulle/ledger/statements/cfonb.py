"""CFONB 120 statements (records 01 / 04 / 05 / 07 of 120 characters, latin-1).

Positions follow shared/notes/bank-formats.md (1-indexed there, 0-indexed slices here).
Files without line breaks are cut every 120 characters.
"""

from datetime import date

from labulle.ledger import reserves
from labulle.ledger.dates import check_day
from labulle.ledger.errors import StatementError
from labulle.ledger.statements.model import ZERO, BankLine, Statement, occurrence_keys

RECORD = 120
_POSITIVE = {c: i for i, c in enumerate("{ABCDEFGHI")}
_NEGATIVE = {c: i for i, c in enumerate("}JKLMNOPQR")}
# 05 qualifiers whose text helps a human (or the matcher) read the movement.
_LABEL_QUALIFIERS = ("LIB", "NPY", "LCC", "LC2", "LCS", "NBE")


def records(data: bytes) -> list[tuple[int, str]]:
    """(line number, 120-char record) pairs, with or without line breaks in the file.

    A file without line breaks is cut every 120 characters (its records are numbered); lines
    longer than 120 (records padded to 240) are cut too, blank pieces skipped.
    """
    text = data.decode("latin-1")
    lines = text.splitlines()
    if len(lines) == 1 and len(lines[0]) > RECORD:
        lines = [lines[0][i : i + RECORD] for i in range(0, len(lines[0]), RECORD)]
    return [
        (number, line[i : i + RECORD].ljust(RECORD))
        for number, line in enumerate(lines, start=1)
        for i in range(0, max(len(line), 1), RECORD)
        if line[i : i + RECORD].strip()
    ]


def amount(zone: str, decimals: int) -> int:
    """14-char signed amount -> cents (``0000000000500{`` = +50.00, ``…097}`` = -9.70)."""
    digits, last = zone[:13], zone[13]
    if last in _POSITIVE:
        sign, digit = 1, _POSITIVE[last]
    elif last in _NEGATIVE:
        sign, digit = -1, _NEGATIVE[last]
    else:
        raise ValueError(f"signe de montant inconnu « {last} »")
    if not digits.isdigit():
        raise ValueError(f"montant illisible « {zone} »")
    value = int(digits) * 10 + digit
    if decimals <= 2:
        return sign * value * 10 ** (2 - decimals)
    cents, fraction = divmod(value, 10 ** (decimals - 2))
    if fraction:
        raise ValueError(f"montant « {zone} » avec une fraction de centime ({decimals} décimales)")
    return sign * cents


def day(zone: str, what: str = "date") -> str:
    """``JJMMAA`` -> ISO date (years 00-79 are 20xx), checked by the ledger's date rule."""
    try:
        if not (zone.isascii() and zone.isdigit() and len(zone) == 6):
            raise ValueError
        dd, mm, yy = int(zone[0:2]), int(zone[2:4]), int(zone[4:6])
        moment = date(2000 + yy if yy < 80 else 1900 + yy, mm, dd)
    except ValueError:
        raise ValueError(f"{what} illisible « {zone} » (JJMMAA attendu)") from None
    return check_day(moment)


def _decimals(record: str) -> int:
    return int(record[19]) if record[19].isdigit() else 2


def _account(record: str) -> str:
    return f"{record[2:7]}{record[11:16]}{record[21:32].strip()}"


class _Builder:
    """Accumulates one statement's movements between its 01 and 07 records."""

    def __init__(self, path: str, line: int, record: str):
        self.path, self.line = path, line
        self.account = _account(record)
        self.identity = reserves.from_rib(record[2:7], record[11:16], record[21:32])
        if record[16:19].strip() not in ("", "EUR"):
            raise StatementError(
                path, line, f"devise « {record[16:19]} » : seul l'euro est accepté"
            )
        self.opening = amount(record[90:104], _decimals(record))
        self.opening_date = day(record[34:40], "date de l'ancien solde")
        self.moves: list[dict] = []

    def movement(self, line: int, record: str) -> None:
        self.moves.append(
            {
                "line": line,
                "raw": [record],
                "texts": [record[48:79].strip()],
                "amount": amount(record[90:104], _decimals(record)),
                "booking": day(record[34:40], "date de comptabilisation"),
                "value": (
                    day(record[42:48], "date de valeur") if record[42:48].strip("0 ") else None
                ),
                "refs": [],
            }
        )

    def complement(self, line: int, record: str) -> None:
        if not self.moves:
            raise StatementError(self.path, line, "enregistrement 05 sans mouvement 04 avant lui")
        move = self.moves[-1]
        move["raw"].append(record)
        qualifier, info = record[45:48], record[48:118].strip()
        if qualifier in _LABEL_QUALIFIERS and info:
            move["texts"].append(info)
        elif qualifier in ("RCN", "REF") and info:
            move["refs"].append(info.split()[0])

    def close(self, line: int, record: str) -> Statement:
        closing = amount(record[90:104], _decimals(record))
        total = sum(move["amount"] for move in self.moves)
        if self.opening + total != closing:
            raise StatementError(
                self.path,
                line,
                f"le relevé ne s'additionne pas : ancien solde {self.opening / 100:.2f} + "
                f"mouvements {total / 100:.2f} ≠ nouveau solde {closing / 100:.2f} ; "
                "relevé refusé en entier",
            )
        moves = [move for move in self.moves if move["amount"]]
        keys = occurrence_keys(f"cfonb:{self.account}", ["".join(m["raw"]) for m in moves])
        lines = [
            BankLine(
                key,
                m["booking"],
                m["value"],
                m["amount"],
                " ".join(" ".join(m["texts"]).split()),
                " ".join(m["refs"]) or None,
                m["line"],
            )
            for key, m in zip(keys, moves, strict=True)
        ]
        statement = Statement(
            "cfonb",
            self.identity,
            self.opening_date,
            day(record[34:40], "date du nouveau solde"),
            self.opening,
            closing,
            lines,
            source_line=self.line,
        )
        if len(moves) < len(self.moves):
            statement.aside[ZERO] = len(self.moves) - len(moves)
        return statement


def parse(data: bytes, path: str) -> list[Statement]:
    statements: list[Statement] = []
    current: _Builder | None = None
    for line, record in records(data):
        code = record[:2]
        try:
            if code == "01":
                if current:
                    raise StatementError(
                        path, line, "nouveau relevé (01) avant le solde final (07)"
                    )
                current = _Builder(path, line, record)
            elif code in ("04", "05", "07") and current is None:
                raise StatementError(
                    path, line, f"enregistrement {code} hors d'un relevé (01 manquant)"
                )
            elif code == "04":
                current.movement(line, record)
            elif code == "05":
                current.complement(line, record)
            elif code == "07":
                statements.append(current.close(line, record))
                current = None
            else:
                raise StatementError(path, line, f"type d'enregistrement inconnu « {code} »")
        except ValueError as error:
            raise StatementError(path, line, str(error)) from None
    if current:
        raise StatementError(path, current.line, "relevé sans solde final (07)")
    return statements
