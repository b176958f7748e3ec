"""The agenda: published events only, recurrences across the summer-time change, and the public
feed (the sample site, the publication rule, unreadable files and the refresh from Dolibarr are
in tests/test_agenda_*.py)."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest
import recurring_ical_events

from labulle.model import agenda as events
from labulle.source.agenda import parse_calendar

ICS = textwrap.dedent("""\
    BEGIN:VCALENDAR
    VERSION:2.0
    PRODID:-//Dolibarr//NONSGML Dolibarr 11.0//FR
    BEGIN:VTIMEZONE
    TZID:Europe/Paris
    BEGIN:DAYLIGHT
    TZOFFSETFROM:+0100
    TZOFFSETTO:+0200
    TZNAME:CEST
    DTSTART:19700329T020000
    RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
    END:DAYLIGHT
    BEGIN:STANDARD
    TZOFFSETFROM:+0200
    TZOFFSETTO:+0100
    TZNAME:CET
    DTSTART:19701025T030000
    RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
    END:STANDARD
    END:VTIMEZONE
    BEGIN:VEVENT
    UID:weekly@test
    DTSTAMP:20200301T000000Z
    SUMMARY:Permanence du samedi
    CATEGORIES:Événement public
    LOCATION:Maison des associations
    DTSTART;TZID=Europe/Paris:20200314T100000
    DTEND;TZID=Europe/Paris:20200314T120000
    RRULE:FREQ=WEEKLY;COUNT=6
    EXDATE;TZID=Europe/Paris:20200411T100000
    ORGANIZER;CN=Jeanne Secret:mailto:jeanne.secret@example.org
    END:VEVENT
    BEGIN:VEVENT
    UID:weekly@test
    RECURRENCE-ID;TZID=Europe/Paris:20200404T100000
    DTSTAMP:20200301T000000Z
    SUMMARY:Permanence annulée pour une affaire interne
    DTSTART;TZID=Europe/Paris:20200404T100000
    DTEND;TZID=Europe/Paris:20200404T120000
    CLASS:PRIVATE
    END:VEVENT
    BEGIN:VEVENT
    UID:private@test
    DTSTAMP:20200301T000000Z
    SUMMARY:Rendez-vous Gaston Lagaffe-Prunelle
    CATEGORIES:Événement public
    DTSTART;TZID=Europe/Paris:20200325T150000
    DTEND;TZID=Europe/Paris:20200325T160000
    CLASS:PRIVATE
    END:VEVENT
    BEGIN:VEVENT
    UID:confidential@test
    DTSTAMP:20200301T000000Z
    SUMMARY:Dossier confidentiel
    CATEGORIES:Événement public
    DTSTART;VALUE=DATE:20200401
    CLASS:confidential
    END:VEVENT
    BEGIN:VEVENT
    UID:allday@test
    DTSTAMP:20200301T000000Z
    SUMMARY:Fête des monnaies locales
    CATEGORIES:Événement public
    DTSTART;VALUE=DATE:20200502
    DTEND;VALUE=DATE:20200504
    CLASS:PUBLIC
    END:VEVENT
    BEGIN:VEVENT
    UID:utc@test
    DTSTAMP:20200301T000000Z
    SUMMARY:Réunion publique
    CATEGORIES:Événement public
    DTSTART:20201024T160000Z
    DTEND:20201024T180000Z
    END:VEVENT
    BEGIN:VEVENT
    UID:cancelled@test
    DTSTAMP:20200301T000000Z
    SUMMARY:Annulé
    CATEGORIES:Événement public
    STATUS:CANCELLED
    DTSTART;TZID=Europe/Paris:20200328T150000
    END:VEVENT
    END:VCALENDAR
    """).replace("\n", "\r\n")
SECRETS = ("Gaston", "Lagaffe", "confidentiel", "affaire interne", "jeanne.secret", "Jeanne")


RULE = events.PublicRule.from_settings({"LABULLE_AGENDA_PUBLIC_TYPES": ["Événement public"]})


@pytest.fixture
def calendar():
    return parse_calendar(ICS.encode(), "test.ics")


def test_upcoming_public_occurrences_in_paris_time(calendar):
    found = events.upcoming(calendar, date(2020, 3, 21), days=240, rule=RULE)
    shown = [(e.title, e.start if e.all_day else e.start.strftime("%Y-%m-%d %H:%M %z"))
             for e in found]
    assert shown == [
        ("Permanence du samedi", "2020-03-21 10:00 +0100"),
        ("Permanence du samedi", "2020-03-28 10:00 +0100"),
        ("Permanence du samedi", "2020-04-18 10:00 +0200"),  # summer time: still 10 h
        ("Fête des monnaies locales", date(2020, 5, 2)),
        ("Réunion publique", "2020-10-24 18:00 +0200"),  # 16:00 UTC, the day before winter time
    ]
    assert [e.day for e in found] == [date(2020, 3, 21), date(2020, 3, 28), date(2020, 4, 18),
                                      date(2020, 5, 2), date(2020, 10, 24)]
    assert found[2].start.utcoffset().total_seconds() == 7200
    assert found[2].when == "samedi 18 avril 2020, 10 h – 12 h"
    assert found[3].when == "du samedi 2 mai 2020 au dimanche 3 mai 2020"
    assert found[4].when == "samedi 24 octobre 2020, 18 h – 20 h"
    assert not any(secret in repr(e) for e in found for secret in SECRETS)
    # the window starts at the reference date and lasts `days` days
    assert [e.day for e in events.upcoming(calendar, date(2020, 3, 22), days=7, rule=RULE)] == [
        date(2020, 3, 28)]


def test_public_feed_keeps_public_events_only(calendar):
    feed = events.public_calendar(calendar, RULE).decode()
    for secret in SECRETS:
        assert secret not in feed
    assert "ORGANIZER" not in feed and "CLASS" not in feed and "CATEGORIES" not in feed
    reread = parse_calendar(feed.encode(), "flux")
    # the occurrence made private is excluded from the public series
    days = [o.decoded("DTSTART").date() for o in recurring_ical_events.of(reread).between(
        date(2020, 3, 1), date(2020, 4, 30)) if str(o["SUMMARY"]) == "Permanence du samedi"]
    assert days == [date(2020, 3, 14), date(2020, 3, 21), date(2020, 3, 28), date(2020, 4, 18)]
    assert "BEGIN:VTIMEZONE" in feed
