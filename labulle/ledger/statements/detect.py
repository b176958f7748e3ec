"""Recognise a statement's format from its content and hand it to the right reader."""

import re
from pathlib import Path

from labulle.ledger.errors import StatementError
from labulle.ledger.statements.model import Statement

_SIGNS = b"{}ABCDEFGHIJKLMNOPQR"


def detect(data: bytes) -> str:
    """``camt``, ``cfonb`` or ``nef_csv``; ``""`` when nothing fits."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and re.search(rb"BkToCstmr(Stmt|AcctRpt|DbtCdtNtfctn)", data[:65536]):
        return "camt"
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    # A 01 record: code, bank code, then a signed amount ending at position 104 (trailing
    # blanks may have been trimmed, or the file may have no line breaks at all).
    if re.match(rb"01\d{5}", first) and len(first) >= 104 and first[103:104] in _SIGNS:
        return "cfonb"
    text = head.decode("latin-1").lower()
    if "date op" in text and "solde" in text and "libell" in text:
        return "nef_csv"
    return ""


def read_statements(path: Path) -> list[Statement]:
    """Read every statement of the file at ``path`` (format detected from the content)."""
    from labulle.ledger.statements import camt, cfonb, nef_csv

    try:
        data = path.read_bytes()
    except OSError as error:
        raise StatementError(str(path), None, f"lecture impossible ({error.strerror})") from None
    kind = detect(data)
    readers = {"camt": camt.parse, "cfonb": cfonb.parse, "nef_csv": nef_csv.parse}
    if not kind:
        raise StatementError(
            str(path),
            None,
            "format de relevé non reconnu (attendu : CSV de La Nef, CFONB 120 ou camt.053)",
        )
    statements = readers[kind](data, str(path))
    for statement in statements:
        statement.source, statement.path = path.name, str(path)
    return statements
