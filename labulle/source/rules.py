"""The constraints named in the schema (`Rule("postcode")`, ...).

Each returns a French message, or None when the value is right.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from labulle.source.schema import CONTACT_KEYS, Rule
from labulle.source.settings import DEFAULTS

HOURS_EXAMPLE = "\"Tu-Sa 09:00-12:30,14:30-19:00; PH off\""


@dataclass(frozen=True)
class Area:
    """Where the network's places are (a position outside is a typo): LABULLE_IDENTITY's
    area_of (« de la Charente et des départements voisins »), area_lat and area_lon."""

    name: str
    lat: tuple[float, float]
    lon: tuple[float, float]

    @classmethod
    def of(cls, identity: dict[str, Any]) -> Area:
        return cls(identity["area_of"], tuple(identity["area_lat"]), tuple(identity["area_lon"]))

    def contains(self, lat: float, lon: float) -> bool:
        return self.lat[0] <= lat <= self.lat[1] and self.lon[0] <= lon <= self.lon[1]


@dataclass
class Known:
    """What exists elsewhere in the data: for references between files, and the area."""

    categories: set[str] = field(default_factory=set)
    slugs: set[str] = field(default_factory=set)
    area: Area = field(default_factory=lambda: Area.of(DEFAULTS["LABULLE_IDENTITY"]))
    today: date | None = None  # the build's reference date (None: dates are not compared)


#: What a list of references holds, for the refusal of a single value written instead of a list.
LIST_OF = {"pro_slug": "une liste d'identifiants de pros"}


def not_a_list(name: str, rule: Rule | None, example: str) -> str:
    """« fournisseurs doit être une liste d'identifiants de pros, par exemple [x] »."""
    if rule is not None and rule.name in LIST_OF:
        return f"{name} doit être {LIST_OF[rule.name]}, par exemple [{example}]"
    return f"une liste est attendue, par exemple [{example}]"


def check(rule: Rule, value: Any, known: Known) -> str | None:
    """The length first (a huge value is never parsed further), then the named rule."""
    if isinstance(value, str) and rule.max_len is not None and len(value) > rule.max_len:
        return too_many(len(value), rule.max_len, "caractères")
    return _RULES[rule.name](rule, value, known)


def too_many(count: int, limit: int, unit: str) -> str:
    """« 10 000 000 caractères, 120 au plus »."""
    return f"{count:_} {unit}, {limit:_} au plus".replace("_", " ")


def _line(rule: Rule, value: str, known: Known) -> str | None:
    if "\n" in value.strip():
        return "une seule ligne est attendue (pas de retour à la ligne)"
    if not value:
        return "valeur vide"
    return None


def _text(rule: Rule, value: str, known: Known) -> str | None:
    return None if value.strip() else "valeur vide"


def _postcode(rule: Rule, value: str, known: Known) -> str | None:
    if re.fullmatch(r"\d{5}", value):
        return None
    return f"« {value} » : un code postal est fait de 5 chiffres, entre guillemets : \"16000\""


def _position(rule: Rule, value: tuple[float, float], known: Known) -> str | None:
    lat, lon = value
    area = known.area
    if area.contains(lat, lon):
        return None
    near_lat, near_lon = (int(sum(bounds) / 2) for bounds in (area.lat, area.lon))
    if area.contains(lon, lat):
        return (f"[{lat}, {lon}] : latitude et longitude semblent inversées ; "
                f"écrivez [{lon}, {lat}] (la latitude, vers {near_lat}, d'abord)")
    return (f"[{lat}, {lon}] est hors {area.name} ; "
            f"vérifiez la position (latitude vers {near_lat}, longitude vers {near_lon})")


def hours_problem(value: str) -> str | None:
    """None when `value` is valid OSM opening_hours, else a French explanation."""
    import opening_hours

    try:
        opening_hours.OpeningHours(value)
    except (SyntaxError, opening_hours.ParserError):
        hint = ""
        if re.search(r"\d\s*h", value, re.IGNORECASE):
            hint = " ; les heures s'écrivent 09:00-12:00, pas 9h-12h"
        return (f"« {value} » : horaires illisibles{hint} ; syntaxe OpenStreetMap attendue, "
                f"par exemple {HOURS_EXAMPLE}")
    return None


def _hours(rule: Rule, value: str, known: Known) -> str | None:
    return hours_problem(value)


def _crisis_hours(rule: Rule, value: str, known: Known) -> str | None:
    return None if value == "same" else hours_problem(value)


def _email(rule: Rule, value: str, known: Known) -> str | None:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return f"« {value} » n'est pas une adresse électronique valide (nom@domaine.fr)"
    return None


def _url(rule: Rule, value: str, known: Known) -> str | None:
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc and " " not in value:
        return None
    return f"« {value} » : une adresse web complète est attendue, commençant par https://"


@functools.lru_cache(maxsize=8192)
def parse_phone(value: str) -> Any:
    """The phonenumbers object of a French (or +international) number, or None (cached: the
    checker and the templates parse the same numbers; callers only read the result)."""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _phone(rule: Rule, value: str, known: Known) -> str | None:
    if parse_phone(value) is not None:
        return None
    return (f"« {value} » n'est pas un numéro de téléphone valide ; "
            "écrivez-le comme \"05 45 00 00 00\", ou avec + pour l'étranger")


def did_you_mean(value: str, options: set[str]) -> str:
    """« ; vouliez-vous dire « x » ? » for the closest of `options`, or ""."""
    import difflib

    close = difflib.get_close_matches(value, sorted(options), n=1, cutoff=0.6)
    return f" ; vouliez-vous dire « {close[0]} » ?" if close else ""


def _pro_slug(rule: Rule, value: str, known: Known) -> str | None:
    if value in known.slugs:
        return None
    return (f"« {value} » : aucun pro n'a cet identifiant (nom du fichier dans pros/, sans .yml)"
            f"{did_you_mean(value, known.slugs)}")


def _category(rule: Rule, value: str, known: Known) -> str | None:
    if value in known.categories:
        return None
    return (f"catégorie « {value} » inconnue (voir pros/categories.yml)"
            f"{did_you_mean(value, known.categories)}")


def _contact_key(rule: Rule, value: str, known: Known) -> str | None:
    if value in CONTACT_KEYS:
        return None
    return f"« {value} » n'est pas une clé de contact : {', '.join(CONTACT_KEYS)}"


def _year(rule: Rule, value: int, known: Known) -> str | None:
    return None if 2000 <= value <= 2100 else f"{value} : une année comme 2020 est attendue"


def _not_future(rule: Rule, value: date, known: Known) -> str | None:
    if known.today is None or value <= known.today:
        return None
    return (f"date dans le futur ({value.isoformat()}, après le {known.today.isoformat()}, "
            "date de référence du site) : une vérification ne peut pas être à venir")


def _price(rule: Rule, value: Any, known: Known) -> str | None:
    return None if value < 10000 else f"{value} € : montant invraisemblable"


def _markdown(rule: Rule, value: str, known: Known) -> str | None:
    return None


_RULES: dict[str, Callable[[Rule, Any, Known], str | None]] = {
    "line": _line,
    "text": _text,
    "markdown": _markdown,
    "postcode": _postcode,
    "position": _position,
    "hours": _hours,
    "crisis_hours": _crisis_hours,
    "email": _email,
    "url": _url,
    "phone": _phone,
    "pro_slug": _pro_slug,
    "category": _category,
    "contact_key": _contact_key,
    "year": _year,
    "price": _price,
    "not_future": _not_future,
}
