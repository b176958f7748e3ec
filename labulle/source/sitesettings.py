"""The site's Pelican settings, read outside a build (for the webmaster's commands)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def read(root: Path, name: str = "pelicanconf.py") -> dict[str, Any]:
    """The settings of `root/name`, as Pelican reads them but without checking the theme and
    paths (publish.py imports pelicanconf from the current folder)."""
    from pelican.settings import get_settings_from_file

    here = os.getcwd()
    os.chdir(root)
    try:
        return get_settings_from_file(str(root / name))
    finally:
        os.chdir(here)


def public_url(root: Path, settings: dict[str, Any]) -> str:
    """The public address of the site: SITEURL, else the production one (publish.py)."""
    url = settings.get("SITEURL") or ""
    if not url.startswith("http") and (root / "publish.py").exists():
        url = read(root, "publish.py").get("SITEURL") or url
    return url.rstrip("/")

