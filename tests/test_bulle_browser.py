"""The digital Bulle's pages in a real browser: the sign-up form (endpoint, email, no
JavaScript, French messages, honeypot), the diagram at phone width, and axe-core."""

from __future__ import annotations

import http.server
import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from conftest import build_site, copy_project, serve

pytestmark = pytest.mark.browser

FORM = "/bulle-numerique/inscription/"


class _Recorder(http.server.BaseHTTPRequestHandler):
    """The form service: records every POST body and answers "Merci"."""

    posts: list[dict[str, list[str]]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        self.posts.append(parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True))
        body = b"<!DOCTYPE html><html lang=fr><title>Merci</title><p>Merci !</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def endpoint_site(tmp_path_factory):
    """A copy of the site built with LABULLE_SIGNUP_ENDPOINT pointing to a local recorder."""
    recorder = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{recorder.server_address[1]}/inscription"
    root = copy_project(tmp_path_factory.mktemp("endpoint") / "site")
    out = root.parent / "output"
    result = build_site(root, out, extra=("-e", f'LABULLE_SIGNUP_ENDPOINT="{endpoint}"'))
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = serve(out)
    _Recorder.posts = []
    yield url, endpoint, _Recorder.posts
    for running in (server, recorder):
        running.shutdown()
        running.server_close()


def fill(page, kind: str = "pro") -> None:
    page.check(f'input[name="type"][value="{kind}"]')
    page.fill("#nom", "Marie Dupont")
    page.fill("#courriel", "marie@example.org")
    page.fill("#telephone", "05 45 00 00 00")
    page.fill("#commune", "Angoulême")
    if kind == "pro":
        page.select_option("#pro", "velo-toque")
    page.fill("#montant_mensuel", "120,50")
    page.check("#charte")
    page.check("#consentement")
    page.check("#lettre")


def test_form_posts_every_field_to_the_endpoint(browser, endpoint_site):
    url, endpoint, posts = endpoint_site
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    page = context.new_page()
    page.goto(url + FORM)
    assert page.get_attribute("#inscription", "action") == endpoint
    fill(page)
    with page.expect_navigation(url=endpoint):
        page.click("#inscription button[type=submit]")
    assert page.inner_text("p") == "Merci !"
    assert len(posts) == 1
    assert {k: v[0] for k, v in posts[0].items()} == {
        "type": "pro", "nom": "Marie Dupont", "courriel": "marie@example.org",
        "telephone": "05 45 00 00 00", "commune": "Angoulême", "pro": "velo-toque",
        "montant_mensuel": "120,50", "site_web": "", "charte": "oui", "consentement": "oui",
        "lettre": "oui", "consentement_version": "2020-03"}
    context.close()


def test_filled_honeypot_sends_nothing(browser, endpoint_site):
    url, _endpoint, posts = endpoint_site
    count = len(posts)
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    page = context.new_page()
    page.goto(url + FORM)
    trap = page.locator("#site_web")
    assert not trap.is_visible() or trap.bounding_box()["x"] < -1000
    assert trap.get_attribute("tabindex") == "-1"
    assert page.get_attribute(".signup-hp", "aria-hidden") == "true"
    fill(page, "particulier")
    page.evaluate("document.getElementById('site_web').value = 'http://casino.example'")
    page.click("#inscription button[type=submit]")
    page.wait_for_selector("#signup-status:has-text('Merci')")
    assert page.url == url + FORM
    assert len(posts) == count
    context.close()


def test_without_endpoint_the_form_composes_the_email(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Page.enable")
    requested: list[str] = []
    cdp.on("Page.frameRequestedNavigation", lambda event: requested.append(event["url"]))
    page.goto(site_url + FORM)
    fill(page)
    page.click("#inscription button[type=submit]")
    page.wait_for_selector("#signup-status a[href^='mailto:']")
    href = page.get_attribute("#signup-status a", "href")
    # The script shows the link, then asks for the navigation; Chromium reports the request
    # on the CDP session a few round trips later: wait for it (the bound only stops a hang,
    # as Playwright's own waits stop after 30 s).
    for _ in range(20_000):
        if requested:
            break
        page.evaluate("1")
    assert requested == [href]
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "bonjour@labulle16.fr"
    query = parse_qs(parts.query)
    assert query["subject"] == ["[La Bulle] Inscription au test"]
    assert "%20" in parts.query and "+" not in parts.query
    body = unquote(href.split("&body=")[1])
    assert body.splitlines() == [
        "type : pro", "nom : Marie Dupont", "courriel : marie@example.org",
        "telephone : 05 45 00 00 00", "commune : Angoulême", "pro : velo-toque",
        "montant_mensuel : 120,50", "charte : oui", "consentement : oui",
        "consentement_version : 2020-03", "lettre : oui"]
    assert "\r\n" in body
    context.close()


def test_without_javascript_a_person_can_still_sign_up(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR",
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + FORM)
    form = page.locator("#inscription")
    assert form.get_attribute("action").startswith("mailto:bonjour@labulle16.fr?subject=")
    assert form.get_attribute("method") == "post"
    assert form.get_attribute("enctype") == "text/plain"
    assert page.locator("#pro").is_visible()
    assert "si vous êtes un professionnel" in page.inner_text("label[for=pro]")
    copy = page.inner_text("#signup-copy")
    for key in ("type :", "nom :", "courriel :", "commune :", "charte : oui",
                "consentement : oui", "consentement_version : 2020-03"):
        assert key in copy
    alt = page.inner_text(".signup-alt")
    assert "bonjour@labulle16.fr" in alt and "[La Bulle] Inscription au test" in alt
    context.close()


def test_validation_messages_are_french_in_an_english_browser(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="en-US")
    page = context.new_page()
    page.goto(site_url + FORM)
    page.click("#inscription button[type=submit]")

    def message(selector: str) -> str:
        return page.eval_on_selector(selector, "el => el.validationMessage")

    assert message('input[name="type"]') == ("Indiquez si vous êtes un particulier, un "
                                             "professionnel ou une association.")
    assert message("#nom") == "Indiquez votre nom."
    assert message("#courriel") == "Indiquez votre adresse électronique."
    assert message("#charte") == "Cochez cette case pour accepter la charte du test."
    assert message("#consentement").startswith("Cochez cette case : sans votre accord")
    page.fill("#courriel", "marie@")
    page.fill("#montant_mensuel", "beaucoup")
    page.click("#inscription button[type=submit]")
    assert message("#courriel") == ("Cette adresse électronique n’est pas valide "
                                    "(exemple : prenom.nom@exemple.fr).")
    assert message("#montant_mensuel") == "Indiquez un montant en euros, par exemple 50 ou 50,00."
    page.check('input[name="type"][value="pro"]')
    assert page.locator("#pro").is_visible()
    page.click("#inscription button[type=submit]")
    assert message("#pro") == "Choisissez votre commerce ou activité dans la liste."
    page.check('input[name="type"][value="particulier"]')
    assert not page.locator("#pro").is_visible()
    context.close()


@pytest.mark.parametrize("path", ["/bulle-numerique/", FORM, "/reserve/"])
def test_no_axe_violations(page, site_url, axe, path):
    page.goto(site_url + path)
    violations = axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    assert page.errors == [] and page.foreign_requests == []


def test_diagram_stacks_at_phone_width_and_shots(page, site_url, tmp_path):
    shots = Path("/tmp/shots/bulle")
    shots.mkdir(parents=True, exist_ok=True)
    page.goto(site_url + "/bulle-numerique/")
    narrow, wide = page.locator(".flux-svg--narrow"), page.locator(".flux-svg--wide")
    assert narrow.is_visible() and not wide.is_visible()
    box = narrow.bounding_box()
    assert box["height"] > box["width"] and box["width"] <= 375
    page.locator(".flux").screenshot(path=str(shots / "flux-375.png"))
    assert page.locator("#flux-steps li").count() == 5
    label = page.get_attribute(".flux", "aria-labelledby")
    assert label == "flux-title flux-steps"
    page.set_viewport_size({"width": 1024, "height": 800})
    assert wide.is_visible() and not narrow.is_visible()
    page.locator(".flux").screenshot(path=str(shots / "flux-1024.png"))
    page.set_viewport_size({"width": 375, "height": 812})
    for path, name in ((FORM, "inscription-375"), ("/reserve/", "reserve-375")):
        page.goto(site_url + path)
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_a4_sheet_prints_on_one_page(browser, site_url):
    """Chromium's own PDF of the sheet: one A4 page (595 × 842 points), site header hidden."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(site_url + "/bulle-numerique/fiche/")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert [(round(float(w)), round(float(h))) for w, h in boxes] == [(595, 842)]
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator(".flux-svg--wide").is_visible()
    context.close()
