"""schema.org descriptions of our pages, as JSON-LD for search engines.

- `local_business`: a pro page's `LocalBusiness`;
- `agenda_events`: an `Event` for each published event of /agenda/ (the fields the page shows);
- `basket_offers`: an `Offer` for each basket of /paniers/ (price, order deadline, pickup).

Only public data: contact keys listed in `contact.prive` and `adhesion` never appear, nor an
agenda event's URL, organiser, attendees or type. The templates embed them with the
`script_json` filter (`labulle.pages.filters`), so no value can close their
`<script type="application/ld+json">`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from labulle.model import crisis, hours
from labulle.model.agenda import Event, fold
from labulle.model.public import public_contact
from labulle.pages.filters import tel_uri
from labulle.source.schema import Adresse, Panier, Pro

if TYPE_CHECKING:
    from labulle.pages.crisis import CrisisList

#: A plain week (no French public holiday, no clock change) that describes the usual hours.
_TYPICAL_MONDAY = date(2021, 3, 8)
_SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _day_slots(osm: str) -> list[list[tuple[str, str]]]:
    """For each weekday (Monday first), the open slots as ("HH:MM", "HH:MM")."""
    start = datetime.combine(_TYPICAL_MONDAY, datetime.min.time())
    slots: list[list[tuple[str, str]]] = [[] for _ in range(7)]
    for begin, end in hours.open_intervals(osm, start, days=7):
        a = datetime.fromtimestamp(begin, hours.PARIS).replace(tzinfo=None)
        b = datetime.fromtimestamp(end, hours.PARIS).replace(tzinfo=None)
        while a < b:  # split at midnight: schema.org slots stay within one day
            midnight = datetime.combine(a.date() + timedelta(days=1), datetime.min.time())
            stop = min(b, midnight)
            closes = "23:59" if stop == midnight else stop.strftime("%H:%M")
            slots[(a.date() - _TYPICAL_MONDAY).days % 7].append((a.strftime("%H:%M"), closes))
            a = stop
    return slots


def opening_hours_specification(osm: str | None) -> list[dict[str, Any]]:
    """OpeningHoursSpecification entries, days with the same slot grouped together."""
    if not osm:
        return []
    grouped: dict[tuple[str, str], list[str]] = {}
    for day, slots in enumerate(_day_slots(osm)):
        for slot in slots:
            grouped.setdefault(slot, []).append(_SCHEMA_DAYS[day])
    return [{"@type": "OpeningHoursSpecification",
             "dayOfWeek": [f"https://schema.org/{d}" for d in days],
             "opens": opens, "closes": closes}
            for (opens, closes), days in sorted(grouped.items(), key=_first_day)]


def _first_day(item: tuple[tuple[str, str], list[str]]) -> tuple[int, str]:
    (opens, _closes), days = item
    return _SCHEMA_DAYS.index(days[0]), opens


def _payment(pro: Pro, plural: str) -> str:
    means = ["euros"]
    if pro.bulle.billets:
        means.append(f"{plural} papier")
    if pro.bulle.numerique:
        means.append(f"{plural} numériques")
    return ", ".join(means)


def _postal_address(adresse: Adresse) -> dict[str, Any]:
    address = {"@type": "PostalAddress", "streetAddress": adresse.rue,
               "postalCode": adresse.code_postal, "addressLocality": adresse.commune,
               "addressCountry": "FR"}
    return {k: v for k, v in address.items() if v}


def local_business(pro: Pro, page_url: str, currency: dict[str, Any]) -> dict[str, Any]:
    """The LocalBusiness object of a pro (public fields only); `currency`: LABULLE_IDENTITY."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "LocalBusiness",
                            "@id": f"{page_url}#pro", "name": pro.nom,
                            "description": pro.resume, "url": page_url}
    if pro.adresse:
        data["address"] = _postal_address(pro.adresse)
        if pro.adresse.position:
            lat, lon = pro.adresse.position
            data["geo"] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
    if pro.zone:
        data["areaServed"] = pro.zone
    contact = public_contact(pro)
    if "telephone" in contact:
        data["telephone"] = tel_uri(contact["telephone"]).removeprefix("tel:")
    if "email" in contact:
        data["email"] = contact["email"]
    same_as = [contact[k] for k in ("site", "facebook", "instagram") if k in contact]
    if same_as:
        data["sameAs"] = same_as
    specification = opening_hours_specification(pro.horaires)
    if specification:
        data["openingHoursSpecification"] = specification
    data["currenciesAccepted"] = f"EUR, {currency['The']}"
    data["paymentAccepted"] = _payment(pro, currency["plural"])
    return data



def _moment(value: datetime | date) -> str:
    """ISO 8601: an aware time with its offset ("2020-04-04T10:00:00+02:00"), or a date."""
    return value.isoformat()


#: A place that says the event happens at a distance (compared folded: no case, no accents).
_ONLINE = re.compile(r"\b(en ligne|visio\w*|telephon\w*|webinai\w*|a distance|zoom|jitsi)\b")


def agenda_event(event: Event, page_url: str, organizer: dict[str, Any]) -> dict[str, Any]:
    """The `Event` of one occurrence shown on /agenda/ (title, times, place, description)."""
    data: dict[str, Any] = {"@type": "Event", "name": event.title,
                            "startDate": _moment(event.start), "url": page_url,
                            "eventStatus": "https://schema.org/EventScheduled",
                            "organizer": organizer}
    if event.all_day:
        data["endDate"] = _moment(event.last_day)
    elif isinstance(event.end, datetime) and event.end > event.start:
        data["endDate"] = _moment(event.end)
    if event.location and _ONLINE.search(fold(event.location)):
        data["location"] = {"@type": "VirtualLocation", "name": event.location}
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
    elif event.location:
        data["location"] = {"@type": "Place", "name": event.location,
                            "address": event.location}
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
    if event.description:
        data["description"] = event.description
    return data


def agenda_events(events: list[Event], site_url: str, currency: dict[str, Any]) -> dict[str, Any]:
    """The JSON-LD of /agenda/: its events, organised by the association."""
    organizer = {"@type": "Organization", "name": currency["association"], "url": f"{site_url}/"}
    page = f"{site_url}/agenda/"
    return {"@context": "https://schema.org",
            "@graph": [agenda_event(event, page, organizer) for event in events]}


#: schema.org's delivery methods of a basket: picked up on site, or delivered by the pro.
PICKUP = "https://schema.org/OnSitePickup"
OWN_DELIVERY = "http://purl.org/goodrelations/v1#DeliveryModeOwnFleet"


def _delivery(pro: Pro) -> list[str]:
    methods = [] if pro.crise and pro.crise.livraison == "uniquement" else [PICKUP]
    return methods + ([OWN_DELIVERY] if crisis.offers(pro.crise, "livraison") else [])


def _place(pro: Pro, panier: Panier) -> dict[str, Any] | None:
    """Where the basket is picked up: the pro's public address, with the pickup text."""
    if not pro.adresse or not (pro.adresse.commune or pro.adresse.rue):
        return None
    place = {"@type": "Place", "name": pro.nom, "description": panier.retrait,
             "address": _postal_address(pro.adresse)}
    return {k: v for k, v in place.items() if v}


def basket_offer(pro: Pro, panier: Panier, pro_url: str, now: datetime) -> dict[str, Any]:
    """The `Offer` of one basket; `now`: the build's moment (naive, Paris), from which the next
    order deadline is read (an unreadable `commande_avant` gives none)."""
    data: dict[str, Any] = {"@type": "Offer", "name": panier.nom,
                            "itemOffered": {"@type": "Product", "name": panier.nom},
                            "seller": {"@type": "LocalBusiness", "@id": f"{pro_url}#pro",
                                       "name": pro.nom, "url": pro_url},
                            "availableDeliveryMethod": _delivery(pro)}
    if panier.contenu:
        data["description"] = data["itemOffered"]["description"] = panier.contenu
    if panier.prix is not None:
        data["price"] = f"{panier.prix:.2f}"
        data["priceCurrency"] = "EUR"
    limit = crisis.next_deadline(panier.commande_avant, now)
    if limit is not None:
        data["availabilityEnds"] = _moment(limit.replace(tzinfo=hours.PARIS))
    place = _place(pro, panier)
    if place:
        data["availableAtOrFrom"] = place
    if pro.zone:
        data["areaServed"] = pro.zone
    return data


def basket_offers(crisis_list: CrisisList, site_url: str) -> dict[str, Any]:
    """The JSON-LD of /paniers/: an Offer for each basket the page lists."""
    now = datetime.combine(crisis_list.today, datetime.min.time())
    return {"@context": "https://schema.org",
            "@graph": [basket_offer(entry.pro, panier, f"{site_url}/pros/{entry.pro.slug}/", now)
                       for entry, panier in crisis_list.baskets]}
