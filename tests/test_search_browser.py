"""Site search in Chromium: the sample site indexed by Pagefind, as `invoke build` does it."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import serve

from labulle.pages.search import build_index

pytestmark = pytest.mark.browser
LISTS = {"/", "/pros/", "/carte/", "/comptoirs/", "/ouverts-pendant-la-crise/", "/paniers/",
         "/articles/", "/agenda/", "/recherche/"}
LIST_PREFIXES = ("/pros/categorie/", "/pros/commune/", "/categorie/", "/carte/")


@pytest.fixture(scope="module")
def site_url(built_site: Path, tmp_path_factory: pytest.TempPathFactory):
    """The sample site plus its search index (a copy: the shared build stays as Pelican left it)."""
    site = tmp_path_factory.mktemp("recherche") / "output"
    shutil.copytree(built_site, site)
    build_index(site)
    server, url = serve(site)
    yield url
    server.shutdown()
    server.server_close()


# Pagefind's interface is drawn in pieces: the count, then placeholders that are filled as
# their fragments arrive, and the filter blocks as their own files arrive (in any order). The
# page is ready when all of it is shown: a count, every result filled, every filter by its label.
SHOWN_JS = """([filters, section]) => {
    const message = document.querySelector('.pagefind-ui__message');
    const results = [...document.querySelectorAll('.pagefind-ui__result')];
    const names = [...document.querySelectorAll('.pagefind-ui__filter-name')]
        .map(name => name.textContent.trim());
    const links = results.map(r => r.querySelector('.pagefind-ui__result-link'));
    return message !== null && /^\\d+ résultats? pour « /.test(message.textContent)
        && results.length > 0 && links.every(link => link !== null)
        && links.every(link => new URL(link.href).pathname.startsWith(section))
        && filters.every(filter => names.includes(filter));
}"""
FILTERS = ("Catégorie", "Commune", "Type")  # the labels of the filter blocks


def wait_until_shown(page, section: str = "/") -> None:
    """Wait for results (every one under `section`) and the filters, as the page shows them."""
    page.wait_for_function(SHOWN_JS, arg=[list(FILTERS), section])


def search(page, site_url: str, words: str) -> list[dict]:
    """Open /recherche/?q=…, wait for Pagefind's results and filters; [{title, url, tags}]."""
    page.goto(f"{site_url}/recherche/?q={words}")
    wait_until_shown(page)
    return page.eval_on_selector_all(".pagefind-ui__result", """items => items.map(item => ({
        title: item.querySelector('.pagefind-ui__result-title').textContent.trim(),
        url: item.querySelector('.pagefind-ui__result-link').getAttribute('href'),
        tags: [...item.querySelectorAll('.pagefind-ui__result-tag')].map(t => t.textContent.trim()),
    }))""")


@pytest.mark.parametrize("words", ["epicerie", "Épicerie", "legumineuses", "légumineuses"])
def test_a_pro_is_found_with_or_without_accents(page, site_url, words):
    results = search(page, site_url, words)
    found = {r["title"]: r for r in results}
    assert "La Drôle d'Épicerie" in found, results
    pro = found["La Drôle d'Épicerie"]
    assert urlsplit(pro["url"]).path == "/pros/la-drole-d-epicerie/"
    assert "Catégorie: Épicerie, vrac" in pro["tags"] and "Commune: Angoulême" in pro["tags"]
    # Lists and maps are not indexed: a pro is found on its own page only.
    paths = [urlsplit(result["url"]).path for result in results]
    assert len(paths) == len(set(paths))
    for path in paths:
        assert path not in LISTS and not path.startswith(LIST_PREFIXES), path
    assert page.errors == [] and page.foreign_requests == []


def test_interface_is_french_and_offers_the_filters(page, site_url):
    search(page, site_url, "bulle")
    assert "résultat" in page.inner_text(".pagefind-ui__message")
    assert page.get_attribute(".pagefind-ui__search-input", "placeholder").startswith("Un commerce")
    filters = page.evaluate("""async () => {
        const pagefind = await import('/pagefind/pagefind.js');
        return await pagefind.filters();
    }""")
    assert set(filters) == {"catégorie", "commune", "type", "vérification"}  # issue 14
    assert filters["vérification"]["jamais vérifiée"] == 1
    assert filters["type"]["Professionnel"] > 10 and filters["type"]["Article"] == 5
    assert filters["commune"]["Angoulême"] >= 1 and filters["catégorie"]["Épicerie, vrac"] >= 1
    # Filter by type in the interface: only articles remain.
    page.click(".pagefind-ui__filter-name:has-text('type')")
    page.check("input[type=checkbox][value=Article]")
    wait_until_shown(page, "/articles/")


def test_header_box_submits_to_the_search_page_even_without_javascript(browser, site_url):
    for javascript in (True, False):
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      java_script_enabled=javascript)
        page = context.new_page()
        page.goto(f"{site_url}/")
        page.fill("#recherche-entete", "épicerie")
        page.press("#recherche-entete", "Enter")
        page.wait_for_url("**/recherche/?q=*")
        if javascript:
            page.wait_for_selector(".pagefind-ui__result-title:has-text(\"La Drôle d'Épicerie\")")
        else:
            assert "La recherche a besoin de JavaScript" in page.inner_text("main")
            assert page.input_value("#recherche-q") == ""  # the plain form, ready to use
        context.close()


def test_search_page_is_accessible(page, site_url, axe):
    search(page, site_url, "épicerie")
    # Pagefind draws its own search box, named by aria-label (our search_label) and a
    # placeholder: axe's best-practice rule label-title-only wants a visible <label> there,
    # which only a change of the page's design can give (reported to the lead).
    violations = [v for v in axe(page) if v["id"] != "label-title-only"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]

