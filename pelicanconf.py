"""Local settings of La Bulle's site (development and the sample content).

Production settings are in publish.py, which imports these. The project's own settings
(LABULLE_*) are documented with their defaults in labulle/source/settings.py.
"""

from pathlib import Path

HERE = Path(__file__).parent

AUTHOR = "Association Poivre MLC"
SITENAME = "La Bulle"
SITESUBTITLE = "La monnaie locale complémentaire de Charente"
SITEURL = ""
RELATIVE_URLS = False

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
LOCALE = ("C.UTF-8",)

PLUGINS = ["labulle.build.plugin", "pelican.plugins.sitemap"]

ARTICLE_PATHS = ["billets", "actualites"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["data/stats.json"]  # never data/agenda.ics: it may hold private events
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

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = None  # feeds are built by publish.py (they need SITEURL)
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

SITEMAP = {"format": "xml", "exclude": ["carte/carte-embed", "tag/", "author/", "^404"]}
# Escape every value in templates (pro files are typed by volunteers); HTML from Pelican
# (article.content) and from our filters (markdown_safe) is marked safe explicitly.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# --- La Bulle (see labulle/source/settings.py) ---
LABULLE_PROS_PATH = str(HERE / "pros")
# The sample site shows the association's site as of Monday 23 March 2020.
LABULLE_TODAY = "2020-03-23"
LABULLE_CRISIS_MODE = True
LABULLE_CRISIS_STALE_DAYS = 14
LABULLE_EMAIL = "bonjour@labulle16.fr"
LABULLE_INTAKE_AUTHSERV_ID = "mx.labulle16.fr"  # our mail server, in Authentication-Results
# The agenda publishes only the events of this Dolibarr event type (or titled « [public] … »).
LABULLE_AGENDA_PUBLIC_TYPES = ["Événement public"]
