"""The association's events, from the iCalendar export of its Dolibarr agenda.

`content/data/agenda.ics` is Dolibarr's export as is (kept in the repository, refreshed by
`invoke events URL`). It may hold private appointments: only events with no CLASS or
`CLASS:PUBLIC` are ever read out of it (`is_public`), and the raw file is not copied to the site.

- `upcoming(calendar, today, days)`: the public occurrences starting within the window,
  recurring events expanded (RRULE, RDATE, EXDATE, moved occurrences) in Europe/Paris time;
- `public_calendar(calendar)`: the site's own feed (`/agenda.ics`): public events only, with a
  short list of properties (no organiser, attendees or private notes), and an EXDATE on a public
  series for each of its occurrences made private;
- `fetch(url, path)`: download the export, refuse anything that is not an iCalendar file, and
  replace the file atomically.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from labulle.filters import MONTHS, date_fr

PARIS = ZoneInfo("Europe/Paris")
PUBLIC_CLASSES = {"", "PUBLIC"}
#: Properties copied to the public feed; everything else (ORGANIZER, ATTENDEE, X-..., COMMENT,
#: CONTACT, ATTACH...) stays in Dolibarr.
FEED_PROPERTIES = ("UID", "DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "RECURRENCE-ID", "DTSTART",
                   "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "SUMMARY", "DESCRIPTION",
                   "LOCATION", "URL", "STATUS", "CATEGORIES", "TRANSP", "GEO")


class EventsError(Exception):
    """A French message: unreadable calendar, refused download."""


@dataclass(frozen=True)
class Event:
    """One occurrence of a public event, as the site shows it."""

    uid: str
    title: str
    start: datetime | date  # aware datetime in Europe/Paris, or a date (all-day event)
    end: datetime | date | None
    location: str = ""
    description: str = ""
    url: str = ""
    tentative: bool = False

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def day(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def month_key(self) -> str:
        """"2020-04": sorts and groups the agenda by month."""
        return f"{self.day.year}-{self.day.month:02d}"

    @property
    def month_label(self) -> str:
        """"Avril 2020"."""
        return f"{MONTHS[self.day.month - 1].capitalize()} {self.day.year}"

    @property
    def iso(self) -> str:
        """For the `datetime` attribute of <time>."""
        return self.start.isoformat()

    @property
    def when(self) -> str:
        """"samedi 4 avril 2020, 10 h – 12 h" (French, Paris time)."""
        text = date_fr(self.day)
        if self.all_day:
            last = _last_day(self)
            return text if last == self.day else f"du {text} au {date_fr(last)}"
        text += f", {_hour(self.start)}"
        if isinstance(self.end, datetime):
            if self.end.date() == self.day:
                text += f" – {_hour(self.end)}"
            else:
                text += f" au {date_fr(self.end.date())}, {_hour(self.end)}"
        return text


def _hour(moment: datetime) -> str:
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


def _last_day(event: Event) -> date:
    if isinstance(event.end, date) and not isinstance(event.end, datetime):
        return max(event.day, event.end - timedelta(days=1))  # DTEND of a date is exclusive
    return event.day


# --- reading ----------------------------------------------------------------------------------

def parse_calendar(data: bytes, shown: str) -> icalendar.Calendar:
    """An iCalendar document, or EventsError saying why not."""
    if not data.lstrip(b"\xef\xbb\xbf \r\n\t").upper().startswith(b"BEGIN:VCALENDAR"):
        raise EventsError(f"{shown} : ce n'est pas un fichier iCalendar (BEGIN:VCALENDAR attendu)")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise EventsError(f"{shown} : fichier iCalendar illisible ({exc})") from None
    if calendar.name != "VCALENDAR":
        raise EventsError(f"{shown} : un calendrier VCALENDAR est attendu")
    return calendar


def read_calendar(path: Path) -> icalendar.Calendar | None:
    """The calendar of `path`; None when the file does not exist (no agenda yet)."""
    if not path.exists():
        return None
    return parse_calendar(path.read_bytes(), str(path))


def is_public(component: icalendar.cal.Component) -> bool:
    """No CLASS, or CLASS:PUBLIC; PRIVATE, CONFIDENTIAL and unknown classes are private."""
    return str(component.get("CLASS", "")).strip().upper() in PUBLIC_CLASSES


def _paris(value: datetime | date) -> datetime | date:
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:  # floating time: the association's local time
        return value.replace(tzinfo=PARIS)
    return value.astimezone(PARIS)


def _text(component: icalendar.cal.Component, name: str) -> str:
    value = str(component.get(name, "") or "").strip()
    if "<" in value and ">" in value:  # Dolibarr's WYSIWYG descriptions are HTML
        from labulle.intake.extract import html_to_text

        value = html_to_text(value).strip()
    return value


def to_event(component: icalendar.cal.Component) -> Event:
    start = _paris(component.decoded("DTSTART"))
    end = component.decoded("DTEND") if "DTEND" in component else None
    if end is None and "DURATION" in component:
        end = start + component.decoded("DURATION")
    return Event(uid=str(component.get("UID", "")),
                 title=_text(component, "SUMMARY") or "Événement",
                 start=start, end=_paris(end) if end is not None else None,
                 location=_text(component, "LOCATION"), description=_text(component, "DESCRIPTION"),
                 url=str(component.get("URL", "") or ""),
                 tentative=str(component.get("STATUS", "")).upper() == "TENTATIVE")


def upcoming(calendar: icalendar.Calendar | None, today: date, days: int = 90) -> list[Event]:
    """Public, not cancelled occurrences starting from `today` (Paris) for `days` days, in order."""
    if calendar is None:
        return []
    start = datetime.combine(today, time(0), PARIS)
    stop = datetime.combine(today + timedelta(days=days), time(0), PARIS)
    events = []
    for component in recurring_ical_events.of(calendar).between(start, stop):
        if not is_public(component) or str(component.get("STATUS", "")).upper() == "CANCELLED":
            continue
        event = to_event(component)
        if event.day >= today:
            events.append(event)
    return sorted(events, key=lambda e: (_sort_moment(e.start), e.title))


def _sort_moment(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, time(0), PARIS).astimezone(UTC)


# --- the public feed --------------------------------------------------------------------------

def public_calendar(calendar: icalendar.Calendar | None, name: str = "Agenda de la Bulle") -> bytes:
    """The site's own .ics: public events only, with FEED_PROPERTIES only."""
    feed = icalendar.Calendar()
    feed.add("VERSION", "2.0")
    feed.add("PRODID", "-//La Bulle//Agenda public//FR")
    feed.add("CALSCALE", "GREGORIAN")
    feed.add("X-WR-CALNAME", name)
    feed.add("X-WR-TIMEZONE", "Europe/Paris")
    if calendar is None:
        return feed.to_ical()
    for timezone in calendar.walk("VTIMEZONE"):
        feed.add_component(timezone)
    events = list(calendar.walk("VEVENT"))
    hidden = {}  # uid → recurrence ids of occurrences made private
    for component in events:
        if not is_public(component) and "RECURRENCE-ID" in component:
            hidden.setdefault(str(component.get("UID")), []).append(
                component.decoded("RECURRENCE-ID"))
    for component in events:
        if not is_public(component):
            continue
        event = icalendar.Event()
        for prop in FEED_PROPERTIES:
            if prop in component:
                event[prop] = component[prop]
        if "RRULE" in component and "RECURRENCE-ID" not in component:
            for moment in hidden.get(str(component.get("UID")), []):
                event.add("EXDATE", moment)
        feed.add_component(event)
    return feed.to_ical()


# --- refreshing from Dolibarr -----------------------------------------------------------------

def fetch(url: str, path: Path, timeout: float = 30) -> int:
    """Download Dolibarr's export to `path` (atomically); returns the number of events."""
    from labulle.atomic import write_file as write_atomically

    if not url.startswith(("https://", "http://")):
        raise EventsError(f"« {url} » : une adresse https:// est attendue "
                          "(le lien d'export de Dolibarr)")
    request = urllib.request.Request(url, headers={"User-Agent": "labulle-agenda"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(20_000_000)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EventsError(f"téléchargement impossible : {reason}") from None
    calendar = parse_calendar(data, "la réponse de Dolibarr")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data)
    return len(calendar.walk("VEVENT"))


def main(argv: list[str] | None = None) -> int:
    """`invoke events URL`: refresh content/data/agenda.ics from Dolibarr's export link."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="invoke events",
                                     description="Met à jour content/data/agenda.ics depuis "
                                                 "le lien d'export iCalendar de Dolibarr.")
    parser.add_argument("url", help="lien d'export de l'agenda de Dolibarr")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    path = args.root / "content" / "data" / "agenda.ics"
    try:
        count = fetch(args.url, path)
    except EventsError as error:
        print(f"Erreur : {error} ; {path} n'a pas été modifié.", file=sys.stderr)
        return 1
    calendar = read_calendar(path)
    public = sum(1 for c in calendar.walk("VEVENT") if is_public(c)) if calendar else 0
    print(f"{path} mis à jour : {count} événement(s), dont {public} public(s) "
          "(les autres ne paraissent jamais sur le site).")
    return 0
