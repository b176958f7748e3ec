"""Window stickers (issue 16, point 1) in Debian's Chromium: every sticker of the sample prints
as exactly one A5 page (Chromium's own PDF, read with pypdf), its QR code read by a real
decoder (zxing-cpp) gives that pro's address, the longest name and advantage the checker
allows still fit, and the site's sticker page is accessible at phone width (axe).

`invoke affichettes` writes the files opened here (one page load for the whole sample).
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from conftest import ROOT, copy_project
from PIL import Image

from labulle.commands.cli import run

pytestmark = pytest.mark.browser

#: A5 in PostScript points (148 × 210 mm); Chromium rounds the page to whole CSS pixels.
A5 = (419.5, 595.3)
SHOTS = Path("/tmp/shots/affichettes")
#: Every part of a sheet inside the sheet, in order, none over another (print layout).
LAID_OUT = """() => [...document.querySelectorAll('.affichette-feuille')].filter(sheet => {
  const box = sheet.getBoundingClientRect();
  const parts = [...sheet.children];
  const bottom = sheet.querySelector('.affichette-bas');
  const inside = [...parts, ...bottom.children].every(part => {
    const r = part.getBoundingClientRect();
    return r.top >= box.top && r.bottom <= box.bottom && r.left >= box.left
      && r.right <= box.right;
  });
  const rects = parts.map(part => part.getBoundingClientRect());
  const ordered = rects.every((r, i) => i === 0 || rects[i - 1].bottom <= r.top + 0.5);
  const top = bottom.getBoundingClientRect().top;
  const low = [...bottom.children].every(part => part.getBoundingClientRect().top >= top - 0.5);
  return !(inside && ordered && low && sheet.scrollHeight <= sheet.clientHeight);
}).map(sheet => sheet.parentNode.getAttribute('aria-labelledby'))"""


def write_stickers(root: Path, out: Path, *slugs: str) -> Path:
    args = [arg for slug in slugs for arg in ("--pro", slug)]
    assert run(["affichettes", "--root", str(root), "--out", str(out), *args]) == 0
    return out / "affichettes.html"


@pytest.fixture(scope="module")
def combined(browser, tmp_path_factory):
    """The whole sample's stickers in one file, opened offline (file://), every request noted."""
    path = write_stickers(ROOT, tmp_path_factory.mktemp("affichettes"))
    context = browser.new_context(viewport={"width": 640, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(path.as_uri(), wait_until="load")
    yield page
    context.close()


def pdf_pages(page) -> list[pypdf.PageObject]:  # type: ignore[no-untyped-def]
    return list(pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True,
                                                    print_background=True))).pages)


def is_a5(pdf_page: pypdf.PageObject) -> bool:
    size = (float(pdf_page.mediabox.width), float(pdf_page.mediabox.height))
    return all(abs(got - want) < 1 for got, want in zip(size, A5, strict=True))


def words(text: str) -> str:
    """Spaces collapsed, ligatures of the PDF's text (« ﬀ ») as letters."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def test_every_sticker_of_the_sample_prints_on_exactly_one_a5_page(combined):
    names = combined.locator(".affichette-nom").all_inner_texts()
    assert len(names) == 28
    pages = pdf_pages(combined)
    assert len(pages) == len(names)
    assert all(is_a5(pdf_page) for pdf_page in pages)
    for name, pdf_page in zip(names, pages, strict=True):  # page n is sticker n, all of it
        text = words(pdf_page.extract_text())
        assert text.startswith("La Bulle, monnaie locale de Charente Ici, on accepte")
        assert words(name) in text and text.endswith("Tous les pros de la Bulle : labulle16.fr")
    combined.emulate_media(media="print")
    assert combined.evaluate(LAID_OUT) == []
    combined.emulate_media(media="screen")


def test_every_qr_code_decodes_to_its_pro_page(combined):
    sheets = combined.locator("article.affichette")
    decoded = {}
    for index in range(sheets.count()):
        sheet = sheets.nth(index)
        slug = sheet.get_attribute("aria-labelledby").removeprefix("affichette-")
        image = Image.open(io.BytesIO(sheet.locator(".affichette-qr-code").screenshot()))
        decoded[slug] = [code.text for code in zxingcpp.read_barcodes(image)]
    assert len(decoded) == 28
    assert decoded == {slug: [f"https://labulle16.fr/pros/{slug}/"] for slug in decoded}


def test_the_print_file_works_offline(combined):
    assert {Path(url.removeprefix("file://")).name for url in combined.requests} == {
        "affichettes.html"}
    assert combined.get_by_role("button", name="Imprimer").is_visible()


LONGEST = {
    # 120 characters, the longest `nom` the checker allows, and a slug as long.
    "cooperative-des-boulangers-patissiers-chocolatiers-et-glaciers-reunis-du-pays-de-cognac":
        ("Coopérative des boulangers, pâtissiers, chocolatiers et glaciers réunis du pays de "
         "Cognac et de la vallée de la Charente"),
    # 80 characters without a space.
    "boulangerie-sans-espace": "Boulangerie" + "x" * 69,
}
#: 200 characters, the longest `bulle.avantage`.
ADVANTAGE = ("10 % de remise sur tout le magasin pour un paiement en Bulles, un café offert le "
             "samedi matin, une baguette offerte pour dix achetées avec la carte de fidélité "
             "de la coopérative du pays de Cognac (16)")


def test_the_longest_name_and_advantage_still_fit_on_one_page(browser, tmp_path):
    project = copy_project(tmp_path / "projet", ("pelicanconf.py", "publish.py", "pros",
                                                 "content", "theme"))
    assert len(ADVANTAGE) == 200 and [len(n) for n in LONGEST.values()] == [120, 80]
    for slug, name in LONGEST.items():
        (project / "pros" / f"{slug}.yml").write_text(
            f'nom: "{name}"\ncategories: [boulangerie]\nresume: Une fiche aux valeurs les plus '
            f'longues.\nbulle:\n  numerique: true\n  comptoir: true\n  avantage: "{ADVANTAGE}"\n',
            encoding="utf-8")
    path = write_stickers(project, tmp_path / "longues", *LONGEST)
    context = browser.new_context(viewport={"width": 640, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    pages = pdf_pages(page)
    assert len(pages) == 2 and all(is_a5(pdf_page) for pdf_page in pages)
    for pdf_page in pages:
        assert words(ADVANTAGE) in words(pdf_page.extract_text())
    codes = [[c.text for c in zxingcpp.read_barcodes(Image.open(io.BytesIO(svg.screenshot())))]
             for svg in page.locator(".affichette-qr-code").all()]
    assert sorted(codes) == sorted([f"https://labulle16.fr/pros/{slug}/"] for slug in LONGEST)
    page.emulate_media(media="print")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "les-plus-longues.png"), full_page=True)
    assert page.evaluate(LAID_OUT) == []
    context.close()


def test_the_site_sticker_page_at_375_px(page, site_url, axe):
    page.goto(f"{site_url}/pros/velo-toque/", wait_until="load")
    page.get_by_role("link", name="Affichette à imprimer").click()
    page.wait_for_url("**/pros/velo-toque/affichette/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Affichette à imprimer\xa0: Vélo Toqué")
    assert page.get_by_role("button", name="Imprimer").is_visible()
    assert page.get_by_role("img", name="QR code de l'adresse "
                            "https://labulle16.fr/pros/velo-toque/").is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "velo-toque-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.errors == [] and page.foreign_requests == []
    violations = axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    pages = pdf_pages(page)  # the site's page prints as the print file does: one A5 sheet
    assert len(pages) == 1 and is_a5(pages[0])
    assert words(pages[0].extract_text()).startswith(
        "La Bulle, monnaie locale de Charente Ici, on accepte la Bulle en billets et en numérique "
        "Vélo Toqué")
