"""The maps in Chromium (375 px wide, tiles blocked): markers, layers, search, ?pro=, links."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
import yaml
from conftest import ROOT

from labulle.model.directory import slugify

PROS = ROOT / "pros"
TODAY = date(2020, 3, 23)  # LABULLE_TODAY of pelicanconf.py

pytestmark = pytest.mark.browser

COUNT_JS = """() => {
    const cluster = laBulle.state().cluster;
    let n = 0;
    cluster._featureGroup.eachLayer(l => { n += l.getChildCount ? l.getChildCount() : 1; });
    return n;
}"""


def sample_spots() -> list[dict]:
    """Every place (with a position) of every published sample pro, read from the pro files
    as the webmaster wrote them: its slug, its commune's slug, its main category, its
    category keys and those above them, whether it is an exchange office."""
    categories = yaml.safe_load((PROS / "categories.yml").read_text(encoding="utf-8"))
    spots = []
    for path in sorted(PROS.glob("*.yml")):
        if path.name == "categories.yml":
            continue
        pro = yaml.safe_load(path.read_text(encoding="utf-8"))
        left = pro.get("quitte_le")
        if pro.get("brouillon") or (left is not None and left <= TODAY):
            continue
        keys = []
        for key in pro["categories"]:
            while key:
                keys.append(key)
                key = categories[key].get("parent")
        main = pro["categories"][0]
        while categories[main].get("parent"):
            main = categories[main]["parent"]
        comptoir = bool((pro.get("bulle") or {}).get("comptoir"))
        places = [pro.get("adresse") or {}, *(pro.get("marches") or [])]
        spots += [{"slug": path.stem, "commune": slugify(p.get("commune") or ""), "main": main,
                   "cats": set(keys), "comptoir": comptoir} for p in places if p.get("position")]
    return spots


def sample_places() -> list[tuple[str, str, bool]]:
    """(slug, main category, exchange office) of every place of every published sample pro."""
    return [(s["slug"], s["main"], s["comptoir"]) for s in sample_spots()]


# The map has drawn its clusters and finished every animation: no zoom animation, no icon
# still fading in (axe would measure the contrast of a half-transparent cluster count).
SETTLED_JS = """() => {
  const lb = window.laBulle, cluster = lb && lb.state().cluster;
  if (!cluster || cluster._inZoomAnimation) return false;
  if (!cluster._featureGroup.getLayers().length) return false;
  const icons = [...document.querySelectorAll('.leaflet-marker-icon')];
  return icons.length > 0 && icons.every(e => getComputedStyle(e).opacity === '1')
    && !document.querySelector('.leaflet-cluster-anim');
}"""


def open_map(page, site_url: str, path: str = "/carte/", embed: str = "carte-embed.html"):
    """Load a page framing a map; returns the map's frame once its data are shown."""
    page.goto(site_url + path)
    iframe = page.locator(f'iframe[src$="{embed}"]')
    iframe.scroll_into_view_if_needed()
    frame = iframe.element_handle().content_frame()
    frame.wait_for_function("() => window.laBulle && laBulle.state().ready")
    return frame


def displayed(frame, expected: int) -> int:
    """Markers shown (cluster counts + single markers): waits until the map shows `expected`
    with no cluster animation running, then returns what is there (if it never does, what is
    there when Playwright stops waiting, for the assertion that follows to report)."""
    from playwright.sync_api import TimeoutError as Timeout

    shown = (f"() => ({COUNT_JS})() === {expected} && !laBulle.state().cluster._inZoomAnimation"
             " && !document.querySelector('.leaflet-cluster-anim')")
    with contextlib.suppress(Timeout):
        frame.wait_for_function(shown)
    return frame.evaluate(COUNT_JS)


def total(frame) -> int:
    """Markers in the cluster group, shown or not."""
    return frame.evaluate("() => laBulle.state().cluster.getLayers().length")


def popup_text(frame) -> str:
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    return popup.inner_text()


def test_map_shows_every_place_with_no_error_and_no_foreign_request(page, site_url) -> None:
    places = sample_places()
    assert len(places) > 20
    frame = open_map(page, site_url)
    assert displayed(frame, len(places)) == len(places)
    assert total(frame) == len(places)
    assert page.errors == []
    assert page.foreign_requests == []  # only tiles leave the local server (and are blocked)
    assert all("tile.openstreetmap.org" in url for url in page.tile_requests)
    # The text alternative is there, before the map.
    alternative = page.locator(".carte-alternative a", has_text="annuaire des pros")
    assert alternative.get_attribute("href").endswith("/pros/")


def test_switching_a_category_off_removes_its_markers(page, site_url) -> None:
    places = sample_places()
    food = [p for p in places if p[1] == "alimentation" and not p[2]]
    frame = open_map(page, site_url)
    frame.locator(".leaflet-control-layers-toggle").click()  # collapsed at 375 px
    checkbox = frame.get_by_label("Alimentation")
    checkbox.uncheck()
    assert total(frame) == len(places) - len(food)
    assert displayed(frame, len(places) - len(food)) == len(places) - len(food)
    checkbox.check()
    assert total(frame) == len(places)
    assert displayed(frame, len(places)) == len(places)


def test_exchange_offices_are_a_layer_of_their_own(page, site_url) -> None:
    offices = [p for p in sample_places() if p[2]]
    assert offices
    frame = open_map(page, site_url)
    frame.locator(".leaflet-control-layers-toggle").click()
    label = frame.locator(".leaflet-control-layers label", has_text="Comptoirs de change")
    assert f"({len({p[0] for p in offices})})" in label.inner_text()
    before = total(frame)
    label.locator("input").uncheck()
    assert total(frame) == before - len(offices)
    assert displayed(frame, before - len(offices)) == before - len(offices)


def test_search_by_part_of_the_name_without_accents_opens_the_popup(page, site_url) -> None:
    frame = open_map(page, site_url)
    frame.locator("input.search-input").press_sequentially("drole d'epi")
    tip = frame.locator(".search-tip", has_text="La Drôle d'Épicerie")
    tip.click()
    assert "La Drôle d'Épicerie" in popup_text(frame)
    assert page.errors == []


def test_pro_in_the_address_opens_its_popup(page, site_url) -> None:
    frame = open_map(page, site_url, "/carte/?pro=le-grain-de-sel")
    text = popup_text(frame)
    assert "Le Grain de Sel" in text and "Comptoir de change\toui" in text


def test_pro_in_the_fragment_opens_its_popup(page, site_url) -> None:
    frame = open_map(page, site_url, "/carte/#pro=chevrerie-des-brandes")
    assert "Chèvrerie des Brandes" in popup_text(frame)


def test_popup_link_opens_the_pro_page_in_the_top_window(page, site_url) -> None:
    frame = open_map(page, site_url, "/carte/?pro=le-grain-de-sel")
    popup_text(frame)
    with page.expect_navigation():
        frame.locator(".leaflet-popup-content a", has_text="Voir la fiche").click()
    assert page.url == f"{site_url}/pros/le-grain-de-sel/"
    assert page.errors == []


def test_crisis_map_shows_the_crisis_list(page, site_url) -> None:
    from labulle.model.directory import Directory
    from labulle.pages.crisis import CrisisList
    from labulle.source.readers import read_categories, read_pros

    categories, _problems = read_categories(PROS / "categories.yml")
    directory = Directory(categories, read_pros(PROS, categories)[0], TODAY)
    entries = CrisisList(directory, {"LABULLE_CRISIS_STALE_DAYS": 14}).listed
    expected = 0
    for entry in entries:
        pro = entry.pro
        expected += bool(pro.adresse and pro.adresse.position)
        expected += sum(1 for m in pro.marches if m.position)
    assert expected > 10
    frame = open_map(page, site_url, "/ouverts-pendant-la-crise/", "crise-embed.html")
    assert displayed(frame, expected) == expected
    assert page.errors == []
    assert page.foreign_requests == []


@pytest.mark.parametrize("path", ["/carte/", "/carte/carte-embed.html",
                                  "/carte/crise-embed.html"])
def test_map_pages_pass_axe(page, site_url, axe, path) -> None:
    page.goto(site_url + path)
    page.wait_for_function("() => !document.querySelector('iframe') || "
                           "document.querySelector('iframe').contentWindow.laBulle")
    frame = page if "embed" in path else page.locator("iframe").element_handle().content_frame()
    frame.wait_for_function(SETTLED_JS)
    assert [(v["id"], v["nodes"][0]["html"]) for v in axe(page)] == []


def test_a_pro_without_a_place_gets_a_message_instead(page, site_url) -> None:
    frame = open_map(page, site_url, "/carte/?pro=velo-toque")
    assert "n’a pas d’adresse sur la carte" in frame.locator(".lb-notice").inner_text()
    assert frame.locator(".leaflet-popup").count() == 0
