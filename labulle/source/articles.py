"""Check the metadata header of the Markdown articles and pages before Pelican reads them.

Pelican logs and skips an article it cannot read and still exits 0; we report the exact file
and line instead.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from pathlib import Path

from labulle.source.problems import Problem
from labulle.source.readers import SLUG_RE, display_path
from labulle.source.settings import DEFAULTS

#: The news category of the site; the other one is the currency's opinion articles
#: (LABULLE_IDENTITY's blog_category). An article in another category is a typo.
NEWS_CATEGORY = "Actualités"
KNOWN_KEYS = ("title", "date", "modified", "category", "tags", "slug", "authors", "author",
              "summary", "status", "lang", "template", "save_as", "url", "image", "description",
              "translation")
STATUSES = ("published", "draft", "hidden")
_HEADER_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s?(.*)$")
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S")


def read_header(path: Path) -> dict[str, tuple[int, str]]:
    """Metadata key (lowercase) → (line, value), read until the first blank line."""
    header: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            break
        match = _HEADER_RE.match(line)
        if not match:
            if line.startswith((" ", "\t")) and header:
                continue  # continuation of the previous value
            break
        header[match.group(1).lower()] = (number, match.group(2).strip())
    return header


Header = dict[str, tuple[int, str]]


def read_file(path: Path, shown: str, is_page: bool,
              categories: tuple[str, ...]) -> tuple[Header | None, list[Problem]]:
    """The metadata header of one article or page (None when unreadable) and its problems
    (`categories`: those an article may have)."""
    try:
        header = read_header(path)
    except UnicodeDecodeError:
        return None, [Problem(shown, 1, "(fichier)", "le fichier n'est pas en UTF-8")]
    return header, header_problems(header, shown, is_page, categories)


def header_problems(header: Header, shown: str, is_page: bool,
                    categories: tuple[str, ...]) -> list[Problem]:
    problems = []

    def error(key: str, message: str) -> None:
        problems.append(Problem(shown, header.get(key, (1, ""))[0], key.capitalize(), message))

    for key in header:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.6)
            hint = f" ; vouliez-vous dire « {close[0].capitalize()} » ?" if close else ""
            error(key, f"métadonnée inconnue{hint}")
    if not header.get("title", (0, ""))[1]:
        problems.append(
            Problem(shown, 1, "Title", "titre manquant : première ligne « Title: ... »"))
    if "date" in header and not _is_date(header["date"][1]):
        error("date", f"« {header['date'][1]} » : date attendue au format 2020-03-21 10:00")
    if not is_page and "date" not in header:
        problems.append(Problem(shown, 1, "Date", "date manquante : « Date: 2020-03-21 10:00 »"))
    category = header.get("category", (0, ""))[1]
    if not is_page and category not in categories:
        error("category", f"catégorie « {category} » inconnue : {', '.join(categories)}")
    if "slug" in header and not SLUG_RE.fullmatch(header["slug"][1]):
        error("slug", "identifiant : minuscules sans accent, chiffres et tirets")
    if "status" in header and header["status"][1] not in STATUSES:
        error("status", f"statut inconnu : {', '.join(STATUSES)}")
    return problems


def _is_date(text: str) -> bool:
    for fmt in _DATE_FORMATS:
        try:
            datetime.strptime(text, fmt)
            return True
        except ValueError:
            continue
    return False


def read_tree(content_dir: Path, root: Path | None = None, blog_category: str = "",
              ) -> tuple[dict[str, Header], list[Problem]]:
    """The metadata of every Markdown article and page (by shown path), and every problem;
    `blog_category` is LABULLE_IDENTITY's (La Bulle's when not given)."""
    blog = blog_category or DEFAULTS["LABULLE_IDENTITY"]["blog_category"]
    headers, problems = {}, []
    for path in sorted(content_dir.rglob("*.md")):
        relative = path.relative_to(content_dir)
        shown = display_path(path, root)
        header, found = read_file(path, shown, relative.parts[0] == "pages",
                                  (blog, NEWS_CATEGORY))
        problems += found
        if header is not None:
            headers[shown] = header
    return headers, problems
