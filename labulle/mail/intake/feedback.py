"""The replies to « Signaler une erreur » and « Je confirme ces informations » (pro pages).

- A confirmation (« [La Bulle] Confirmation : <slug> ») moves the listing's `verifie_le` to the
  message's day, nothing else, when it comes from the listing's own address (`contact.email`);
  that address not verified by our server needs --force, as an update does. Any other address
  is refused: nobody confirms a listing for its pro.
- A report (« [La Bulle] Signalement : <slug> », from anyone, or from the form service of
  LABULLE_REPORT_ENDPOINT) is listed for the webmaster — the page, what is said, how it was
  checked, who sent it — and never writes anything: the webmaster checks with the pro first.
  Nothing of it is kept by the intake (the message stays in the association's mailbox).
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

from labulle.mail import mailto
from labulle.mail.intake.extract import Body, find_values, message_body
from labulle.mail.intake.sender import check as check_sender
from labulle.mail.intake.updates import (
    TO_READ,
    UP_TO_DATE,
    Options,
    Outcome,
    current_listing,
    judge,
    named_listing,
    patched,
    pro_emails,
    refuse,
    sender_summary,
    sent_on,
    shown_sender,
)
from labulle.mail.listing import ascii_key

MOST_LINES, LONGEST_LINE = 40, 300
_QUOTE = re.compile(r"^(\s*>)+ ?")
_BULLET = re.compile(r"^\s*(?:[-*•✓✔☑]|\[\s*[x✓]?\s*\]|\(\s*x?\s*\))?\s*")
_ANSWERS = {ascii_key(answer): answer for answer in mailto.HOW_ANSWERS}
_QUESTION = ascii_key(mailto.HOW_QUESTION)
_OURS = {" ".join(ascii_key(line).split()) for line in mailto.FIXED_LINES}


def _expected(options: Options, kind: str) -> str:
    return mailto.feedback_subject(kind, "<identifiant>", options.currency["mail_tag"])


# --- a pro's confirmation --------------------------------------------------------------------

def confirmation(label: str, message: EmailMessage, match: Any, options: Options) -> Outcome:
    outcome = Outcome(label, "confirmation", match.group("slug"))
    current = current_listing(outcome, options, _expected(options, mailto.CONFIRM))
    if current is None:
        return outcome
    pro, old_text = current
    emails = pro_emails(pro)
    sender = check_sender(message, emails, options.authserv_id)
    when = sent_on(message, options.today)
    sender_summary(outcome, pro, sender, when)
    _confirmation_notes(outcome, message_body(message))
    if not emails:
        return refuse(outcome, f"la fiche pros/{pro.slug}.yml n'a pas d'adresse (contact.email) : "
                               "une confirmation ne peut venir que de l'adresse du pro ; "
                               "rien n'est modifié")
    if sender.address and sender.address not in emails:
        return refuse(outcome, f"cette adresse ({sender.address}) n'est pas celle du pro "
                               f"(contact.email de pros/{pro.slug}.yml) : rien n'est modifié")
    day = when or options.today
    if pro.verifie_le is not None and day <= pro.verifie_le:
        outcome.summary.append(f"verifie_le : déjà {pro.verifie_le.isoformat()}")
        outcome.status = UP_TO_DATE
        return outcome
    before = pro.verifie_le.isoformat() if pro.verifie_le else "(aucune)"
    outcome.summary.append(f"verifie_le : {before} → {day.isoformat()} (rien d'autre)")
    if patched(outcome, options.project, old_text, [(["verifie_le"], day)]):
        judge(outcome, sender, pro, when, changed=False)
    return outcome


def _confirmation_notes(outcome: Outcome, body: Body) -> None:
    """A confirmation changes verifie_le only: `clé : valeur` lines in it are said, not used."""
    found = find_values(body.text)
    if found.values:
        keys = ", ".join(sorted(found.values))
        outcome.notes.append(f"Remarque : lignes « clé : valeur » ignorées ({keys}) : une "
                             "confirmation ne change que verifie_le ; pour une modification, "
                             "l'objet est « Mise à jour »")
    outcome.notes += [f"Pièce jointe ignorée : {name}" for name, _size in body.attachments]
    said = _written(body.text)
    if said:
        outcome.notes.append("Texte libre du message (à lire) :")
        outcome.notes += [f"  | {line}" for line in said]


# --- a resident's report ---------------------------------------------------------------------

def report(label: str, message: EmailMessage, match: Any, options: Options) -> Outcome:
    outcome = Outcome(label, "signalement", match.group("slug"))
    if not named_listing(outcome, options, _expected(options, mailto.REPORT)):
        return outcome
    slug = str(outcome.slug)
    when = sent_on(message, options.today)
    body = message_body(message)
    outcome.summary += [
        f"Fiche : pros/{slug}.yml — page {mailto.page_url(slug, options.currency['domain'])}",
        f"De : {shown_sender(message) or '(inconnu)'}"
        + (f" — envoyé le {when.isoformat()}" if when else " — sans date"),
        f"{mailto.HOW_QUESTION} {how_checked(body.text)}",
    ]
    said = _written(body.text)
    outcome.summary.append("Ce qui est signalé :" if said else
                           "Ce qui est signalé : (rien d'écrit)")
    outcome.summary += [f"  | {line}" for line in said]
    outcome.notes += [f"Pièce jointe : {name} (à ouvrir à la main)"
                      for name, _size in body.attachments]
    outcome.status = TO_READ
    return outcome


def how_checked(text: str) -> str:
    """The answer kept under « Comment l'avez-vous vérifié ? » (or a form's `verification`)."""
    kept: list[str] = []
    asked = False
    for line in _unquoted(text):
        key = _key(line)
        if key.startswith(_QUESTION) or key.startswith("verification"):
            asked = True
            key = key[len(_QUESTION):] if key.startswith(_QUESTION) else key.partition(":")[2]
        answer = _ANSWERS.get(_BULLET.sub("", key).strip(" .:;!"))
        if asked and answer and answer not in kept:
            kept.append(answer)
    if len(kept) == 1:
        return kept[0]
    if kept:
        return f"non précisé (réponses gardées : {', '.join(kept)})"
    return "non précisé"


def _written(text: str) -> list[str]:
    """The lines the sender wrote: the text without the fixed lines of our emails, the answers
    and the page line, at most MOST_LINES lines cut at LONGEST_LINE characters."""
    lines = []
    for line in _unquoted(text):
        key = _key(line)
        if not key or key in _OURS or key.startswith(("fiche :", _QUESTION)) or \
                _BULLET.sub("", key) in _ANSWERS:
            continue
        lines.append(line.strip()[:LONGEST_LINE])
    if len(lines) > MOST_LINES:
        lines = [*lines[:MOST_LINES], f"… et {len(lines) - MOST_LINES} ligne(s) de plus"]
    return lines


def _unquoted(text: str) -> list[str]:
    return [_QUOTE.sub("", line) for line in text.splitlines()]


def _key(line: str) -> str:
    return " ".join(ascii_key(line).split())
