"""Crisis status: given in `crise.statut`, or derived from the crisis hours and services."""

from __future__ import annotations

from datetime import date, timedelta

from labulle.schema import Crise, Pro

STATUSES = ("ouvert", "horaires_adaptes", "partiel", "ferme", "inconnu")
SERVICES = ("livraison", "a_emporter", "retrait", "drive")


def derived_status(crise: Crise | None) -> str:
    """The status as typed, or as the spec derives it (closed, adapted, unknown)."""
    if crise is None:
        return "inconnu"
    if crise.statut:
        return crise.statut
    if crise.horaires == "off":
        return "ferme"
    hours_changed = crise.horaires not in (None, "same")
    services = any(getattr(crise, s) in ("oui", "uniquement") for s in SERVICES)
    if hours_changed or services or crise.paniers:
        return "horaires_adaptes"
    if crise.horaires == "same":
        return "ouvert"
    return "inconnu"


def is_stale(crise: Crise | None, today: date, max_age_days: int = 14) -> bool:
    """Crisis information not confirmed within `max_age_days` of `today`."""
    if crise is None or crise.verifie_le is None:
        return True
    return today - crise.verifie_le > timedelta(days=max_age_days)


def status(pro: Pro, today: date, max_age_days: int = 14) -> str:
    """The status shown and filtered on: stale information counts as unknown."""
    if pro.crise is None or is_stale(pro.crise, today, max_age_days):
        return "inconnu"
    return derived_status(pro.crise)
