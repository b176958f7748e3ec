"""Crisis status derivation, expiry, hours in force and basket deadlines, with fixed dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from labulle.model import crisis
from labulle.source.schema import Crise, Panier, Pro

MONDAY = date(2020, 3, 23)


def pro(usual: str | None = "Tu-Sa 09:00-19:00", **crise: object) -> Pro:
    return Pro(nom="Test", categories=["epicerie"], resume="Un pro.", horaires=usual,
               crise=Crise(**crise) if crise else None, slug="test")


@pytest.mark.parametrize(("crise", "usual", "expected"), [
    ({}, None, "inconnu"),  # a crise block that says nothing
    ({"sur_place": "non"}, None, "inconnu"),
    ({"statut": "partiel", "horaires": "off"}, None, "partiel"),  # typed wins
    ({"horaires": "off"}, None, "ferme"),
    ({"horaires": "off", "livraison": "oui"}, None, "ferme"),
    ({"horaires": "closed"}, None, "ferme"),
    ({"horaires": "same"}, "off", "ferme"),  # unchanged, and usually closed
    ({"horaires": "same"}, "Tu-Sa 09:00-19:00", "ouvert"),
    ({"horaires": "Tu-Sa 09:00-19:00"}, "Tu-Sa 09:00-19:00", "ouvert"),  # equal to usual
    ({"sur_place": "oui"}, None, "ouvert"),
    ({"horaires": "Tu,Th 09:00-12:00"}, "Tu-Sa 09:00-19:00", "horaires_adaptes"),
    ({"livraison": "uniquement"}, None, "horaires_adaptes"),
    ({"retrait": "oui", "horaires": "same"}, None, "horaires_adaptes"),  # a service is offered
    ({"drive": "non", "a_emporter": "non"}, None, "inconnu"),
    ({"paniers": [Panier(nom="Panier")]}, None, "horaires_adaptes"),
])
def test_derived_status(crise, usual, expected):
    assert crisis.derived_status(Crise(**crise), usual) == expected


def test_no_crise_block_is_unknown():
    assert crisis.derived_status(None) == "inconnu"
    assert crisis.status(pro(), MONDAY) == "inconnu"


@pytest.mark.parametrize(("verified", "days", "stale"), [
    (date(2020, 3, 9), 14, False),  # exactly 14 days old: still fresh
    (date(2020, 3, 8), 14, True),  # 15 days old
    (date(2020, 3, 20), 2, True),  # the number of days is a setting
    (date(2020, 3, 23), 0, False),
    (None, 14, True),  # never confirmed
])
def test_is_stale(verified, days, stale):
    assert crisis.is_stale(Crise(verifie_le=verified), MONDAY, days) is stale


def test_stale_or_ended_information_counts_as_unknown():
    fresh = pro(statut="ouvert", verifie_le=date(2020, 3, 20))
    assert crisis.status(fresh, MONDAY) == "ouvert"
    assert crisis.status(fresh, MONDAY, max_age_days=2) == "inconnu"
    ended = pro(horaires="off", verifie_le=date(2020, 3, 20), jusqu_au=date(2020, 3, 22))
    assert crisis.is_over(ended.crise, MONDAY)
    assert crisis.status(ended, MONDAY) == "inconnu"
    assert crisis.status(ended, date(2020, 3, 22)) == "ferme"  # the last day still counts


def test_hours_in_force():
    assert crisis.hours_in_force(pro(horaires="Sa 09:00-12:00")) == "Sa 09:00-12:00"
    assert crisis.hours_in_force(pro(horaires="same")) == "Tu-Sa 09:00-19:00"
    assert crisis.hours_in_force(pro(sur_place="oui")) == "Tu-Sa 09:00-19:00"  # absent: usual
    assert crisis.hours_in_force(pro(horaires="off")) is None
    assert crisis.hours_in_force(pro(livraison="uniquement")) is None  # no counter to visit


def test_open_window_is_utc_epochs_from_the_reference_date():
    paris = ZoneInfo("Europe/Paris")
    window = crisis.open_window(MONDAY, "Tu 09:00-12:00", 14)
    assert window == [
        (int(datetime(2020, 3, 24, 9, tzinfo=paris).timestamp()),
         int(datetime(2020, 3, 24, 12, tzinfo=paris).timestamp())),
        (int(datetime(2020, 3, 31, 9, tzinfo=paris).timestamp()),  # after the DST change
         int(datetime(2020, 3, 31, 12, tzinfo=paris).timestamp())),
    ]
    assert window[1][0] - window[0][0] == 7 * 86400 - 3600
    assert crisis.open_window(MONDAY, None) == []


def test_services_and_channels_in_french():
    c = Crise(sur_place="oui", livraison="uniquement", a_emporter="non", drive="oui",
              commande=["telephone", "sur_place"])
    assert [(s.key, s.only) for s in crisis.services(c)] == [
        ("sur_place", False), ("livraison", True), ("drive", False)]
    assert crisis.channels(c) == ["téléphone", "sur place"]


@pytest.mark.parametrize(("text", "expected"), [
    ("jeudi 18 h", datetime(2020, 3, 26, 18)),
    ("mercredi midi", datetime(2020, 3, 25, 12)),
    ("lundi 20 h", datetime(2020, 3, 23, 20)),
    ("avant Vendredi 18h30", datetime(2020, 3, 27, 18, 30)),
    ("samedi à 9:15", datetime(2020, 3, 28, 9, 15)),
    ("dimanche", datetime(2020, 3, 30, 0)),  # the whole day
    ("la veille du retrait", None),
    (None, None),
])
def test_deadline_in_the_week_of_the_reference_date(text, expected):
    assert crisis.deadline(text, MONDAY) == expected
    assert crisis.deadline(text, date(2020, 3, 29)) == expected  # same week, seen on Sunday


def test_basket_open_until_its_deadline():
    panier = Panier(nom="Panier", commande_avant="mercredi 18 h")
    assert crisis.basket_open(panier, datetime(2020, 3, 25, 17, 59))
    assert not crisis.basket_open(panier, datetime(2020, 3, 25, 18, 0))
    assert not crisis.basket_open(panier, datetime(2020, 3, 27, 11))
    assert crisis.basket_open(Panier(nom="P", commande_avant="la veille"), datetime(2020, 3, 27))
