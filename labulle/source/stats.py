"""The public figures of the digital Bulle, read from `content/data/stats.json`.

The treasurer writes that file with `bulle-ledger stats --json` (labulle/ledger/reports.py:stats)
and commits it. Only aggregates may reach the public site, so the file is checked against a
declared allow-list (`SCHEMA`, the keys of the ledger's output and the kind of each value):
any other key, a value of the wrong kind, or a string that looks like an email address, a
person's name field or an IBAN stops the build with `content/data/stats.json:<line>: <key>:
<message>`. A file whose reserve does not cover the Bulles in circulation is refused too, and
so is a commune cell under five pros or naming no commune of the pro files (issue 16). The
payments, rates and communes are optional: a file from an older ledger still builds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from labulle.ledger.territory import MINIMUM_PROS, OTHERS
from labulle.source import yamlsource
from labulle.source.problems import Problem
from labulle.source.readers import display_path
from labulle.source.settings import DEFAULTS

# --- kinds of values -------------------------------------------------------------------------

CENTS = "cents"          # amount in euro cents (integer ≥ 0)
COUNT = "count"          # number of things (integer ≥ 0)
DATE = "date"            # ISO date (2020-05-29) or null
DATETIME = "datetime"    # ISO date and time
MONTH = "month"          # 2020-05
HASH = "hash"            # hexadecimal SHA-256 or null
UNIT = "unit"            # the literal "cents"
RATE = "rate"            # basis points (10 000 = 100 %), integer ≥ 0, or null
COMMUNE = "commune"      # a commune's name, or « autres communes »

KIND_TEXT = {
    CENTS: "un montant en centimes (nombre entier positif)",
    COUNT: "un nombre entier positif",
    DATE: "une date AAAA-MM-JJ (ou null)",
    DATETIME: "une date et heure ISO 8601",
    MONTH: "un mois AAAA-MM",
    HASH: "une empreinte SHA-256 en hexadécimal (ou null)",
    UNIT: "« cents »",
    RATE: "un taux en points de base (10 000 = 100 %, nombre entier positif ou null)",
    COMMUNE: "un nom de commune (lettres, espaces, tirets, apostrophes ; 100 caractères au plus)",
}

# What the ledger added for issue 16 (payments, reuse rate, communes): a file written by an
# older ledger lacks them, and /reserve/ then says these figures are not available yet.
FLOW_SCHEMA: dict[str, str] = {
    "resident_to_pro": COUNT,
    "resident_to_pro_cents": CENTS,
    "pro_to_pro": COUNT,
    "pro_to_pro_cents": CENTS,
    "reuse_rate_bp": RATE,
    "reconversion_rate_bp": RATE,
}
COMMUNE_SCHEMA: dict[str, str] = {
    "commune": COMMUNE, "pros": COUNT, "payments": COUNT, "payments_cents": CENTS}

MONTH_SCHEMA: dict[str, str] = {
    "month": MONTH,
    "conversions": COUNT,
    "conversions_cents": CENTS,
    "reconversions": COUNT,
    "reconversions_cents": CENTS,
    "circulation_end_cents": CENTS,
    "reserve_end_cents": CENTS,
    **FLOW_SCHEMA,
}

# The allow-list: exactly the keys of `bulle-ledger stats --json`.
SCHEMA: dict[str, Any] = {
    "generated_at": DATETIME,
    "unit": UNIT,
    "circulation_cents": CENTS,
    "reserve_cents": CENTS,
    "fees_retained_cents": CENTS,
    "payouts_due_cents": CENTS,
    "reserve_available_cents": CENTS,
    "period_start": DATE,
    "period_end": DATE,
    "conversions": COUNT,
    "conversions_cents": CENTS,
    "reconversions": COUNT,
    "reconversions_cents": CENTS,
    **FLOW_SCHEMA,
    "communes": [COMMUNE_SCHEMA],
    "accounts": {"member": COUNT, "pro": COUNT},
    "last_reconciled_statement": DATE,
    "entries": COUNT,
    "chain_head": HASH,
    "monthly": [MONTH_SCHEMA],
}
REQUIRED = ("circulation_cents", "reserve_cents", "reserve_available_cents", "monthly")

# Keys that would carry personal data: named in the error so the treasurer sees why.
PERSONAL_KEY = re.compile(
    r"(^|_)(name|names|nom|noms|prenom|first_?name|last_?name|email|e_?mail|courriel|mail|iban|"
    r"bic|phone|telephone|tel|adresse|address|label|libelle|account_id|compte|member_id|pro_slug)($|_)",
    re.IGNORECASE)
EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,4})?\b")
HEX64 = re.compile(r"[0-9a-f]{64}")
MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
COMMUNE_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’-]){0,99}")


# --- locating keys: the project's located reader gives the line of every key path -----------

def key_lines(text: str) -> dict[str, int]:
    """Line (1-based) of every dotted key path of a valid JSON document ("monthly.0.month").

    JSON is read by the located YAML reader (JSON is a subset of YAML's flow style); a document
    it does not take (a tab where YAML wants none) keeps its problems at line 1."""
    try:
        node, _issues = yamlsource.parse(text)
    except yamlsource.YamlSyntaxError:
        return {}
    lines: dict[str, int] = {}

    def walk(child: yamlsource.Node, path: str) -> None:
        lines.setdefault(path, child.line)
        items = (child.value.items() if isinstance(child.value, dict)
                 else enumerate(child.value) if isinstance(child.value, list) else ())
        for key, grandchild in items:
            key_path = f"{path}.{key}".lstrip(".")
            lines[key_path] = child.key_lines.get(key, grandchild.line)
            walk(grandchild, key_path)

    if node is not None:
        walk(node, "")
    return lines


# --- the checks ------------------------------------------------------------------------------

def _kind_ok(kind: str, value: Any) -> bool:
    if kind in (CENTS, COUNT, RATE):
        return ((kind == RATE and value is None)
                or isinstance(value, int) and not isinstance(value, bool) and value >= 0)
    if kind in (DATE, HASH) and value is None:
        return True
    if not isinstance(value, str):
        return False
    if kind == UNIT:
        return value == "cents"
    if kind == MONTH:
        return MONTH_RE.fullmatch(value) is not None
    if kind == COMMUNE:
        return COMMUNE_RE.fullmatch(value) is not None
    if kind == HASH:
        return HEX64.fullmatch(value) is not None
    try:
        (date if kind == DATE else datetime).fromisoformat(value)
    except ValueError:
        return False
    return kind == DATETIME or len(value) == 10


def _leak(value: Any) -> str | None:
    """The French reason a string value must not be published, if it looks personal."""
    if not isinstance(value, str):
        return None
    if EMAIL.search(value):
        return "une adresse électronique ne doit jamais être publiée : seuls des totaux sont permis"
    if IBAN.search(value.upper()):
        return "un IBAN ne doit jamais être publié : seuls des totaux sont permis"
    return None


def _walk(schema: Any, value: Any, path: str, found: list[tuple[str, str]]) -> None:
    """Append (key path, message) for every departure from the allow-list."""
    leak = _leak(value)
    if leak:
        found.append((path, leak))
        return
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            found.append((path, "un objet { … } est attendu ici"))
            return
        for key, item in value.items():
            child = f"{path}.{key}".lstrip(".")
            if key not in schema:
                found.append((child, _unknown_key(key, schema)))
            else:
                _walk(schema[key], item, child, found)
    elif isinstance(schema, list):
        if not isinstance(value, list):
            found.append((path, "une liste [ … ] est attendue ici"))
            return
        for index, item in enumerate(value):
            _walk(schema[0], item, f"{path}.{index}", found)
    elif not _kind_ok(schema, value):
        found.append((path, f"valeur refusée : {KIND_TEXT[schema]} est attendu"))


def _unknown_key(key: str, schema: dict[str, Any]) -> str:
    if PERSONAL_KEY.search(key):
        return ("donnée personnelle interdite : le fichier des chiffres publics ne contient que "
                "des totaux (régénérez-le avec « bulle-ledger stats --json »)")
    return f"clé non autorisée (clés permises : {', '.join(schema)})"


def _coverage_problems(data: dict[str, Any], plural: str) -> list[tuple[str, str]]:
    numbers = {k: data.get(k) for k in ("reserve_cents", "fees_retained_cents",
                                        "payouts_due_cents", "reserve_available_cents",
                                        "circulation_cents")}
    if not all(isinstance(v, int) for v in numbers.values()):
        return []
    found = []
    expected = (numbers["reserve_cents"] - numbers["fees_retained_cents"]
                - numbers["payouts_due_cents"])
    if numbers["reserve_available_cents"] != expected:
        found.append(("reserve_available_cents",
                      "doit valoir reserve_cents − fees_retained_cents − payouts_due_cents "
                      f"({expected})"))
    elif expected < numbers["circulation_cents"]:
        found.append(("reserve_available_cents",
                      f"la réserve ne couvre pas toutes les {plural} en circulation (couverture "
                      "inférieure à 100 %) : vérifiez le grand livre avec « bulle-ledger verify »"))
    return found


def _small_cells(cells: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """A commune cell under five pros would let anyone read a pro's turnover."""
    return [(f"communes.{index}.pros",
             f"moins de {MINIMUM_PROS} pros dans la case « {cell['commune']} » ({cell['pros']}) : "
             "aucun chiffre ne doit permettre de lire celui d'un pro ; régénérez le fichier "
             "avec « bulle-ledger stats --json », qui regroupe les petites communes dans "
             f"« {OTHERS} »")
            for index, cell in enumerate(cells) if cell["pros"] < MINIMUM_PROS]


def _incomplete_cells(cells: Any) -> list[tuple[str, str]]:
    """Each commune cell carries its four keys."""
    if not isinstance(cells, list):
        return []
    return [(f"communes.{index}", "clé obligatoire absente : "
             + ", ".join(key for key in COMMUNE_SCHEMA if key not in cell))
            for index, cell in enumerate(cells)
            if isinstance(cell, dict) and not set(COMMUNE_SCHEMA) <= set(cell)]


def _unknown_communes(cells: list[dict[str, Any]], known: frozenset[str] | None,
                      ) -> list[tuple[str, str]]:
    """A cell names a commune of the pro files (or « autres communes »): never a person or an
    account, whatever the string looks like."""
    if known is None:
        return []
    return [(f"communes.{index}.commune",
             f"« {cell['commune']} » n'est la commune d'aucune fiche pro : une case ne nomme "
             f"qu'une commune où sont des pros (écrite comme sur leur fiche) ou « {OTHERS} » ; "
             "corrigez-la avec « bulle-ledger account commune » puis régénérez le fichier")
            for index, cell in enumerate(cells)
            if cell["commune"] != OTHERS and cell["commune"] not in known]


def pro_communes(pros: list[Any]) -> frozenset[str]:
    """The communes of the pro files' addresses: those a commune cell may name."""
    return frozenset(p.adresse.commune for p in pros if p.adresse and p.adresse.commune)


def check_text(text: str, plural: str = "", communes: frozenset[str] | None = None,
               ) -> tuple[dict[str, Any] | None, list[tuple[int, str, str]]]:
    """The data (None when refused) and every (line, key, message) found; `plural` names the
    currency's units (LABULLE_IDENTITY's; La Bulle's when not given); `communes`, when given,
    those a commune cell may name (`pro_communes`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [(error.lineno, "json",
                       f"JSON invalide : {error.msg} (colonne {error.colno})")]
    found: list[tuple[str, str]] = []
    _walk(SCHEMA, data, "", found)
    if isinstance(data, dict):
        found += [(key, "clé obligatoire absente") for key in REQUIRED if key not in data]
        found += _incomplete_cells(data.get("communes"))
        if not found:
            found += _coverage_problems(
                data, plural or DEFAULTS["LABULLE_IDENTITY"]["plural"])
            found += _small_cells(data.get("communes", []))
            found += _unknown_communes(data.get("communes", []), communes)
    lines = key_lines(text)
    problems = [(lines.get(key, 1), key or "racine", message) for key, message in found]
    return (None if problems else data), problems


def read(path: Path, root: Path | None = None, plural: str = "",
         communes: frozenset[str] | None = None) -> tuple[Stats | None, list[Problem]]:
    """The published figures, or None (no file, or a refused one, with its problems)."""
    if not path.exists():
        return None, []
    shown = display_path(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(shown, 1, "fichier", f"illisible : {error}")]
    data, found = check_text(text, plural, communes)
    problems = [Problem(shown, line, key, message) for line, key, message in found]
    return (Stats.from_json(data) if data is not None else None), problems


def check(path: Path, root: Path | None = None) -> list[Problem]:
    """Problems of the stats file (none when it is absent): used by `invoke check`."""
    return read(path, root)[1]


# --- what the transparency page shows -------------------------------------------------------

def euros(cents: int) -> Decimal:
    return Decimal(cents) / 100


@dataclass(frozen=True)
class Month:
    """One month of the pilot, as the chart and its table show it."""

    month: date
    conversions: int
    conversions_cents: int
    reconversions: int
    reconversions_cents: int
    circulation_end_cents: int
    reserve_end_cents: int
    resident_to_pro: int | None = None   # None: a file from a ledger before issue 16
    resident_to_pro_cents: int | None = None
    pro_to_pro: int | None = None
    pro_to_pro_cents: int | None = None
    reuse_rate_bp: int | None = None     # None also when pros received nothing that month
    reconversion_rate_bp: int | None = None

    @property
    def received_cents(self) -> int:
        return (self.resident_to_pro_cents or 0) + (self.pro_to_pro_cents or 0)


@dataclass(frozen=True)
class Commune:
    """One published cell of the payments per commune (five pros or more)."""

    commune: str
    pros: int
    payments: int
    payments_cents: int


@dataclass(frozen=True)
class Stats:
    """The aggregates published on /reserve/ (cents are integers, as in the ledger)."""

    generated_at: datetime | None
    circulation_cents: int
    reserve_cents: int
    fees_retained_cents: int
    payouts_due_cents: int
    reserve_available_cents: int
    period_start: date | None
    period_end: date | None
    accounts_member: int
    accounts_pro: int
    last_reconciled_statement: date | None
    entries: int
    chain_head: str | None
    monthly: tuple[Month, ...]
    flows: Month | None = None                 # the whole period's payments and rates
    communes: tuple[Commune, ...] | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Stats:
        def day(key: str) -> date | None:
            return date.fromisoformat(data[key]) if data.get(key) else None

        months = tuple(_month(m, m["month"]) for m in data["monthly"])
        flows = all("resident_to_pro_cents" in m for m in (data, *data["monthly"]))
        accounts = data.get("accounts", {})
        return cls(
            generated_at=(datetime.fromisoformat(data["generated_at"])
                          if data.get("generated_at") else None),
            circulation_cents=data["circulation_cents"], reserve_cents=data["reserve_cents"],
            fees_retained_cents=data.get("fees_retained_cents", 0),
            payouts_due_cents=data.get("payouts_due_cents", 0),
            reserve_available_cents=data["reserve_available_cents"],
            period_start=day("period_start"), period_end=day("period_end"),
            accounts_member=accounts.get("member", 0), accounts_pro=accounts.get("pro", 0),
            last_reconciled_statement=day("last_reconciled_statement"),
            entries=data.get("entries", 0), chain_head=data.get("chain_head"), monthly=months,
            flows=_month(data, "") if flows else None,
            communes=(tuple(Commune(**cell) for cell in data["communes"])
                      if "communes" in data else None))

    @property
    def coverage_text(self) -> str:
        """"100 %" when every Bulle in circulation has its euro (French number format)."""
        if self.circulation_cents == 0:
            return "100 %"
        ratio = Decimal(self.reserve_available_cents) * 100 / self.circulation_cents
        text = f"{ratio.quantize(Decimal('0.1')):f}".removesuffix(".0").replace(".", ",")
        return f"{text} %"

    @property
    def last_month(self) -> Month | None:
        return self.monthly[-1] if self.monthly else None


def _month(data: dict[str, Any], month: str) -> Month:
    """A month of the series (or, with ``month`` empty, the whole period's flows)."""
    old = {k: data.get(k, 0) for k in MONTH_SCHEMA if k != "month" and k not in FLOW_SCHEMA}
    return Month(month=date.fromisoformat(month + "-01") if month else date.min, **old,
                 **{k: data.get(k) for k in FLOW_SCHEMA})
