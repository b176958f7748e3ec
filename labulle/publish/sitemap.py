"""Make sitemap.xml reproducible: drop the `<lastmod>` that only says when the site was built.

pelican-sitemap dates every page without a date of its own (pro pages, lists) with the build's
time. That is not a modification date (search engines ignore such values), and it would make
every publication change sitemap.xml. Dated articles keep their real `<lastmod>`.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

LASTMOD = re.compile(r"\n?<lastmod>([^<]+)</lastmod>")


def strip_build_time(site: Path, built_since: datetime) -> int:
    """Remove the lastmod values not older than `built_since` (naive local time)."""
    path = Path(site) / "sitemap.xml"
    if not path.is_file():
        return 0
    removed = 0

    def drop(match: re.Match[str]) -> str:
        nonlocal removed
        try:
            when = datetime.fromisoformat(match.group(1))
        except ValueError:
            return match.group(0)
        if when.replace(tzinfo=None) >= built_since.replace(microsecond=0):
            removed += 1
            return ""
        return match.group(0)

    text = LASTMOD.sub(drop, path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    return removed
