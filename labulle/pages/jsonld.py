"""schema.org `LocalBusiness` description of a pro page, as JSON-LD for search engines.

Only public data: contact keys listed in `contact.prive` and `adhesion` never appear. The
template embeds it with the `script_json` filter (`labulle.pages.filters`), so no value can close
its `<script type="application/ld+json">`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from labulle.model import hours
from labulle.model.public import public_contact
from labulle.pages.filters import tel_uri
from labulle.source.schema import Pro

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


def local_business(pro: Pro, page_url: str, currency: dict[str, Any]) -> dict[str, Any]:
    """The LocalBusiness object of a pro (public fields only); `currency`: LABULLE_IDENTITY."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "LocalBusiness",
                            "@id": f"{page_url}#pro", "name": pro.nom,
                            "description": pro.resume, "url": page_url}
    if pro.adresse:
        address = {"@type": "PostalAddress", "streetAddress": pro.adresse.rue,
                   "postalCode": pro.adresse.code_postal,
                   "addressLocality": pro.adresse.commune, "addressCountry": "FR"}
        data["address"] = {k: v for k, v in address.items() if v}
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

