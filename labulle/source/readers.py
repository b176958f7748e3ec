"""Read the data files (`pros/categories.yml`, `pros/<slug>.yml`) into schema objects.

Every reader returns what it could build and the list of problems it found; nothing stops at
the first error, so that one run of the checker reports everything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from labulle.source import references, rules, yamlsource
from labulle.source.problems import Problem
from labulle.source.rules import Area, Known
from labulle.source.schema import MAX_FILE_BYTES, SLUG_PATTERN, Pro, Text, doc
from labulle.source.validate import MISSING, Context, build

SLUG_RE = re.compile(SLUG_PATTERN)


@dataclass(frozen=True)
class Category:
    """One entry of the taxonomy (`pros/categories.yml`)."""

    key: str
    label: str
    parent: str | None = None
    icon: str | None = None
    order: int = 0

    @property
    def main(self) -> bool:
        return self.parent is None


@dataclass(frozen=True)
class CategoryEntry:
    """One category as written in `pros/categories.yml`: `cle: {label: …, parent: …, icon: …}`
    (or `cle: Libellé`); checked by the same walker as the pro files."""

    label: Text = doc("Libellé affiché de la catégorie.", required=True)
    parent: str | None = doc("Clé de la catégorie parente ; absente : catégorie principale.")
    icon: str | None = doc("Nom de l'icône de la catégorie (theme/static/icons/).")


def display_path(path: Path, root: Path | None) -> str:
    """The path as the webmaster knows it: relative to the project when possible (the name of
    a link, not of what it points to)."""
    if root is not None:
        for full, base in ((path.absolute(), root.absolute()), (path.resolve(), root.resolve())):
            if full.is_relative_to(base):
                return str(full.relative_to(base))
    return str(path)


def parse_file(path: Path, shown: str) -> tuple[yamlsource.Node | None, list[Problem]]:
    """Parse one YAML file: its tree (None when unreadable or empty) and its problems, each at
    its line; a file that cannot be read at all gives one problem and no tree."""
    try:
        node, issues = yamlsource.load(path)
    except yamlsource.YamlSyntaxError as exc:
        return None, [Problem(shown, exc.line, exc.key, exc.message)]
    return node, [Problem(shown, i.line, i.key or "(syntaxe YAML)", i.reason) for i in issues]


def read_categories(path: Path, root: Path | None = None,
                    ) -> tuple[dict[str, Category], list[Problem]]:
    shown = display_path(path, root)
    if not path.exists():
        return {}, [Problem(shown, 1, "(fichier)", "fichier de catégories introuvable")]
    node, problems = parse_file(path, shown)
    if node is None:
        return {}, problems
    if not isinstance(node.value, dict):
        return {}, [*problems, Problem(shown, node.line, "(fichier)",
                                        "une liste « clé: libellé » est attendue")]
    categories = {}
    for order, (key, entry) in enumerate(node.value.items()):
        category = _read_category(key, entry, order, shown, problems)
        if category:
            categories[key] = category
    for category in categories.values():
        if category.parent and category.parent not in categories:
            problems.append(Problem(shown, node.value[category.key].line, f"{category.key}.parent",
                                    f"catégorie parente « {category.parent} » inconnue"))
    return categories, problems


def _read_category(key: str, entry: yamlsource.Node, order: int, shown: str,
                   problems: list[Problem]) -> Category | None:
    if not SLUG_RE.fullmatch(key.replace("_", "-")):
        problems.append(Problem(shown, entry.line, key, "clé de catégorie : minuscules ASCII, "
                                "chiffres et _ seulement"))
        return None
    if entry.kind == "scalar":
        return Category(key, str(entry.value), order=order)
    if entry.kind != "mapping" or "label" not in entry.value:
        problems.append(Problem(shown, entry.line, key, "un libellé est attendu : "
                                "« cle: {label: Libellé, parent: ..., icon: ...} »"))
        return None
    ctx = Context(shown)
    written = build(CategoryEntry, entry, ctx, key)
    problems.extend(ctx.problems)
    if written is MISSING:
        return None
    return Category(key, written.label or key, written.parent, written.icon, order)


def pro_files(pros_dir: Path) -> list[Path]:
    return sorted((p for p in pros_dir.glob("*.yml") if p.name != "categories.yml"),
                  key=lambda p: p.name)  # one folder: by name (much cheaper than Path order)


def misnamed_files(pros_dir: Path, root: Path | None = None) -> list[Problem]:
    """YAML files that would be silently skipped: `x.yaml`, `x.YML`, `x.Yml`…"""
    if not pros_dir.is_dir():
        return []
    return [Problem(display_path(p, root), 1, "(nom du fichier)",
                    f"renommez en {p.stem}.yml ; seuls les fichiers .yml sont lus")
            for p in sorted(pros_dir.iterdir())
            if p.suffix.lower() in (".yml", ".yaml") and p.suffix != ".yml"]


def _digest(path: Path) -> str:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:  # reported by the reader
        return ""


def read_pros(pros_dir: Path, categories: dict[str, Category], root: Path | None = None,
              memo: dict[Any, Any] | None = None, area: Area | None = None,
              today: date | None = None) -> tuple[list[Pro], list[Problem]]:
    """Every pro file, validated; the pros that could be built and all problems.

    `memo` (owned by the caller: livereload's loader keeps one from build to build) holds the
    files read last time: a file with the same bytes, under the same categories and slugs, is
    not parsed and checked again. It is replaced by this read's files. `area`: where positions
    may be (LABULLE_IDENTITY's; La Bulle's when None). `today`: the build's reference date,
    after which no verifie_le may be (not compared when None)."""
    files = pro_files(pros_dir)
    known = Known(categories=set(categories), slugs={p.stem for p in files}, today=today)
    if area is not None:
        known.area = area
    same_known = hashlib.sha1(repr((sorted(categories.items()), sorted(known.slugs),
                                    str(root), known.area, today)).encode()).hexdigest()
    earlier = memo if memo is not None else {}
    now: dict[Any, Any] = {}
    pros, problems = [], misnamed_files(pros_dir, root)
    for path in files:
        key = (same_known, str(path), _digest(path))
        pro, found = now[key] = earlier.get(key) or read_pro(path, known, root)
        problems.extend(found)
        if pro is not None:
            pros.append(pro)
    if memo is not None:
        memo.clear()
        memo.update(now)
    return pros, problems


def read_pro(path: Path, known: Known, root: Path | None = None,
             ) -> tuple[Pro | None, list[Problem]]:
    shown = display_path(path, root)
    try:
        size = path.stat().st_size
    except OSError:  # parse_file says why the file cannot be read
        size = 0
    if size > MAX_FILE_BYTES:  # before YAML: a huge file is never parsed
        return None, [Problem(shown, 1, "(fichier)", f"fichier trop gros : "
                              f"{rules.too_many(size, MAX_FILE_BYTES, 'octets')} (64 Ko)")]
    node, problems = parse_file(path, shown)
    unreadable = bool(problems)  # kept out of the site, even if the rest of it is valid
    if not SLUG_RE.fullmatch(path.stem):
        problems.append(Problem(shown, 1, "(nom du fichier)", "l'identifiant (nom du fichier) ne "
                                "prend que des minuscules sans accent, des chiffres et des tirets"))
    if node is None:
        if not problems:
            problems.append(Problem(shown, 1, "(fichier)", "fichier vide : nom, categories et "
                                    "resume sont obligatoires"))
        return None, problems
    ctx = Context(shown, known)
    pro = build(Pro, node, ctx)
    problems.extend(ctx.problems)
    if pro is MISSING or ctx.problems or unreadable:
        return None, problems
    pro = dataclasses.replace(pro, slug=path.stem, source=shown, lines=_lines(node))
    problems.extend(record_problems(pro))
    return pro, problems


def _lines(node: yamlsource.Node, prefix: str = "") -> dict[str, int]:
    """Dotted key path → line of its value, for later checks and messages."""
    lines: dict[str, int] = {}
    children = (node.value.items() if isinstance(node.value, dict)
                else enumerate(node.value) if isinstance(node.value, list) else ())
    for key, child in children:
        path = f"{prefix}.{key}" if prefix else str(key)
        lines[path] = child.line
        lines.update(_lines(child, path))
    return lines


def record_problems(pro: Pro) -> list[Problem]:
    """Rules between keys of one file."""
    problems = []

    def error(key: str, message: str) -> None:
        problems.append(Problem(pro.source, pro.lines.get(key, 1), key, message))

    if pro.contact:
        for i, key in enumerate(pro.contact.prive):
            if getattr(pro.contact, key) is None:
                error(f"contact.prive.{i}", f"« {key} » est déclaré privé mais n'est pas renseigné")
    problems += references.own_problems(pro)
    crise = pro.crise
    if crise and crise.depuis and crise.jusqu_au and crise.jusqu_au < crise.depuis:
        error("crise.jusqu_au", f"{crise.jusqu_au} est avant depuis ({crise.depuis})")
    return problems
