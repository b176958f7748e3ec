"""Sign-ups for the digital Bulle's pilot → pending participants in the ledger's database.

Two sources, the same fields (labulle/model/consent.py):

- emails with the subject « [La Bulle] Inscription au test », composed by the site's form
  (`clé : valeur` lines) or sent by its no-JavaScript form (`clé=valeur` lines, text/plain);
- the CSV export of a form service (`invoke intake-signups FILE.csv`, or
  `invoke intake --signups-csv FILE`), one sign-up per row, columns named after the fields or
  after the form's labels (« Adresse électronique », « Nom et prénom », ...): signup_csv.py.

Each sign-up is checked (an email address that looks like one, the charter and the consent
given, the hidden honeypot field empty: a filled one means a bot, dropped; no control character
and at most MAX_LENGTH characters in any field) and recorded with
`labulle.ledger.signups.record_signup` (idempotent: a message or row seen again changes
nothing). Like the rest of the intake, nothing is written without `--apply`. The ledger's
database comes from `--ledger-db`, then BULLE_LEDGER_DB, then the ledger's default; it is
refused inside the site's project folder, so that personal data never reach the repository.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from labulle.errors import LabulleError
from labulle.mail.intake.extract import message_body
from labulle.mail.intake.updates import APPLIED, REFUSED, TO_APPLY, Outcome
from labulle.mail.listing import ascii_key
from labulle.model import consent
from labulle.source.settings import DEFAULTS
from labulle.text import control_char

# --- field names: the form's own, and what form services and people write instead ------------

ALIASES = {
    "type": ("type", "vous_etes", "profil", "categorie", "je_suis"),
    "nom": ("nom", "name", "nom_et_prenom", "nom_prenom", "prenom_nom", "nom_complet", "full_name"),
    "courriel": ("courriel", "email", "e_mail", "mail", "adresse_electronique", "adresse_email",
                 "adresse_mail", "adresse_courriel", "email_address"),
    "telephone": ("telephone", "tel", "phone", "portable", "numero_de_telephone"),
    "commune": ("commune", "ville", "city", "localite"),
    "pro": ("pro", "professionnel", "commerce", "activite", "votre_commerce_ou_activite",
            "commerce_ou_activite"),
    "montant_mensuel": ("montant_mensuel", "montant", "montant_par_mois",
                        "montant_que_vous_pensez"),
    "charte": ("charte", "accepte_charte", "j_ai_lu_la_charte", "jai_lu_la_charte"),
    "consentement": ("consentement", "consent", "rgpd", "donnees_personnelles",
                     "j_accepte_que_l_association", "jaccepte_que_lassociation"),
    "consentement_version": ("consentement_version", "version_consentement"),
    "lettre": ("lettre", "newsletter", "lettre_d_information", "je_souhaite_recevoir_la_lettre"),
    consent.HONEYPOT: (consent.HONEYPOT, "_gotcha", "laissez_ce_champ_vide"),
    "date": ("date", "horodatage", "timestamp", "submitted_at", "date_de_soumission",
             "envoye_le", "date_d_envoi", "created_at"),
}
_BY_ALIAS = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_KINDS = {"particulier": "particulier", "particuliere": "particulier", "habitant": "particulier",
          "pro": "pro", "professionnel": "pro", "professionnelle": "pro",
          "association": "association", "asso": "association"}
_NO = {"", "non", "no", "false", "faux", "0", "off", "n"}
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
_LINE = re.compile(r"^\s*(?P<key>[^:=\s][^:=]{0,80}?)\s*(?::|=)\s?(?P<value>.*)$")
PARIS = ZoneInfo("Europe/Paris")
_QUOTED = re.compile(r"^\s*>")
MAX_LENGTH = 300  # characters of any field: a name, an address, a commune are far shorter
_AMOUNT = re.compile(r"(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:[,.](\d{1,2}))?")


def field_name(label: str) -> str | None:
    """The form's field a column or key stands for (None when unknown)."""
    key = re.sub(r"[^a-z0-9]+", "_", ascii_key(label)).strip("_")
    if key in _BY_ALIAS:
        return _BY_ALIAS[key]
    prefixes = [alias for alias in _BY_ALIAS if key.startswith(alias + "_") and len(alias) > 3]
    return _BY_ALIAS[max(prefixes, key=len)] if prefixes else None


def parse_text(text: str) -> dict[str, str]:
    """The form's fields from an email's text (`clé : valeur` or `clé=valeur` lines).

    Quoted lines (`> `) are ignored, so that a reply does not bring back the original; the
    first occurrence of a key wins.
    """
    values: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() == "--":  # a signature follows
            break
        match = None if _QUOTED.match(line) else _LINE.match(line)
        if match:
            name = field_name(match.group("key"))
            if name and name not in values:
                values[name] = match.group("value").strip()
    return values


# --- one sign-up: checked fields, ready for record_signup --------------------------------------

@dataclass
class Signup:
    """One sign-up as read: the ledger's arguments, or why it is refused or dropped."""

    label: str
    fields: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)   # refusals (French)
    notes: list[str] = field(default_factory=list)     # remarks that do not refuse it
    bot: bool = False

    @property
    def usable(self) -> bool:
        return not self.reasons and not self.bot


def _yes(value: str | None) -> bool:
    return ascii_key(value or "") not in _NO


def _cents(text: str) -> int | None:
    match = _AMOUNT.fullmatch(re.sub(r"\s*(€|eur|euros?)\s*$", "", text.strip(), flags=re.I))
    if not match:
        return None
    whole = re.sub(r"[ \u00a0\u202f.]", "", match.group(1))
    return int(whole) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def build(values: dict[str, str], label: str, received_at: datetime, message_id: str,
          source: str, fallback_email: str = "", wording: dict[str, str] | None = None,
          ) -> Signup:
    """Check one sign-up's values (see the module doc) and map them to the ledger's fields;
    `wording` is the accepted texts of the site's form (`consent.wording`; La Bulle's: None)."""
    signup = Signup(label)
    if (values.get(consent.HONEYPOT) or "").strip():
        signup.bot = True
        signup.reasons.append("champ caché rempli : envoi d'un robot, ignoré")
        return signup
    signup.reasons += _raw_problems(values)
    if signup.reasons:
        return signup
    name = " ".join((values.get("nom") or "").split())
    email = _email(values, fallback_email, signup)
    pro_slug = (values.get("pro") or "").split(" (")[0].strip() or None
    default_kind = "pro" if pro_slug and pro_slug != "autre" else "particulier"
    kind = _KINDS.get(ascii_key(values.get("type") or default_kind).split(" ")[0], "")
    signup.reasons += _missing(values, name, email, kind)
    pro_slug = _listed_pro(kind, pro_slug, signup)
    cents = _monthly_cents(values, signup)
    signup.fields = {
        "name": name, "email": email or None,
        "phone": (values.get("telephone") or "").strip() or None,
        "commune": " ".join((values.get("commune") or "").split()) or None,
        "kind": kind or "particulier", "pro_slug": pro_slug, "expected_monthly_cents": cents,
        **_consent_fields(values, received_at, wording),
        "newsletter": _yes(values.get("lettre")) if "lettre" in values else False,
        "source": source, "received_at": received_at.isoformat(timespec="seconds"),
        "message_id": message_id,
    }
    return signup


def _raw_problems(values: dict[str, str]) -> list[str]:
    """A control character or more than MAX_LENGTH characters in any field."""
    problems = []
    for key, value in values.items():
        control = control_char(value)
        if control:
            problems.append(f"{key} : caractère de contrôle {control} interdit")
        if len(value) > MAX_LENGTH:
            problems.append(f"{key} : {len(value)} caractères, au plus {MAX_LENGTH}")
    return problems


def _email(values: dict[str, str], fallback_email: str, signup: Signup) -> str:
    """The address given, else the sender's (noted)."""
    email = (values.get("courriel") or "").strip().strip("<>")
    if not email and fallback_email:
        email = fallback_email
        signup.notes.append(f"courriel absent du texte : adresse de l'expéditeur prise ({email})")
    return email


def _missing(values: dict[str, str], name: str, email: str, kind: str) -> list[str]:
    """Refusals: no name, no valid address, an unknown kind, the charter or the consent not
    given."""
    reasons = []
    if not name:
        reasons.append("nom absent")
    if not email:
        reasons.append("adresse électronique absente")
    elif not _EMAIL.fullmatch(email):
        reasons.append(f"adresse électronique invalide : « {email} »")
    if not kind:
        reasons.append(f"type « {values.get('type')} » inconnu : "
                       "particulier, pro ou association")
    if not _yes(values.get("charte")):
        reasons.append("charte non acceptée (« charte : oui » attendu)")
    if not _yes(values.get("consentement")):
        reasons.append("consentement au traitement des données absent "
                       "(« consentement : oui » attendu)")
    return reasons


def _listed_pro(kind: str, pro_slug: str | None, signup: Signup) -> str | None:
    """The pro's listing, for a pro only ("autre": not yet in the directory, noted)."""
    if kind != "pro" or pro_slug == "autre":
        if kind == "pro" and pro_slug == "autre":
            signup.notes.append("activité pas encore dans l'annuaire")
        return None
    return pro_slug


def _monthly_cents(values: dict[str, str], signup: Signup) -> int | None:
    """The expected monthly amount in cents; an unreadable one is noted and ignored."""
    amount = (values.get("montant_mensuel") or "").strip()
    cents = _cents(amount) if amount else None
    if amount and cents is None:
        signup.notes.append(f"montant mensuel « {amount} » illisible : ignoré")
    return cents


def _consent_fields(values: dict[str, str], received_at: datetime,
                    wording: dict[str, str] | None) -> dict[str, str]:
    """The texts consented to, their versions and when."""
    version = values.get("consentement_version") or consent.CONSENT_VERSION
    texts = wording or consent.wording(DEFAULTS["LABULLE_IDENTITY"])
    return {
        "consent_text": f"{texts['CONSENT_TEXT']} {texts['CHARTER_TEXT']}",
        "consent_version": f"données {version}, charte {consent.CHARTER_VERSION}",
        "consent_at": received_at.isoformat(timespec="seconds"),
    }


def summary(signup: Signup) -> list[str]:
    f = signup.fields
    if not f:
        return []
    lines = [f"{f['name']} <{f['email']}> — {f['kind']}"
             + (f" ({f['pro_slug']})" if f["pro_slug"] else "")
             + (f", {f['commune']}" if f["commune"] else "")]
    lines += [f"Remarque : {note}" for note in signup.notes]
    return lines


# --- the ledger ------------------------------------------------------------------------------

class LedgerPathError(LabulleError):
    """The ledger's database would be inside the site's project (French message)."""


def ledger_path(value: str | Path | None, project_root: Path) -> Path:
    """--ledger-db, then BULLE_LEDGER_DB, then the ledger's default; never inside the project."""
    from labulle.ledger.db import resolve_path

    path = resolve_path(str(value) if value else None).resolve()
    root = project_root.resolve()
    if path == root or root in path.parents:
        raise LedgerPathError(f"la base du grand livre {path} est dans le dossier du site : "
                              "les données personnelles ne doivent jamais y être ; donnez un "
                              "chemin hors du site (--ledger-db ou BULLE_LEDGER_DB)")
    return path


def record(signup: Signup, db: Path) -> int:
    """Record a usable sign-up; returns its id in the ledger (the same one when seen again)."""
    from labulle.ledger.db import open_ledger
    from labulle.ledger.signups import record_signup

    conn = open_ledger(db)
    try:
        return record_signup(conn, **signup.fields)
    finally:
        conn.close()


# --- emails (a handler of the intake's dispatcher) ------------------------------------------

def received(message: EmailMessage) -> datetime:
    try:
        when = parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError, IndexError):
        return datetime.now(UTC).replace(microsecond=0)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def from_email(label: str, message: EmailMessage, wording: dict[str, str] | None = None,
               ) -> Signup:
    from email.utils import parseaddr

    text = message_body(message).text
    when = received(message)
    message_id = str(message["Message-ID"] or "").strip() or \
        "sha256:" + hashlib.sha256(message.as_bytes()).hexdigest()
    sender = parseaddr(str(message["From"] or ""))[1]
    return build(parse_text(text), label, when, message_id, "email", fallback_email=sender,
                 wording=wording)


def signup_message(label: str, message: EmailMessage, match: Any, options: Any) -> Any:
    signup = from_email(label, message, consent.wording(options.currency))
    outcome = Outcome(label, "inscription au test", summary=summary(signup))
    if not signup.usable:
        outcome.reasons += signup.reasons
        return outcome
    if not options.apply:
        outcome.status = TO_APPLY
        return outcome
    try:
        db = ledger_path(getattr(options, "ledger_db", None), options.project.root)
        signup_id = record(signup, db)
    except LabulleError as exc:  # LedgerError, LedgerPathError: French messages
        outcome.status = REFUSED
        outcome.reasons.append(str(exc))
        return outcome
    outcome.status = APPLIED
    outcome.summary.append(f"Inscription n° {signup_id} en attente dans le grand livre.")
    return outcome
