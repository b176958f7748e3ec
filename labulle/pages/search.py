"""Site search: the `/recherche/` page and the Pagefind index built over the output.

Pagefind indexes only the elements marked `data-pagefind-body` (the main element of the pro
page and of articles/pages), so list pages and the map are not indexed twice. The index is a
static bundle in `output/pagefind/`, fetched lazily in small chunks by the browser.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from labulle.errors import LabulleError

BUNDLE_DIR = "pagefind"


class SearchIndexError(LabulleError):
    """Pagefind failed; the message is French and ready to show."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the `pagefind[bin]` wheel (no download at run time)."""
    try:
        from pagefind_bin import get_executable
    except ImportError:  # pragma: no cover - declared dependency
        raise SearchIndexError("Pagefind est absent : installez les dépendances "
                               "(pip install -e .).") from None
    return get_executable()


def build_index(site: Path) -> Path:
    """Index the built site in place (French, stemmed); returns the bundle folder."""
    site = Path(site)
    if not (site / "index.html").exists():
        raise SearchIndexError(f"{site} ne contient pas de site construit (index.html absent).")
    cmd = [str(pagefind_executable()), "--site", str(site), "--output-subdir", BUNDLE_DIR,
           "--force-language", "fr", "--silent"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError("L'index de recherche n'a pas pu être construit :\n"
                               + (result.stderr or result.stdout).strip())
    return site / BUNDLE_DIR


def write_search_page(gen: Any, writer: Any) -> None:
    """`/recherche/`: the search form, results shown by Pagefind's interface (in French)."""
    gen.write_page(writer, "recherche/index.html", "recherche.html")
