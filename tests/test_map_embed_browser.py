"""Issue 15 point 4 in Chromium: the map a town hall embeds, filtered by the URL, and
/carte/integrer/ used as a town hall would (375 px and 1280 px), its code pasted into a blank
page served by another local server; the messages of an unknown commune, category or view and
of an empty result; the page without JavaScript; axe."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from conftest import ROOT, serve
from playwright.sync_api import expect
from test_map_browser import SETTLED_JS, sample_spots

PROS = ROOT / "pros"
TODAY = date(2020, 3, 23)  # LABULLE_TODAY of pelicanconf.py
COMPTOIR = "comptoir"

pytestmark = pytest.mark.browser


def expected(commune: str | None = None, categorie: str | None = None,
             comptoirs: bool = False) -> set[str]:
    return {s["slug"] for s in sample_spots()
            if (commune is None or s["commune"] == commune)
            and (categorie is None or categorie in s["cats"]) and (not comptoirs or s[COMPTOIR])}


SHOWN_JS = """() => [...new Set(laBulle.state().cluster.getLayers()
                                 .map(m => m.feature.properties.slug))].sort()"""


def ready(frame):  # type: ignore[no-untyped-def]
    frame.wait_for_function("() => window.laBulle && laBulle.state().ready")
    return frame


def shown(frame) -> set[str]:  # type: ignore[no-untyped-def]
    return set(ready(frame).evaluate(SHOWN_JS))


def open_embed(page, site_url: str, query: str):  # type: ignore[no-untyped-def]
    page.goto(f"{site_url}/carte/carte-embed.html{query}")
    return ready(page.main_frame)


# --- The filters of the embedded map ------------------------------------------------------------


@pytest.mark.parametrize("query, wanted", [
    ("?commune=angouleme", {"commune": "angouleme"}),
    ("?categorie=alimentation", {"categorie": "alimentation"}),
    ("?commune=angouleme&categorie=fromagerie", {"commune": "angouleme",
                                                 "categorie": "fromagerie"}),
    ("?vue=comptoirs", {"comptoirs": True}),
    ("?commune=angouleme&vue=comptoirs", {"commune": "angouleme", "comptoirs": True}),
])
def test_the_map_shows_exactly_the_pros_the_address_asks_for(page, site_url, query,
                                                              wanted) -> None:
    slugs = expected(**wanted)
    assert len(slugs) >= 2  # a real choice, not one pro
    frame = open_embed(page, site_url, query)
    assert shown(frame) == slugs
    assert frame.locator(".lb-message").count() == 0
    assert page.errors == [] and page.foreign_requests == []


def test_the_map_is_fitted_to_the_chosen_pros(page, site_url) -> None:
    frame = open_embed(page, site_url, "?commune=angouleme&categorie=fromagerie")
    inside = frame.evaluate("""() => {
        const map = laBulle.state().map, bounds = map.getBounds();
        return [map.getZoom(), laBulle.state().cluster.getLayers()
                .every(m => bounds.contains(m.getLatLng()))];
    }""")
    assert inside[1] is True
    assert 12 <= inside[0] <= 15  # fitted to one town, no closer than a street


def test_the_crisis_view_shows_the_crisis_list_of_that_commune(page, site_url) -> None:
    from labulle.model.directory import Directory
    from labulle.pages.crisis import CrisisList
    from labulle.source.readers import read_categories, read_pros

    categories, _problems = read_categories(PROS / "categories.yml")
    directory = Directory(categories, read_pros(PROS, categories)[0], TODAY)
    listed = {e.pro.slug for e in CrisisList(directory, {"LABULLE_CRISIS_STALE_DAYS": 14}).listed}
    slugs = expected(commune="angouleme") & listed
    assert len(slugs) >= 2
    frame = open_embed(page, site_url, "?commune=angouleme&vue=crise")
    assert shown(frame) == slugs
    # The crisis statuses' layers and legend, as on the crisis map.
    frame.locator(".leaflet-control-layers-toggle").click()
    legend = frame.locator(".leaflet-control-layers").inner_text()
    assert "Situation pendant la crise" in legend and "Ouvert" in legend
    assert frame.title() == "Carte des pros ouverts pendant la crise : Angoulême"
    assert page.errors == []


def test_a_pro_in_the_address_still_opens_on_a_filtered_map(page, site_url) -> None:
    frame = open_embed(page, site_url, "?commune=angouleme&pro=maison-soulat")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Maison Soulat" in popup.inner_text()


MESSAGES = [
    ("?commune=paris", "La commune « paris » n’est pas sur cette carte : aucun pro n’y est "
     "inscrit, ou son nom est mal écrit.", "/carte/carte-embed.html"),
    ("?categorie=bijouterie&vue=crise", "La catégorie « bijouterie » n’existe pas.",
     "/carte/carte-embed.html?vue=crise"),
    ("?vue=tout", "La vue « tout » n’existe pas (vues possibles : crise, comptoirs).",
     "/carte/carte-embed.html"),
    ("?commune=cognac&categorie=fromagerie", "Aucun pro ne correspond à ce choix (Cognac, "
     "Fromagerie, produits laitiers).", "/carte/carte-embed.html"),
]


@pytest.mark.parametrize("query, text, whole", MESSAGES)
def test_a_choice_that_shows_nothing_says_why_and_links_the_whole_map(page, site_url, query, text,
                                                                     whole) -> None:
    if "fromagerie" in query:
        assert expected("cognac", "fromagerie") == set()  # a real empty result
        assert expected(categorie="fromagerie")  # of a category that exists
    frame = open_embed(page, site_url, query)
    box = frame.locator(".lb-message")
    assert box.get_attribute("role") == "status"
    assert box.locator("p").first.inner_text() == text
    link = box.get_by_role("link", name="Voir toute la carte")
    assert link.get_attribute("href") == whole
    assert box.is_visible()
    assert shown(frame) == set()
    link.click()
    whole_map = ready(page.main_frame)
    assert whole_map.locator(".lb-message").count() == 0
    assert shown(whole_map) == (expected() if whole.endswith(".html") else shown(whole_map))
    assert len(shown(whole_map)) > 10
    assert page.errors == []


# --- /carte/integrer/ as a town hall uses it -----------------------------------------------------


@pytest.fixture
def town_hall_site(tmp_path):  # type: ignore[no-untyped-def]
    """The town hall's own site: another local server, on another port, serving `tmp_path`."""
    server, url = serve(tmp_path)
    yield tmp_path, url
    server.shutdown()
    server.server_close()


def blank_page(code: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Mairie</title>'
            f"</head><body><main><h1>Nos commerçants</h1>\n{code}\n</main></body></html>\n")


@pytest.mark.parametrize("width, commune, categorie", [(375, "angouleme", "alimentation"),
                                                       (1280, "angouleme", "fromagerie")])
def test_a_town_hall_chooses_copies_and_pastes_the_map(page, site_url, axe, town_hall_site,
                                                       width, commune, categorie) -> None:
    folder, other = town_hall_site
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site_url}/carte/")
    page.get_by_role("link", name="Intégrer cette carte sur votre site").click()
    page.get_by_label("Commune").select_option(commune)
    page.get_by_label("Activité").select_option(categorie)
    preview = page.locator("#integrer-apercu")
    src = f"{site_url}/carte/carte-embed.html?commune={commune}&categorie={categorie}"
    assert preview.get_attribute("src") == src
    slugs = expected(commune, categorie)
    frame = preview.element_handle().content_frame()
    frame.wait_for_url(src)  # the preview has left the map of the previous choice
    assert shown(frame) == slugs  # the preview is the map
    code = page.get_by_label(re.compile("Code HTML de la carte choisie")).input_value()
    name = yaml.safe_load((PROS / "categories.yml").read_text(encoding="utf-8"))[categorie]["label"]
    assert code == (
        f'<iframe src="{src.replace("&", "&amp;")}" title="Carte des pros de la Bulle : '
        f'Angoulême, {name}" width="600" height="450" loading="lazy" '
        'style="width:100%;max-width:100%;border:0"></iframe>\n'
        f'<p>Sans carte : <a href="{site_url}/pros/commune/{commune}/">la liste des pros de la '
        "Bulle à Angoulême</a>.</p>")
    page.get_by_role("button", name="Copier").click()
    # The clipboard answers later (a promise): wait for the sentence, whichever it is.
    expect(page.locator("#integrer-copie")).to_have_text(re.compile(
        r"^(Code copié : collez-le dans votre page\.|Le code est sélectionné : copiez-le avec "
        r"Ctrl\+C \(⌘\+C sur Mac\)\.)$"))
    assert axe(page) == []

    (folder / "index.html").write_text(blank_page(code), encoding="utf-8")
    page.context.route(f"{other}/**", lambda route: route.continue_())  # the page fixture
    page.goto(other + "/")  # blocks every host but the site's: let the town hall's through
    iframe = page.locator("iframe")
    assert iframe.get_attribute("title") == f"Carte des pros de la Bulle : Angoulême, {name}"
    iframe.scroll_into_view_if_needed()
    assert shown(iframe.element_handle().content_frame()) == slugs
    listing = page.get_by_role("link", name="la liste des pros de la Bulle à Angoulême")
    assert listing.get_attribute("href") == f"{site_url}/pros/commune/{commune}/"
    assert page.errors == []
    assert page.foreign_requests == []  # the two local servers, and the tiles (blocked)


def test_the_view_select_gives_the_crisis_map_and_its_list(page, site_url) -> None:
    page.goto(f"{site_url}/carte/integrer/")
    page.get_by_label("Pros montrés").select_option("crise")
    code = page.locator("#integrer-code").input_value()
    assert f'src="{site_url}/carte/carte-embed.html?vue=crise"' in code
    assert 'title="Carte des pros ouverts pendant la crise"' in code
    assert (f'<a href="{site_url}/ouverts-pendant-la-crise/">la liste des pros ouverts pendant '
            "la crise</a>") in code
    page.get_by_label("Pros montrés").select_option("comptoirs")
    code = page.locator("#integrer-code").input_value()
    assert f'<a href="{site_url}/comptoirs/">la liste des comptoirs de change</a>' in code
    assert page.errors == []


def test_without_javascript_the_page_gives_each_communes_code(browser, built_site,
                                                               site_url) -> None:
    communes = {s["commune"] for s in sample_spots()}
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375,
                                                                        "height": 812})
    page = context.new_page()
    page.goto(f"{site_url}/carte/integrer/")
    assert not page.locator("#integrer").is_visible()  # the choices need JavaScript
    whole = page.locator("#integrer-code").input_value()
    assert whole.startswith('<iframe src="https://labulle16.fr/carte/carte-embed.html" ')
    details = page.locator("details.integrer-commune")
    assert details.count() == len(communes)
    found = set()
    for i in range(details.count()):
        item = details.nth(i)
        item.locator("summary").click()
        code = item.locator("textarea").input_value()
        slug = re.search(r"carte-embed\.html\?commune=([a-z0-9-]+)", code).group(1)
        assert f'<a href="https://labulle16.fr/pros/commune/{slug}/">' in code
        assert 'loading="lazy"' in code and 'title="Carte des pros de la Bulle : ' in code
        found.add(slug)
    assert found == communes
    context.close()


@pytest.mark.parametrize("path", ["/carte/integrer/",
                                  "/carte/carte-embed.html?commune=angouleme&categorie=alimentation",
                                  "/carte/carte-embed.html?commune=paris"])
def test_embed_page_and_filtered_maps_pass_axe(page, site_url, axe, path) -> None:
    page.goto(site_url + path)
    if "embed" in path:
        ready(page.main_frame)
    else:
        ready(page.locator("#integrer-apercu").element_handle().content_frame())
    if "paris" not in path:
        frame = page if "embed" in path else page.locator("#integrer-apercu").element_handle() \
            .content_frame()
        frame.wait_for_function(SETTLED_JS)
    assert [(v["id"], v["nodes"][0]["html"]) for v in axe(page)] == []
