"""The window sticker of every published pro: `/pros/<slug>/affichette/`, one A5 sheet to print
and put in the shop window (template theme/templates/affichette.html, its own print-first
stylesheet theme/static/css/affichette.css): the pro's name, « Ici, on accepte la Bulle » and
how (paper notes, digital, exchange office), its advantage, the site's address and a QR code of
the pro page's absolute address, drawn here at build time (segno, inline SVG: no image service).

Not for search engines: `noindex`, and written outside Pelican's writer (like the page of a pro
who left) so that the sitemap never lists it; Pagefind skips it too (no data-pagefind-body).
A sticker repeats a few words of the pro page for a shop window: a search result must lead to
the pro page itself, with its hours, address and contact.

`invoke affichettes` (labulle/commands/stickers.py) renders the same template for the
association's print run. Drafts and pros who left have no sticker (`remove_stale_pages` removes
the folder an earlier build left).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import segno
from markupsafe import Markup

from labulle.atomic import write_file
from labulle.mail.mailto import page_url
from labulle.source.schema import Pro
from labulle.source.settings import identity

#: The sticker's folder in a pro's folder (`/pros/<slug>/affichette/`).
FOLDER = "affichette"
TEMPLATE = "affichette.html"
#: The files of `invoke affichettes`: standalone, their stylesheet inlined.
PRINT_TEMPLATE = "affichettes_impression.html"
#: The stylesheet, in the theme's static folder (published as /theme/css/affichette.css).
STYLESHEET = Path("static") / "css" / "affichette.css"
#: The QR code's quiet zone, in modules: the 4 the QR code standard asks for.
QUIET_ZONE = 4
#: One data mask for every QR code (a reader learns it from the code itself): segno's choice of
#: the best of the eight costs 80 % of the drawing, about 3.5 ms a code, 5 s of a cold build at
#: 1,500 pros; the tests decode every sticker's code with zxing-cpp.
MASK = 0
#: Longest name of each size of the name on the sheet (longer names: the smallest size).
NAME_SIZES = ((14, "xl"), (30, "l"), (60, "m"))
#: Longest advantage shown at the larger size.
SHORT_ADVANTAGE = 90
#: Beyond this many characters (name, advantage, address), the sheet is set tighter.
DENSE = 200


@dataclass(frozen=True)
class Sticker:
    """One pro's sticker: its public view, the address its QR code gives, the QR code (inline
    SVG) and where the screen's « back to the page » link goes."""

    pro: Pro
    url: str
    qr: Markup
    link: str

    @property
    def shown_url(self) -> str:
        """The address as printed under the QR code: no scheme."""
        return self.url.split("://", 1)[-1]

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    @property
    def name_size(self) -> str:
        length = len(self.pro.nom)
        return next((size for limit, size in NAME_SIZES if length <= limit), "s")

    @property
    def advantage_size(self) -> str:
        advantage = self.pro.bulle.avantage or ""
        return "l" if len(advantage) <= SHORT_ADVANTAGE else "s"

    @property
    def dense(self) -> bool:
        """A long name, a long advantage and a long address: the sheet is set tighter (the
        longest values the checker allows still fit on the sheet)."""
        text = len(self.pro.nom) + len(self.pro.bulle.avantage or "") + len(self.url)
        return text > DENSE


def qr_svg(url: str) -> Markup:
    """The QR code of `url` as inline SVG: black on white, the standard's quiet zone, sized by
    the stylesheet (a viewBox, no width or height), named for screen readers."""
    code = segno.make_qr(url, error="m", mask=MASK)
    svg = code.svg_inline(omitsize=True, border=QUIET_ZONE, dark="#000", light="#fff",
                          svgclass="affichette-qr-code", lineclass=None,
                          title=f"QR code de l'adresse {url}")
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def sticker(pro: Pro, base: str, domain: str, link: str | None = None) -> Sticker:
    """The sticker of `pro` (a public view): its page's address from `base` (SITEURL when
    absolute, else https://<domain>); `link`, the screen link to the page (default: that
    address)."""
    url = page_url(pro.slug, domain, base)
    return Sticker(pro, url, qr_svg(url), link or url)


def render(template: Any, context: dict[str, Any], stickers: Sequence[Sticker],
           css: str | None = None) -> str:
    """The HTML of `stickers`, one A5 sheet each (`one`: the sticker when there is one);
    `css`: the stylesheet to inline (PRINT_TEMPLATE's)."""
    one = stickers[0] if len(stickers) == 1 else None
    return template.render({**context, "stickers": list(stickers), "one": one,
                            "css": Markup(css) if css is not None else None})


def write_sticker_pages(gen: Any, _writer: Any) -> None:
    """`/pros/<slug>/affichette/` of every published pro, outside Pelican's writer (no
    sitemap); livereload renders again only the stickers whose pro changed."""
    template = gen.get_template(TEMPLATE.removesuffix(".html"))
    siteurl, domain = gen.settings["SITEURL"], identity(gen.settings)["domain"]

    def save_as(pro: Pro) -> str:
        return f"pros/{pro.slug}/{FOLDER}/index.html"

    def write_one(pro: Pro) -> None:
        if gen.page_cache.fresh(save_as(pro), TEMPLATE, {"pro": pro}):
            return
        one = sticker(pro, siteurl, domain, f"{siteurl}/pros/{pro.slug}/")
        text = render(template, {**gen.context, "output_file": save_as(pro)}, [one])
        write_file(Path(gen.output_path) / save_as(pro), text)

    gen.write_each(gen.directory.published, save_as, write_one, sitemap=False)
