"""The one rule for free text and email addresses entering the ledger (names, memos, sign-ups).

A text is one line without any character the project escapes on a terminal
(``labulle.text.escaped``: controls, line separators, bidirectional overrides), at
most ``LIMITS[what]`` long (chosen from what real values need, with room to spare); an email
address is checked by ``email-validator``
without any DNS query. Each refusal is a French ``LedgerError`` naming the field and the limit.
"""

from labulle.ledger.errors import LedgerError
from labulle.text import escaped

# Longest accepted value of each field, in characters, and its name in messages.
LIMITS = {
    "account": (100, "l'identifiant de compte"),
    "name": (200, "le nom"),
    "memo": (500, "le libellé"),
    "operator": (100, "le nom de l'opérateur"),
    "pro_slug": (100, "l'identifiant de fiche (--pro)"),
    "phone": (40, "le téléphone"),
    "commune": (100, "la commune"),
    "consent_text": (5000, "le texte du consentement"),
    "consent_version": (200, "la version du consentement"),
    "message_id": (1000, "l'identifiant du message"),
}
EMAIL_MAX = 254  # RFC 5321's limit on a forward path, as email-validator applies it


def check_text(value: str, field: str) -> str:
    """``value`` stripped, or a refusal: too long, or holding a control character."""
    limit, label = LIMITS[field]
    text = value.strip()
    if len(text) > limit:
        count = f"{len(text):,}".replace(",", "\u202f")
        raise LedgerError(f"{label} fait {count} caractères : {limit} au plus")
    bad = next((char for char in text if escaped(char) != char), None)
    if bad is not None:
        raise LedgerError(
            f"{label} contient un caractère de contrôle (U+{ord(bad):04X}) : une seule ligne "
            "de texte imprimable est admise"
        )
    return text


def check_email(value: str) -> str:
    """A deliverable-looking address (syntax only, no DNS), normalised; a refusal otherwise."""
    from email_validator import EmailNotValidError, validate_email

    text = value.strip()
    shown = text if len(text) <= 60 else text[:60] + "…"
    if len(text) > EMAIL_MAX:
        raise LedgerError(
            f"l'adresse électronique fait {len(text)} caractères : {EMAIL_MAX} au plus"
        )
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise LedgerError(
            f"adresse électronique invalide « {shown} » : écrivez-la comme prenom@exemple.fr"
        ) from None
