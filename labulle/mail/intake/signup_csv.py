"""The CSV export of a form service → sign-ups (`invoke intake-signups FILE.csv`).

One sign-up per row, columns named after the form's fields or its labels (signup.ALIASES).
The file is read whole before anything is recorded, and a file that is not such an export
is refused with one French sentence and nothing recorded: an empty file, a binary file, a
spreadsheet (.xlsx, .ods, .xls) instead of its CSV, UTF-16 (Excel's « Texte Unicode »), a
separator other than the comma, the semicolon or the tab (one column read, or `|`), no « nom » or
« courriel » column, a field longer than csvsafe.MAX_FIELD, any other csv.Error (at its line).
Text is UTF-8 (with or without BOM), else Windows-1252.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from labulle import csvsafe
from labulle.errors import LabulleError
from labulle.mail.intake.signup import (
    PARIS,
    Signup,
    build,
    field_name,
    ledger_path,
    record,
    summary,
)
from labulle.model import consent
from labulle.source.settings import identity
from labulle.source.site import project_settings
from labulle.text import decode_8bit, escaped

_REQUIRED = {"nom": "nom", "courriel": "adresse électronique"}
_SPREADSHEETS = {b"PK\x03\x04": "un classeur (.xlsx, .ods) ou une archive zip",
                 b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "un classeur Excel 97-2003 (.xls)"}
_ODD_SEPARATORS = "|^~"
_SAVE_AS = "enregistrez-le en « CSV UTF-8 (délimité par des virgules) »"


class CsvProblem(LabulleError):
    """The file cannot be taken as a form export (French message, with the file's name)."""


def read_csv(path: Path, wording: dict[str, str] | None = None) -> list[Signup]:
    """Every row of the export as a sign-up; CsvProblem when the file is not an export.
    `wording`: the accepted texts of the site's form (`consent.wording`; La Bulle's: None)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvProblem(f"{path} : lecture impossible ({exc.strerror or exc})") from None
    rows = _rows(_text(raw, path.name), path.name)
    names = _columns(rows[0] if rows else [], path.name)
    signups = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {name: cell for name, cell in zip(names, row, strict=False) if name}
        row_key = "\x1f".join(cell.strip() for cell in row)
        message_id = "csv:" + hashlib.sha256(row_key.encode("utf-8", "replace")).hexdigest()
        signups.append(build(values, f"{path.name}:{number}", _row_date(values.get("date")),
                             message_id, "csv", wording=wording))
    return signups


def _text(raw: bytes, name: str) -> str:
    if not raw.strip():
        raise CsvProblem(f"{name} : fichier vide")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(raw):
        raise CsvProblem(f"{name} : fichier en UTF-16 (« Texte Unicode ») : {_SAVE_AS}")
    for magic, kind in _SPREADSHEETS.items():
        if raw.startswith(magic):
            raise CsvProblem(f"{name} : c'est {kind}, pas un fichier CSV : {_SAVE_AS}")
    text = decode_8bit(raw).removeprefix("\ufeff")
    sample = text[:4096]
    controls = sum(1 for char in sample if char < " " and char not in "\t\r\n")
    if "\x00" in text or controls * 100 > len(sample):
        raise CsvProblem(f"{name} : contenu binaire, pas un fichier CSV")
    return text


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without BOM: every other byte of the start is NUL."""
    head = raw[:200]
    return len(head) >= 4 and (head[1::2].count(0) > len(head) // 3
                               or head[0::2].count(0) > len(head) // 3)


def _rows(text: str, name: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text), strict=True)
    rows = []
    try:
        with csvsafe.field_limit():  # a longer field is not a sign-up
            for row in reader:
                rows.append(row)
    except csv.Error as exc:
        raise CsvProblem(f"{name}:{reader.line_num} : {_csv_reason(exc)}") from None
    return rows


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:  # "Could not determine delimiter": the header line decides
        header = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=header.count)

        class Header(csv.excel):
            pass

        Header.delimiter = delimiter
        return Header


def _csv_reason(exc: csv.Error) -> str:
    said = str(exc)
    if "field larger than field limit" in said:
        return (f"un champ dépasse {csvsafe.MAX_FIELD:,} caractères".replace(",", " ")
                + " : ce n'est pas une inscription")
    if "unexpected end of data" in said:
        return "guillemet non refermé : fichier CSV tronqué ou abîmé"
    if "expected after" in said:
        return "guillemet au milieu d'un champ : fichier CSV abîmé"
    return f"fichier CSV illisible ({said})"


def _columns(header: list[str], name: str) -> list[str | None]:
    if len(header) < 2:
        first = escaped(header[0][:60]) if header else ""
        raise CsvProblem(f"{name}:1 : une seule colonne lue (« {first} ») : le séparateur doit "
                         "être la virgule, le point-virgule ou la tabulation")
    names = [field_name(label) for label in header]
    missing = [label for field, label in _REQUIRED.items() if field not in names]
    odd = max(_ODD_SEPARATORS, key=lambda char: sum(cell.count(char) for cell in header))
    if missing and sum(cell.count(odd) for cell in header) >= len(header):
        raise CsvProblem(f"{name}:1 : séparateur « {odd} » : le séparateur doit être la virgule, "
                         "le point-virgule ou la tabulation")
    if missing:
        said = " ni ".join(f"« {label} »" for label in missing)
        raise CsvProblem(f"{name}:1 : pas de colonne {said} dans l'en-tête : ce fichier n'est "
                         "pas l'export du formulaire d'inscription")
    return names


def _row_date(text: str | None) -> datetime:
    text = (text or "").strip()
    for parse in (datetime.fromisoformat,
                  lambda t: datetime.strptime(t, "%d/%m/%Y %H:%M:%S"),
                  lambda t: datetime.strptime(t, "%d/%m/%Y %H:%M"),
                  lambda t: datetime.strptime(t, "%d/%m/%Y"),
                  lambda t: datetime.strptime(t, "%Y/%m/%d %I:%M:%S %p")):
        try:
            when = parse(text)
        except ValueError:
            continue
        return when if when.tzinfo else when.replace(tzinfo=PARIS)  # form services: local time
    return datetime.now(UTC).replace(microsecond=0)


def import_csv(path: Path, project_root: Path, ledger_db: str | Path | None, apply: bool,
               out: TextIO = sys.stdout) -> int:
    """Read (and with `apply`, record) the sign-ups of a CSV export; exit status 0 or 1."""
    def say(line: str) -> None:
        print(escaped(line), file=out)

    if not path.is_file():
        say(f"{path} : fichier introuvable")
        return 1
    try:
        db = ledger_path(ledger_db, project_root) if apply else None
        signups = read_csv(path, consent.wording(identity(project_settings(project_root))))
    except LabulleError as exc:  # CsvProblem, LedgerPathError, LedgerError: French messages
        say(f"Erreur : {exc}")
        say("Rien n'a été enregistré.")
        return 1
    counts = {"recorded": 0, "usable": 0, "dropped": 0, "refused": 0}
    for signup in signups:
        say(f"== {signup.label} — inscription au test")
        for line in summary(signup):
            say(f"   {line}")
        counts[_one(signup, db, say)] += 1
    usable = len(signups) - counts["dropped"] - counts["refused"]
    say(f"{len(signups)} inscription(s) : {usable} utilisable(s), {counts['refused']} à revoir, "
        f"{counts['dropped']} robot(s) ignoré(s)"
        + (f", {counts['recorded']} enregistrée(s) dans {db}." if db else
           " (rien n'a été écrit)."))
    return 1 if counts["refused"] else 0


def _one(signup: Signup, db: Path | None, say: Callable[[str], None]) -> str:
    """Report (and with a database, record) one sign-up; which count it adds to."""
    if signup.bot:
        say("   → Ignorée : champ caché rempli (robot).")
        return "dropped"
    if signup.reasons:
        say("   → Inutilisable :")
        for reason in signup.reasons:
            say(f"     {reason}")
        return "refused"
    if db is None:
        say("   → Utilisable : relancez avec --apply pour l'enregistrer.")
        return "usable"
    try:
        signup_id = record(signup, db)
    except LabulleError as exc:  # LedgerError: French message
        say(f"   → Refusée par le grand livre : {exc}")
        return "refused"
    say(f"   → Enregistrée : inscription n° {signup_id} en attente.")
    return "recorded"
