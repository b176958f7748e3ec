"""The main pages in Chromium, phone (375 px) and desktop (1280 px): accessible, local only."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/site")
PAGES = {"accueil": "/", "annuaire": "/pros/", "pro": "/pros/la-drole-d-epicerie/",
         "comptoirs": "/comptoirs/"}
WIDTHS = {"telephone": 375, "ordinateur": 1280}


@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("page_name", PAGES)
def test_page_is_clean_and_accessible(page, site_url, axe, page_name, width_name):
    page.set_viewport_size({"width": WIDTHS[width_name], "height": 900})
    page.goto(site_url + PAGES[page_name], wait_until="load")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{page_name}-{width_name}.png"), full_page=True)
    assert page.errors == []
    assert page.foreign_requests == []
    violations = axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


ARTICLE = "/articles/et-si-la-crise-changeait-nos-habitudes/"


@pytest.mark.parametrize("path", [*PAGES.values(), ARTICLE, "/404.html"])
def test_no_horizontal_scroll_at_320_px(page, site_url, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_phone_menu_opens_without_javascript(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/")
    link = page.get_by_role("link", name="Comptoirs de change", exact=True).first
    menu_link = page.locator(".menu nav a", has_text="Annuaire")
    assert not menu_link.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert menu_link.is_visible()
    box = menu_link.bounding_box()
    assert box and box["height"] >= 44
    menu_link.click()
    assert page.url.endswith("/pros/")
    assert link is not None
    context.close()


def test_desktop_menu_is_always_visible(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + "/pros/")
    assert not page.locator(".menu summary").is_visible()
    nav = page.get_by_role("navigation", name="Menu principal")
    for label in ("Annuaire", "Carte", "Comptoirs de change", "Bulle numérique", "Billets",
                  "Agenda", "À propos"):
        assert nav.get_by_role("link", name=label, exact=True).is_visible(), label
    current = nav.get_by_role("link", name="Annuaire", exact=True)
    assert current.get_attribute("aria-current") == "page"


def test_skip_link_is_first_and_visible_on_focus(page, site_url):
    page.goto(site_url + "/pros/maison-soulat/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Aller au contenu"
    assert page.locator(".skip").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_pro_page_phone_shows_practical_information_before_the_description(page, site_url):
    page.goto(site_url + "/pros/la-drole-d-epicerie/")
    facts = page.locator(".facts").bounding_box()
    description = page.locator("#presentation").bounding_box()
    assert facts["y"] < description["y"]
    phone = page.get_by_role("link", name="05 45 61 27 84")
    assert phone.get_attribute("href") == "tel:+33545612784"
    assert phone.bounding_box()["height"] >= 44
