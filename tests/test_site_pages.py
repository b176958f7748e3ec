"""The sample site's pages: present, right, French, and never showing private data."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from conftest import ROOT

from labulle.mail.mailto import update_mailto
from labulle.pages.filters import script_json
from labulle.pages.jsonld import opening_hours_specification
from labulle.source.schema import Pro

SAMPLE_PROS = sorted(p for p in (ROOT / "pros").glob("*.yml") if p.name != "categories.yml")
HIDDEN = {"le-vrac-des-remparts": "Le Vrac des Remparts",  # brouillon: true
          "le-zinc-du-marche": "Le Zinc du Marché"}  # quitte_le: 2019-12-31


def sample(slug: str) -> dict:
    return yaml.safe_load((ROOT / "pros" / f"{slug}.yml").read_text(encoding="utf-8"))


def published_slugs() -> list[str]:
    return [p.stem for p in SAMPLE_PROS if p.stem not in HIDDEN]


def text_of(page: Path) -> str:
    """The visible text of a page, tags removed and whitespace collapsed."""
    body = page.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def all_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())


def test_sample_has_both_hidden_pros():
    assert sample("le-vrac-des-remparts")["brouillon"] is True
    assert str(sample("le-zinc-du-marche")["quitte_le"]) == "2019-12-31"


@pytest.mark.parametrize("path", [
    "index.html", "pros/index.html", "comptoirs/index.html", "404.html", "robots.txt",
    "sitemap.xml", "articles/index.html", "categorie/billet-bulle/index.html",
    "categorie/actualites/index.html", "a-propos/index.html", "adherer/index.html",
    "contact/index.html", "articles/et-si-la-crise-changeait-nos-habitudes/index.html",
    "pros/categorie/alimentation/index.html", "pros/categorie/boulangerie/index.html",
    "pros/commune/angouleme/index.html", "pros/commune/la-rochefoucauld/index.html",
    "pros.json", "pros.geojson", "pros.csv",
])
def test_page_exists(built_site, path):
    assert (built_site / path).is_file()


def test_one_page_per_published_pro(built_site):
    written = {p.name for p in (built_site / "pros").iterdir()
               if (p / "index.html").exists()} - {"categorie", "commune", "a-verifier"}
    assert written == {*published_slugs(), "le-zinc-du-marche"}  # a pro who left keeps its page


def test_hidden_pros_appear_nowhere(built_site):
    """Except the own page of the pro who left (tests/test_departed_pro.py)."""
    for path in all_files(built_site):
        data = path.read_bytes()
        for slug, name in HIDDEN.items():
            if path == built_site / "pros" / slug / "index.html":
                continue
            assert slug.encode() not in data, path
            if "agenda" in path.as_posix():
                continue  # an event's free-text location may name any place, even a former pro
            assert name.encode() not in data, path
            assert html.escape(name).encode() not in data, path


def private_values() -> list[tuple[str, str, str]]:
    """(file, key, value) for every contact key marked private in the sample."""
    found = []
    for path in SAMPLE_PROS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        contact = data.get("contact") or {}
        for key in contact.get("prive", []):
            found.append((path.name, key, str(contact[key])))
    return found


def test_sample_has_private_phones_and_emails():
    keys = {key for _file, key, _value in private_values()}
    assert keys == {"telephone", "email"}


def test_private_contacts_appear_nowhere(built_site):
    forms = []
    for file, key, value in private_values():
        forms.append((file, value))
        if key == "telephone":
            digits = re.sub(r"\D", "", value)
            forms += [(file, digits), (file, "+33" + digits[1:]),
                      (file, " ".join(digits[i:i + 2] for i in range(0, 10, 2)))]
        else:
            forms.append((file, value.replace("@", "%40")))
    for path in all_files(built_site):
        data = path.read_bytes()
        for file, form in forms:
            assert form.encode() not in data, f"{file}: private « {form} » found in {path}"


def test_adhesion_never_published(built_site):
    for path in all_files(built_site):
        if path.suffix in (".html", ".json", ".geojson", ".csv", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8").lower()
            assert "adhesion" not in text, path
            assert not re.search(r"adh[ée]sion\W{0,3}20\d\d", text), path


def test_every_page_is_french_with_description_canonical_and_open_graph(built_site):
    for page in html_pages(built_site):
        if "embed" in page.name or page.parent.name == "theme":
            continue
        body = page.read_text(encoding="utf-8")
        if '<html lang="fr">' not in body:
            continue  # not ours (e.g. a printable sheet with its own layout)
        description = re.search(r'<meta name="description" content="([^"]*)"', body)
        assert description and len(description.group(1).strip()) > 30, page
        assert '<link rel="canonical" href="' in body, page
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:image"):
            assert f'<meta property="{prop}" content="' in body, (page, prop)
        assert '<meta property="og:locale" content="fr_FR">' in body, page
        assert 'href="#contenu">Aller au contenu</a>' in body, page
        assert len(re.findall(r"<h1\b", body)) == 1, page


def test_canonical_url_of_a_pro_page(built_site):
    body = (built_site / "pros" / "maison-soulat" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="/pros/maison-soulat/">' in body
    assert '<meta property="og:image" content="/theme/img/la-bulle-og.png">' in body
    assert (built_site / "theme" / "img" / "la-bulle-og.png").read_bytes()[:4] == b"\x89PNG"
    assert (built_site / "theme" / "img" / "favicon.svg").exists()


def test_no_third_party_resources(built_site):
    for page in html_pages(built_site):
        body = page.read_text(encoding="utf-8")
        for url in re.findall(r'<(?:link|script|img)\b[^>]*(?:href|src)="(https?://[^"]+)"', body):
            pytest.fail(f"{page}: third-party resource {url}")


def test_navigation_and_footer_links(built_site):
    body = (built_site / "index.html").read_text(encoding="utf-8")
    for href in ("/pros/", "/carte/", "/comptoirs/", "/bulle-numerique/",
                 "/categorie/billet-bulle/", "/agenda/", "/a-propos/", "/contact/", "/adherer/",
                 "/mentions-legales/", "/donnees-personnelles/", "/pros.json", "/pros.geojson",
                 "/pros.csv", "/professionnels/mettre-a-jour/"):
        assert f'href="{href}"' in body, href
    assert "<details class=\"menu\">" in body


def test_announcement_banner_shown_on_the_reference_day(built_site):
    body = (built_site / "pros" / "index.html").read_text(encoding="utf-8")
    assert '<aside class="annonce" aria-label="Annonce">' in body
    assert 'href="/ouverts-pendant-la-crise/">Confinement' in body


def test_home_page(built_site):
    text = text_of(built_site / "index.html")
    assert "Soutenez les petits commerces et les producteurs" in text
    assert "Le risque de pénurie est faible" in text
    assert "Relocaliser nos achats" in text
    assert "Et si la crise changeait nos habitudes ?" in text
    assert "samedi 21 mars 2020" in text
    body = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="/articles/et-si-la-crise-changeait-nos-habitudes/"' in body


def test_french_dates_on_articles(built_site):
    article = built_site / "articles" / "et-si-la-crise-changeait-nos-habitudes" / "index.html"
    text = text_of(article)
    assert "samedi 21 mars 2020" in text
    assert "Association Poivre MLC" in text
    assert "Billet Bulle" in text
    archive = text_of(built_site / "articles" / "index.html")
    assert "vendredi 10 janvier 2020" in archive and "2020-01-10" not in archive
    category = text_of(built_site / "categorie" / "billet-bulle" / "index.html")
    assert "vendredi 14 février 2020" in category


def test_maison_soulat_page(built_site):
    page = built_site / "pros" / "maison-soulat" / "index.html"
    text = text_of(page)
    assert "lundi–vendredi 7 h–19 h 30" in text
    assert "samedi 7 h–13 h" in text
    assert "dimanche fermé" in text
    assert "Fermé le dimanche, sauf pour les Rameaux et Pâques." in text
    assert "05 45 95 30 71" in text
    body = page.read_text(encoding="utf-8")
    assert 'href="tel:+33545953071"' in body
    assert 'href="https://www.facebook.com/maisonsoulat" rel="noopener"' in body
    assert "farines de meules</strong>" in body  # the description's Markdown
    assert 'href="/carte/?pro=maison-soulat"' in body
    assert "Vérifié il y a moins d'un mois, le 20 mars 2020." in text
    assert "Accepte les Bulles papier" in text and "Comptoir de change" in text
    assert "Nos farines viennent de Charente, notre monnaie aussi." in text


def test_exchange_office_hours_on_pro_page(built_site):
    text = text_of(built_site / "pros" / "la-drole-d-epicerie" / "index.html")
    assert "Horaires du comptoir de change" in text
    assert "mardi, jeudi, vendredi 10 h–12 h" in text
    assert "5 % de remise pour un paiement en Bulles" in text


def test_update_link_is_an_encoded_mailto(built_site):
    body = (built_site / "pros" / "maison-soulat" / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<a href="(mailto:[^"]+)">Proposer une modification</a>', body)
    assert match
    url = html.unescape(match.group(1))
    assert url.startswith("mailto:bonjour@labulle16.fr?subject=%5BLa%20Bulle%5D%20Mise%20%C3%A0"
                          "%20jour%20%3A%20maison-soulat")
    assert " " not in url and "+" not in url
    subject = unquote(url.split("subject=")[1].split("&")[0])
    assert subject == "[La Bulle] Mise à jour : maison-soulat"


def test_update_mailto_encodes_everything():
    pro = Pro(nom="Bio & Co ?", categories=["epicerie"], resume="x", slug="bio-co")
    url = update_mailto(pro, "bonjour@labulle16.fr")
    query = url.split("?", 1)[1]
    assert "Bio & Co ?" in unquote(query.split("&body=")[1])
    assert query.count("&") == 1 and "?" not in query and " " not in query


def jsonld_of(page: Path) -> dict:
    body = page.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert match, page
    return json.loads(match.group(1))


def test_jsonld_on_every_pro_page(built_site):
    for slug in published_slugs():
        data = jsonld_of(built_site / "pros" / slug / "index.html")
        assert data["@type"] == "LocalBusiness"
        assert data["url"] == f"/pros/{slug}/"
        assert data["currenciesAccepted"] == "EUR, La Bulle"
        assert "adhesion" not in json.dumps(data)


def test_jsonld_content(built_site):
    data = jsonld_of(built_site / "pros" / "la-drole-d-epicerie" / "index.html")
    assert data["address"] == {"@type": "PostalAddress", "streetAddress": "12 rue de Saintes",
                               "postalCode": "16000", "addressLocality": "Angoulême",
                               "addressCountry": "FR"}
    assert data["geo"]["latitude"] == 45.6513
    assert data["telephone"] == "+33545612784"
    assert data["paymentAccepted"] == "euros, Bulles papier, Bulles numériques"
    tuesday = [s for s in data["openingHoursSpecification"]
               if "https://schema.org/Tuesday" in s["dayOfWeek"]]
    assert [(s["opens"], s["closes"]) for s in tuesday] == [("09:00", "12:30"), ("14:30", "19:00")]
    private = jsonld_of(built_site / "pros" / "le-potager-de-fleac" / "index.html")
    assert "telephone" not in private


def test_opening_hours_specification_groups_days():
    spec = opening_hours_specification("Mo-Fr 07:00-19:30; Sa 07:00-13:00")
    assert spec == [
        {"@type": "OpeningHoursSpecification", "opens": "07:00", "closes": "19:30",
         "dayOfWeek": [f"https://schema.org/{d}" for d in
                       ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]},
        {"@type": "OpeningHoursSpecification", "opens": "07:00", "closes": "13:00",
         "dayOfWeek": ["https://schema.org/Saturday"]},
    ]
    assert opening_hours_specification(None) == []


def test_script_json_cannot_close_its_script():
    text = script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & <!--"


def test_directory_page(built_site):
    page = built_site / "pros" / "index.html"
    text = text_of(page)
    body = page.read_text(encoding="utf-8")
    for slug in published_slugs():
        assert f'href="/pros/{slug}/"' in body, slug
    assert text.index("Alimentation") < text.index("Restaurants et cafés") < text.index("Services")
    assert 'href="/pros/categorie/epicerie/"' in body
    assert 'href="/pros/commune/angouleme/"' in body
    assert "Sans boutique" in text
    assert "Vélo Toqué" in text.split("Sans boutique")[1]
    assert "Comptoir de change" in text and "Bulle numérique" in text


def test_category_and_commune_pages(built_site):
    text = text_of(built_site / "pros" / "categorie" / "boulangerie" / "index.html")
    assert "Maison Soulat" in text and "Au Levain de Châteauneuf" in text
    main = text_of(built_site / "pros" / "categorie" / "alimentation" / "index.html")
    assert "Maison Soulat" in main and "Boulangerie, pâtisserie" in main
    commune = text_of(built_site / "pros" / "commune" / "angouleme" / "index.html")
    assert "La Drôle d'Épicerie" in commune and "Le Grain de Sel" not in commune


def test_exchange_offices_page(built_site):
    text = text_of(built_site / "comptoirs" / "index.html")
    assert "Où se procurer des Bulles" in text
    assert text.index("Angoulême") < text.index("Cognac")
    assert "La Drôle d'Épicerie" in text and "Le Grain de Sel" in text
    assert "Horaires du comptoir" in text
    assert "Maison Soulat" in text and "Aux heures d'ouverture" in text
    assert "05 45 95 30 71" in text
    assert "Le Potager de Fléac" not in text  # not an exchange office


def test_not_found_page(built_site):
    text = text_of(built_site / "404.html")
    assert "Page introuvable" in text
    body = (built_site / "404.html").read_text(encoding="utf-8")
    assert 'href="/theme/css/site.css"' in body  # works from any address


def test_robots_and_sitemap(built_site):
    robots = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and "Allow: /" in robots
    assert "Sitemap: /sitemap.xml" in robots
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>/pros/maison-soulat/</loc>" in sitemap
    assert "<loc>/pros/</loc>" in sitemap and "<loc>/comptoirs/</loc>" in sitemap
    assert "carte-embed" not in sitemap and "404" not in sitemap


def test_a_commune_with_two_markets_is_named_once(built_site):
    text = text_of(built_site / "pros" / "index.html")
    assert "Fromagerie, produits laitiers · Angoulême, Ruelle-sur-Touvre Fromages" in text


def test_production_build_has_absolute_urls_and_feeds(tmp_path):
    from conftest import build_site, copy_project

    copy_project(tmp_path)
    out = tmp_path / "output"
    result = build_site(tmp_path, out, settings="publish.py")
    assert result.returncode == 0, result.stdout + result.stderr
    pro = (out / "pros" / "maison-soulat" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://labulle16.fr/pros/maison-soulat/">' in pro
    assert 'content="https://labulle16.fr/theme/img/la-bulle-og.png"' in pro
    assert jsonld_of(out / "pros" / "maison-soulat" / "index.html")["url"] == \
        "https://labulle16.fr/pros/maison-soulat/"
    billets = (out / "categorie" / "billet-bulle" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://labulle16.fr/feeds/billet-bulle.atom.xml"' in billets
    assert (out / "feeds" / "billet-bulle.atom.xml").exists()
    assert "Sitemap: https://labulle16.fr/sitemap.xml" in (out / "robots.txt").read_text()
    data = json.loads((out / "pros.json").read_text(encoding="utf-8"))
    assert data["pros"][0]["url"].startswith("https://labulle16.fr/pros/")


def test_markets_on_pro_page(built_site):
    text = text_of(built_site / "pros" / "chevrerie-des-brandes" / "index.html")
    assert "Marché des Halles , Angoulême samedi : 8 h–13 h" in text
    assert "dimanche : 8 h–12 h 30" in text
    assert "lundi–vendredi, dimanche : fermé" not in text  # a market's hours say when it is on
