"""The manifest of a release: every file's content hash, stored in the release itself.

Comparing the new build's manifest with the live release's tells what changed (pages added,
removed, modified) and whether there is anything to upload at all.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = ".labulle-manifest.json"
DERIVED_SUFFIXES = (".gz", ".br")  # precompressed copies follow their original
# The search index follows the pages. Pagefind writes its filter files in a varying order
# (same content, other names), so it is never compared: it is uploaded with changed pages.
DERIVED_DIRS = ("pagefind/",)


def is_derived(path: str) -> bool:
    return path.endswith(DERIVED_SUFFIXES) or path.startswith(DERIVED_DIRS)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_manifest(site: Path) -> dict[str, str]:
    """{relative path: sha256} of every file of `site` but the manifest itself."""
    site = Path(site)
    return {p.relative_to(site).as_posix(): file_hash(p)
            for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != MANIFEST_NAME}


def write_manifest(site: Path, manifest: dict[str, str]) -> None:
    text = json.dumps(manifest, indent=0, sort_keys=True)
    (Path(site) / MANIFEST_NAME).write_text(text + "\n", encoding="utf-8")


def parse_manifest(text: str | None) -> dict[str, str] | None:
    """The live release's manifest, None when there is none (first publication) or it is bad."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def read_manifest(release: Path) -> dict[str, str] | None:
    path = Path(release) / MANIFEST_NAME
    return parse_manifest(path.read_text(encoding="utf-8")) if path.is_file() else None


@dataclass(frozen=True)
class Changes:
    """What a publication changes: source files only (not .gz/.br copies nor the index)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    first: bool = False  # nothing was live before

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.modified)

    def __bool__(self) -> bool:
        return self.first or self.count > 0


def diff(live: dict[str, str] | None, new: dict[str, str]) -> Changes:
    old = {k: v for k, v in (live or {}).items() if not is_derived(k)}
    cur = {k: v for k, v in new.items() if not is_derived(k)}
    return Changes(added=sorted(cur.keys() - old.keys()),
                   removed=sorted(old.keys() - cur.keys()),
                   modified=sorted(k for k in cur.keys() & old.keys() if cur[k] != old[k]),
                   first=live is None)


def page_name(path: str) -> str:
    """`pros/x/index.html` → `/pros/x/` (the address a reader types)."""
    return "/" + path.removesuffix("index.html")


def describe(changes: Changes, limit: int = 30) -> str:
    """French summary: pages first (addresses), then how many other files."""
    if changes.first:
        return "Première publication : tout le site sera envoyé."
    if not changes:
        return "Aucun changement : le site en ligne est déjà à jour (0 changement)."
    lines = [f"{changes.count} changement(s) : {len(changes.added)} ajouté(s), "
             f"{len(changes.removed)} supprimé(s), {len(changes.modified)} modifié(s)."]
    for label, paths in (("+", changes.added), ("-", changes.removed), ("~", changes.modified)):
        pages = [page_name(p) for p in paths if p.endswith(".html")]
        for name in pages[:limit]:
            lines.append(f"  {label} {name}")
        if len(pages) > limit:
            lines.append(f"  {label} … et {len(pages) - limit} autre(s) page(s)")
        others = len(paths) - len(pages)
        if others:
            lines.append(f"  {label} {others} autre(s) fichier(s) (CSS, JS, données…)")
    lines.append("  (l'index de recherche et les copies compressées suivent)")
    return "\n".join(lines)
