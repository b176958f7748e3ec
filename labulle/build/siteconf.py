"""The site's structure, the same for every currency: Pelican settings a currency's
`pelicanconf.py` takes with ``from labulle.build.siteconf import *`` and then completes with its
own identity, paths and `LABULLE_*` settings (any of these may be overridden after the import).
"""

TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
LOCALE = ("C.UTF-8",)
RELATIVE_URLS = False

PATH = "content"
OUTPUT_PATH = "output"
PLUGINS = ["labulle.build.plugin", "pelican.plugins.sitemap"]

ARTICLE_PATHS = ["billets", "actualites"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["data/stats.json", "images"]  # never data/agenda.ics: it may hold private events
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

FEED_ALL_ATOM = None  # feeds are built by the production settings (they need SITEURL)
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

SITEMAP = {"format": "xml", "exclude": ["carte/carte-embed", "tag/", "author/", "^404"]}
# Escape every value in templates (pro files are typed by volunteers); HTML from Pelican
# (article.content) and from our filters (markdown_safe) is marked safe explicitly.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
