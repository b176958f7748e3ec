"""How fresh a pro's entry is: the date the association last checked it, against the build's
one clock (`LABULLE_TODAY` / `reference_date`), in four states.

- « vérifiée » (`fresh`): checked within `LABULLE_FRESH_MONTHS` (9) months;
- « à revérifier bientôt » (`soon`): up to `LABULLE_OUTDATED_MONTHS` (12) months;
- « informations anciennes » (`old`): older than that;
- « jamais vérifiée » (`never`): no `verifie_le`.

Months are calendar months (a check on 20 June is 9 months old on 20 March). Every page,
list, map, open-data file and the webmaster's review list read the state from `freshness()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from labulle.source.schema import Pro
from labulle.source.settings import setting

State = Literal["fresh", "soon", "old", "never"]

#: The French words of each state, for pages, filters and the review list.
LABELS: dict[str, str] = {
    "fresh": "vérifiée",
    "soon": "à revérifier bientôt",
    "old": "informations anciennes",
    "never": "jamais vérifiée",
}
#: Most urgent first (the review list's order).
URGENCY: tuple[str, ...] = ("old", "never", "soon", "fresh")


@dataclass(frozen=True)
class Freshness:
    state: State
    checked: date | None  # verifie_le
    months: int | None  # whole calendar months since then

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def stale(self) -> bool:
        """Worth a discreet mark in lists and map popups (old or never checked)."""
        return self.state in ("old", "never")


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier` to `later` (0 when later is earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def ago(months: int) -> str:
    """« il y a moins d'un mois », « il y a 1 mois », « il y a 14 mois »."""
    return "il y a moins d'un mois" if months < 1 else f"il y a {months} mois"


def thresholds(settings: dict[str, Any]) -> tuple[int, int]:
    """(fresh, outdated) in months, from the settings (checked by settingscheck)."""
    return (setting(settings, "LABULLE_FRESH_MONTHS"),
            setting(settings, "LABULLE_OUTDATED_MONTHS"))


def freshness(pro: Pro, today: date, limits: tuple[int, int] = (9, 12)) -> Freshness:
    """The freshness of `pro` on `today` with the (fresh, outdated) month limits."""
    checked = pro.verifie_le
    if checked is None:
        return Freshness("never", None, None)
    months = months_between(checked, today)
    fresh, outdated = limits
    if months < fresh:
        state: State = "fresh"
    elif months < outdated:
        state = "soon"
    else:
        state = "old"
    return Freshness(state, checked, months)


def freshness_for(settings: dict[str, Any], today: date) -> Callable[[Pro], Freshness]:
    """`freshness_of(pro)` for the templates and writers of one build (its clock, its limits)."""
    limits = thresholds(settings)
    return lambda pro: freshness(pro, today, limits)
