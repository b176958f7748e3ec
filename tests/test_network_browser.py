"""Issue 16, point 6 in Chromium at phone width (375 px): « Entre pros » and a pro page showing
its network lines are readable without horizontal scrolling, make no request outside the site,
log no error, and have no axe violation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "/entre-pros/": ("heading", "Cherche des fournisseurs"),
    "/pros/le-cafe-des-remparts/": ("link", "Brasserie de la Vienne confolentaise"),
}


@pytest.mark.parametrize("path", PAGES)
def test_accessible_at_375_px(page, site_url, axe, path):
    page.goto(f"{site_url}{path}", wait_until="load")
    role, name = PAGES[path]
    shown = page.get_by_role(role, name=name, exact=True).first
    assert shown.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.errors == [] and page.foreign_requests == []
    violations = axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_from_a_pro_page_to_its_supplier_and_to_entre_pros(page, site_url):
    page.goto(f"{site_url}/pros/le-cafe-des-remparts/", wait_until="load")
    network = page.locator("section.pro-network")
    network.get_by_role("link", name="Maison Soulat").click()
    page.wait_for_url("**/pros/maison-soulat/")
    supplied = page.locator("section.pro-network li", has_text="Fournit aussi")
    assert supplied.inner_text() == "Fournit aussi : Le Café des Remparts"
    page.get_by_role("link", name="Où les pros dépensent leurs Bulles").click()
    page.wait_for_url("**/entre-pros/")
    assert page.get_by_role("heading", level=1).inner_text() == "Entre pros"
