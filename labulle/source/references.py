"""What a list of references (to pros: Rule "pro_slug", `crise.vendu_chez`, `fournisseurs`; to
categories: Rule "category", `categories`, `achats`) must also be, beyond naming something that
exists (`labulle.source.rules`): never the pro itself, no item twice, and, in a list flagged
``active`` (`fournisseurs`), no pro who left.

Nothing here knows a key by name: the lists are found by the rule of their items, and the
refusal of a self-reference is the field's ``itself`` flag (`labulle.source.schema`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from labulle.source.fields import Spec, describe
from labulle.source.problems import Problem
from labulle.source.schema import Pro

#: The rules of the items of a list of references.
REFERENCE_RULES = ("pro_slug", "category")


def references(obj: Any, prefix: str = "") -> Iterator[tuple[str, Spec, list[str]]]:
    """(dotted key, spec, items) of every non-empty list of references of a schema object; the
    items of a list of blocks are numbered from 0, as in the checker's keys."""
    for spec in describe(type(obj)):
        value, key = getattr(obj, spec.name), f"{prefix}{spec.name}"
        if not value:
            continue
        if spec.block is not None:
            for i, item in enumerate(value) if spec.many else [(None, value)]:
                yield from references(item, f"{key}.{i}." if i is not None else f"{key}.")
        elif spec.many and spec.rule is not None and spec.rule.name in REFERENCE_RULES:
            yield key, spec, value


def pro_references(pro: Pro) -> list[str]:
    """The slugs of the other pros a pro names, once each, in the file's order."""
    slugs = (s for _key, spec, items in references(pro) if spec.rule.name == "pro_slug"
             for s in items)
    return list(dict.fromkeys(s for s in slugs if s != pro.slug))


def own_problems(pro: Pro) -> list[Problem]:
    """A list naming the pro itself, or an item twice; each at the line of the item."""
    problems = []
    for key, spec, items in references(pro):
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            where = f"{key}.{i}"
            line = pro.lines.get(where, 1)
            if spec.rule.name == "pro_slug" and item == pro.slug:
                message = spec.flag("itself") or "un pro ne peut pas se nommer lui-même"
            elif item in first:
                message = (f"« {item} » est en double (déjà ligne {first[item]}) : "
                           "gardez-le une seule fois")
            else:
                first[item] = line
                continue
            problems.append(Problem(pro.source, line, where, message))
    return problems


def departed_problems(pros: list[Pro], today: date | None) -> list[Problem]:
    """A pro who left the network on or before `today`, named in a list flagged ``active``
    (`fournisseurs`): refused at the item's line (not compared when `today` is None). In other
    lists (`crise.vendu_chez`) it is only hidden by the public view. What a pro who left names
    itself is never published, so it is not checked."""
    from labulle.model.directory import has_left

    if today is None:
        return []
    left = {p.slug: p.quitte_le for p in pros if has_left(p, today)}
    problems = []
    for pro in pros:
        if pro.slug in left:
            continue
        for key, spec, items in references(pro):
            for i, item in enumerate(items):
                if spec.flag("active") and item in left and item != pro.slug:
                    where = f"{key}.{i}"
                    problems.append(Problem(
                        pro.source, pro.lines.get(where, 1), where,
                        f"« {item} » a quitté le réseau le {left[item].isoformat()} "
                        f"(quitte_le de pros/{item}.yml) : retirez-le de la liste"))
    return problems
