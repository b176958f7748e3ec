"""Crisis status and what a pro offers during the crisis, as the site shows it.

The status is `crise.statut` when given, otherwise derived (spec, "Derived, not typed"):
closed when the crisis hours are `off`, open when the hours are unchanged (`same`, or equal to the
usual hours) or customers may come in, adapted when the hours differ or a service is offered,
unknown when nothing is said. The *effective* status (the one filters use) is unknown when the
information is stale (`verifie_le` older than N days) or its period is over (`jusqu_au` passed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from labulle.source import fields
from labulle.source.schema import (
    CHANNEL_LABELS,
    STATUT_LABELS,
    Crise,
    Panier,
    Pro,
)

STATUSES = fields.STATUSES
OPEN_STATUSES = fields.OPEN_STATUSES
SERVICES = fields.SERVICES  # livraison, a_emporter, retrait, drive

STATUS_LABELS = STATUT_LABELS
STALE_LABEL = "À confirmer"
#: "sur_place" and every service, with their French labels (from the schema).
SERVICE_LABELS = {key: fields.LABELS[f"crise.{key}"] for key in ("sur_place", *SERVICES)}

_CLOSED_HOURS = re.compile(r"^\s*(off|closed)\b", re.IGNORECASE)


def _said_closed(osm: str | None) -> bool:
    return bool(osm) and bool(_CLOSED_HOURS.match(osm or ""))


def derived_status(crise: Crise | None, usual: str | None = None) -> str:
    """The status as typed, or as the spec derives it; `usual` is the pro's usual hours."""
    if crise is None:
        return "inconnu"
    if crise.statut:
        return crise.statut
    hours = crise.horaires
    if _said_closed(hours) or (hours == "same" and _said_closed(usual)):
        return "ferme"
    if hours is not None and hours != "same" and hours.strip() != (usual or "").strip():
        return "horaires_adaptes"
    if any(getattr(crise, s) in ("oui", "uniquement") for s in SERVICES) or crise.paniers:
        return "horaires_adaptes"
    if hours is not None or crise.sur_place == "oui":
        return "ouvert"
    return "inconnu"


def is_stale(crise: Crise | None, today: date, max_age_days: int = 14) -> bool:
    """Crisis information not confirmed within `max_age_days` before `today` (or never)."""
    if crise is None or crise.verifie_le is None:
        return True
    return today - crise.verifie_le > timedelta(days=max_age_days)


def is_over(crise: Crise | None, today: date) -> bool:
    """The situation described ended before `today` (`jusqu_au` passed)."""
    return bool(crise and crise.jusqu_au and crise.jusqu_au < today)


def status(pro: Pro, today: date, max_age_days: int = 14) -> str:
    """The status filters use: stale or ended information counts as unknown."""
    crise = pro.crise
    if crise is None or is_stale(crise, today, max_age_days) or is_over(crise, today):
        return "inconnu"
    return derived_status(crise, pro.horaires)


def hours_in_force(pro: Pro) -> str | None:
    """The OSM hours that apply during the crisis, or None when they are not known.

    Crisis hours when typed; the usual hours when `same` or absent, except for a pro that only
    delivers (its shop hours say nothing about when it can be reached).
    """
    crise = pro.crise
    if crise is None:
        return pro.horaires
    if crise.horaires and crise.horaires != "same":
        return None if _said_closed(crise.horaires) else crise.horaires
    if crise.horaires is None and crise.livraison == "uniquement":
        return None
    return pro.horaires


def open_window(today: date, hours_osm: str | None, days: int = 14) -> list[tuple[int, int]]:
    """Open intervals (UTC epochs) from `today` 00:00 Paris time for `days` days."""
    from labulle.model.hours import open_intervals

    if not hours_osm:
        return []
    return open_intervals(hours_osm, datetime.combine(today, datetime.min.time()), days)


@dataclass(frozen=True)
class Service:
    """One way to buy: its key, French label, and whether it is the only way."""

    key: str
    label: str
    only: bool


def services(crise: Crise | None) -> list[Service]:
    """The ways to buy that the pro offers, in the spec's order."""
    if crise is None:
        return []
    found = []
    if crise.sur_place == "oui":
        found.append(Service("sur_place", SERVICE_LABELS["sur_place"], False))
    for key in SERVICES:
        value = getattr(crise, key)
        if value in ("oui", "uniquement"):
            found.append(Service(key, SERVICE_LABELS[key], value == "uniquement"))
    return found


def channels(crise: Crise | None) -> list[str]:
    """How to order, in French."""
    return [CHANNEL_LABELS[c] for c in crise.commande] if crise else []


def offers(crise: Crise | None, key: str) -> bool:
    """The pro offers this service (oui or uniquement)."""
    return bool(crise) and getattr(crise, key) in ("oui", "uniquement")


# --- Basket order deadlines ("jeudi 18 h", "mercredi midi") -----------------------------------

_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_DEADLINE = re.compile(
    r"\b(?P<day>lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"
    r"(?:\s+(?:à\s+)?(?:(?P<noon>midi)|(?P<midnight>minuit)|(?P<hour>\d{1,2})\s*(?:h|:)\s*(?P<minute>\d{2})?))?",
    re.IGNORECASE,
)


def deadline(text: str | None, today: date) -> datetime | None:
    """The deadline a basket's `commande_avant` means in the week (Monday–Sunday) of `today`.

    "jeudi 18 h" → that Thursday at 18:00; "mercredi midi" → Wednesday 12:00; a weekday alone →
    the end of that day. None when the text cannot be read (the basket is then kept).
    """
    match = _DEADLINE.search(text or "")
    if not match:
        return None
    monday = today - timedelta(days=today.weekday())
    day = monday + timedelta(days=_WEEKDAYS.index(match["day"].lower()))
    if match["noon"]:
        hour, minute = 12, 0
    elif match["hour"]:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if hour > 23 or minute > 59:
            return None
    else:  # midnight, or the weekday alone: the whole day
        hour, minute = 24, 0
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour, minutes=minute)


def basket_open(panier: Panier, now: datetime) -> bool:
    """The basket can still be ordered at `now` (an unreadable deadline counts as open)."""
    limit = deadline(panier.commande_avant, now.date())
    return limit is None or now < limit


def deadlines(text: str | None, start: datetime, end: datetime) -> list[datetime]:
    """Every deadline `commande_avant` means after `start` and until `end` (naive Paris times).

    The rule of `deadline`, applied to each week the window touches: "jeudi 18 h" gives every
    Thursday 18:00 of the window. Empty when the text cannot be read (never a guess).
    """
    found = []
    monday = start.date() - timedelta(days=start.weekday())
    while monday <= end.date():
        limit = deadline(text, monday)
        if limit is None:
            return []
        if start < limit <= end:
            found.append(limit)
        monday += timedelta(days=7)
    return found


def next_deadline(text: str | None, now: datetime) -> datetime | None:
    """The first deadline `commande_avant` means after `now` (this week's or next week's)."""
    upcoming = deadlines(text, now, now + timedelta(days=7))
    return upcoming[0] if upcoming else None


def pickup_slots(hours_osm: str | None, today: date, days: int = 14) -> list[tuple[datetime,
                                                                                   datetime]]:
    """The pickup slots of a basket (`retrait_horaires`) from `today` for `days` days, as
    aware Europe/Paris datetimes (public holidays follow the hours' PH rule)."""
    from labulle.model.hours import PARIS

    return [(datetime.fromtimestamp(a, PARIS), datetime.fromtimestamp(b, PARIS))
            for a, b in open_window(today, hours_osm, days)]
