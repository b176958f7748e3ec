"""The agenda on the site: 3 next events on the home page, /agenda/ and the feed /agenda.ics.

The events come from `content/data/agenda.ics` (Dolibarr's export, see `labulle.events`); the
raw file is never copied to the output (it is not in STATIC_PATHS): `/agenda.ics` is rebuilt
from its public events only.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from labulle import events
from labulle.settings import setting

log = logging.getLogger(__name__)
HOME_COUNT = 3


def agenda_path(settings: dict[str, Any]) -> Path:
    return Path(settings["PATH"]) / "data" / "agenda.ics"


def _calendar(gen: Any) -> Any:
    """The source calendar, read once per build (an unreadable file is a build error)."""
    if not hasattr(gen, "_labulle_calendar"):
        try:
            gen._labulle_calendar = events.read_calendar(agenda_path(gen.settings))
        except events.EventsError as error:
            log.error("%s", error)
            gen._labulle_calendar = None
    return gen._labulle_calendar


def context(gen: Any) -> dict[str, Any]:
    """`upcoming_events` (the window's public events) and `home_events` (the first three)."""
    days = int(setting(gen.settings, "LABULLE_AGENDA_DAYS"))
    upcoming = events.upcoming(_calendar(gen), gen.directory.today, days)
    return {"upcoming_events": upcoming, "home_events": upcoming[:HOME_COUNT],
            "agenda_days": days}


def write_agenda(gen: Any, writer: Any) -> None:
    gen.write_page(writer, "agenda/index.html", "agenda.html")
    feed = events.public_calendar(_calendar(gen))
    target = Path(gen.output_path) / "agenda.ics"
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(".agenda.ics.tmp")
    temp.write_bytes(feed)
    temp.replace(target)
