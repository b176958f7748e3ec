"""Issue 14, point 1 in Chromium at phone width (375 px): the pro page of each freshness state
and the no-JavaScript filter /pros/a-verifier/ say their state and have no axe violation."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/fraicheur")
STATES = {
    "maison-soulat": "Vérifié il y a moins d'un mois, le 20 mars 2020.",
    "atelier-terre-de-touvre": "À revérifier bientôt : vérifié il y a 9 mois, le 20 juin 2019.",
    "l-aiguille-de-ruffec": "Informations anciennes : vérifiées il y a 12 mois, le 15 mars "
                            "2019. Appelez avant de vous déplacer.",
    "repair-cafe-du-plateau": "Fiche jamais vérifiée par l'association. Appelez avant de "
                              "vous déplacer.",
}


@pytest.mark.parametrize("slug", STATES)
def test_each_state_shown_and_accessible_at_375_px(page, site_url, axe, slug):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site_url}/pros/{slug}/", wait_until="load")
    note = page.locator("p.freshness")
    assert note.inner_text() == STATES[slug]
    assert note.is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{slug}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.errors == []
    violations = axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_filter_page_without_javascript_at_375_px(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375,
                                                                       "height": 800})
    page = context.new_page()
    page.goto(f"{site_url}/pros/", wait_until="load")
    page.get_by_role("link", name="Fiches à revérifier").click()
    page.wait_for_url("**/pros/a-verifier/")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[:3] == ["Informations anciennes", "Jamais vérifiée", "À revérifier bientôt"]
    assert page.locator("p.freshness-mark").all_inner_texts() == [
        "Informations anciennes (vérifiées il y a 12 mois)", "Fiche jamais vérifiée"]
    page.screenshot(path=str(SHOTS / "a-verifier.png"), full_page=True)
    context.close()


def test_filter_page_is_accessible_at_375_px(page, site_url, axe):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{site_url}/pros/a-verifier/", wait_until="load")
    violations = axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
