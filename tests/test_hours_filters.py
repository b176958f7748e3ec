"""French hours, dates and phone numbers, whatever the system's locale."""

from datetime import date, datetime

import pytest

from labulle.model.directory import slugify
from labulle.model.hours import day_text, open_intervals, weekly_table, weekly_text
from labulle.pages.filters import date_fr, euros, markdown_safe, phone_fr, tel_uri


@pytest.mark.parametrize("osm, expected", [
    ("Tu-Sa 09:00-12:30,14:30-19:00; PH off",
     "mardi–samedi : 9 h–12 h 30, 14 h 30–19 h ; lundi, dimanche : fermé ; jours fériés : fermé"),
    ("Mo-Fr 08:00-19:30; Sa 08:00-13:00",
     "lundi–vendredi : 8 h–19 h 30 ; samedi : 8 h–13 h ; dimanche : fermé"),
    ("We,Sa 08:00-13:00",
     "mercredi, samedi : 8 h–13 h ; lundi, mardi, jeudi, vendredi, dimanche : fermé"),
    ("Mo-Su 10:00-20:00", "tous les jours : 10 h–20 h"),
    ("24/7", "tous les jours : 24 h/24"),
    ("off", "tous les jours : fermé"),
])
def test_weekly_text(osm, expected):
    assert weekly_text(osm) == expected


def test_weekly_table_rows():
    assert weekly_table("Tu-Sa 09:00-12:00; PH off")[0] == ("mardi–samedi", "9 h–12 h")


def test_day_text_knows_french_public_holidays():
    assert day_text("Mo-Sa 09:00-12:00; PH off", date(2020, 4, 13)) == "fermé"  # Easter Monday
    assert day_text("Mo-Sa 09:00-12:00; PH off", date(2020, 4, 14)) == "9 h–12 h"


def test_open_intervals_are_utc_epochs_across_dst():
    # 2020-03-29 is the switch to summer time in Paris: 9 h is 08:00 UTC before, 07:00 UTC after.
    intervals = open_intervals("Sa,Mo 09:00-12:00", datetime(2020, 3, 28), days=3)
    assert intervals == [(1585382400, 1585393200), (1585551600, 1585562400)]


@pytest.mark.parametrize("value, expected", [
    (date(2020, 3, 21), "samedi 21 mars 2020"),
    (date(2020, 4, 1), "mercredi 1er avril 2020"),
    (datetime(2020, 8, 15, 10, 0), "samedi 15 août 2020"),
])
def test_date_fr(value, expected):
    assert date_fr(value) == expected


@pytest.mark.parametrize("typed, shown, uri", [
    ("0545000000", "05 45 00 00 00", "tel:+33545000000"),
    ("05.45.00.00.00", "05 45 00 00 00", "tel:+33545000000"),
    ("+33 5 45 00 00 00", "05 45 00 00 00", "tel:+33545000000"),
    ("545831572", "05 45 83 15 72", "tel:+33545831572"),
    ("+44 20 7946 0958", "+44 20 7946 0958", "tel:+442079460958"),
])
def test_phone(typed, shown, uri):
    assert (phone_fr(typed), tel_uri(typed)) == (shown, uri)


def test_markdown_keeps_no_raw_html():
    html = str(markdown_safe("Voir <a href='coucou'>ici</a> et **là** [x](javascript:alert(1))"))
    assert "<a href='coucou'>" not in html and "&lt;a href='coucou'&gt;" in html
    assert "<strong>là</strong>" in html
    assert "javascript:" not in html


def test_euros():
    assert (euros(15), euros(12.5)) == ("15 €", "12,50 €")


@pytest.mark.parametrize("name, slug", [
    ("L'Isle aux Images", "l-isle-aux-images"),
    ("La Drôle d’Épicerie", "la-drole-d-epicerie"),
    ("Œufs & Cie", "oeufs-cie"),
])
def test_slugify(name, slug):
    assert slugify(name) == slug
