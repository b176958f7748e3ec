"""Opening hours (OpenStreetMap syntax) read with opening-hours-py and said in French.

- `weekly_table("Tu-Sa 09:00-12:30,14:30-19:00; PH off")` →
  [("mardi–samedi", "9 h–12 h 30, 14 h 30–19 h"), ("dimanche, lundi", "fermé"),
   ("jours fériés", "fermé")]
- `day_text(osm, date)`: the hours of one calendar day ("9 h–12 h 30, 14 h 30–19 h" / "fermé").
- `open_intervals(osm, start, days)`: open intervals as UTC epoch seconds, for the browser.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# A plain week with no public holiday in France, used to describe a "usual" week.
_TYPICAL_MONDAY = date(2021, 3, 8)

Interval = tuple[time, time | None]  # None end = midnight


@lru_cache(maxsize=4096)
def _parse(osm: str, holidays: bool):  # type: ignore[no-untyped-def]
    import opening_hours

    return opening_hours.OpeningHours(osm, country="FR" if holidays else None)


def _is_open(state: object) -> bool:
    return str(state).lower().endswith("open")


def format_time(value: time | None) -> str:
    """9:00 → "9 h", 12:30 → "12 h 30", midnight end → "24 h"."""
    if value is None:
        return "24 h"
    return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"


def _day_intervals(osm: str, day: date, holidays: bool) -> list[Interval]:
    start = datetime.combine(day, time())
    end = start + timedelta(days=1)
    result = []
    for begin, finish, state, _comment in _parse(osm, holidays).intervals(start, end):
        if _is_open(state):
            stop = None if finish >= end else finish.time()
            result.append((max(begin, start).time(), stop))
    return result


def _say(intervals: list[Interval]) -> str:
    if not intervals:
        return "fermé"
    if intervals == [(time(0), None)]:
        return "24 h/24"
    return ", ".join(f"{format_time(a)}–{format_time(b)}" for a, b in intervals)


def day_text(osm: str, day: date) -> str:
    """The hours of one date, public holidays included."""
    return _say(_day_intervals(osm, day, holidays=True))


def _runs(indexes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _days_label(indexes: list[int]) -> str:
    """[1, 2, 3, 4, 5] → "mardi–samedi"; [2, 5] → "mercredi, samedi"."""
    parts = []
    for run in _runs(indexes):
        if len(run) >= 3:
            parts.append(f"{DAYS[run[0]]}–{DAYS[run[-1]]}")
        else:
            parts.extend(DAYS[i] for i in run)
    return ", ".join(parts)


def weekly_table(osm: str) -> list[tuple[str, str]]:
    """Rows (days, hours) of a usual week, in French; closed days together, then holidays."""
    return list(_weekly_table(osm))


@lru_cache(maxsize=4096)  # many pros share the same hours: computed once per build
def _weekly_table(osm: str) -> tuple[tuple[str, str], ...]:
    per_day = [_say(_day_intervals(osm, _TYPICAL_MONDAY + timedelta(days=i), holidays=False))
               for i in range(7)]
    if len(set(per_day)) == 1:
        rows = [("tous les jours", per_day[0])]
    else:
        texts = list(dict.fromkeys(t for t in per_day if t != "fermé")) + ["fermé"]
        rows = [(_days_label([i for i, t in enumerate(per_day) if t == text]), text)
                for text in texts if text in per_day]
    if re.search(r"\bPH\s+(off|closed)\b", osm):
        rows.append(("jours fériés", "fermé"))
    elif re.search(r"\bPH\b", osm):
        rows.append(("jours fériés", "horaires particuliers"))
    return tuple(rows)


def weekly_text(osm: str) -> str:
    """The weekly table on one line: "mardi–samedi : 9 h–12 h 30 ; dimanche, lundi : fermé"."""
    return " ; ".join(f"{days} : {hours}" for days, hours in weekly_table(osm))


def open_intervals(osm: str, start: datetime, days: int = 14) -> list[tuple[int, int]]:
    """Open intervals from `start` (Paris local time, naive) for `days` days, as UTC epochs."""
    return list(_open_intervals(osm, start, days))


@lru_cache(maxsize=4096)
def _open_intervals(osm: str, start: datetime, days: int) -> tuple[tuple[int, int], ...]:
    end = start + timedelta(days=days)
    result = []
    for begin, finish, state, _comment in _parse(osm, True).intervals(start, end):
        if _is_open(state):
            a = begin.replace(tzinfo=PARIS).timestamp()
            b = min(finish, end).replace(tzinfo=PARIS).timestamp()
            result.append((int(a), int(b)))
    return tuple(result)
