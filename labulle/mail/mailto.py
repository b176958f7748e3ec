"""`mailto:` links of the site, built once in Python and URL-encoded (RFC 6068)."""

from __future__ import annotations

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
