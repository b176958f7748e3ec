"""Issue 15: /donnees/ and /donnees/openstreetmap/ in Chromium at phone width (375 px): no axe
violation, no console error, no request outside the site, nothing wider than the screen (the
screenshots are kept in /tmp/shots/donnees/); the columns of a CSV open from their summary."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/donnees")
PAGES = {"donnees": "/donnees/", "openstreetmap": "/donnees/openstreetmap/"}


def check_phone_page(page, axe, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.errors == [] and page.foreign_requests == []
    violations = axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


@pytest.mark.parametrize("name", PAGES)
def test_each_page_at_375_px(page, site_url, axe, name):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site_url}{PAGES[name]}", wait_until="load")
    heading = {"donnees": "Données ouvertes", "openstreetmap": "Ajouter les pros dans "
                                                                "OpenStreetMap"}[name]
    assert page.get_by_role("heading", level=1).inner_text() == heading
    check_phone_page(page, axe, name)


def test_the_columns_open_from_their_summary(page, site_url, axe):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site_url}/donnees/", wait_until="load")
    column = page.locator("#pros ~ details dt", has_text="verification").first
    assert not column.is_visible()
    page.get_by_text("Les 30 colonnes de pros.csv").click()
    column.wait_for(state="visible")
    assert column.inner_text() == "verification : Vérification (texte)"
    check_phone_page(page, axe, "donnees-colonnes")


def test_the_footer_leads_to_the_page_and_the_guide(page, site_url):
    page.goto(f"{site_url}/", wait_until="load")
    page.get_by_role("link", name="Données ouvertes", exact=True).click()
    page.wait_for_url("**/donnees/")
    page.get_by_role("link", name="Ajouter les pros dans OpenStreetMap").first.click()
    page.wait_for_url("**/donnees/openstreetmap/")
    assert page.errors == []
