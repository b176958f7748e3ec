"""The crisis page in Chromium with a frozen clock: filters, URL state, open-now badges, a11y."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_10 = datetime(2020, 3, 24, 10, 0, tzinfo=PARIS)
PATH = "/ouverts-pendant-la-crise/"


def open_page(page, site_url: str, when: datetime = TUESDAY_10, query: str = ""):
    page.clock.install(time=when)
    page.goto(f"{site_url}{PATH}{query}")
    return page


def visible(page) -> set[str]:
    return {e.get_attribute("id").removeprefix("pro-")
            for e in page.locator(".fiche:not([hidden])").all()}


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def badge(page, slug: str) -> str:
    """The badge's text, "" when it is hidden (its entry may be filtered out)."""
    element = page.locator(f"#pro-{slug} [data-maintenant]")
    return "" if element.get_attribute("hidden") is not None else element.text_content()


ALL = 19


def test_without_filters_everything_is_listed(page, site_url):
    open_page(page, site_url)
    assert len(visible(page)) == ALL
    assert page.locator("[data-compte]").inner_text() == f"{ALL} pros dans la liste"
    assert page.locator("[data-compte]").get_attribute("aria-live") == "polite"
    assert page.locator("form[data-filtres]").is_visible()
    assert query(page) == {}
    assert page.errors == [] and page.foreign_requests == []


@pytest.mark.parametrize(("action", "params", "expected"), [
    (lambda p: p.select_option("#f-categorie", "boulangerie"), {"categorie": ["boulangerie"]},
     {"maison-soulat"}),
    (lambda p: p.select_option("#f-commune", "Cognac"), {"commune": ["Cognac"]},
     {"le-grain-de-sel"}),
    (lambda p: p.get_by_label("livrent").check(), {"livraison": ["1"]},
     {"brasserie-de-la-vienne-confolentaise", "ferme-de-la-bonnieure",
      "fromagerie-du-champ-de-mars", "la-drole-d-epicerie", "le-grain-de-sel",
      "le-comptoir-de-l-houmeau", "pepiniere-du-gond"}),
    (lambda p: p.get_by_label("font le retrait de commande").check(), {"retrait": ["1"]},
     {"boucherie-mercier", "brasserie-de-la-vienne-confolentaise", "fromagerie-du-champ-de-mars",
      "la-drole-d-epicerie", "le-panier-rochefoucauld", "le-potager-de-fleac", "maison-soulat",
      "l-isle-aux-images", "pepiniere-du-gond", "quincaillerie-barbezilienne"}),
    (lambda p: p.get_by_label("proposent des paniers").check(), {"paniers": ["1"]},
     {"fromagerie-du-champ-de-mars", "la-drole-d-epicerie", "le-panier-rochefoucauld",
      "le-potager-de-fleac", "pepiniere-du-gond"}),
    (lambda p: p.get_by_label("acceptent la Bulle numérique").check(), {"numerique": ["1"]},
     {"fromagerie-du-champ-de-mars", "la-drole-d-epicerie", "le-comptoir-de-l-houmeau",
      "l-isle-aux-images", "informatique-libre-16", "velo-toque"}),
    (lambda p: p.get_by_label("sont ouverts maintenant").check(), {"maintenant": ["1"]},
     {"boucherie-mercier", "fromagerie-du-champ-de-mars", "la-drole-d-epicerie",
      "le-grain-de-sel", "maison-soulat", "l-isle-aux-images", "pepiniere-du-gond",
      "quincaillerie-barbezilienne", "informatique-libre-16", "plomberie-touvre-services",
      "velo-toque"}),
])
def test_each_filter_changes_the_list_and_the_url(page, site_url, action, params, expected):
    open_page(page, site_url)
    action(page)
    assert visible(page) == expected
    assert query(page) == params
    count = len(expected)
    assert page.locator("[data-compte]").inner_text() == (
        f"{count} pro dans la liste" if count == 1 else f"{count} pros dans la liste")
    # sections without a visible entry are hidden, and so is their link in the summary
    for section in page.locator("[data-section]").all():
        has_entries = section.locator(".fiche:not([hidden])").count() > 0
        assert section.is_visible() is has_entries
    assert page.errors == []


def test_filters_combine_and_reload_restores_them(page, site_url):
    open_page(page, site_url)
    page.select_option("#f-commune", "Angoulême")
    page.get_by_label("livrent").check()
    assert visible(page) == {"fromagerie-du-champ-de-mars", "la-drole-d-epicerie",
                             "le-comptoir-de-l-houmeau"}
    shared = page.url
    assert query(page) == {"commune": ["Angoulême"], "livraison": ["1"]}
    page.reload()
    assert page.locator("#f-commune").input_value() == "Angoulême"
    assert page.get_by_label("livrent").is_checked()
    assert visible(page) == {"fromagerie-du-champ-de-mars", "la-drole-d-epicerie",
                             "le-comptoir-de-l-houmeau"}
    # the shared link, opened elsewhere, gives the same view
    other = page.context.new_page()
    other.goto(shared)
    assert visible(other) == visible(page)
    other.close()
    # "Tout afficher" clears the filters and the query string
    page.locator("form [data-effacer]").click()
    assert len(visible(page)) == ALL and query(page) == {}
    assert page.errors == []


def test_no_match_says_so(page, site_url):
    open_page(page, site_url, query="?commune=Cognac&paniers=1")
    assert visible(page) == set()
    assert page.locator("[data-compte]").inner_text() == "Aucun pro ne correspond à ces critères"
    assert page.locator("[data-vide]").is_visible()


def test_unknown_values_in_the_url_are_ignored(page, site_url):
    open_page(page, site_url, query="?categorie=%3Cscript%3E&commune=Paris")
    assert len(visible(page)) == ALL
    assert page.errors == []


@pytest.mark.parametrize(("when", "slug", "expected"), [
    (datetime(2020, 3, 23, 10, 0), "la-drole-d-epicerie", "Fermé · ouvre demain à 9 h"),
    (datetime(2020, 3, 24, 11, 59), "la-drole-d-epicerie", "Ouvert maintenant · ferme à 12 h"),
    (datetime(2020, 3, 24, 12, 0), "la-drole-d-epicerie", "Fermé · ouvre jeudi à 9 h"),
    (datetime(2020, 3, 24, 12, 0), "boucherie-mercier", "Ouvert maintenant · ferme à 12 h 30"),
    (datetime(2020, 3, 24, 13, 45), "le-comptoir-de-l-houmeau", "Fermé · ouvre à 18 h 30"),
    (datetime(2020, 3, 24, 10, 0), "ferme-de-la-bonnieure", ""),  # delivery only: no badge
    (datetime(2020, 3, 24, 10, 0), "les-ruches-du-ruffecois", ""),  # stale: no badge
    (datetime(2020, 3, 24, 10, 0), "chevrerie-des-brandes", ""),  # closed
    (datetime(2020, 4, 6, 10, 0), "maison-soulat", ""),  # 14 days passed: no rebuild, no badge
])
def test_open_now_badge(page, site_url, when, slug, expected):
    open_page(page, site_url, when.replace(tzinfo=PARIS))
    assert badge(page, slug) == expected
    assert page.errors == []


def test_badge_changes_at_closing_time_while_the_page_is_open(page, site_url):
    open_page(page, site_url, datetime(2020, 3, 24, 11, 58, tzinfo=PARIS))
    page.get_by_label("sont ouverts maintenant").check()
    assert "la-drole-d-epicerie" in visible(page)
    assert badge(page, "la-drole-d-epicerie") == "Ouvert maintenant · ferme à 12 h"
    page.clock.run_for("03:00")  # three minutes later: 12:01
    assert badge(page, "la-drole-d-epicerie") == "Fermé · ouvre jeudi à 9 h"
    assert "la-drole-d-epicerie" not in visible(page)
    assert "boucherie-mercier" in visible(page)  # still open until 12:30


@pytest.mark.parametrize("path", [PATH, "/paniers/"])
def test_no_axe_violation(page, site_url, axe, path):
    page.clock.install(time=TUESDAY_10)
    page.goto(f"{site_url}{path}")
    if path == PATH:
        page.get_by_label("livrent").check()  # with a filter on and badges shown
    assert axe(page) == []
    assert page.errors == [] and page.foreign_requests == []


def test_without_javascript_the_whole_list_is_there(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(f"{site_url}{PATH}?livraison=1")
    assert page.locator(".fiche").count() == ALL
    assert page.locator(".fiche:visible").count() == ALL
    assert not page.locator("form[data-filtres]").is_visible()  # useless without the script
    links = page.locator(".crise-sommaire a").all()
    assert [a.get_attribute("href") for a in links][0] == "#cat-alimentation"
    page.locator(".crise-sommaire a", has_text="Services").click()
    assert re.search(r"#cat-services$", page.url)
    assert page.locator("#paniers .panier").count() == 7
    context.close()
