"""The association's public events, chosen in the export of its Dolibarr agenda.

`content/data/agenda.ics` is Dolibarr's export as is (kept in the repository, refreshed by
`invoke events URL`, read by `labulle.source.agenda`). Dolibarr writes no CLASS on its events
(its CalDAV module writes CLASS:PUBLIC on all of them), and its DESCRIPTION is the private
note of the action: nothing is published unless the association said so in a way Dolibarr can
express (`PublicRule`):

- the event type, which Dolibarr writes in CATEGORIES, is one of LABULLE_AGENDA_PUBLIC_TYPES
  (compared without case or accents), or
- the title starts with LABULLE_AGENDA_PUBLIC_MARKER (« [public] » by default; not shown);

and never when CLASS is PRIVATE, CONFIDENTIAL or unknown. Of an allowed event the site shows
its title, times, place and description only: never its URL (the back office), organiser,
contact, attendees or type.

- `upcoming(calendar, today, days, rule)`: the allowed occurrences starting within the window,
  recurring events expanded (RRULE, RDATE, EXDATE, moved occurrences) in Europe/Paris time;
- `public_calendar(calendar, rule)`: the site's own feed (`/agenda.ics`), written anew from
  the allowed events' shown fields, with an EXDATE on an allowed series for each occurrence
  that is not allowed.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import icalendar
import recurring_ical_events

from labulle.pages.filters import MONTHS, date_fr
from labulle.source.agenda import PARIS
from labulle.source.settings import DEFAULTS, setting

PUBLIC_CLASSES = {"", "PUBLIC"}
#: Time properties copied to the public feed as they were parsed.
FEED_TIMES = ("DTSTART", "DTEND", "DURATION")
FEED_SERIES = ("RRULE", "RDATE", "EXDATE")
FEED_STATUSES = {"TENTATIVE", "CONFIRMED", "CANCELLED"}


def fold(text: str) -> str:
    """"Événement  Public" → "evenement public": the form in which names are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


@dataclass(frozen=True)
class PublicRule:
    """Which events of the agenda the association chose to publish."""

    types: frozenset[str] = frozenset()  # folded event types (CATEGORIES)
    marker: str = ""  # folded title marker; "" = none

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> PublicRule:
        types = setting(settings, "LABULLE_AGENDA_PUBLIC_TYPES") or []
        types = [types] if isinstance(types, str) else types
        marker = setting(settings, "LABULLE_AGENDA_PUBLIC_MARKER") or ""
        return cls(frozenset(fold(str(t)) for t in types), fold(str(marker)))

    def allows(self, component: icalendar.cal.Component) -> bool:
        if str(component.get("CLASS", "")).strip().upper() not in PUBLIC_CLASSES:
            return False
        typed = any(fold(name) in self.types for name in _categories(component))
        return typed or self._marker_end(_text(component, "SUMMARY")) > 0

    def title(self, component: icalendar.cal.Component) -> str:
        """The SUMMARY without the marker."""
        summary = _text(component, "SUMMARY")
        summary = summary[self._marker_end(summary):].lstrip(" :-–—")
        return summary or "Événement"

    def _marker_end(self, summary: str) -> int:
        """Length of the marker at the start of `summary` (0: not marked)."""
        if self.marker and fold(summary).startswith(self.marker):
            for end in range(1, len(summary) + 1):
                if fold(summary[:end]) == self.marker:
                    return end
        return 0


def _categories(component: icalendar.cal.Component) -> list[str]:
    """Each category, and each CATEGORIES line whole: Dolibarr does not escape a comma in the
    name of an event type, which a reader then splits."""
    value = component.get("CATEGORIES")
    lines = value if isinstance(value, list) else [] if value is None else [value]
    names: list[str] = []
    for line in lines:
        items = [str(item) for item in getattr(line, "cats", [line])]
        names += [*items, ",".join(items)]
    return names


def _text(component: icalendar.cal.Component, name: str) -> str:
    value = str(component.get(name, "") or "").strip()
    if "<" in value and ">" in value:  # Dolibarr's WYSIWYG notes are HTML
        from labulle.mail.intake.extract import html_to_text

        value = html_to_text(value).strip()
    return value


@dataclass(frozen=True)
class Event:
    """One occurrence of a published event, as the site shows it."""

    title: str
    start: datetime | date  # aware datetime in Europe/Paris, or a date (all-day event)
    end: datetime | date | None
    location: str = ""
    description: str = ""
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
    def last_day(self) -> date:
        """The last day the event covers (an all-day DTEND is exclusive)."""
        return _last_day(self)

    @property
    def iso(self) -> str:
        """For the `datetime` attribute of <time>."""
        return self.start.isoformat()

    @property
    def when(self) -> str:
        """"samedi 4 avril 2020, 10 h – 12 h"; one time when the event has no duration
        ("jeudi 2 avril 2020, 18 h"); French, Paris time."""
        text = date_fr(self.day)
        if self.all_day:
            last = _last_day(self)
            return text if last == self.day else f"du {text} au {date_fr(last)}"
        text += f", {_hour(self.start)}"
        end = self.end
        if isinstance(end, datetime) and isinstance(self.start, datetime) and end > self.start:
            if end.date() == self.day:
                text += f" – {_hour(end)}"
            else:
                text += f" au {date_fr(end.date())}, {_hour(end)}"
        return text


def _hour(moment: datetime) -> str:
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


def _last_day(event: Event) -> date:
    if isinstance(event.end, date) and not isinstance(event.end, datetime):
        return max(event.day, event.end - timedelta(days=1))  # DTEND of a date is exclusive
    return event.day


def _paris(value: datetime | date) -> datetime | date:
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:  # floating time: the association's local time
        return value.replace(tzinfo=PARIS)
    return value.astimezone(PARIS)


def to_event(component: icalendar.cal.Component, rule: PublicRule) -> Event:
    start = _paris(component.decoded("DTSTART"))
    end = component.decoded("DTEND") if "DTEND" in component else None
    if end is None and "DURATION" in component:
        end = start + component.decoded("DURATION")
    return Event(title=rule.title(component), start=start,
                 end=_paris(end) if end is not None else None,
                 location=_text(component, "LOCATION"), description=_text(component, "DESCRIPTION"),
                 tentative=str(component.get("STATUS", "")).upper() == "TENTATIVE")


def upcoming(calendar: icalendar.Calendar | None, today: date, days: int = 90,
             rule: PublicRule | None = None) -> list[Event]:
    """Allowed, not cancelled occurrences starting from `today` (Paris) for `days` days."""
    if calendar is None:
        return []
    rule = rule or PublicRule()
    start = datetime.combine(today, time(0), PARIS)
    stop = datetime.combine(today + timedelta(days=days), time(0), PARIS)
    events = []
    for component in recurring_ical_events.of(calendar).between(start, stop):
        if rule.allows(component) and str(component.get("STATUS", "")).upper() != "CANCELLED":
            event = to_event(component, rule)
            if event.day >= today:
                events.append(event)
    return sorted(events, key=lambda e: (_sort_moment(e.start), e.title))


def _sort_moment(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.combine(value, time(0), PARIS).astimezone(UTC)


# --- the public feed --------------------------------------------------------------------------

def public_calendar(calendar: icalendar.Calendar | None, rule: PublicRule | None = None,
                    currency: dict[str, Any] | None = None) -> bytes:
    """The site's own .ics, written from the allowed events' shown fields only; `currency`
    (LABULLE_IDENTITY) names the feed and its UIDs' host."""
    currency = currency or DEFAULTS["LABULLE_IDENTITY"]
    feed = icalendar.Calendar()
    for prop, value in (("VERSION", "2.0"), ("PRODID", f"-//{currency['The']}//Agenda public//FR"),
                        ("CALSCALE", "GREGORIAN"), ("X-WR-CALNAME", f"Agenda {currency['of_the']}"),
                        ("X-WR-TIMEZONE", "Europe/Paris")):
        feed.add(prop, value)
    if calendar is None:
        return feed.to_ical()
    rule = rule or PublicRule()
    for timezone in calendar.walk("VTIMEZONE"):
        feed.add_component(timezone)
    events = calendar.walk("VEVENT")
    series = {str(c.get("UID")) for c in events
              if "RECURRENCE-ID" not in c and rule.allows(c)}
    hidden: dict[str, list[Any]] = {}  # uid → recurrence ids of occurrences not allowed
    for component in events:
        if "RECURRENCE-ID" in component and not rule.allows(component):
            hidden.setdefault(str(component.get("UID")), []).append(
                component.decoded("RECURRENCE-ID"))
    for component in events:
        if rule.allows(component):
            feed.add_component(_feed_event(component, rule, series, hidden,
                                           currency["calendar_uid_host"]))
    return feed.to_ical()


def _feed_event(component: icalendar.cal.Component, rule: PublicRule, series: set[str],
                hidden: dict[str, list[Any]], host: str) -> icalendar.Event:
    uid = str(component.get("UID", ""))
    moved = "RECURRENCE-ID" in component
    alone = moved and uid not in series  # an allowed occurrence of a series that is not
    event = icalendar.Event()
    event.add("UID", _public_uid(uid + (component["RECURRENCE-ID"].to_ical().decode()
                                        if alone else ""), host))
    event.add("DTSTAMP", _stamp(component))
    for prop in FEED_TIMES + (() if alone else FEED_SERIES + ("RECURRENCE-ID",)):
        if prop in component:
            event[prop] = component[prop]
    if not moved and "RRULE" in component:
        for moment in hidden.get(uid, []):
            event.add("EXDATE", moment)
    event.add("SUMMARY", rule.title(component))
    for prop in ("LOCATION", "DESCRIPTION"):
        if _text(component, prop):
            event.add(prop, _text(component, prop))
    status = str(component.get("STATUS", "")).upper()
    if status in FEED_STATUSES:
        event.add("STATUS", status)
    return event


def _stamp(component: icalendar.cal.Component) -> datetime:
    """DTSTAMP (a UTC date and time): the source's, or its last change, or its start."""
    for prop in ("DTSTAMP", "LAST-MODIFIED", "CREATED", "DTSTART"):
        value = component.decoded(prop) if prop in component else None
        if isinstance(value, date):
            moment = value if isinstance(value, datetime) else datetime.combine(value, time(0))
            return _paris(moment).astimezone(UTC)
    return datetime(2000, 1, 1, tzinfo=UTC)


def _public_uid(uid: str, host: str) -> str:
    """A stable UID that does not name Dolibarr's database or host (they are in its UIDs)."""
    return f"{hashlib.sha256(uid.encode('utf-8')).hexdigest()[:32]}@{host}"
