"""`mailto:` links of the site, built once in Python and URL-encoded (RFC 6068)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from labulle.source.schema import Pro


def mailto(address: str, subject: str, body: str = "") -> str:
    """A `mailto:` URL; spaces become %20 (not +), every reserved character is encoded."""
    url = f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"
    return url + (f"&body={quote(body, safe='')}" if body else "")


#: Longest mailto URL we write: some mail clients and browsers cut longer ones.
MAX_MAILTO = 1800


def update_mailto(pro: Pro, email: str, tag: str | None = None) -> str:
    """The "Proposer une modification" link of a pro page: the listing in editable lines.

    The body format is `labulle.mail.listing`'s, read back by `invoke intake`; the longest values
    are replaced by "(inchangée)" until the URL fits in MAX_MAILTO characters. `tag` starts the
    subject (LABULLE_IDENTITY's mail_tag; None: La Bulle's).
    """
    from labulle.mail import listing

    subject = listing.update_subject(pro.slug, tag)
    pairs = listing.listing_lines(pro)
    count = len(pairs)
    while True:
        body = listing.email_body(listing.INSTRUCTION_UPDATE, pairs, len(pairs) == count)
        url = mailto(email, subject, body)
        if len(url) <= MAX_MAILTO or not listing.shorten(pairs):
            return url


def new_pro_mailto(email: str, tag: str | None = None) -> str:
    """The "Rejoindre l'annuaire" link: the keys of a new listing, to fill in."""
    from labulle.mail import listing

    body = listing.email_body(listing.INSTRUCTION_NEW, listing.new_pro_lines())
    return mailto(email, listing.new_pro_subject(tag), body)


# --- "Signaler une erreur" and "Je confirme ces informations" ---------------------------------

REPORT, CONFIRM = "Signalement", "Confirmation"  # the word of each subject, read back by intake
HOW_QUESTION = "Comment l'avez-vous vérifié ?"
HOW_ANSWERS = ("sur place", "par téléphone", "site du pro")
REPORT_PROMPT = "Ce qui est faux (écrivez sous cette ligne) :"
HOW_PROMPT = f"{HOW_QUESTION} (gardez la bonne réponse, effacez les autres)"
CONFIRM_LINES = ("Je confirme que les informations de ma fiche sont exactes à ce jour.",
                 "(Envoyez ce message depuis l'adresse de votre fiche, sans rien changer.",
                 "Pour corriger une information : « Proposer une modification ».)")
#: The fixed lines of both emails: intake leaves them out of what the sender wrote.
FIXED_LINES = (REPORT_PROMPT, HOW_PROMPT, *CONFIRM_LINES)


def feedback_subject(kind: str, slug: str, tag: str | None = None) -> str:
    """« [La Bulle] Signalement : <slug> », « [La Bulle] Confirmation : <slug> »."""
    from labulle.mail.listing import SUBJECT_PREFIX

    return f"{tag or SUBJECT_PREFIX} {kind} : {slug}"


def report_body(pro: Pro, page: str) -> str:
    """The body of « Signaler une erreur »: the page, room to write, the three answers."""
    return "\n".join([f"Fiche : {pro.nom} — {page}", "", REPORT_PROMPT, "", "", HOW_PROMPT,
                      *(f"- {answer}" for answer in HOW_ANSWERS), ""])


def confirm_body(pro: Pro, page: str) -> str:
    return "\n".join([f"Fiche : {pro.nom} — {page}", "", CONFIRM_LINES[0], "",
                      *CONFIRM_LINES[1:], ""])


def page_url(slug: str, domain: str, siteurl: str = "") -> str:
    """A pro page's address in an email: SITEURL when absolute, else the identity's domain."""
    base = siteurl if siteurl.startswith(("https://", "http://")) else f"https://{domain}"
    return f"{base.rstrip('/')}/pros/{slug}/"


def feedback_links(pro: Pro, email: str, currency: dict[str, Any], siteurl: str = "",
                   endpoint: str | None = None) -> dict[str, Any]:
    """What a pro page shows under « Signaler une erreur » and « Je confirme ces informations »:
    both mailto links, and the form endpoint of the report (LABULLE_REPORT_ENDPOINT) with the
    subject its form sends. A confirmation is always an email: only its address proves it."""
    tag, page = currency["mail_tag"], page_url(pro.slug, currency["domain"], siteurl)
    report_subject = feedback_subject(REPORT, pro.slug, tag)
    return {"report": mailto(email, report_subject, report_body(pro, page)),
            "confirm": mailto(email, feedback_subject(CONFIRM, pro.slug, tag),
                              confirm_body(pro, page)),
            "endpoint": endpoint, "report_subject": report_subject, "page": page,
            "question": HOW_QUESTION, "answers": HOW_ANSWERS}
