"""Issue 11, point 1: only the events the association chose reach the site.

Dolibarr writes no CLASS (its CalDAV module writes CLASS:PUBLIC everywhere), so an event is
published only when its type (CATEGORIES) is listed in LABULLE_AGENDA_PUBLIC_TYPES or its title
starts with the marker; CLASS:PRIVATE/CONFIDENTIAL still win. Calendars of other producers
(Google, Thunderbird; tests/agenda/) parse and publish nothing unless marked or typed.
Point 3's times (one time for an event without duration, Paris time from UTC) are here too.
"""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from labulle.model import agenda as events
from labulle.source.agenda import check, parse_calendar, read_calendar

CORPUS = Path(__file__).parent / "agenda"
TYPED = events.PublicRule.from_settings({"LABULLE_AGENDA_PUBLIC_TYPES": ["evenement PUBLIC"]})
DEFAULT = events.PublicRule.from_settings({})


def dolibarr(*vevents: str) -> bytes:
    """A calendar as Dolibarr's build_calfile() writes it: LF ends, no CLASS, UTC times."""
    head = ("BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:PUBLISH\nPRODID:-//DOLIBARR 11.0.3\n"
            "CALSCALE:GREGORIAN\nX-WR-CALNAME:Dolibarr actions La Bulle\n"
            "X-WR-CALDESC:Liste des actions (La Bulle - built by Dolibarr)\n")
    return (head + "".join(textwrap.dedent(v) for v in vevents) + "END:VCALENDAR").encode()


def vevent(uid: int, summary: str, category: str, start: str, end: str, extra: str = "") -> str:
    return (f"BEGIN:VEVENT\nUID:dolibarragenda-bulle-{uid}@gestion.example.org\n"
            "ORGANIZER:MAILTO:tresoriere@example.org\nCONTACT:MAILTO:tresoriere@example.org\n"
            f"URL:https://gestion.example.org/comm/action/card.php?id={uid}\n"
            f"SUMMARY:{summary}\nDESCRIPTION:Note privée {uid}, tél. 06 99 88 77 {uid % 100:02d}\n"
            f"{extra}DTSTAMP:20200322T201500Z\nDTSTART:{start}\nDTEND:{end}\n"
            f"STATUS:CONFIRMED\nTRANSP:OPAQUE\nCATEGORIES:{category}\nEND:VEVENT\n")


def titles(calendar, rule, today=date(2020, 3, 23), days=90) -> list[str]:
    return [e.title for e in events.upcoming(calendar, today, days, rule)]


def test_nothing_is_published_by_default_only_the_chosen_type_or_the_marker():
    calendar = parse_calendar(dolibarr(
        vevent(1, "Assemblée générale", "Événement public", "20200425T120000Z",
               "20200425T150000Z"),
        vevent(2, "RDV banque", "Rendez-vous", "20200331T073000Z", "20200331T083000Z"),
        vevent(3, "[PUBLIC]  Stand au marché", "Rendez-vous", "20200516T070000Z",
               "20200516T103000Z"),
        vevent(4, "Bilan privé", "Événement public", "20200401T070000Z", "20200401T080000Z",
               "CLASS:PRIVATE\n"),
        vevent(5, "Dossier", "Événement public", "20200402T070000Z", "20200402T080000Z",
               "CLASS:CONFIDENTIAL\n"),
        vevent(6, "Tout le monde voit ça ?", "Réunion", "20200403T070000Z", "20200403T080000Z",
               "CLASS:PUBLIC\n"),  # what Dolibarr's CalDAV module writes on every event
        vevent(7, "Rendez-vous (Épicerie Vautrin)", "Stand, marché", "20200404T070000Z",
               "20200404T080000Z"),  # a raw comma in a type name
    ), "agenda.ics")
    # no type listed: only the marker publishes (stripped, whatever its case)
    assert titles(calendar, DEFAULT) == ["Stand au marché"]
    # type compared without case or accents; CLASS PRIVATE/CONFIDENTIAL still never published
    assert titles(calendar, TYPED) == ["Assemblée générale", "Stand au marché"]
    comma = events.PublicRule.from_settings({"LABULLE_AGENDA_PUBLIC_TYPES": ["stand, MARCHE"],
                                             "LABULLE_AGENDA_PUBLIC_MARKER": ""})
    assert titles(calendar, comma) == ["Rendez-vous (Épicerie Vautrin)"]
    nothing = events.PublicRule.from_settings({"LABULLE_AGENDA_PUBLIC_MARKER": ""})
    assert titles(calendar, nothing) == []


def test_published_events_show_only_title_times_place_and_description():
    calendar = parse_calendar(dolibarr(
        vevent(1, "Assemblée générale", "Événement public", "20200425T120000Z",
               "20200425T150000Z", "LOCATION:En visioconférence\n"),
        vevent(2, "RDV banque", "Rendez-vous", "20200331T073000Z", "20200331T083000Z"),
    ), "agenda.ics")
    [event] = events.upcoming(calendar, date(2020, 3, 23), 90, TYPED)
    assert event == events.Event(title="Assemblée générale", start=event.start, end=event.end,
                                 location="En visioconférence",
                                 description="Note privée 1, tél. 06 99 88 77 01")
    feed = events.public_calendar(calendar, TYPED).decode()
    assert "Note privée 1" in feed  # the allowed event's description only
    for absent in ("Note privée 2", "RDV banque", "gestion.example.org", "card.php", "MAILTO",
                   "mailto", "tresoriere", "CATEGORIES", "ORGANIZER", "CONTACT", "URL",
                   "dolibarragenda"):
        assert absent not in feed, absent


def test_an_event_without_duration_shows_one_time_in_paris():
    calendar = parse_calendar(dolibarr(
        vevent(1, "Émission de radio", "Événement public", "20200402T160000Z",
               "20200402T160000Z"),  # Dolibarr's punctual action: DTEND = DTSTART
        vevent(2, "Réunion d'hiver", "Événement public", "20200320T170000Z",
               "20200320T183000Z"),  # UTC+1 until 29 March
        "BEGIN:VEVENT\nUID:3@x\nSUMMARY:Lettre d'information\nCATEGORIES:Événement public\n"
        "DTSTAMP:20200322T201500Z\nDTSTART:20200403T163000Z\nEND:VEVENT\n",  # no DTEND
        "BEGIN:VEVENT\nUID:4@x\nSUMMARY:Appel collectif\nCATEGORIES:Événement public\n"
        "DTSTAMP:20200322T201500Z\nDTSTART:20200404T070000Z\nDURATION:PT0S\nEND:VEVENT\n",
    ), "agenda.ics")
    whens = [e.when for e in events.upcoming(calendar, date(2020, 3, 20), 30, TYPED)]
    assert whens == ["vendredi 20 mars 2020, 18 h – 19 h 30", "jeudi 2 avril 2020, 18 h",
                     "vendredi 3 avril 2020, 18 h 30", "samedi 4 avril 2020, 9 h"]


@pytest.mark.parametrize("name", ["google", "thunderbird"])
def test_other_producers_parse_and_publish_nothing_unmarked(name):
    path = CORPUS / f"{name}.ics"
    assert check(path, CORPUS) == []
    nothing = events.PublicRule.from_settings({"LABULLE_AGENDA_PUBLIC_MARKER": ""})
    assert titles(read_calendar(path), nothing, date(2020, 3, 1)) == []


def test_google_export_marked_series_in_paris_time():
    """CRLF, folded at 75 bytes inside a character, TZID + VTIMEZONE, a weekly series with an
    EXDATE and a moved occurrence whose new title is not marked (so it is left out)."""
    calendar = read_calendar(CORPUS / "google.ics")
    found = events.upcoming(calendar, date(2020, 3, 1), 60, DEFAULT)
    assert [(e.title, e.when) for e in found] == [
        ("Permanence du samedi", "samedi 21 mars 2020, 10 h – 12 h"),
        ("Permanence du samedi", "samedi 28 mars 2020, 10 h – 12 h"),
        ("Permanence du samedi", "samedi 18 avril 2020, 10 h – 12 h"),
    ]  # 11 April: EXDATE; 25 April 10 h: after UNTIL (07:59:59 UTC)
    feed = events.public_calendar(calendar, DEFAULT).decode()
    for absent in ("Vautrin", "Comptes annuels", "FR76", "c.rousseau", "ATTENDEE", "ORGANIZER",
                   "google.com", "[Public]", "VALARM"):
        assert absent not in feed, absent
    assert feed.count("BEGIN:VEVENT") == 1 and "EXDATE;TZID=Europe/Paris:20200404T100000" in feed


def test_thunderbird_export_typed_events_class_private_wins():
    calendar = read_calendar(CORPUS / "thunderbird.ics")
    found = events.upcoming(calendar, date(2020, 4, 1), 60, TYPED)
    assert [(e.title, e.when) for e in found] == [
        ("Atelier « Qu'est-ce qu'une monnaie locale ? » à la médiathèque",
         "samedi 18 avril 2020, 14 h 30 – 16 h 30"),
        ("Lettre d'information de la Bulle : envoi", "jeudi 23 avril 2020, 18 h"),
    ]
    assert "salariée" not in events.public_calendar(calendar, TYPED).decode()


def test_one_marked_occurrence_of_a_private_series_is_published_alone():
    calendar = parse_calendar(textwrap.dedent("""\
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Example Corp.//CalDAV Client//EN
        BEGIN:VEVENT
        UID:series-1@example.org
        DTSTAMP:20200301T000000Z
        SUMMARY:Réunion du bureau
        DTSTART:20200402T160000Z
        DTEND:20200402T170000Z
        RRULE:FREQ=WEEKLY;COUNT=3
        END:VEVENT
        BEGIN:VEVENT
        UID:series-1@example.org
        RECURRENCE-ID:20200409T160000Z
        SUMMARY:[public] Réunion ouverte à tous
        DTSTART;VALUE=DATE:20200409
        END:VEVENT
        END:VCALENDAR
        """).encode(), "agenda.ics")
    rule = events.PublicRule.from_settings({"LABULLE_AGENDA_PUBLIC_TYPES": "Réunion"})  # a str
    assert [(e.title, e.when) for e in events.upcoming(calendar, date(2020, 4, 1), 30, rule)] == [
        ("Réunion ouverte à tous", "jeudi 9 avril 2020")]
    feed = parse_calendar(events.public_calendar(calendar, rule), "flux")
    [alone] = feed.walk("VEVENT")
    assert "RECURRENCE-ID" not in alone and "RRULE" not in alone
    assert alone.decoded("DTSTAMP") == datetime(2020, 4, 8, 22, 0, tzinfo=UTC)  # from DTSTART
    assert str(alone["UID"]).endswith("@agenda.labulle") and "example.org" not in str(alone["UID"])
