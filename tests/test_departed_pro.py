"""A pro who leaves keeps a page (issue 14, point 4).

The sample's Le Zinc du Marché (a bar and exchange office in Cognac) left on 31 December 2019:
its `/pros/le-zinc-du-marche/` says so, links to its category's and commune's pages, asks search
engines not to index it, and is in no list, map, open data file, sitemap or search index.
"""

from __future__ import annotations

import dataclasses
import gzip
import html
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, build_site, copy_project, strict_env

from labulle.model.directory import Directory
from labulle.model.public import DepartedPro
from labulle.pages.directory import remove_stale_pages
from labulle.source.check import load

SLUG, NAME = "le-zinc-du-marche", "Le Zinc du Marché"
TODAY = date(2020, 3, 23)  # LABULLE_TODAY of the sample
NOTICE = "Ce pro n'accepte plus la Bulle depuis le 31 décembre 2019."
#: What the pro's file holds and its page must not show: address, phone, hours, position.
RECORD = ["1 place d'Armes", "16100", "05 45 82 97 33", "0545829733", "07:00", "45.6953",
          "Bar de marché", "Comptoir de change", "Proposer une modification", "Voir sur la carte"]


def page_of(site: Path, slug: str = SLUG) -> str:
    return (site / "pros" / slug / "index.html").read_text(encoding="utf-8")


def visible_text(markup: str) -> str:
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def main_of(markup: str) -> str:
    return markup[markup.index("<main"):markup.index("</main>")]


@pytest.fixture(scope="module")
def sample() -> Directory:
    data, problems = load(ROOT)
    assert problems == []
    return Directory(data.categories, data.pros, TODAY)


def test_model_lists_the_pro_who_left_with_pages_that_list_others(sample):
    assert sample.departed == [DepartedPro(SLUG, NAME, date(2019, 12, 31), "cafe_bar", "Cognac")]
    assert SLUG not in sample.by_slug
    assert all(SLUG not in (p.crise.vendu_chez if p.crise else []) for p in sample.published)


def test_model_drafts_and_future_departures(sample):
    zinc = next(p for p in sample.all_pros if p.slug == SLUG)
    later = dataclasses.replace(zinc, quitte_le=date(2020, 6, 30))
    draft = dataclasses.replace(zinc, brouillon=True)
    assert Directory(sample.categories, [later], TODAY).departed == []  # still published
    assert [p.slug for p in Directory(sample.categories, [later], TODAY).published] == [SLUG]
    assert Directory(sample.categories, [draft], TODAY).departed == []  # a draft: nowhere
    assert Directory(sample.categories, [draft], TODAY).published == []


def test_model_links_only_to_pages_that_exist(sample):
    """Alone in the directory, the pro who left has no category or commune page to point to;
    a published café elsewhere gives a category page but not a commune one."""
    zinc = next(p for p in sample.all_pros if p.slug == SLUG)
    alone = Directory(sample.categories, [zinc], TODAY)
    assert alone.departed == [DepartedPro(SLUG, NAME, date(2019, 12, 31), None, None)]
    cafe = next(p for p in sample.all_pros if p.slug == "le-cafe-des-remparts")
    assert cafe.adresse.commune != "Cognac"
    with_cafe = Directory(sample.categories, [zinc, cafe], TODAY)
    assert with_cafe.departed[0].category == "cafe_bar" and with_cafe.departed[0].commune is None


def test_vendu_chez_naming_the_pro_who_left_is_dropped(sample):
    host = next(p for p in sample.all_pros if p.crise and p.crise.vendu_chez)
    kept = host.crise.vendu_chez
    naming = dataclasses.replace(host, crise=dataclasses.replace(host.crise,
                                                                 vendu_chez=[SLUG, *kept]))
    pros = [naming if p.slug == host.slug else p for p in sample.all_pros]
    shown = Directory(sample.categories, pros, TODAY).by_slug[host.slug]
    assert SLUG not in shown.crise.vendu_chez


def test_page_says_the_pro_left_and_shows_nothing_else(built_site):
    markup = page_of(built_site)
    main = visible_text(main_of(markup))
    assert main == (f"Annuaire {NAME} {NOTICE} Trouver un autre pro "
                    "Café, bar : les pros qui acceptent la Bulle La Bulle à Cognac "
                    "Tout l'annuaire")
    assert f"<title>{NAME} n'accepte plus la Bulle · La Bulle</title>" in markup
    for value in RECORD:
        assert value not in markup and html.escape(value) not in markup, value
    assert "application/ld+json" not in markup and "LocalBusiness" not in markup
    assert "data-pagefind-body" not in markup  # Pagefind indexes only marked pages


def test_page_asks_search_engines_not_to_index_it(built_site):
    assert '<meta name="robots" content="noindex">' in page_of(built_site)
    assert "noindex" not in page_of(built_site, "maison-soulat")


def test_links_go_to_the_category_and_commune_pages(built_site):
    hrefs = re.findall(r'href="([^"]+)"', main_of(page_of(built_site)))
    assert hrefs == ["/pros/", "/pros/categorie/cafe_bar/", "/pros/commune/cognac/", "/pros/"]
    for href in hrefs:
        listing = (built_site / href.strip("/") / "index.html").read_text(encoding="utf-8")
        assert "<h1" in listing and NAME not in html.unescape(listing)


def test_no_other_output_names_the_pro_who_left(built_site):
    """Lists, category and commune pages, exchange offices, crisis pages, the map documents
    (their GeoJSON), pros.json/geojson/csv, sitemap.xml: nothing but its own page."""
    checked = {"pros/index.html", "pros/categorie/cafe_bar/index.html",
               "pros/categorie/restauration/index.html", "pros/commune/cognac/index.html",
               "comptoirs/index.html", "ouverts-pendant-la-crise/index.html",
               "carte/index.html", "carte/carte-embed.html", "pros.json", "pros.geojson",
               "pros.csv", "sitemap.xml"}
    files = {p.relative_to(built_site).as_posix(): p for p in built_site.rglob("*")
             if p.is_file()}
    assert checked <= set(files)
    for name, path in files.items():
        if name in (f"pros/{SLUG}/index.html", "agenda.ics"):  # an event's place may name it
            continue
        text = html.unescape(path.read_text(encoding="utf-8", errors="replace"))
        assert SLUG not in text and NAME not in text, name


def test_sitemap_lists_the_others_not_the_page_of_the_pro_who_left(built_site):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>/pros/maison-soulat/</loc>" in sitemap
    assert f"/pros/{SLUG}/" not in sitemap


def test_drafts_have_no_page(built_site):
    assert not (built_site / "pros" / "le-vrac-des-remparts").exists()


def test_a_later_build_keeps_the_page_and_removes_a_draft_s(built_site, tmp_path):
    folder = tmp_path / "pros"
    for slug in (SLUG, "le-vrac-des-remparts", "maison-soulat"):
        (folder / slug).mkdir(parents=True)
        (folder / slug / "index.html").write_text("ancienne page", encoding="utf-8")
    data, _problems = load(ROOT)
    remove_stale_pages(folder, Directory(data.categories, data.pros, TODAY))
    assert sorted(p.name for p in folder.iterdir()) == ["le-zinc-du-marche", "maison-soulat"]


def indexed_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data).removeprefix(b"pagefind_dcd")
    return data.decode("utf-8", errors="replace")


@pytest.mark.slow
def test_search_index_does_not_know_the_pro_who_left(tmp_path):
    root = copy_project(tmp_path / "projet")
    result = subprocess.run([sys.executable, "-m", "invoke", "build"], cwd=root,
                            capture_output=True, text=True, env=strict_env(), check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    bundle = root / "output" / "pagefind"
    texts = [indexed_text(p) for p in bundle.rglob("*") if p.is_file()]
    assert any('"/pros/maison-soulat/"' in t for t in texts)  # the index holds the others
    assert not [t for t in texts if SLUG in t or NAME in t or "Zinc" in t]
    assert (root / "output" / "pros" / SLUG / "index.html").is_file()


@pytest.mark.slow
def test_production_build_feeds_and_sitemap_leave_it_out(tmp_path):
    """The production settings build the feeds (articles, directory): none names the pro who
    left; its page is there, with its absolute address, and not in the sitemap."""
    root = copy_project(tmp_path / "projet")
    out = root / "output"
    result = build_site(root, out, settings="publish.py",
                        extra=("-e", 'LABULLE_TODAY="2020-03-23"'))
    assert result.returncode == 0, result.stdout + result.stderr
    feeds = sorted((out / "feeds").rglob("*.xml"))
    assert out / "feeds" / "all.atom.xml" in feeds
    for feed in feeds:
        text = html.unescape(feed.read_text(encoding="utf-8"))
        assert SLUG not in text and NAME not in text, feed.name
    markup = page_of(out)
    assert '<link rel="canonical" href="https://labulle16.fr/pros/le-zinc-du-marche/">' in markup
    assert NOTICE in html.unescape(markup)
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://labulle16.fr/pros/maison-soulat/</loc>" in sitemap
    assert SLUG not in sitemap


def test_page_is_accessible_on_a_phone(page, site_url, axe):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{site_url}/pros/{SLUG}/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == NAME
    assert page.get_by_text(NOTICE).is_visible()
    assert page.get_by_role("link", name="La Bulle à Cognac").is_visible()
    assert axe(page) == []
    assert page.errors == [] and page.foreign_requests == []
