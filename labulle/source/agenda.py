"""Reading `content/data/agenda.ics`: a calendar, or the true reason (and line) why not.

The iCalendar library is lenient (it skips a garbage line, accepts a missing END, decodes a
latin-1 file with replacement characters, keeps an unreadable date as text), so the file is
first walked here line by line: encoding, content lines, BEGIN/END nesting, end of file. Then
the time properties the site reads are decoded, each error named at its line.

- `parse_calendar(data, shown)`: the calendar, or EventsError(shown, reason, line);
- `read_calendar(path, shown)`: same for a file (None when it does not exist);
- `check(path, root)`: the problems of `invoke check` (an empty list when the file is fine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from labulle.errors import LabulleError
from labulle.source.problems import Problem

DATE_FORMAT = ("une date AAAAMMJJ ou une date et heure AAAAMMJJTHHMMSS "
               "(suivie de Z en heure UTC) attendue")
#: Properties the site reads to place an event in time, each with the form it must have.
TIME_PROPERTIES = {"DTSTART": DATE_FORMAT, "DTEND": DATE_FORMAT, "RECURRENCE-ID": DATE_FORMAT,
                   "RDATE": DATE_FORMAT, "EXDATE": DATE_FORMAT,
                   "DURATION": "une durée comme PT1H30M ou P1D attendue",
                   "RRULE": "une règle comme FREQ=WEEKLY;BYDAY=SA attendue"}
CONTENT_LINE = re.compile(
    r'[A-Za-z0-9-]+(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*:')
PARIS = ZoneInfo("Europe/Paris")  # the association's time: floating and UTC times are shown in it


class EventsError(LabulleError):
    """The agenda cannot be read or fetched; a French reason, with its file and line if known."""

    def __init__(self, shown: str, reason: str, line: int | None = None):
        self.shown, self.reason, self.line = shown, reason, line
        place = f"{shown}:{line}:" if line else f"{shown} :"
        super().__init__(f"{place} {reason}")


@dataclass
class Block:
    """One BEGIN…END component as written: its first line, and (line, value) of each property."""

    name: str
    line: int
    properties: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def first(self, name: str) -> tuple[int, str]:
        return self.properties.get(name, [(self.line, "")])[0]


def parse_calendar(data: bytes, shown: str) -> icalendar.Calendar:
    """An iCalendar document whose events can all be placed in time, or EventsError."""
    lines = _logical_lines(data, shown)
    blocks = _scan(lines, shown)
    try:
        calendar = icalendar.Calendar.from_ical("\r\n".join(text for _, text in lines))
    except ValueError as exc:
        raise EventsError(shown, f"fichier iCalendar illisible ({exc})") from None
    _check_times(calendar, blocks, shown)
    return calendar


def read_calendar(path: Path, shown: str | None = None) -> icalendar.Calendar | None:
    """The calendar of `path`; None when the file does not exist (no agenda yet)."""
    if not path.exists():
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EventsError(shown or str(path), f"lecture impossible ({exc.strerror})") from None
    return parse_calendar(data, shown or str(path))


def read(path: Path, root: Path | None = None,
         ) -> tuple[icalendar.Calendar | None, list[Problem]]:
    """The calendar (None when there is no file or it is refused) and its problems: one, when
    the agenda cannot be read or its repetitions cannot be expanded, with the reason in French."""
    from labulle.source.readers import display_path

    shown = display_path(path, root)
    try:
        calendar = read_calendar(path, shown)
        if calendar is not None:
            _expand(calendar, shown)
    except EventsError as error:
        return None, [Problem(shown, error.line or 1, "agenda", error.reason)]
    return calendar, []


def check(path: Path, root: Path | None = None) -> list[Problem]:
    """`invoke check`: the problems of `read`."""
    return read(path, root)[1]


# --- the file as written ----------------------------------------------------------------------

def _logical_lines(data: bytes, shown: str) -> list[tuple[int, str]]:
    """(number of its first physical line, unfolded text) for every non-blank content line.

    Unfolded before decoding: some producers fold at 75 bytes in the middle of a character.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise EventsError(shown, "encodage illisible : le fichier est en UTF-16 "
                                 "(enregistrez-le en UTF-8)", 1)
    if not data.lstrip(b" \r\n\t").upper().startswith(b"BEGIN:VCALENDAR"):
        raise EventsError(shown, "ce n'est pas un fichier iCalendar "
                                 "(il doit commencer par BEGIN:VCALENDAR)", 1)
    raw: list[tuple[int, bytes]] = []
    for number, physical in enumerate(re.split(rb"\r\n|\n|\r", data), start=1):
        if physical[:1] in (b" ", b"\t") and raw:
            raw[-1] = (raw[-1][0], raw[-1][1] + physical[1:])
        elif physical.strip():
            raw.append((number, physical))
    return [(number, _decode(content, number, shown)) for number, content in raw]


def _decode(content: bytes, number: int, shown: str) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EventsError(shown, f"encodage illisible : l'octet 0x{content[exc.start]:02X} "
                                 "n'est pas de l'UTF-8 (enregistrez le fichier en UTF-8)",
                          number) from None


def _scan(lines: list[tuple[int, str]], shown: str) -> list[Block]:
    """Every component in document order (as `walk()` lists them); EventsError at the first
    line that is not `NAME[;PARAM=…]:value`, an END that closes nothing open, or a cut file."""
    blocks: list[Block] = []
    open_blocks: list[Block] = []
    closed = False
    for number, content in lines:
        if closed:
            raise EventsError(shown, "texte après END:VCALENDAR (un seul calendrier par "
                                     "fichier)", number)
        match = CONTENT_LINE.match(content)
        if not match:
            raise EventsError(shown, f"ligne illisible « {content[:60]} » "
                                     "(NOM:valeur attendu)", number)
        name, value = re.split("[;:]", content, maxsplit=1)[0].upper(), content[match.end():]
        if value.upper().startswith("ENCODING=QUOTED-PRINTABLE:"):
            raise EventsError(shown, "export au format vCalendar (format=vcal) : demandez "
                                     "format=ical dans le lien d'export de Dolibarr", number)
        if name == "BEGIN":
            block = Block(value.strip().upper(), number)
            blocks.append(block)
            open_blocks.append(block)
        elif name == "END":
            _close(open_blocks, value.strip().upper(), number, shown)
            closed = not open_blocks
        elif open_blocks:
            open_blocks[-1].properties.setdefault(name, []).append((number, value))
    if open_blocks:
        missing = ", ".join(f"END:{b.name}" for b in reversed(open_blocks))
        raise EventsError(shown, f"fichier tronqué : il manque {missing} à la fin",
                          lines[-1][0])
    return blocks


def _close(open_blocks: list[Block], name: str, number: int, shown: str) -> None:
    if not open_blocks or open_blocks[-1].name != name:
        expected = f"END:{open_blocks[-1].name}" if open_blocks else "la fin du fichier"
        raise EventsError(shown, f"END:{name} inattendu ({expected} attendu)", number)
    open_blocks.pop()


# --- the times of the events ------------------------------------------------------------------

def _check_times(calendar: icalendar.Calendar, blocks: list[Block], shown: str) -> None:
    scale = str(calendar.get("CALSCALE", "GREGORIAN")).upper()
    if scale != "GREGORIAN":
        raise EventsError(shown, f"calendrier « {scale} » : seul le calendrier grégorien "
                                 "(CALSCALE:GREGORIAN) est pris en charge",
                          blocks[0].first("CALSCALE")[0])
    for component, block in zip(calendar.walk(), blocks, strict=False):
        for name, _reason in component.errors:
            line, value = block.first(str(name).upper())
            if name in TIME_PROPERTIES and component.name == "VEVENT":
                raise EventsError(shown, f"{name} illisible : « {value} » "
                                         f"({TIME_PROPERTIES[name]})", line)
            if component.name in ("VTIMEZONE", "STANDARD", "DAYLIGHT"):
                raise EventsError(shown, f"fuseau horaire (VTIMEZONE) illisible : {name} "
                                         f"« {value} »", line)
        if component.name == "VEVENT":
            _check_event(component, block, shown)


#: Repetitions an association's agenda uses; finer ones (every hour, minute or second) only
#: make the expansion of a series unbounded (millions of occurrences since a past DTSTART).
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")


def _check_event(event: icalendar.Event, block: Block, shown: str) -> None:
    if "DTSTART" not in event:
        raise EventsError(shown, "événement sans DTSTART (sa date de début)", block.line)
    rule = event.get("RRULE")
    for freq in (rule.get("FREQ", []) if hasattr(rule, "get") else []):
        if str(freq).upper() not in FREQUENCIES:
            raise EventsError(shown, f"répétition trop fréquente (FREQ={freq}) : seules les "
                                     "répétitions quotidiennes, hebdomadaires, mensuelles ou "
                                     "annuelles sont publiées", block.first("RRULE")[0])
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND") if "DTEND" in event else None
    if end is None:
        return
    line, written = block.first("DTEND")
    if isinstance(start, datetime) != isinstance(end, datetime):
        raise EventsError(shown, "DTEND et DTSTART doivent être tous deux des dates seules "
                                 "ou tous deux des dates et heures", line)
    if _comparable(end) < _comparable(start):
        raise EventsError(shown, f"la fin (DTEND « {written} ») est avant le début "
                                 f"(DTSTART « {block.first('DTSTART')[1]} »)", line)


def _comparable(moment: date) -> date:
    if isinstance(moment, datetime) and moment.tzinfo is None:
        return moment.replace(tzinfo=PARIS)
    return moment


def _expand(calendar: icalendar.Calendar, shown: str) -> None:
    """Build every series (a calendar the library refuses is an error of `invoke check`, not a
    traceback in the build); the window, in 1999, computes no occurrence of today's events."""
    try:
        recurring_ical_events.of(calendar).between(date(1999, 1, 1), date(1999, 1, 2))
    except (ValueError, TypeError) as exc:
        raise EventsError(shown, f"répétitions impossibles à calculer ({exc})") from None
