"""A pro's listing as editable `clé : valeur` lines, for emails, and back.

The association sends each pro its listing in this form (in the "Proposer une modification"
link and in its letters); the pro edits the values in a reply and `invoke intake` reads them back.

- Nested keys are dotted: `crise.livraison : oui`; items of a list of blocks are numbered from 1:
  `crise.paniers.1.prix : 15`.
- Lists are comma-separated: `categories : alimentation, epicerie`.
- Text is on one line (line breaks of multi-line text become spaces).
- Booleans are `oui` / `non`; dates `AAAA-MM-JJ`; prices `12,50`.
- Only public values: the listing is made from the pro's public view (`labulle.model.public`:
  no private contact value, no `adhesion`), and the keys the association keeps (`INTERNAL`,
  flagged `internal` in the schema) never appear.

The reverse direction (`parse_value`) turns one typed-in value into the Python value to write
in the YAML file, guided by the same schema (`labulle.source.schema`).
"""

from __future__ import annotations

import re
import typing
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from labulle.model.public import public_view
from labulle.source.fields import INTERNAL, NEW_PRO_KEYS, Spec, describe, unwrap
from labulle.source.schema import Pro
from labulle.source.settings import DEFAULTS

INSTRUCTION_UPDATE = ("Modifiez les valeurs après « : » (une ligne par clé, videz une valeur pour "
                      "la retirer), puis envoyez ; nous vérifions avant de publier.")
INSTRUCTION_NEW = ("Remplissez les valeurs après « : » (nom, categories et resume sont "
                   "obligatoires), puis envoyez ; nous vous recontactons avant de publier.")

DELETE = None  # the parsed value of an emptied line: remove the key

#: The value written in place of a value left out of a short listing (mailto links).
UNCHANGED_RE = re.compile(r"\(?\s*inchang[ée]e?s?\s*\)?\.?", re.IGNORECASE)

#: The tag of the subjects (LABULLE_IDENTITY's mail_tag), when no settings say otherwise.
SUBJECT_PREFIX = DEFAULTS["LABULLE_IDENTITY"]["mail_tag"]


def update_subject(slug: str, tag: str | None = None) -> str:
    return f"{tag or SUBJECT_PREFIX} Mise à jour : {slug}"


def new_pro_subject(tag: str | None = None) -> str:
    return f"{tag or SUBJECT_PREFIX} Nouveau pro"


class ValueProblem(ValueError):
    """A typed-in value that cannot be of its key's type (French message)."""


# --- the schema, seen as dotted paths --------------------------------------------------------

def _spec(path: str) -> Spec | None:
    """The spec of a dotted listing key (items of a list of blocks numbered from 1), or None."""
    cls: Any = Pro
    parts = path.split(".")
    i = 0
    while i < len(parts):
        spec = next((s for s in describe(cls) if s.name == parts[i]), None) if cls else None
        if spec is None:
            return None
        if spec.block is not None and spec.many and i + 1 < len(parts):
            if not parts[i + 1].isdigit() or int(parts[i + 1]) < 1:
                return None
            cls, i = spec.block, i + 2
            continue
        if i == len(parts) - 1:
            return spec
        cls, i = spec.block, i + 1
    return None


def field_type(path: str) -> Any:
    """The (unwrapped) type of a dotted listing key, or None if there is no such key.

    Lists of blocks take a 1-based item number: `crise.paniers.2.nom`.
    """
    spec = _spec(path)
    if spec is None or spec.block is not None:
        return None
    return list[spec.base] if spec.many else spec.base


def yaml_path(path: str) -> list[str | int]:
    """Dotted listing key → path in the YAML tree (item numbers become 0-based indexes)."""
    out: list[str | int] = []
    for part in path.split("."):
        out.append(int(part) - 1 if part.isdigit() else part)
    return out


def schema_order(yaml_parent: list[str | int]) -> list[str]:
    """The keys of the block at `yaml_parent` in declaration order (for inserting new keys)."""
    cls: Any = Pro
    for part in yaml_parent:
        if isinstance(part, str):
            spec = next(s for s in describe(cls) if s.name == part)
            cls = spec.block
    return [spec.name for spec in describe(cls)] if cls else []


# --- pro → lines -------------------------------------------------------------------------------

def value_text(value: Any) -> str:
    """One value as typed in a listing line."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ", ".join(value_text(v) for v in value)
    return " ".join(str(value).split())


def listing_lines(pro: Pro) -> list[tuple[str, str]]:
    """The pro's public values as (dotted key, text) pairs, in the order of the schema."""
    return list(_walk(public_view(pro), "", INTERNAL))


def _walk(obj: Any, prefix: str, hidden: frozenset[str]):
    for spec in describe(type(obj)):
        key = f"{prefix}{spec.name}"
        value = getattr(obj, spec.name)
        if key in hidden or value is None or value == []:
            continue
        if spec.block is not None and spec.many:
            for number, item in enumerate(value, 1):
                yield from _walk(item, f"{key}.{number}.", hidden)
        elif spec.block is not None:
            yield from _walk(value, f"{key}.", hidden)
        else:
            yield key, value_text(value)


def new_pro_lines() -> list[tuple[str, str]]:
    return [(key, "") for key in NEW_PRO_KEYS]


def format_lines(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"{key} : {text}".rstrip() + "\n" for key, text in pairs)


def email_body(instruction: str, pairs: list[tuple[str, str]], complete: bool = True) -> str:
    """The body of a mailto link: the one-line instruction, a blank line, the listing."""
    note = "" if complete else f"\n{PARTIAL_NOTE}\n"
    return f"{instruction}\n\n{format_lines(pairs)}{note}"


PARTIAL_NOTE = "(Les autres valeurs de la fiche restent inchangées.)"
#: Lines left out first when a listing must be short (mailto links), least edited first.
_DROP_FIRST = ("crise.paniers.", "marches.", "bulle.pourquoi", "bulle.avantage",
               "bulle.comptoir_horaires", "adresse.position", "contact.instagram",
               "contact.facebook", "horaires_precisions", "crise.depuis", "crise.jusqu_au")
_LONG = 80


def shorten(pairs: list[tuple[str, str]]) -> bool:
    """Make a listing shorter by one step, in place; False when nothing is left to cut.

    First the long texts become "(inchangée)" (the description first), then the lines least
    often edited are left out, then any remaining value becomes "(inchangée)".
    """
    marker = "(inchangée)"
    long = [i for i, (_, text) in enumerate(pairs) if len(text) > _LONG]
    if long:
        i = max(long, key=lambda i: len(pairs[i][1]))
        pairs[i] = (pairs[i][0], marker)
        return True
    for prefix in _DROP_FIRST:
        found = [i for i, (key, _) in enumerate(pairs) if key.startswith(prefix)]
        if found:
            del pairs[found[-1]]
            return True
    rest = [i for i, (_, text) in enumerate(pairs) if len(text) > len(marker)]
    if rest:
        i = max(rest, key=lambda i: len(pairs[i][1]))
        pairs[i] = (pairs[i][0], marker)
        return True
    if len(pairs) > 1:
        pairs.pop()
        return True
    return False


def current_value(pro: Pro, path: str) -> Any:
    """The pro's value at a dotted listing key (None when absent)."""
    obj: Any = pro
    for part in path.split("."):
        if obj is None:
            return None
        if part.isdigit():
            index = int(part) - 1
            obj = obj[index] if 0 <= index < len(obj) else None
        else:
            obj = getattr(obj, part, None)
    return obj


# --- text → value -----------------------------------------------------------------------------

_TRUE = {"oui", "true", "vrai", "yes", "o", "x"}
_FALSE = {"non", "false", "faux", "no", "n"}
_FR_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def parse_value(path: str, text: str) -> Any:
    """The Python value for the YAML file from a typed-in text; DELETE for an empty text.

    Raises ValueProblem for a value that cannot have the key's type; the other rules (hours
    syntax, phone numbers, ...) are the checker's, applied to the resulting file.
    """
    hint = field_type(path)
    text = " ".join(text.split())
    if not text:
        return DELETE
    if hint is bool:
        word = text.lower().rstrip(".")
        if word in _TRUE | _FALSE:
            return word in _TRUE
        raise ValueProblem(f"« {text} » : oui ou non attendu")
    if hint is int:
        if re.fullmatch(r"\d+", text):
            return int(text)
        raise ValueProblem(f"« {text} » : un nombre entier est attendu")
    if hint is Decimal:
        try:
            return Decimal(text.replace("€", "").replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ValueProblem(f"« {text} » : un montant est attendu, par exemple 12,50") from None
    if hint is date:
        return _parse_date(text)
    if typing.get_origin(hint) is tuple:
        return _parse_position(text)
    if typing.get_origin(hint) is list:
        items = [item.strip() for item in text.strip("[]").split(",")]
        literal = unwrap(typing.get_args(hint)[0])[0]
        lower = typing.get_origin(literal) is Literal
        return [item.lower() if lower else item for item in items if item]
    if typing.get_origin(hint) is Literal:
        return ascii_key(text) if ascii_key(text) in typing.get_args(hint) else text
    return text


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _FR_DATE.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise ValueProblem(f"« {text} » : une date AAAA-MM-JJ est attendue, par exemple 2020-03-21")


def _parse_position(text: str) -> list[float]:
    if ";" in text:
        numbers = [p.strip().replace(",", ".") for p in text.strip("[]").split(";")]
    else:
        numbers = re.findall(r"-?\d+(?:\.\d+)?", text)
    try:
        values = [float(n) for n in numbers]
    except ValueError:
        values = []
    if len(values) != 2:
        raise ValueProblem(f"« {text} » : deux nombres sont attendus, latitude puis longitude")
    return values


def ascii_key(text: str) -> str:
    """"Résumé" → "resume": keys typed with accents or capitals still match."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def same_value(current: Any, new: Any) -> bool:
    """Whether a parsed value says the same as the pro's current value (text: spacing aside)."""
    if current is None or new is None:
        return current is None and new is None
    if isinstance(current, str) and isinstance(new, str):
        return current.split() == new.split()
    if isinstance(current, tuple | list) and isinstance(new, tuple | list):
        return len(current) == len(new) and all(
            same_value(a, b) for a, b in zip(current, new, strict=True))
    if isinstance(current, float | Decimal) or isinstance(new, float | Decimal):
        try:
            return Decimal(str(current)) == Decimal(str(new))
        except InvalidOperation:
            return False
    return current == new
