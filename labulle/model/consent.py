"""The pilot sign-up's form: its field names and the wording a person accepts.

Shared by the sign-up page (labulle/pages/bulle.py, inscription.html) and the email/CSV intake
(labulle/mail/intake/signup.py), so that the ledger records the exact text the person saw.
Change the wording → bump CONSENT_VERSION (or CHARTER_VERSION).
"""

from __future__ import annotations

SUBJECT = "[La Bulle] Inscription au test"

CONSENT_VERSION = "2020-03"
CONSENT_TEXT = ("J'accepte que l'association utilise les informations de ce formulaire pour "
                "organiser le test de la Bulle numérique, dans les conditions décrites dans "
                "l'encadré « Vos données personnelles ».")
CHARTER_VERSION = "2020-03"
CHARTER_TEXT = "J'ai lu la charte du test de la Bulle numérique et je l'accepte."

KINDS = {"particulier": "Particulier", "pro": "Professionnel", "association": "Association"}

# The form's field names, in the order of the composed email's `clé : valeur` lines.
FIELDS = ("type", "nom", "courriel", "telephone", "commune", "pro", "montant_mensuel", "charte",
          "consentement", "consentement_version", "lettre")
# The hidden field that people never see and bots fill in: a filled one means a bot.
HONEYPOT = "site_web"
