"""Check the project's own settings (LABULLE_*) before anything uses them.

Every setting is declared once in labulle/source/settings.py (DEFAULTS, with KINDS for those
whose default does not say the type; ENVIRONMENT for those read from the environment only).
A setting of pelicanconf.py, publish.py or the environment that is not declared is reported
with the nearest known name; a value of the wrong type (a date that is not a date) is reported
in French at the line of its assignment (found with ast), instead of failing mid-build.
"""

from __future__ import annotations

import ast
import difflib
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from labulle.source.problems import Problem
from labulle.source.settings import COMPLETE, DEFAULTS, ENVIRONMENT, KINDS

PREFIX = "LABULLE_"
SETTINGS_FILES = ("pelicanconf.py", "publish.py")
ENVIRONMENT_PLACE = "(environnement)"
EXPECTED = {
    "bool": "true ou false (True / False en Python)",
    "int": "un nombre entier positif",
    "text": "du texte entre guillemets",
    "texts": "une liste de textes entre guillemets",
    "dict": "un dictionnaire { … }",
    "path": "un chemin de dossier",
    "date": "une date AAAA-MM-JJ entre guillemets",
}


def kind_of(name: str) -> str:
    """The declared type of a setting: from KINDS, else from its default's type."""
    if name in KINDS:
        return KINDS[name]
    default = DEFAULTS[name]
    for kind, python in (("bool", bool), ("int", int), ("text", str), ("texts", list),
                         ("dict", dict)):
        if isinstance(default, python):
            return kind
    raise TypeError(f"{name}: no type declared in labulle/source/settings.py KINDS")


def value_problem(kind: str, value: Any) -> str | None:
    """The French reason `value` is not of `kind`, or None."""
    optional = kind.startswith("optional ")
    kind = kind.removeprefix("optional ")
    if value is None and optional:
        return None
    if _fits(kind, value):
        return None
    return f"valeur {value!r} refusée ; attendu : {EXPECTED[kind]}"


def _fits(kind: str, value: Any) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind == "texts":
        return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    if kind == "path":
        return isinstance(value, str | Path) and str(value) != ""
    if kind == "date":
        if isinstance(value, date):
            return True
        try:
            return isinstance(value, str) and bool(date.fromisoformat(value))
        except ValueError:
            return False
    return isinstance(value, {"text": str, "dict": dict}[kind])


def assignment_lines(path: Path) -> dict[str, int]:
    """Line of each top-level `NAME = …` of a settings file (the last one wins, as in Python)."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):  # Pelican reports an unreadable settings file
        return {}
    lines: dict[str, int] = {}
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign | ast.AugAssign) else [])
        for target in targets:
            if isinstance(target, ast.Name):
                lines[target.id] = node.lineno
    return lines


def _place(name: str, root: Path | None) -> tuple[str, int]:
    """Where a setting is assigned: (file, line), the last settings file that assigns it."""
    place = ("(réglages)", 1)
    for file in SETTINGS_FILES if root is not None else ():
        line = assignment_lines(root / file).get(name)
        if line:
            place = (file, line)
    return place


def unknown(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f" ; vouliez-vous dire {close[0]} ?" if close else ""
    return f"réglage inconnu{hint}"


def check_settings(settings: Mapping[str, Any], root: Path | None,
                   environ: Mapping[str, str] | None = None) -> list[Problem]:
    """Every problem of the LABULLE_* settings (as read by Pelican) and of the environment."""
    known = sorted(DEFAULTS)
    problems = []
    written = {name for file in (SETTINGS_FILES if root is not None else ())
               for name in assignment_lines(root / file)}  # publish.py's too, unread here
    for name in sorted(k for k in set(settings) | written if k.startswith(PREFIX)):
        path, line = _place(name, root)
        if name not in DEFAULTS:
            problems.append(Problem(path, line, name, unknown(name, known)))
            continue
        if name not in settings:
            continue
        reason = value_problem(kind_of(name), settings[name])
        reason = reason or _identity_problem(name, settings[name])
        if reason:
            problems.append(Problem(path, line, name, reason))
    problems += _threshold_problems(settings, root, {p.key for p in problems})
    environ = os.environ if environ is None else environ
    from_environment = sorted(set(ENVIRONMENT) | {"LABULLE_DEPLOY"})
    for name in sorted(k for k in environ if k.startswith(PREFIX)):
        if name not in from_environment:
            problems.append(Problem(ENVIRONMENT_PLACE, 1, name,
                                    unknown(name, from_environment)))
    return problems


#: Settings that must be in increasing order: (smaller, larger, what it means).
ORDERED = (("LABULLE_FRESH_MONTHS", "LABULLE_OUTDATED_MONTHS",
            "une fiche est « à revérifier bientôt » avant d'avoir des « informations anciennes »"),)


def _threshold_problems(settings: Mapping[str, Any], root: Path | None,
                        wrong: set[str]) -> list[Problem]:
    """Two well-typed settings in the wrong order, reported at the line of the smaller one, or
    of the larger one when only that one is written in a settings file."""
    problems = []
    for smaller, larger, meaning in ORDERED:
        if wrong & {smaller, larger}:
            continue
        low = settings.get(smaller, DEFAULTS[smaller])
        high = settings.get(larger, DEFAULTS[larger])
        if low < high:
            continue
        path, line = _place(smaller, root)
        reason = f"{low} mois, il en faut moins que {larger} ({high} mois)"
        key = smaller
        if line == 1 and path == "(réglages)" and _place(larger, root)[0] != path:
            (path, line), key = _place(larger, root), larger
            reason = f"{high} mois, il en faut plus que {smaller} ({low} mois)"
        problems.append(Problem(path, line, key, f"{reason} : {meaning}"))
    return problems


def _identity_problem(name: str, value: Any) -> str | None:
    """A key of a dict setting (LABULLE_IDENTITY) that its default does not have."""
    default = DEFAULTS[name]
    if not isinstance(default, dict) or not default or not isinstance(value, dict):
        return None
    for key in value:
        if key not in default:
            close = difflib.get_close_matches(str(key), list(default), n=1, cutoff=0.6)
            hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
            return f"clé « {key} » inconnue{hint}"
    for key in default if name in COMPLETE else ():
        if not isinstance(value.get(key), str) or not value[key].strip():
            return f"clé « {key} » manquante ou vide ; attendu : {EXPECTED['text']}"
    return None
