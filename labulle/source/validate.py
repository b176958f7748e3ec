"""Build schema objects from located YAML nodes, collecting every problem on the way.

The walk is driven by the dataclasses of `labulle.source.schema` and their annotations, seen
through `labulle.source.fields.describe` (the one walker of the types); nothing here
knows a key of the pro file by name. YAML 1.1 traps are recognised from how a scalar was typed
(`9:30`, `no`, `01234`, an unquoted postcode) and reported instead of being converted.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from labulle.source import rules
from labulle.source.fields import describe
from labulle.source.problems import Problem
from labulle.source.schema import Rule
from labulle.source.yamlsource import BOOL_TAG, FLOAT_TAG, INT_TAG, NULL_TAG, STR_TAG, Node

_MISSING = object()


@dataclass
class Context:
    """Where we are and what we found; `known` gives the rules their cross-references."""

    path: str
    known: rules.Known = field(default_factory=rules.Known)
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, key or "(fichier)", message))


def build(cls: type, node: Node, ctx: Context, key: str = "") -> Any:
    """An instance of dataclass `cls` from a mapping node, or _MISSING after reporting why."""
    if not isinstance(node.value, dict):
        ctx.error(node.line, key, "un bloc « clé: valeur » est attendu ici")
        return _MISSING
    for dup, line in node.duplicates:
        ctx.error(line, _join(key, dup), "clé en double : gardez-en une seule")
    fields = {spec.name: spec for spec in describe(cls)}
    _report_unknown(node, fields, ctx, key)
    values = {}
    for name, spec in fields.items():
        child = node.value.get(name)
        if child is None:
            if spec.meta.get("required"):
                ctx.error(node.line, _join(key, name), "clé obligatoire manquante")
            continue
        limit = spec.meta.get("max_items")
        if limit is not None and child.kind == "sequence" and len(child.value) > limit:
            ctx.error(child.line, _join(key, name), rules.too_many(len(child.value), limit,
                                                                   "éléments"))
            continue
        value = convert(spec.hint, child, ctx, _join(key, name))
        if value is not _MISSING:
            values[name] = value
    try:
        return cls(**values)
    except TypeError:  # a required field was missing: already reported
        return _MISSING


def _report_unknown(node: Node, fields: dict[str, Any], ctx: Context, key: str) -> None:
    for name in node.value:
        if name in fields:
            continue
        close = difflib.get_close_matches(name.lower(), list(fields), n=1, cutoff=0.6)
        hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else (
            f" ; clés possibles : {', '.join(fields)}"
        )
        ctx.error(node.key_lines[name], _join(key, name), f"clé inconnue{hint}")


def _join(prefix: str, name: str | int) -> str:
    return f"{prefix}.{name}" if prefix else str(name)


def convert(hint: Any, node: Node, ctx: Context, key: str) -> Any:
    """Convert one node to the annotated type, or report and return _MISSING."""
    if node.bad:  # the YAML reader could not read it and has said why, at its line
        return _MISSING
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if node.tag == NULL_TAG:
            return None
        return convert(args[0], node, ctx, key)
    if origin is Annotated:
        base, *extras = typing.get_args(hint)
        rule = next((e for e in extras if isinstance(e, Rule)), None)
        if rule is not None and rule.name == "postcode" and node.tag != STR_TAG and node.plain:
            ctx.error(node.line, key, f"le code postal est lu comme un nombre : écrivez-le entre "
                      f"guillemets, \"{node.raw}\"")
            return _MISSING
        value = convert(base, node, ctx, key)
        if value is not _MISSING and rule is not None:
            message = rules.check(rule, value, ctx.known)
            if message:
                ctx.error(node.line, key, message)
                return _MISSING
        return value
    if origin is list:
        return _convert_list(typing.get_args(hint)[0], node, ctx, key)
    if origin is tuple:
        return _convert_pair(node, ctx, key)
    if origin is Literal:
        return _convert_choice(typing.get_args(hint), node, ctx, key)
    if dataclasses.is_dataclass(hint):
        return build(hint, node, ctx, key)
    converter = _SCALARS[hint]
    if node.kind != "scalar":
        ctx.error(node.line, key, "une valeur simple est attendue, pas un bloc ni une liste")
        return _MISSING
    return converter(node, ctx, key)


def _convert_list(item_hint: Any, node: Node, ctx: Context, key: str) -> Any:
    if node.kind != "sequence":
        example = node.raw if node.kind == "scalar" else "…"
        item_rule = next((e for e in getattr(item_hint, "__metadata__", ()) if isinstance(e, Rule)),
                         None)
        ctx.error(node.line, key, rules.not_a_list(key.rpartition(".")[2], item_rule, example))
        return _MISSING
    items = [convert(item_hint, child, ctx, _join(key, i)) for i, child in enumerate(node.value)]
    return [item for item in items if item is not _MISSING]


def _convert_pair(node: Node, ctx: Context, key: str) -> Any:
    items = node.value if node.kind == "sequence" else []
    numbers = [c.value for c in items if c.tag in (INT_TAG, FLOAT_TAG)]
    if len(items) != 2 or len(numbers) != 2:
        ctx.error(node.line, key, "deux nombres sont attendus : [latitude, longitude]")
        return _MISSING
    return (float(numbers[0]), float(numbers[1]))


def _convert_choice(options: tuple[str, ...], node: Node, ctx: Context, key: str) -> Any:
    if node.tag == BOOL_TAG and node.plain:
        guess = "oui" if node.value else "non"
        ctx.error(node.line, key,
                  f"« {node.raw} » est lu comme un booléen par YAML : écrivez {guess}")
        return _MISSING
    if node.kind == "scalar" and node.value in options:
        return node.value
    shown = node.raw if node.kind == "scalar" else "…"
    close = difflib.get_close_matches(str(shown), options, n=1, cutoff=0.6)
    hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
    ctx.error(node.line, key, f"valeur « {shown} » inconnue : {', '.join(options)}{hint}")
    return _MISSING


def _as_str(node: Node, ctx: Context, key: str) -> Any:
    if node.tag == STR_TAG or not node.plain:
        return str(node.value).strip()
    trap = _yaml11_trap(node)
    if trap:
        ctx.error(node.line, key, trap)
        return _MISSING
    return node.raw.strip() if node.raw is not None else str(node.value)


def _yaml11_trap(node: Node) -> str | None:
    raw = node.raw or ""
    quoted = f"écrivez-le entre guillemets : \"{raw}\""
    if node.tag == INT_TAG and ":" in raw:
        return f"« {raw} » est lu comme le nombre {node.value} (base 60) par YAML ; {quoted}"
    if node.tag == INT_TAG and raw.startswith("0") and len(raw) > 1:
        return f"« {raw} » est lu comme un nombre (octal, {node.value}) par YAML ; {quoted}"
    if node.tag == BOOL_TAG:
        if raw.lower() == "off":
            return None
        return f"« {raw} » est lu comme un booléen par YAML ; {quoted}"
    return None


def _as_bool(node: Node, ctx: Context, key: str) -> Any:
    if node.tag == BOOL_TAG:
        return bool(node.value)
    if str(node.value).strip().lower() in ("oui", "non"):
        return str(node.value).strip().lower() == "oui"
    ctx.error(node.line, key, f"« {node.raw} » : true ou false attendu")
    return _MISSING


def _as_int(node: Node, ctx: Context, key: str) -> Any:
    if node.tag == INT_TAG and not _yaml11_trap(node):
        return int(node.value)
    ctx.error(node.line, key, f"« {node.raw} » : un nombre entier est attendu, par exemple 2020")
    return _MISSING


def _as_decimal(node: Node, ctx: Context, key: str) -> Any:
    text = (node.raw or "").strip().replace(",", ".").replace("€", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        ctx.error(node.line, key,
                  f"« {node.raw} » : un montant en euros est attendu, par exemple 12,50")
        return _MISSING
    return value


def _as_date(node: Node, ctx: Context, key: str) -> Any:
    if isinstance(node.value, datetime):
        return node.value.date()
    if isinstance(node.value, date):
        return node.value
    ctx.error(node.line, key,
              f"« {node.raw} » : une date AAAA-MM-JJ est attendue, par exemple 2020-03-21")
    return _MISSING


def _as_float(node: Node, ctx: Context, key: str) -> Any:
    if node.tag in (INT_TAG, FLOAT_TAG):
        return float(node.value)
    ctx.error(node.line, key, f"« {node.raw} » : un nombre est attendu")
    return _MISSING


_SCALARS = {
    str: _as_str,
    bool: _as_bool,
    int: _as_int,
    float: _as_float,
    Decimal: _as_decimal,
    date: _as_date,
}

MISSING = _MISSING
