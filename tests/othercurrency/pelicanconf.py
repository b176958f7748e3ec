"""A fictional currency, la Pêche du Périgord, built with La Bulle's generator (theme and
labulle shared): its identity is only here and in its own pros/ and content/ folders.
tests/test_other_currency.py builds it and looks for any word of La Bulle in the output."""

from pathlib import Path

HERE = Path(__file__).parent

AUTHOR = "Association Les Amis de la Pêche"
SITENAME = "La Pêche"
SITESUBTITLE = "La monnaie locale complémentaire du Périgord"
SITEURL = ""
RELATIVE_URLS = False

PATH = "content"
OUTPUT_PATH = "output"
THEME = "../../theme"  # the shared theme (the test passes it with -t)
THEME_TEMPLATES_OVERRIDES = [str(HERE / "templates")]  # its own logo (partials/logo.html)
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
LOCALE = ("C.UTF-8",)

PLUGINS = ["labulle.build.plugin", "pelican.plugins.sitemap"]

ARTICLE_PATHS = ["billets", "actualites"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["data/stats.json", "images"]
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "categorie/{slug}/"
CATEGORY_SAVE_AS = "categorie/{slug}/index.html"
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = "articles/index.html"
INDEX_SAVE_AS = "index.html"
DEFAULT_PAGINATION = False
SLUGIFY_SOURCE = "basename"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
SITEMAP = {"format": "xml", "exclude": ["carte/carte-embed", "tag/", "author/", "^404"]}
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

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
