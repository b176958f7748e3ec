"""The site's Pelican settings, read outside a build (for the webmaster's commands)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any


def read(root: Path, name: str = "pelicanconf.py") -> dict[str, Any]:
    """The settings of `root/name`, as Pelican reads them but without checking the theme and
    paths (publish.py imports pelicanconf from the current folder). A command that only reads
    the site leaves nothing in it: no __pycache__ of the settings."""
    from pelican.settings import get_settings_from_file

    here, quiet = os.getcwd(), sys.dont_write_bytecode
    os.chdir(root)
    sys.dont_write_bytecode = True
    try:
        return get_settings_from_file(str(root / name))
    finally:
        os.chdir(here)
        sys.dont_write_bytecode = quiet


def public_url(root: Path, settings: dict[str, Any]) -> str:
    """The public address of the site: SITEURL, else the production one (publish.py)."""
    url = settings.get("SITEURL") or ""
    if not url.startswith("http") and (root / "publish.py").exists():
        url = read(root, "publish.py").get("SITEURL") or url
    return url.rstrip("/")

