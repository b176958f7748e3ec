"""Production settings: absolute URLs and feeds. Used by `invoke publish`."""

import json
import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("LABULLE_SITEURL", f"https://{LABULLE_IDENTITY['domain']}")  # noqa: F405
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# The production site uses the real date: crisis expiry and "open now" follow the calendar.
LABULLE_TODAY = None
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
LABULLE_PRO_FEED_ATOM = "feeds/pros.atom.xml"
LABULLE_PRO_COMMUNE_FEED_ATOM = "feeds/pros/{slug}.atom.xml"

# Where `invoke publish` sends the site (see LABULLE_DEPLOY in labulle/source/settings.py).
# CI passes it as JSON in the environment variable of the same name; the association may
# write it here.
_deploy = os.environ.get("LABULLE_DEPLOY")
LABULLE_DEPLOY = json.loads(_deploy) if _deploy else None
