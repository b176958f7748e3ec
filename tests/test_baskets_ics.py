"""/paniers.ics: the baskets' order deadlines and pickup slots, as calendars import them.

The sample site (23 March 2020) is read as built; hostile and edge cases are pro files written
in a small project and rendered by the same code as the build (no mock).
"""

from __future__ import annotations

import re
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from conftest import build_site, copy_project

from labulle.model.directory import Directory
from labulle.pages import basketcal
from labulle.pages.crisis import CrisisList
from labulle.source.check import load_or_raise
from labulle.source.problems import DataError
from labulle.source.settings import identity

PARIS = ZoneInfo("Europe/Paris")
UID = re.compile(r"panier-[0-9a-f]{32}@agenda\.labulle")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture(scope="module")
def raw(built_site: Path) -> bytes:
    return (built_site / "paniers.ics").read_bytes()


@pytest.fixture(scope="module")
def calendar(raw: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(raw)


def events(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.walk("VEVENT"))


def test_calendar_properties_thunderbird_google_and_phones_need(calendar):
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//La Bulle//Paniers//FR"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Paniers des pros de la Bulle"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Paris"


def test_the_paris_timezone_is_described_across_the_clock_change(calendar):
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Paris"
    parts = [(p.name, p.decoded("DTSTART"), p.decoded("TZOFFSETFROM"), p.decoded("TZOFFSETTO"),
              str(p["TZNAME"])) for p in timezone.subcomponents]
    hour = timedelta(hours=1)
    assert parts == [
        ("STANDARD", datetime(2020, 3, 23), hour, hour, "CET"),
        # 29 March 2020, 02:00 local time (CET): clocks go to 03:00 CEST (RFC 5545, 3.6.5).
        ("DAYLIGHT", datetime(2020, 3, 29, 2), hour, 2 * hour, "CEST"),
    ]


def test_every_event_has_uid_dtstamp_dtstart_and_uids_are_unique(calendar):
    found = events(calendar)
    assert len(found) == 32
    for event in found:
        assert UID.fullmatch(str(event["UID"])), event["UID"]
        assert event.decoded("DTSTAMP") == datetime(2020, 3, 22, 23, tzinfo=UTC)
        assert "DTSTART" in event
        assert str(event["URL"]).startswith("https://labulle16.fr/pros/")
    assert len({str(e["UID"]) for e in found}) == len(found)


def test_crlf_lines_folded_at_75_octets(raw):
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # no bare LF, no bare CR
    assert b"\r" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long descriptions are folded
    raw.decode("utf-8")  # folds never cut a character in two


def occurrences(calendar: icalendar.Calendar) -> dict[tuple[str, datetime], datetime | None]:
    """(summary, start in Paris) → end in Paris, for the window of the sample."""
    found = {}
    window = recurring_ical_events.of(calendar).between(paris(2020, 3, 23), paris(2020, 4, 6))
    for event in window:
        start = event.decoded("DTSTART").astimezone(PARIS)
        end = event.decoded("DTEND").astimezone(PARIS) if "DTEND" in event else None
        found[str(event["SUMMARY"]), start] = end
    return found


def test_pickup_slots_in_paris_time_on_both_sides_of_the_clock_change(calendar):
    found = occurrences(calendar)
    kit = "Retrait : Kit potager (Pépinière du Gond)"
    # Saturday 9:00 before and after 29 March: the same local hour, one hour apart in UTC.
    assert found[kit, paris(2020, 3, 28, 9)] == paris(2020, 3, 28, 12)
    assert found[kit, paris(2020, 4, 4, 9)] == paris(2020, 4, 4, 12)
    assert paris(2020, 3, 28, 9).astimezone(UTC).hour == 8
    assert paris(2020, 4, 4, 9).astimezone(UTC).hour == 7
    cagette = "Retrait : Cagette fermière (Le Panier Rochefoucauld)"
    assert sorted(start for summary, start in found if summary == cagette) == [
        paris(2020, 3, 27, 15), paris(2020, 3, 28, 9), paris(2020, 4, 3, 15), paris(2020, 4, 4, 9)]
    petit = "Retrait : Petit panier (Le Potager de Fléac)"
    assert sorted(start for summary, start in found if summary == petit) == [
        paris(2020, 3, 25, 16), paris(2020, 3, 28, 16), paris(2020, 4, 1, 16),
        paris(2020, 4, 4, 16)]


def test_order_deadlines_each_week_of_the_window(calendar):
    found = occurrences(calendar)
    deadlines = sorted((start, summary) for summary, start in found
                       if summary.startswith("Commander"))
    legumes = "Commander avant 18 h : Panier légumes de saison (La Drôle d'Épicerie)"
    assert (paris(2020, 3, 25, 18), legumes) in deadlines
    assert (paris(2020, 4, 1, 18), legumes) in deadlines
    fromages = "Commander avant 12 h : Plateau de fromages charentais (Fromagerie du Champ de Mars)"
    assert (paris(2020, 3, 25, 12), fromages) in deadlines  # « mercredi midi »
    assert (paris(2020, 4, 1, 12), fromages) in deadlines
    assert found[fromages, paris(2020, 3, 25, 12)] == paris(2020, 3, 25, 12)  # a moment:
    assert not [e for e in events(calendar) if "DTEND" in e  # no DTEND (RFC 5545, 3.6.1)
                and str(e["SUMMARY"]).startswith("Commander")]
    assert len(deadlines) == 12  # 6 baskets with a readable deadline, 2 weeks
    # « la veille du retrait » cannot be read: no deadline event, never a guess.
    assert not [s for _start, s in deadlines if "Kit potager" in s]


def test_event_text_location_and_link(calendar):
    (event,) = [e for e in events(calendar)
                if e.decoded("DTSTART") == paris(2020, 3, 26, 9)]
    assert str(event["SUMMARY"]) == "Retrait : Panier légumes de saison (La Drôle d'Épicerie)"
    assert str(event["LOCATION"]) == "12 rue de Saintes, 16000 Angoulême"
    assert str(event["URL"]) == "https://labulle16.fr/pros/la-drole-d-epicerie/"
    assert str(event["DESCRIPTION"]) == (
        "3 kg de légumes du Potager de Fléac, 6 œufs, un pain au levain\n"
        "Prix : 15 €\n"
        "Commander avant : mercredi 18 h\n"
        "Retrait ou livraison : jeudi 9 h–12 h sur place, ou livraison à vélo dans Angoulême\n"
        "Commander, horaires et contacts : https://labulle16.fr/pros/la-drole-d-epicerie/")


def test_baskets_page_links_the_calendar(built_site):
    page = (built_site / "paniers" / "index.html").read_text(encoding="utf-8")
    assert '<a class="button button-secondary" href="/paniers.ics">Ajouter à mon agenda</a>' \
        in page
    assert "webcal:" not in page  # no host to subscribe to in a local build
    assert '<link rel="alternate" type="text/calendar" title="Paniers de la Bulle (iCalendar)" ' \
           'href="/paniers.ics">' in page
    assert "« Autres agendas », « À partir de l'URL »" in page


# --- hostile and edge cases, rendered by the build's code ---------------------------------------

LONG = "Épicerie « Chez Zoé », vrac; bio\\local " * 3
FILES = {
    "pros/categories.yml": "alimentation: {label: Alimentation}\n",
    "pros/hostile.yml": f"""\
        nom: '{LONG.strip()}'
        categories: [alimentation]
        resume: Une épicerie.
        zone: Grand Angoulême
        contact:
          telephone: "05 45 11 22 33"
          email: secret@example.org
          prive: [telephone, email]
        adhesion: 2020
        crise:
          statut: ouvert
          verifie_le: 2020-03-20
          paniers:
            - nom: "Panier; frais, « bio »\\nsur deux lignes"
              contenu: "Œufs, lait; crème\\nbeurre : 1/2 livre"
              prix: 12.5
              commande_avant: mercredi
              retrait: "au portail, côté cour; sonnez"
              retrait_horaires: "Sa 09:00-12:00"
        """,
    "pros/finit.yml": """\
        nom: Fin de crise
        categories: [alimentation]
        resume: Bientôt fini.
        crise:
          statut: ouvert
          verifie_le: 2020-03-20
          depuis: 2020-03-17
          jusqu_au: 2020-03-28
          paniers:
            - nom: Panier court
              commande_avant: jeudi 18 h
              retrait_horaires: "We,Sa 10:00-11:00"
        """,
    "pros/ancien.yml": """\
        nom: Pas confirmé
        categories: [alimentation]
        resume: Vieille information.
        crise:
          statut: ouvert
          verifie_le: 2020-02-01
          paniers:
            - nom: Panier oublié
              commande_avant: jeudi 18 h
              retrait_horaires: "Sa 09:00-12:00"
        """,
    "pros/ferme.yml": """\
        nom: Fermé
        categories: [alimentation]
        resume: Fermé.
        crise:
          horaires: "off"
          verifie_le: 2020-03-20
          paniers:
            - nom: Panier fermé
              commande_avant: jeudi 18 h
              retrait_horaires: "Sa 09:00-12:00"
        """,
    "pros/brouillon.yml": """\
        nom: Brouillon
        categories: [alimentation]
        resume: Pas encore publié.
        brouillon: true
        crise:
          statut: ouvert
          verifie_le: 2020-03-20
          paniers:
            - nom: Panier brouillon
              retrait_horaires: "Sa 09:00-12:00"
        """,
}


def render(tmp_path: Path, today: date, files: dict[str, str] = FILES) -> bytes:
    (tmp_path / "content").mkdir(exist_ok=True)
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    data = load_or_raise(tmp_path)
    crisis_list = CrisisList(Directory(data.categories, data.pros, today), {})
    return basketcal.render(crisis_list, "https://example.org", identity({}))


@pytest.fixture
def hostile(tmp_path: Path) -> list[icalendar.Event]:
    return events(icalendar.Calendar.from_ical(render(tmp_path, date(2020, 3, 23))))


def test_hostile_text_round_trips(tmp_path, hostile):
    name = LONG.strip()
    ours = [e for e in hostile if name in str(e["SUMMARY"])]
    pickups = [e for e in ours if str(e["SUMMARY"]).startswith("Retrait")]
    assert [e.decoded("DTSTART") for e in pickups] == [paris(2020, 3, 28, 9), paris(2020, 4, 4, 9)]
    summary = f"Retrait : Panier; frais, « bio »\nsur deux lignes ({name})"
    assert str(pickups[0]["SUMMARY"]) == summary
    assert str(pickups[0]["LOCATION"]) == "au portail, côté cour; sonnez"  # no address: the text
    assert str(pickups[0]["DESCRIPTION"]).startswith("Œufs, lait; crème\nbeurre : 1/2 livre\n"
                                                     "Prix : 12,50 €\n")
    raw = render(tmp_path, date(2020, 3, 23))
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    assert b"\\;" in raw and b"\\," in raw and b"\\n" in raw  # escaped as RFC 5545 says


def test_a_weekday_alone_is_an_all_day_deadline(hostile):
    deadlines = [e for e in hostile if str(e["SUMMARY"]).startswith("Dernier jour pour commander")]
    assert [e.decoded("DTSTART") for e in deadlines] == [date(2020, 3, 25), date(2020, 4, 1)]
    assert [e.decoded("DTEND") for e in deadlines] == [date(2020, 3, 26), date(2020, 4, 2)]


def test_only_confirmed_published_open_baskets_within_their_period(hostile):
    titles = {str(e["SUMMARY"]).split(" : ", 1)[1] for e in hostile}
    assert not [t for t in titles if re.search("oublié|fermé|brouillon", t)]
    court = sorted((e.decoded("DTSTART"), str(e["SUMMARY"])) for e in hostile
                   if "Panier court" in str(e["SUMMARY"]))
    assert court == [  # jusqu_au 2020-03-28: nothing after that Saturday
        (paris(2020, 3, 25, 10), "Retrait : Panier court (Fin de crise)"),
        (paris(2020, 3, 26, 18), "Commander avant 18 h : Panier court (Fin de crise)"),
        (paris(2020, 3, 28, 10), "Retrait : Panier court (Fin de crise)"),
    ]


def test_no_private_value(tmp_path):
    raw = render(tmp_path, date(2020, 3, 23)).decode("utf-8")
    for secret in ("05 45 11 22 33", "+33545112233", "secret@example.org"):
        assert secret not in raw


def test_same_slot_same_uid_from_one_day_to_the_next(tmp_path):
    def uids(today: date) -> dict[tuple[str, datetime], str]:
        calendar = icalendar.Calendar.from_ical(render(tmp_path, today))
        return {(str(e["SUMMARY"]), e.decoded("DTSTART")): str(e["UID"])
                for e in events(calendar)}

    monday, tuesday = uids(date(2020, 3, 23)), uids(date(2020, 3, 24))
    shared = set(monday) & set(tuesday)
    assert len(shared) >= 4
    assert all(monday[key] == tuesday[key] for key in shared)


def test_crisis_mode_off_no_calendar(tmp_path):
    copy_project(tmp_path)
    out = tmp_path / "output"
    out.mkdir()
    (out / "paniers.ics").write_text("BEGIN:VCALENDAR\r\n", encoding="utf-8")  # a previous build
    result = build_site(tmp_path, out, extra=("-e", "LABULLE_CRISIS_MODE=false"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (out / "paniers.ics").exists()
    assert "paniers.ics" not in (out / "index.html").read_text(encoding="utf-8")


def test_published_site_offers_the_webcal_subscription(tmp_path):
    copy_project(tmp_path)
    out = tmp_path / "output"
    result = build_site(tmp_path, out, extra=("-e", 'SITEURL="https://example.org"'))
    assert result.returncode == 0, result.stdout + result.stderr
    page = (out / "paniers" / "index.html").read_text(encoding="utf-8")
    assert '<a href="webcal://example.org/paniers.ics">abonnez-vous</a>' in page
    assert "<code>https://example.org/paniers.ics</code>" in page
    calendar = icalendar.Calendar.from_ical((out / "paniers.ics").read_bytes())
    assert str(calendar["URL"]) == "https://example.org/paniers/"
    assert {str(e["URL"]).split("/pros/")[0] for e in events(calendar)} == {"https://example.org"}


def test_unreadable_pickup_hours_are_refused_at_their_line(tmp_path):
    files = {**FILES, "pros/finit.yml": FILES["pros/finit.yml"].replace(
        '"We,Sa 10:00-11:00"', "mercredi et samedi matin")}
    with pytest.raises(DataError) as refused:
        render(tmp_path, date(2020, 3, 23), files)
    assert [str(p) for p in refused.value.problems] == [
        "pros/finit.yml:12: crise.paniers.0.retrait_horaires: « mercredi et samedi matin » : "
        "horaires illisibles ; syntaxe OpenStreetMap attendue, par exemple "
        '"Tu-Sa 09:00-12:30,14:30-19:00; PH off"']
