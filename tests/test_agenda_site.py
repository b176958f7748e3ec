"""Issue 11, points 1 and 3 on the sample site: `content/data/agenda.ics` is written exactly as
Dolibarr's export writes it (no CLASS, UTC times, back-office URLs, private notes), and only
the events of the public type or marked « [public] » reach /agenda/, the home page and
/agenda.ics; nothing of the others is anywhere in the output."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT

from labulle.source.agenda import parse_calendar

SAMPLE = ROOT / "content" / "data" / "agenda.ics"
#: In the private events of the sample, or in any event's Dolibarr-only fields.
PRIVATE = ("06 12 34 56 78", "07 81 22 33 44", "FR76 4255 9100", "CCOPFRPPXXX",
           "gestion.labulle16.fr", "card.php", "c.rousseau", "jm.vautrin", "Vautrin", "Fradin",
           "salariée", "médecin du travail", "La Nef, agence de Lyon", "classeur rouge",
           "Relance cotisation",
           "dolibarragenda", "dolibarr_bulle", "Événement automatique", "Appel téléphonique",
           "[public]", "MAILTO", "mailto:c.", "president@")


def test_sample_is_written_as_dolibarr_writes_it():
    data = SAMPLE.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:PUBLISH\n"
                           b"PRODID:-//DOLIBARR 11.0.3\nCALSCALE:GREGORIAN\nX-WR-CALNAME:")
    assert b"X-WR-CALDESC:" in data and data.endswith(b"END:VEVENT\nEND:VCALENDAR")
    assert b"CLASS" not in data and b"TZID" not in data and b"RRULE" not in data
    assert b"\r\n " in data  # folded values, inside LF-ended lines
    assert re.search(rb"^DTSTART;VALUE=DATE:\d{8}\n", data, re.M)
    assert re.search(rb"^DTSTART:(\d{8}T\d{6}Z)\nDTEND:\1\n", data, re.M)  # a punctual action
    assert re.search(rb"^DESCRIPTION:[^\n]*\d\d; ", data, re.M)  # raw, unescaped ;
    calendar = parse_calendar(data, "agenda.ics")
    for event in calendar.walk("VEVENT"):
        assert str(event["UID"]).startswith("dolibarragenda-dolibarr_bulle-")
        assert str(event["URL"]).startswith("https://gestion.labulle16.fr/comm/action/card.php?id=")
        for prop in ("ORGANIZER", "CONTACT", "CREATED", "LAST-MODIFIED", "SUMMARY",
                     "DESCRIPTION", "DTSTAMP", "STATUS", "TRANSP", "CATEGORIES"):
            assert prop in event, (event["SUMMARY"], prop)
    types = {str(c) for e in calendar.walk("VEVENT") for c in e["CATEGORIES"].cats}
    assert types == {"Événement public", "Événement automatique", "Rendez-vous",
                     "Appel téléphonique", "Réunion"}


def test_agenda_and_home_show_the_chosen_events(built_site: Path):
    page = (built_site / "agenda" / "index.html").read_text(encoding="utf-8")
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<h3>([^<]+)</h3>", page) == [
        "Émission « La Bulle en direct » sur RCF Charente",
        "Permanence téléphonique de la Bulle", "Assemblée générale de l&#39;association",
        "Permanence de la Bulle",
        "Stand de la Bulle au marché des Halles (si le marché rouvre)",  # marker removed
        "Fête des monnaies locales de Nouvelle-Aquitaine", "Permanence de la Bulle"]
    assert ">jeudi 2 avril 2020, 18 h</time>" in page  # DTEND = DTSTART: one time
    assert ">samedi 4 avril 2020, 10 h – 12 h</time>" in page  # 08:00Z in Paris summer time
    assert ">du samedi 23 mai 2020 au dimanche 24 mai 2020</time>" in page
    assert "Appelez le 05 45 90 12 34" in page  # a published event's description
    assert "En savoir plus" not in page
    assert "Prochains rendez-vous" in home and "Assemblée générale" in home
    assert "Stand de la Bulle" not in home  # the 3 next only


def test_nothing_private_anywhere_in_the_output(built_site: Path):
    assert not (built_site / "data" / "agenda.ics").exists()
    for path in built_site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in PRIVATE:
                assert secret.encode() not in data, (path, secret)


def test_published_feed_is_rebuilt_from_shown_fields(built_site: Path):
    feed = (built_site / "agenda.ics").read_text(encoding="utf-8")
    calendar = parse_calendar(feed.encode(), "agenda.ics")
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [
        "Apéro des Bulles", "Émission « La Bulle en direct » sur RCF Charente",
        "Permanence téléphonique de la Bulle", "Assemblée générale de l'association",
        "Permanence de la Bulle", "Stand de la Bulle au marché des Halles (si le marché rouvre)",
        "Fête des monnaies locales de Nouvelle-Aquitaine", "Permanence de la Bulle"]
    allowed = {"BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "X-WR-CALNAME", "X-WR-TIMEZONE",
               "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION",
               "STATUS"}
    names = {re.split("[;:]", line)[0] for line in feed.splitlines() if line[:1] != " "}
    assert names <= allowed, names - allowed
