"""A typed-in list of pros or categories, as a pro writes it, back to identifiers.

The lines of a list of references (`fournisseurs`, `crise.vendu_chez`: pros; `categories`,
`achats`: categories; found by the rule of their items, `labulle.source.references`) may name
a pro by its name or its slug and a category by its label or its key, with or without accents
or capitals: « Maison Soulat, brasserie-de-la-vienne-confolentaise » and « Boulangerie,
pâtisserie ; Café, bar » are read as slugs and keys. A label may itself hold a comma or « et »
(« Miel et produits de la ruche »): the longest run of pieces that names something wins. A
piece that names nothing refuses the message, with the closest name.
"""

from __future__ import annotations

import difflib
import re

from labulle.mail.listing import ValueProblem
from labulle.model.directory import slugify
from labulle.source.fields import walk
from labulle.source.references import REFERENCE_RULES

#: Listing key (numbered items as N) → rule of its items, for every list of references.
REFERENCE_KEYS = {key: spec.rule.name for key, spec in walk()
                  if spec.many and spec.rule is not None and spec.rule.name in REFERENCE_RULES}
#: The refusal of a piece that names nothing, by rule.
NOTHING = {"pro_slug": "aucun pro n'a ce nom ni cet identifiant (pros/)",
           "category": "aucune catégorie n'a ce libellé ni cette clé (pros/categories.yml)"}
_SEPARATORS = re.compile(r"(\s*[,;]\s*|\s+et\s+)")
_NUMBERED = re.compile(r"\.\d+\.")
_ARTICLE = re.compile(r"^(chez-)?(le|la|les|l|au|aux|du|des|de-la|de-l|d)-")


def rule_of(key: str) -> str | None:
    """The rule of the items of the listing key `key` when it is a list of references."""
    return REFERENCE_KEYS.get(_NUMBERED.sub(".N.", key))


def as_identifiers(text: str, names: dict[str, str], rule: str) -> str:
    """`text` with each pro or category it names written as its identifier, comma-separated.

    `names` maps each identifier to its shown name (slug → name, key → label) for the items'
    `rule`. Raises ValueProblem for a piece that names nothing."""
    lookup: dict[str, str] = {}
    for written in (*((ident, ident) for ident in names), *names.items()):
        for form in _forms(written[1]):
            lookup.setdefault(form, written[0])
    tokens = _SEPARATORS.split(text.strip().strip("[]").strip())
    found, start = [], 0
    while start < len(tokens):
        match = next(((e, ident) for e in range(len(tokens) - 1, start - 1, -2)
                      for form in _forms("".join(tokens[start:e + 1]))
                      if (ident := lookup.get(form))), None)
        if match is None:
            piece = tokens[start].strip(" .")
            if piece:
                raise ValueProblem(f"« {piece} » : {NOTHING[rule]}{_closest(piece, names)}")
            match = (start, None)
        end, ident = match
        if ident:
            found.append(ident)
        start = end + 2
    return ", ".join(dict.fromkeys(found))


def _forms(text: str) -> tuple[str, ...]:
    """How `text` may be compared: its slug, then without a leading article (« la Chèvrerie
    des Brandes », « Potager de Fléac », « chez Maison Soulat »)."""
    slug = slugify(text)
    bare = _ARTICLE.sub("", slug)
    return (slug, bare) if bare and bare != slug else (slug,)


def _closest(piece: str, names: dict[str, str]) -> str:
    """« ; vouliez-vous dire « Maison Soulat » (maison-soulat) ? », or ""."""
    shown = {slugify(name): ident for ident, name in names.items()}
    shown.update({slugify(ident): ident for ident in names})
    close = difflib.get_close_matches(slugify(piece), sorted(shown), n=1, cutoff=0.7)
    if not close:
        return ""
    ident = shown[close[0]]
    return f" ; vouliez-vous dire « {names[ident]} » ({ident}) ?"
