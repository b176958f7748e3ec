"""schema.org JSON-LD of /agenda/ (an Event per published event) and /paniers/ (an Offer per
basket), read from the built pages; hostile values cannot close the <script> element."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from labulle.model import agenda
from labulle.model.directory import Directory
from labulle.pages import jsonld
from labulle.pages.crisis import CrisisList
from labulle.pages.filters import script_json
from labulle.source.check import load_or_raise
from labulle.source.settings import identity

PARIS = ZoneInfo("Europe/Paris")
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
ORGANIZER = {"@type": "Organization", "name": "Poivre MLC", "url": "/"}
PICKUP = "https://schema.org/OnSitePickup"
OWN_FLEET = "http://purl.org/goodrelations/v1#DeliveryModeOwnFleet"


def graph(page: Path) -> list[dict]:
    html = page.read_text(encoding="utf-8")
    (text,) = SCRIPT.findall(html)
    data = json.loads(text)
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


@pytest.fixture(scope="module")
def events(built_site: Path) -> list[dict]:
    return graph(built_site / "agenda" / "index.html")


@pytest.fixture(scope="module")
def offers(built_site: Path) -> list[dict]:
    return graph(built_site / "paniers" / "index.html")


def test_one_event_per_event_shown_in_the_same_order(built_site, events):
    html = (built_site / "agenda" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<li class="card agenda-event">\s*<h3>(.*?)</h3>', html)
    assert [e["name"] for e in events] == [t.replace("&#39;", "'") for t in shown]
    assert all(e["@type"] == "Event" for e in events)
    assert all(e["eventStatus"] == "https://schema.org/EventScheduled" for e in events)
    assert all(e["organizer"] == ORGANIZER and e["url"] == "/agenda/" for e in events)


def test_event_times_with_their_paris_offset(events):
    by_name = {e["name"]: e for e in events}
    ag = by_name["Assemblée générale de l'association"]
    assert (ag["startDate"], ag["endDate"]) == ("2020-04-25T14:00:00+02:00",
                                                "2020-04-25T17:00:00+02:00")
    fete = by_name["Fête des monnaies locales de Nouvelle-Aquitaine"]  # DTEND 25 excluded
    assert (fete["startDate"], fete["endDate"]) == ("2020-05-23", "2020-05-24")
    for event in events:
        start = datetime.fromisoformat(event["startDate"])
        if "T" in event["startDate"]:
            assert start.utcoffset() == start.astimezone(PARIS).utcoffset()


def test_event_place_and_attendance_mode(events):
    by_name = {e["name"]: e for e in events}
    marche = by_name["Stand de la Bulle au marché des Halles (si le marché rouvre)"]
    assert marche["location"] == {"@type": "Place", "name": "Marché des Halles, Angoulême",
                                  "address": "Marché des Halles, Angoulême"}
    assert marche["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    phone = by_name["Permanence téléphonique de la Bulle"]
    assert phone["location"] == {"@type": "VirtualLocation", "name": "Par téléphone"}
    assert phone["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


def test_no_private_event_url_organiser_or_attendee(built_site):
    (text,) = SCRIPT.findall((built_site / "agenda" / "index.html").read_text(encoding="utf-8"))
    for private in ("gestion.labulle16.fr", "c.rousseau", "mailto", "president@", "Vautrin",
                    "Fradin", "Bureau restreint", "La Nef", "Événement public", "[public]"):
        assert private not in text


def test_one_offer_per_basket_shown(built_site, offers):
    html = (built_site / "paniers" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<h3 class="panier-nom">([^<]*?)(?: <span|</h3>)', html)
    assert [o["name"] for o in offers] == [s.strip().replace("&#39;", "'") for s in shown]
    assert len(offers) == 7


def test_offer_values(offers):
    by_name = {o["name"]: o for o in offers}
    assert by_name["Panier légumes de saison"] == {
        "@type": "Offer", "name": "Panier légumes de saison",
        "description": "3 kg de légumes du Potager de Fléac, 6 œufs, un pain au levain",
        "itemOffered": {"@type": "Product", "name": "Panier légumes de saison",
                        "description": "3 kg de légumes du Potager de Fléac, 6 œufs, "
                                       "un pain au levain"},
        "price": "15.00", "priceCurrency": "EUR",
        "availabilityEnds": "2020-03-25T18:00:00+01:00",
        "seller": {"@type": "LocalBusiness", "@id": "/pros/la-drole-d-epicerie/#pro",
                   "name": "La Drôle d'Épicerie", "url": "/pros/la-drole-d-epicerie/"},
        "availableDeliveryMethod": [PICKUP, OWN_FLEET],
        "availableAtOrFrom": {
            "@type": "Place", "name": "La Drôle d'Épicerie",
            "description": "jeudi 9 h–12 h sur place, ou livraison à vélo dans Angoulême",
            "address": {"@type": "PostalAddress", "streetAddress": "12 rue de Saintes",
                        "postalCode": "16000", "addressLocality": "Angoulême",
                        "addressCountry": "FR"}},
    }
    assert by_name["Petit panier"]["availabilityEnds"] == "2020-03-23T20:00:00+01:00"
    assert by_name["Petit panier"]["availableDeliveryMethod"] == [PICKUP]  # no delivery
    kit = by_name["Kit potager"]  # no price; « la veille du retrait »: no deadline guessed
    assert "price" not in kit and "priceCurrency" not in kit and "availabilityEnds" not in kit


# --- hostile values: built by the same functions, embedded by script_json ----------------------

HOSTILE = '</script><script>alert("x")</script><!-- \u2028 & é'
#: The agenda reads a text holding < and > as Dolibarr's HTML note (tags removed): without ">".
HOSTILE_NOTE = "Fête </script <!-- \u2028 & é"


def embedded(data: dict) -> dict:
    text = str(script_json(data))
    assert "</" not in text and "<!--" not in text and "\u2028" not in text
    html = f'<script type="application/ld+json">{text}</script>'
    (inner,) = SCRIPT.findall(html)
    return json.loads(inner)


def test_hostile_agenda_event_cannot_close_the_script():
    feed = textwrap.dedent(f"""\
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Dolibarr//test//FR
        BEGIN:VEVENT
        UID:1@example.org
        DTSTAMP:20200301T000000Z
        DTSTART:20200402T160000Z
        DTEND:20200402T180000Z
        SUMMARY:[public] {HOSTILE_NOTE}
        LOCATION:{HOSTILE_NOTE}
        DESCRIPTION:{HOSTILE_NOTE}
        ORGANIZER:MAILTO:secret@example.org
        URL:https://backoffice.example.org/card.php?id=1
        END:VEVENT
        END:VCALENDAR
        """).replace("\n", "\r\n")
    calendar = icalendar.Calendar.from_ical(feed)
    shown = agenda.upcoming(calendar, date(2020, 3, 23), 90, agenda.PublicRule.from_settings({}))
    data = jsonld.agenda_events(shown, "https://example.org", identity({}))
    back = embedded(data)
    assert back == data
    (event,) = back["@graph"]
    assert event["name"] == event["description"] == event["location"]["name"] == HOSTILE_NOTE
    assert "secret@example.org" not in json.dumps(back)
    assert "backoffice" not in json.dumps(back)


def test_hostile_basket_cannot_close_the_script(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "pros").mkdir()
    (tmp_path / "pros" / "categories.yml").write_text("alimentation: {label: Alimentation}\n",
                                                      encoding="utf-8")
    value = json.dumps(HOSTILE)  # a YAML double-quoted scalar
    (tmp_path / "pros" / "hostile.yml").write_text(textwrap.dedent(f"""\
        nom: {value}
        categories: [alimentation]
        resume: Une épicerie.
        contact:
          telephone: "05 45 11 22 33"
          prive: [telephone]
        crise:
          statut: ouvert
          verifie_le: 2020-03-20
          paniers:
            - nom: {value}
              contenu: {value}
              prix: 9.9
              commande_avant: jeudi 18 h
        """), encoding="utf-8")
    data = load_or_raise(tmp_path)
    crisis_list = CrisisList(Directory(data.categories, data.pros, date(2020, 3, 23)), {})
    offers = jsonld.basket_offers(crisis_list, "https://example.org")
    back = embedded(offers)
    assert back == offers
    (offer,) = back["@graph"]
    assert offer["name"] == offer["description"] == offer["seller"]["name"] == HOSTILE
    assert offer["price"] == "9.90" and offer["availabilityEnds"] == "2020-03-26T18:00:00+01:00"
    assert "45 11 22 33" not in json.dumps(back)
