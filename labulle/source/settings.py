"""The project's own Pelican settings, with their defaults and meaning (documented once).

Each is read with `setting(settings, NAME)`; pelicanconf.py may override any of them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    # Folder of the pro files (pros/<slug>.yml and categories.yml), absolute.
    "LABULLE_PROS_PATH": None,
    # Reference date of every date rule (crisis expiry, published pros, open now), ISO string;
    # None means the day of the build.
    "LABULLE_TODAY": None,
    # Crisis mode: the crisis button on the home page and the crisis page.
    "LABULLE_CRISIS_MODE": False,
    # Crisis information older than this many days after its verifie_le shows "à confirmer".
    "LABULLE_CRISIS_STALE_DAYS": 14,
    # Freshness of every entry (labulle/model/freshness.py): checked less than this many months
    # ago is « vérifiée », then « à revérifier bientôt » until LABULLE_OUTDATED_MONTHS, after
    # which it shows « informations anciennes ».
    "LABULLE_FRESH_MONTHS": 9,
    "LABULLE_OUTDATED_MONTHS": 12,
    # Above this many published pros, /pros/ links to the category and commune pages instead of
    # listing every name twice (a page a cheap phone can still lay out quickly).
    "LABULLE_DIRECTORY_FULL_LIST_MAX": 300,
    # At most this many pros, the crisis page is one list; above, it links to lists by
    # category, by commune and by service, in pages of at most this many pros each.
    "LABULLE_CRISIS_PAGE_SIZE": 40,
    # Main categories listed first on the crisis page and in the social post (food first).
    "LABULLE_CRISIS_CATEGORY_ORDER": ["alimentation"],
    # The association's email address (mailto links, "Proposer une modification").
    "LABULLE_EMAIL": "bonjour@labulle16.fr",
    # `invoke intake`: the association's receiving mail server, as it names itself (authserv-id)
    # in the Authentication-Results field it adds on top of each message (RFC 8601). Only that
    # server's verdict (DMARC pass, or DKIM pass for the From domain) makes a sender verified.
    "LABULLE_INTAKE_AUTHSERV_ID": "mx.labulle16.fr",
    # Map tiles: URL template and attribution (the only third-party requests of the site).
    "LABULLE_TILES_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "LABULLE_TILES_ATTRIBUTION": (
        '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs '
        "d’OpenStreetMap</a>"
    ),
    # Form service endpoint for the pilot sign-up (None: the form composes an email).
    "LABULLE_SIGNUP_ENDPOINT": None,
    # Form service endpoint of « Signaler une erreur » on the pro pages (None: an email). Its
    # form sends `_subject` « [La Bulle] Signalement : <slug> », so the notification the service
    # emails goes through `invoke intake`. « Je confirme ces informations » is always an email.
    "LABULLE_REPORT_ENDPOINT": None,
    # Fee a pro pays to convert digital Bulles back into euros, as shown on the site.
    "LABULLE_RECONVERSION_FEE": "2 %",
    # First and last day of the digital Bulle pilot (ISO dates, shown on /bulle-numerique/);
    # the pilot's sign-up data are kept until LABULLE_SIGNUP_RETENTION_MONTHS after its end.
    "LABULLE_PILOT_START": "2020-03-02",
    "LABULLE_PILOT_END": "2020-08-31",
    "LABULLE_SIGNUP_RETENTION_MONTHS": 12,
    # Atom feeds of the directory's new and updated pros (labulle/pages/profeeds.py), paths in
    # the output like FEED_ALL_ATOM: the whole directory ("feeds/pros.atom.xml") and one per
    # commune ("feeds/pros/{slug}.atom.xml"). None: not built (publish.py sets them).
    "LABULLE_PRO_FEED_ATOM": None,
    "LABULLE_PRO_COMMUNE_FEED_ATOM": None,
    # Licence of the open data (/donnees/: the files, their Table Schemas, the DCAT catalogue):
    # its title and the URL of its text. Both keys are required.
    "LABULLE_DATA_LICENCE": {"title": "Open Database License (ODbL) 1.0",
                             "url": "https://opendatacommons.org/licenses/odbl/1-0/"},
    # Self-hosted, cookie-less visit counter script URL (None: no counter at all).
    "LABULLE_COUNTER_URL": None,
    # Agenda (content/data/agenda.ics, Dolibarr's export): how many days ahead "upcoming" goes.
    "LABULLE_AGENDA_DAYS": 90,
    # Which agenda events are published (nothing else is; see labulle/model/agenda.py): events of
    # these Dolibarr event types (written in CATEGORIES; compared without case or accents)...
    "LABULLE_AGENDA_PUBLIC_TYPES": [],
    # ...and events whose title starts with this marker (removed when shown; "" = no marker).
    "LABULLE_AGENDA_PUBLIC_MARKER": "[public]",
    # Where `invoke publish` deploys (None: nowhere, publish stops and says so). One of
    # {"kind": "folder", "dest": "/srv/labulle"}, {"kind": "rsync", "dest": "user@host:/var/www/
    # labulle", "ssh": ["-p", "22"]}, {"kind": "git", "repo": "<url>", "branch": "pages"};
    # folder and rsync keep "keep" releases (default 5). See labulle/publish/targets/.
    "LABULLE_DEPLOY": None,
    # Who the site is for: every identity fact of the currency, in one place (templates read it
    # as `identity`, Python with identity(settings)). Another currency sets its own in its
    # pelicanconf.py; a key it leaves out keeps La Bulle's value (so set them all).
    "LABULLE_IDENTITY": {
        "name": "Bulle",                 # the currency, one unit (« 1 Bulle = 1 € »)
        "plural": "Bulles",              # several units (« vos Bulles »)
        "the": "la Bulle",               # with its article (« accepte la Bulle »)
        "The": "La Bulle",               # at the start of a sentence or a title
        "of_the": "de la Bulle",         # « les pros de la Bulle » (« du Sol » for a masculine)
        "mail_tag": "[La Bulle]",        # tag of the subjects the site composes and intake reads
        "association": "Poivre MLC",     # the association, after « l'association »
        "region": "Charente",            # the area of the network (a name)
        "region_of": "de Charente",      # « la monnaie locale de Charente »
        "region_of_the": "de la Charente",  # « citoyenne de la Charente »
        "region_in": "en Charente",      # « les comptoirs de change en Charente »
        "domain": "labulle16.fr",        # the site's domain (production SITEURL, schema $id)
        "osm_currency": "XLT-BULE",      # OpenStreetMap currency code (currency:XLT-BULE=yes)
        "bank": "La Nef",                # the bank of the reserve account
        "bank_at": "à La Nef",           # « le compte de réserve à La Nef »
        # Transfer reference to the reserve (« BULLE marie-d »), as shown on the site; the
        # ledger's bank import looks for the word BULLE (labulle/ledger/matching.py).
        "transfer_ref": "BULLE",
        "digital_slug": "bulle-numerique",  # URL folder of the digital currency's pages
        "blog_category": "Billet Bulle",    # the articles' category of the association's opinion
        "og_image": "theme/img/la-bulle-og.png",  # sharing image, from SITEURL
        "crisis_og_image": "theme/img/crise-partage.png",  # that of the crisis pages
        "map_centre": [45.70, 0.20],     # where an empty map opens (latitude, longitude)
        "map_zoom": 9,                   # its zoom level
        "calendar_uid_host": "agenda.labulle",  # after « @ » in the UIDs of /agenda.ics (stable)
        "town": "Angoulême",             # the example commune of `invoke new-pro`'s template,
        "town_postcode": "16000",        # its postcode
        "town_position": [45.6484, 0.1562],  # and a position in it
        # Where the pros are (a position outside is reported): the area, after « hors », and
        # its bounds (Charente and its neighbouring départements 17, 79, 86, 87, 24, a margin).
        "area_of": "de la Charente et des départements voisins",
        "area_lat": [44.55, 47.2],
        "area_lon": [-1.6, 1.95],
    },
}


# The type of each setting (labulle/source/settingscheck.py checks them): a setting whose default
# is a bool, an int, a text, a list of texts or a dict has that type; the others are named here.
KINDS: dict[str, str] = {
    "LABULLE_PROS_PATH": "optional path",
    "LABULLE_TODAY": "optional date",
    "LABULLE_PILOT_START": "date",
    "LABULLE_PILOT_END": "date",
    "LABULLE_SIGNUP_ENDPOINT": "optional text",
    "LABULLE_REPORT_ENDPOINT": "optional text",
    "LABULLE_COUNTER_URL": "optional text",
    "LABULLE_PRO_FEED_ATOM": "optional text",
    "LABULLE_PRO_COMMUNE_FEED_ATOM": "optional text",
    "LABULLE_DEPLOY": "optional dict",
}

# Dict settings whose every key must be written, as text (the others keep their defaults' keys).
COMPLETE: tuple[str, ...] = ("LABULLE_DATA_LICENCE",)

# Read from the environment only (never from pelicanconf.py), with their meaning.
ENVIRONMENT: dict[str, str] = {
    "LABULLE_SMTP_HOST": "letters --send: the SMTP server",
    "LABULLE_SMTP_PORT": "its port (587 by default)",
    "LABULLE_SMTP_USER": "its user name",
    "LABULLE_SMTP_PASSWORD": "its password",
    "LABULLE_SMTP_FROM": "the letters' sender address",
    "LABULLE_SMTP_CAFILE": "certificate authority of the SMTP server (tests, private CAs)",
    "LABULLE_SITEURL": "publish.py: the production address",
    "LABULLE_PUBLISH_FAIL_AFTER": "publish: interrupt the upload after N files (tests)",
    "LABULLE_PROCESSES": "build: how many processes write the pro pages (1: one)",
}


def setting(settings: dict[str, Any], name: str) -> Any:
    return settings.get(name, DEFAULTS[name])


def pros_location(root: Path, settings: dict[str, Any]) -> Path:
    """Where the pro files live, the one rule: LABULLE_PROS_PATH (relative to the project), else
    the project's pros/ folder."""
    configured = setting(settings, "LABULLE_PROS_PATH")
    return root / configured if configured else root / "pros"


def identity(settings: dict[str, Any]) -> dict[str, Any]:
    """The currency's identity: LABULLE_IDENTITY over its defaults."""
    return {**DEFAULTS["LABULLE_IDENTITY"], **settings.get("LABULLE_IDENTITY", {})}


def reference_date(settings: dict[str, Any]) -> date:
    value = setting(settings, "LABULLE_TODAY")
    if value is None:
        return date.today()
    return value if isinstance(value, date) else date.fromisoformat(str(value))
