"""Local settings of La Bulle's site (development and the sample content).

Production settings are in publish.py, which imports these. The project's own settings
(LABULLE_*) are documented with their defaults in labulle/source/settings.py.
"""

from pathlib import Path

from labulle.build.siteconf import *  # noqa: F403 - the site's structure, shared by every currency

HERE = Path(__file__).parent

AUTHOR = "Association Poivre MLC"
SITENAME = "La Bulle"
SITESUBTITLE = "La monnaie locale complémentaire de Charente"
SITEURL = ""
FEED_DOMAIN = SITEURL
THEME = "theme"

# The currency's own images (sharing pictures), published where the theme's images are.
EXTRA_PATH_METADATA = {f"images/{name}": {"path": f"theme/img/{name}"}
                       for name in ("la-bulle-og.png", "la-bulle-og.svg", "crise-partage.png")}

# --- La Bulle (see labulle/source/settings.py) ---
# Who the site is for: every identity fact of the currency (the templates, pages, open data,
# mails and feeds read them here; the meaning of each key is in labulle/source/settings.py).
LABULLE_IDENTITY = {
    "name": "Bulle",
    "plural": "Bulles",
    "the": "la Bulle",
    "The": "La Bulle",
    "of_the": "de la Bulle",
    "mail_tag": "[La Bulle]",
    "association": "Poivre MLC",
    "region": "Charente",
    "region_of": "de Charente",
    "region_of_the": "de la Charente",
    "region_in": "en Charente",
    "domain": "labulle16.fr",
    "osm_currency": "XLT-BULE",
    "bank": "La Nef",
    "bank_at": "à La Nef",
    "transfer_ref": "BULLE",
    "digital_slug": "bulle-numerique",
    "blog_category": "Billet Bulle",
    "og_image": "theme/img/la-bulle-og.png",  # content/images/, see EXTRA_PATH_METADATA
    "crisis_og_image": "theme/img/crise-partage.png",
    "map_centre": [45.70, 0.20],
    "map_zoom": 9,
    "calendar_uid_host": "agenda.labulle",
    "town": "Angoulême",
    "town_postcode": "16000",
    "town_position": [45.6484, 0.1562],
    "area_of": "de la Charente et des départements voisins",
    "area_lat": [44.55, 47.2],
    "area_lon": [-1.6, 1.95],
}
LABULLE_PROS_PATH = str(HERE / "pros")
# The sample site shows the association's site as of Monday 23 March 2020.
LABULLE_TODAY = "2020-03-23"
LABULLE_CRISIS_MODE = True
LABULLE_CRISIS_STALE_DAYS = 14
LABULLE_EMAIL = "bonjour@labulle16.fr"
LABULLE_INTAKE_AUTHSERV_ID = "mx.labulle16.fr"  # our mail server, in Authentication-Results
# The agenda publishes only the events of this Dolibarr event type (or titled « [public] … »).
LABULLE_AGENDA_PUBLIC_TYPES = ["Événement public"]
