"""The agenda on the site: 3 next events on the home page, /agenda/ and the feed /agenda.ics.

The events come from `content/data/agenda.ics` (Dolibarr's export, read by
`labulle.source.agenda`, which `invoke check` ran before the build: an unreadable file stops
it). Only the events `labulle.model.agenda.PublicRule` allows are shown; the raw file is never
copied to the output (it is not in STATIC_PATHS): `/agenda.ics` is written anew from them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labulle.atomic import write_file
from labulle.model import agenda as events
from labulle.source.settings import identity, setting

HOME_COUNT = 3


def agenda_path(settings: dict[str, Any]) -> Path:
    return Path(settings["PATH"]) / "data" / "agenda.ics"


def _calendar(gen: Any) -> Any:
    """The source calendar, as the build's one load read it (labulle.source.site)."""
    return gen.site.calendar


def context(gen: Any) -> dict[str, Any]:
    """`upcoming_events` (the window's published events) and `home_events` (the first three)."""
    days = int(setting(gen.settings, "LABULLE_AGENDA_DAYS"))
    rule = events.PublicRule.from_settings(gen.settings)
    try:
        upcoming = events.upcoming(_calendar(gen), gen.directory.today, days, rule)
    except (ValueError, TypeError) as exc:  # a series `invoke check` could not foresee
        raise SystemExit(f"{agenda_path(gen.settings)} : répétitions impossibles à calculer "
                         f"({exc}) : rien n'a été construit.") from None
    return {"upcoming_events": upcoming, "home_events": upcoming[:HOME_COUNT],
            "agenda_days": days}


def write_agenda(gen: Any, writer: Any) -> None:
    gen.write_page(writer, "agenda/index.html", "agenda.html")
    rule = events.PublicRule.from_settings(gen.settings)
    feed = events.public_calendar(_calendar(gen), rule, identity(gen.settings))
    write_file(Path(gen.output_path) / "agenda.ics", feed)
