"""Jinja filters of the theme: French dates, phone numbers, hours, safe Markdown, JSON for
<script> elements."""

from __future__ import annotations

import functools
import json
from datetime import date, datetime
from typing import Any

from markupsafe import Markup

from labulle.model import hours
from labulle.source.rules import parse_phone

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def date_fr(value: date | datetime | None, weekday: bool = True) -> str:
    """"samedi 21 mars 2020" (or "1er avril 2020"), whatever the system's locale."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{day} {MONTHS[value.month - 1]} {value.year}"
    return f"{hours.DAYS[value.weekday()]} {text}" if weekday else text


@functools.lru_cache(maxsize=8192)  # pure; each pro's number is shown on several pages
def phone_fr(value: str | None) -> str:
    """"0545000000" → "05 45 00 00 00"; international numbers keep their + form."""
    import phonenumbers

    number = parse_phone(value or "")
    if number is None:
        return value or ""
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@functools.lru_cache(maxsize=8192)
def tel_uri(value: str | None) -> str:
    """A dialable `tel:+33545000000` link target."""
    import phonenumbers

    number = parse_phone(value or "")
    if number is None:
        return ""
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
                 "code"}


@functools.cache
def _markdown() -> Any:
    """One Markdown converter for all pro files (building one costs more than converting)."""
    import markdown

    return markdown.Markdown(extensions=["sane_lists"], output_format="html")


def markdown_safe(text: str | None) -> Markup:
    """Markdown from a pro file as HTML, with any raw HTML removed (escaped)."""
    import nh3

    if not text:
        return Markup("")
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = _markdown().reset().convert(escaped)
    clean = nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href"}},
                      url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener")
    return Markup(clean)


def hours_table(osm: str | None) -> list[tuple[str, str]]:
    return hours.weekly_table(osm) if osm else []


def hours_text(osm: str | None) -> str:
    return hours.weekly_text(osm) if osm else ""


def euros(value: Any) -> str:
    """12.5 → "12,50 €", 15 → "15 €"."""
    if value is None:
        return ""
    text = f"{value:.2f}".replace(".", ",")
    return (text[:-3] if text.endswith(",00") else text) + " €"


#: What a JSON text inside <script> must not contain as such: `</script>` or `<!--` would end
#: or derail the element; U+2028/U+2029 end a line in older JavaScript.
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                 "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(data: Any) -> Markup:
    """JSON to embed in a <script> element (JSON-LD, map data): the one way the site does it.

    <, >, & and the two Unicode line separators are written as \\u escapes, so no value can
    close the element or open a comment in it; json.loads reads the same data back.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_ESCAPES))  # noqa: S704 - escaped just above


FILTERS = {
    "date_fr": date_fr,
    "phone_fr": phone_fr,
    "tel_uri": tel_uri,
    "markdown_safe": markdown_safe,
    "hours_table": hours_table,
    "hours_text": hours_text,
    "euros": euros,
    "script_json": script_json,
}
