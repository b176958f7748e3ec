"""The pilot sign-up's form: its field names and the wording a person accepts.

Shared by the sign-up page (labulle/pages/bulle.py, inscription.html) and the email/CSV intake
(labulle/mail/intake/signup.py), so that the ledger records the exact text the person saw.
Change the wording → bump CONSENT_VERSION (or CHARTER_VERSION).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from labulle.source.settings import DEFAULTS

CONSENT_VERSION = "2020-03"
CHARTER_VERSION = "2020-03"


def wording(identity: dict[str, Any]) -> dict[str, str]:
    """The subject and the texts a person accepts, in the words of the currency `identity`
    (LABULLE_IDENTITY)."""
    return {"SUBJECT": f"{identity['mail_tag']} Inscription au test",
            "CONSENT_TEXT": ("J'accepte que l'association utilise les informations de ce "
                             f"formulaire pour organiser le test {identity['of_the']} numérique, "
                             "dans les conditions décrites dans l'encadré « Vos données "
                             "personnelles »."),
            "CHARTER_TEXT": (f"J'ai lu la charte du test {identity['of_the']} numérique et "
                             "je l'accepte.")}


_WORDING = wording(DEFAULTS["LABULLE_IDENTITY"])
SUBJECT = _WORDING["SUBJECT"]
CONSENT_TEXT = _WORDING["CONSENT_TEXT"]
CHARTER_TEXT = _WORDING["CHARTER_TEXT"]

KINDS = {"particulier": "Particulier", "pro": "Professionnel", "association": "Association"}

# The form's field names, in the order of the composed email's `clé : valeur` lines.
FIELDS = ("type", "nom", "courriel", "telephone", "commune", "pro", "montant_mensuel", "charte",
          "consentement", "consentement_version", "lettre")
# The hidden field that people never see and bots fill in: a filled one means a bot.
HONEYPOT = "site_web"


def for_site(identity: dict[str, Any]) -> SimpleNamespace:
    """This module's names, with the wording of the currency `identity` (for the pages)."""
    names = {name: value for name, value in globals().items() if name.isupper()}
    return SimpleNamespace(**{**names, **wording(identity)})
