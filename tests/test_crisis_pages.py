"""The crisis pages as built from the sample (reference date Monday 23 March 2020)."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, build_site, copy_project

from labulle.source.check import load

PARIS = ZoneInfo("Europe/Paris")


def text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed (inline tags leave no space)."""
    plain = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)
    plain = re.sub(r"</?(a|span|strong|em)\b[^>]*>", "", plain)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", plain))).strip()


def entries(page: str) -> dict[str, str]:
    """slug → HTML of its entry in the list (each entry is one <li class="fiche ...">)."""
    found = {}
    for chunk in page.split('<li class="fiche ')[1:]:
        slug = re.search(r'id="pro-([a-z0-9-]+)"', chunk)[1]
        found[slug] = chunk.split("</article>", 1)[0]
    return found


@pytest.fixture(scope="module")
def crise(built_site: Path) -> str:
    return (built_site / "ouverts-pendant-la-crise" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def listed(crise: str) -> dict[str, str]:
    return entries(crise)


def test_closed_pro_whose_goods_are_sold_elsewhere_is_in_the_list(listed):
    entry = listed["chevrerie-des-brandes"]
    assert "Fermé — ses produits sont en vente chez La Drôle d'Épicerie et Fromagerie du Champ " \
           "de Mars." in text(entry)
    assert 'href="/pros/la-drole-d-epicerie/"' in entry
    assert 'href="/pros/fromagerie-du-champ-de-mars/"' in entry
    assert "atelier-terre-de-touvre" in listed  # the other one, not a food pro


def test_one_list_open_and_consignment_not_closed_or_unknown(listed, crise):
    open_ones = {"boucherie-mercier", "brasserie-de-la-vienne-confolentaise",
                 "ferme-de-la-bonnieure",
                 "fromagerie-du-champ-de-mars", "la-drole-d-epicerie", "le-grain-de-sel",
                 "le-panier-rochefoucauld", "le-potager-de-fleac", "maison-soulat",
                 "le-comptoir-de-l-houmeau", "l-isle-aux-images", "pepiniere-du-gond",
                 "quincaillerie-barbezilienne", "informatique-libre-16",
                 "plomberie-touvre-services",
                 "velo-toque", "les-ruches-du-ruffecois"}
    assert set(listed) == open_ones | {"chevrerie-des-brandes", "atelier-terre-de-touvre"}
    # closed without consignment, unknown, draft: not in the list
    for slug in ("meches-rebelles", "le-cafe-des-remparts", "herboristerie-de-la-tardoire",
                 "au-levain-de-chateauneuf", "le-vrac-des-remparts"):
        assert slug not in listed
    assert "19 pros dans la liste" in text(crise)
    news = text(crise.split('class="crise-sans-nouvelles"')[1].split("</section>")[0])
    assert "Au Levain de Châteauneuf" in news and "Herboristerie de la Tardoire" in news


def test_food_first_in_the_configured_order(crise, listed):
    sections = re.findall(r'<section class="crise-section" id="cat-([a-z_]+)"', crise)
    assert sections[0] == "alimentation"
    assert sections == ["alimentation", "restauration", "culture", "artisanat", "maison_jardin",
                        "services"]
    assert list(listed)[0] == "boucherie-mercier"  # alphabetical inside a category


def test_stale_entry_shows_a_confirmer_and_counts_as_unknown(listed):
    entry = listed["les-ruches-du-ruffecois"]  # verified 28 February, 24 days before
    assert "À confirmer" in text(entry)
    assert "Ouvert" not in text(entry)
    assert 'data-statut="inconnu"' in entry
    assert 'data-ouvertures="[]"' in entry
    assert "Vérifié le 28 février 2020" in text(entry)


def test_an_entry_says_how_to_buy_and_order(listed):
    entry = text(listed["la-drole-d-epicerie"])
    for fragment in ("Ouvert, horaires adaptés", "Sur place", "Livraison",
                     "Retrait (click & collect)", "Commander : par téléphone, courriel, sur place",
                     "Téléphone (commandes) 06 31 48 72 05", "Trois clients à la fois",
                     "Horaires pendant la crise", "mardi, jeudi, samedi 9 h–12 h",
                     "Habituellement : mardi–samedi : 9 h–12 h 30, 14 h 30–19 h",
                     "Panier légumes de saison · 15 € · à commander avant mercredi 18 h",
                     "On trouve ici les produits de Chèvrerie des Brandes et Le Potager de Fléac",
                     "Vérifié le 21 mars 2020", "Voir la fiche de La Drôle d'Épicerie"):
        assert fragment in entry, fragment
    assert 'href="tel:+33631487205"' in listed["la-drole-d-epicerie"]
    assert "Livraison uniquement" in text(listed["ferme-de-la-bonnieure"])
    assert "uniquement" in text(listed["le-comptoir-de-l-houmeau"])  # à emporter uniquement
    assert "Drive uniquement" in text(listed["le-panier-rochefoucauld"])
    assert "Retrait (click & collect) uniquement" in text(listed["le-potager-de-fleac"])


def test_filter_attributes(listed):
    def data(slug: str) -> dict[str, str]:
        return dict(re.findall(r'data-([a-z]+)="([^"]*)"', listed[slug].split(">", 1)[0]))

    epicerie = data("la-drole-d-epicerie")
    assert epicerie["categories"].split() == ["epicerie", "alimentation"]
    assert (epicerie["livraison"], epicerie["retrait"], epicerie["paniers"],
            epicerie["numerique"]) == ("1", "1", "1", "1")
    assert data("le-panier-rochefoucauld")["retrait"] == "1"  # drive counts as collect
    assert data("chevrerie-des-brandes")["communes"] == "Angoulême|Ruelle-sur-Touvre"
    opens = json.loads(html.unescape(epicerie["ouvertures"]))
    assert opens[0] == [int(datetime(2020, 3, 24, 9, tzinfo=PARIS).timestamp()),
                        int(datetime(2020, 3, 24, 12, tzinfo=PARIS).timestamp())]
    assert len(opens) == 6  # Tu, Th, Sa for two weeks
    assert data("ferme-de-la-bonnieure")["ouvertures"] == "[]"  # delivery only: no shop hours


def test_private_data_never_reach_the_crisis_pages(built_site, crise):
    data, _ = load(ROOT)
    pages = crise + (built_site / "paniers" / "index.html").read_text(encoding="utf-8")
    digits = re.sub(r"\D", "", pages)
    checked = 0
    for pro in data.pros:
        for key in pro.contact.prive if pro.contact else []:
            value = getattr(pro.contact, key)
            if key == "telephone":
                assert re.sub(r"\D", "", value)[1:] not in digits, (pro.slug, key)
            else:
                assert value not in pages, (pro.slug, key)
            checked += 1
    assert checked >= 5
    assert "adhesion" not in pages and "Le Vrac des Remparts" not in pages


def test_baskets_page_lists_every_basket_food_first(built_site):
    page = (built_site / "paniers" / "index.html").read_text(encoding="utf-8")
    names = re.findall(r'<h3 class="panier-nom">([^<]+?)\s*(?:<span|</h3>)', page)
    assert [html.unescape(n) for n in names] == [
        "Plateau de fromages charentais", "Panier légumes de saison", "Panier épicerie de base",
        "Cagette fermière", "Petit panier", "Grand panier", "Kit potager"]
    body = text(page)
    for fragment in ("25 €", "chez Le Potager de Fléac (Fléac)", "Commander avant lundi 20 h",
                     "Retrait ou livraison samedi 9 h–12 h sur place",
                     "Commander avant la veille du retrait"):
        assert fragment in body, fragment


def test_consignment_shown_on_both_pro_pages(built_site):
    def page(slug: str) -> str:
        return text((built_site / "pros" / slug / "index.html").read_text(encoding="utf-8"))

    assert "Ses produits sont aussi en vente chez La Drôle d'Épicerie" in page(
        "le-potager-de-fleac")
    assert "Fermé — ses produits sont en vente chez L'Isle aux Images" in page(
        "atelier-terre-de-touvre")
    assert "On trouve ici les produits de Atelier Terre de Touvre" in page("l-isle-aux-images")
    assert "On trouve ici les produits de Chèvrerie des Brandes" in page(
        "fromagerie-du-champ-de-mars")
    assert "Pendant la crise" not in page("studio-souffle")  # nothing said about the crisis


def test_home_button_og_tags_and_special_announcement(built_site, crise):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="crise-bouton" href="/ouverts-pendant-la-crise/">', home)
    assert "Ici, retrouvez les professionnels qui continuent de vendre pendant la crise" in home
    og = dict(re.findall(r'<meta property="og:([a-z:]+)" content="([^"]*)"', crise))
    assert og["title"] == "Ouverts pendant la crise"
    assert "continuent de vendre" in og["description"]
    assert og["image"].endswith("/theme/img/crise-partage.png")
    assert (built_site / "theme" / "img" / "crise-partage.png").stat().st_size > 5000
    (ld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', crise, re.S)
    announcement = json.loads(ld)
    assert announcement["@type"] == "SpecialAnnouncement"
    assert announcement["datePosted"] == "2020-03-23"
    names = {place["name"] for place in announcement["announcementLocation"]}
    assert "La Drôle d'Épicerie" in names and "Chèvrerie des Brandes" not in names


def test_crisis_mode_off_shows_none_of_it(tmp_path):
    copy_project(tmp_path)
    out = tmp_path / "output"
    result = build_site(tmp_path, out, extra=("-e", "LABULLE_CRISIS_MODE=false"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (out / "ouverts-pendant-la-crise").exists()
    assert not (out / "paniers").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "crise-bouton" not in home
    assert "/ouverts-pendant-la-crise/" not in home  # nor the banner that points there
    pro = (out / "pros" / "la-drole-d-epicerie" / "index.html").read_text(encoding="utf-8")
    assert "pro-crise" not in pro and "Pendant la crise" not in pro
    assert "ouverts-pendant-la-crise" not in (out / "sitemap.xml").read_text(encoding="utf-8")
