"""A fictional currency, la Pêche du Périgord, built with La Bulle's generator (theme and
labulle shared): its identity is only here and in its own pros/ and content/ folders.
tests/test_other_currency.py builds it and looks for any word of La Bulle in the output."""

from pathlib import Path

from labulle.build.siteconf import *  # noqa: F403 - the site's structure, shared by every currency

HERE = Path(__file__).parent

AUTHOR = "Association Les Amis de la Pêche"
SITENAME = "La Pêche"
SITESUBTITLE = "La monnaie locale complémentaire du Périgord"
SITEURL = ""
THEME = "../../theme"  # the shared theme (the test passes it with -t)
THEME_TEMPLATES_OVERRIDES = [str(HERE / "templates")]  # its own logo (partials/logo.html)

LABULLE_PROS_PATH = str(HERE / "pros")
LABULLE_TODAY = "2020-03-23"
LABULLE_CRISIS_MODE = True
LABULLE_EMAIL = "bonjour@peche.example"
LABULLE_INTAKE_AUTHSERV_ID = "mx.peche.example"
LABULLE_AGENDA_PUBLIC_TYPES = ["Événement public"]
LABULLE_IDENTITY = {
    "name": "Pêche",
    "plural": "Pêches",
    "the": "la Pêche",
    "The": "La Pêche",
    "of_the": "de la Pêche",
    "mail_tag": "[La Pêche]",
    "association": "Les Amis de la Pêche",
    "region": "Périgord",
    "region_of": "du Périgord",
    "region_of_the": "du Périgord",
    "region_in": "en Périgord",
    "domain": "peche.example",
    "osm_currency": "XLT-PECH",
    "bank": "le Crédit Coopératif",
    "bank_at": "au Crédit Coopératif",
    "transfer_ref": "PECHE",
    "digital_slug": "peche-numerique",
    "blog_category": "Billet Pêche",
    "og_image": "images/la-peche-og.png",
    "crisis_og_image": "images/la-peche-og.png",
    "map_centre": [45.18, 0.72],
    "map_zoom": 10,
    "calendar_uid_host": "agenda.peche.example",
    "town": "Périgueux",
    "town_postcode": "24000",
    "town_position": [45.1845, 0.7214],
    "area_of": "du Périgord",
    "area_lat": [44.5, 45.75],
    "area_lon": [-0.1, 1.5],
}
