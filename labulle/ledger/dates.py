"""The one date rule of the ledger: every date that enters the books passes here.

A date is stored as ISO ``AAAA-MM-JJ``. It must be a real calendar date between
``EARLIEST`` and ``LATEST``: older or later dates are typing or bank-file mistakes
(1900-01-01 and 9999-12-31 are placeholders, not days on which money moved), and
a stored date outside the range would make reports walk centuries of empty months.
"""

from __future__ import annotations

from datetime import date, datetime

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
RANGE_TEXT = "entre le 1er janvier 2000 et le 31 décembre 2099"


class DateProblem(ValueError):
    """A date that cannot enter the books; ``str()`` is the French reason."""


def check_day(day: date) -> str:
    """Return ``day`` as ISO text, or raise DateProblem when it is out of range."""
    if not EARLIEST <= day <= LATEST:
        raise DateProblem(f"date {day.isoformat()} hors de la plage permise ({RANGE_TEXT})")
    return day.isoformat()


def parse_iso(text: str) -> str:
    """``AAAA-MM-JJ`` (ASCII digits only) → the same text, checked; DateProblem otherwise."""
    value = (text or "").strip()
    if not (len(value) == 10 and value[4] == "-" and value[7] == "-"
            and (value[:4] + value[5:7] + value[8:]).isascii()
            and (value[:4] + value[5:7] + value[8:]).isdigit()):
        raise DateProblem(f"date illisible « {value[:40]} » (AAAA-MM-JJ attendu)")
    try:
        day = date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        raise DateProblem(f"date impossible « {value} » (ce jour n'existe pas)") from None
    return check_day(day)


def is_valid_iso(text: object) -> bool:
    """True when ``text`` is a stored date the books accept (used by verify)."""
    try:
        return isinstance(text, str) and parse_iso(text) == text
    except DateProblem:
        return False


def parse_timestamp(text: str) -> str:
    """An ISO 8601 date or date-time (``AAAA-MM-JJ``, ``AAAA-MM-JJTHH:MM:SS[.ffffff][+HH:MM]``)
    whose day passes ``parse_iso``; returns it unchanged, or raises DateProblem."""
    value = text if isinstance(text, str) else ""
    unreadable = DateProblem(f"horodatage illisible « {value[:40]} » (AAAA-MM-JJTHH:MM:SS attendu)")
    if len(value) > 10 and value[10] not in "T ":
        raise unreadable
    parse_iso(value[:10])  # the day's own problem comes first
    if len(value) > 10 and not _is_iso_datetime(value):
        raise unreadable
    return value


def _is_iso_datetime(value: str) -> bool:
    try:
        return value.isascii() and value[10] in "T " and bool(datetime.fromisoformat(value))
    except ValueError:
        return False
