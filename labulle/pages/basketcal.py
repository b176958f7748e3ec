"""`/paniers.ics` (crisis mode only): the baskets of /paniers/ in the residents' calendars.

For each basket of a confirmed pro of the crisis list (`CrisisList.baskets`: published pros, not
closed; a pro whose crisis information is unconfirmed or over is left out, as the baskets
filter and the social post leave it), over the `WINDOW_DAYS` days the crisis page covers from
the build's date:

- its order deadlines (`commande_avant`, read by `labulle.model.crisis.deadline`: « jeudi 18 h »
  is every Thursday 18:00 of the window; a weekday alone is an all-day event; an unreadable
  text gives no event, never a guess);
- its pickup slots (`retrait_horaires`, OpenStreetMap syntax, expanded by
  `labulle.model.hours`), within the pro's `depuis` / `jusqu_au` when given.

Times carry TZID=Europe/Paris with its VTIMEZONE (made from the zone's offsets over the
window). UIDs hash the pro's slug, the basket's name and the slot: the same slot keeps its UID
from one build to the next. Only what /paniers/ shows is written (public view).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from labulle.atomic import write_file
from labulle.model import crisis
from labulle.model.hours import PARIS, format_time
from labulle.pages.crisis import WINDOW_DAYS, CrisisList, Entry, crisis_mode
from labulle.pages.filters import euros
from labulle.source.schema import Panier
from labulle.source.settings import identity

CALENDAR_PATH = "paniers.ics"


def base_url(settings: dict[str, Any]) -> str:
    """Absolute address of the site: SITEURL, or the currency's domain for a local build."""
    return settings["SITEURL"] or f"https://{identity(settings)['domain']}"


def _uid(*parts: str, host: str) -> str:
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]
    return f"panier-{digest}@{host}"


def _description(panier: Panier, page: str) -> str:
    lines = [panier.contenu or ""]
    if panier.prix is not None:
        lines.append(f"Prix : {euros(panier.prix)}")
    if panier.commande_avant:
        lines.append(f"Commander avant : {panier.commande_avant}")
    if panier.retrait:
        lines.append(f"Retrait ou livraison : {panier.retrait}")
    lines.append(f"Commander, horaires et contacts : {page}")
    return "\n".join(line for line in lines if line)


class BasketEvents:
    """The events of one basket (its key: the pro's slug, its name and its rank among the
    pro's baskets of that name)."""

    def __init__(self, entry: Entry, panier: Panier, key: tuple[str, ...], page: str,
                 stamp: datetime, host: str) -> None:
        self.entry, self.panier, self.key = entry, panier, key
        self.page, self.stamp, self.host = page, stamp, host
        self.label = f"{panier.nom} ({entry.pro.nom})"

    def _event(self, kind: str, moment: str, summary: str) -> icalendar.Event:
        event = icalendar.Event()
        event.add("UID", _uid(*self.key, kind, moment, host=self.host))
        event.add("DTSTAMP", self.stamp)
        event.add("SUMMARY", summary)
        event.add("DESCRIPTION", _description(self.panier, self.page))
        event.add("URL", self.page)
        event.add("CATEGORIES", ["Paniers"])
        return event

    def deadline(self, limit: datetime) -> icalendar.Event:
        """« Commander avant 18 h » at that moment; a whole day (« mercredi ») on that day."""
        if limit.time() == time(0):  # the end of the day before
            day = limit.date() - timedelta(days=1)
            event = self._event("commande", day.isoformat(),
                                f"Dernier jour pour commander : {self.label}")
            event.add("DTSTART", day)
            event.add("DTEND", day + timedelta(days=1))
        else:
            event = self._event("commande", limit.isoformat(),
                                f"Commander avant {format_time(limit.time())} : {self.label}")
            event.add("DTSTART", limit.replace(tzinfo=PARIS))  # no DTEND: a moment (RFC 5545)
        event.add("TRANSP", "TRANSPARENT")
        return event

    def pickup(self, begin: datetime, end: datetime) -> icalendar.Event:
        event = self._event("retrait", begin.replace(tzinfo=None).isoformat(),
                            f"Retrait : {self.label}")
        event.add("DTSTART", begin)
        event.add("DTEND", end)
        adresse = self.entry.pro.adresse
        address = adresse.one_line if adresse else ""
        if address or self.panier.retrait:
            event.add("LOCATION", address or self.panier.retrait)
        if address and adresse and adresse.position:
            event.add("GEO", adresse.position)
        return event


def _in_period(entry: Entry, day: date) -> bool:
    """`day` is within the pro's crisis situation (`depuis`, `jusqu_au`)."""
    crise = entry.pro.crise
    return not crise or ((crise.depuis is None or crise.depuis <= day)
                         and (crise.jusqu_au is None or day <= crise.jusqu_au))


def basket_events(crisis_list: CrisisList, base: str, host: str) -> list[icalendar.Event]:
    """Every deadline and pickup event of the confirmed baskets, in the order of /paniers/."""
    start = datetime.combine(crisis_list.today, time(0))
    end = start + timedelta(days=WINDOW_DAYS)
    stamp = datetime.combine(crisis_list.today, time(0), PARIS).astimezone(UTC)
    seen: dict[tuple[str, str], int] = {}
    found = []
    for entry, panier in crisis_list.baskets:
        if entry.unconfirmed:
            continue
        rank = seen[entry.pro.slug, panier.nom] = seen.get((entry.pro.slug, panier.nom), -1) + 1
        page = f"{base}/pros/{entry.pro.slug}/"
        basket = BasketEvents(entry, panier, (entry.pro.slug, panier.nom, str(rank)), page,
                              stamp, host)
        for limit in crisis.deadlines(panier.commande_avant, start, end):
            if _in_period(entry, (limit - timedelta(microseconds=1)).date()):
                found.append(basket.deadline(limit))
        for begin, finish in crisis.pickup_slots(panier.retrait_horaires, crisis_list.today,
                                                 WINDOW_DAYS):
            if _in_period(entry, begin.date()):
                found.append(basket.pickup(begin, finish))
    return found


def vtimezone(zone: ZoneInfo, start: datetime, end: datetime) -> icalendar.Timezone:
    """The VTIMEZONE of `zone` from `start` to `end` (aware): one STANDARD or DAYLIGHT part for
    the offset at `start`, then one per change of offset, each starting at the local time in
    force before it (RFC 5545, 3.6.5), read from the zone itself."""
    timezone = icalendar.Timezone()
    timezone.add("TZID", zone.key)
    moment = start.astimezone(UTC)
    before = moment.astimezone(zone)
    timezone.add_component(_zone_part(before, before, before.replace(tzinfo=None)))
    while moment < end:
        moment += timedelta(minutes=15)
        after = moment.astimezone(zone)
        if after.utcoffset() != before.utcoffset():
            onset = (moment + before.utcoffset()).replace(tzinfo=None)
            timezone.add_component(_zone_part(before, after, onset))
        before = after
    return timezone


def _zone_part(before: datetime, after: datetime, onset: datetime) -> icalendar.cal.Component:
    part = icalendar.TimezoneDaylight() if after.dst() else icalendar.TimezoneStandard()
    part.add("DTSTART", onset)
    part.add("TZOFFSETFROM", before.utcoffset())
    part.add("TZOFFSETTO", after.utcoffset())
    part.add("TZNAME", after.tzname())
    return part


def render(crisis_list: CrisisList, base: str, currency: dict[str, Any]) -> bytes:
    """The text of /paniers.ics (CRLF lines folded at 75 octets, by icalendar)."""
    calendar = icalendar.Calendar()
    for prop, value in (
            ("VERSION", "2.0"), ("PRODID", f"-//{currency['The']}//Paniers//FR"),
            ("CALSCALE", "GREGORIAN"), ("METHOD", "PUBLISH"),
            ("X-WR-CALNAME", f"Paniers des pros {currency['of_the']}"),
            ("X-WR-CALDESC", f"Les paniers à commander chez les pros {currency['of_the']} : "
                             "dates limites de commande et heures de retrait."),
            ("X-WR-TIMEZONE", PARIS.key), ("URL", f"{base}/{crisis_list.baskets_url}")):
        calendar.add(prop, value)
    calendar.add("REFRESH-INTERVAL", timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "P1D")
    start = datetime.combine(crisis_list.today, time(0), PARIS)
    calendar.add_component(vtimezone(PARIS, start, start + timedelta(days=WINDOW_DAYS + 1)))
    for event in basket_events(crisis_list, base, currency["calendar_uid_host"]):
        calendar.add_component(event)
    return calendar.to_ical()


def write_baskets_calendar(gen: Any, _writer: Any) -> None:
    """`/paniers.ics`, only in crisis mode (otherwise no file, not even a previous build's)."""
    if not crisis_mode(gen.settings):
        (Path(gen.output_path) / CALENDAR_PATH).unlink(missing_ok=True)
        return
    crisis_list = gen.context.setdefault("crisis", CrisisList(gen.directory, gen.settings))
    text = render(crisis_list, base_url(gen.settings), identity(gen.settings))
    write_file(Path(gen.output_path) / CALENDAR_PATH, text)
