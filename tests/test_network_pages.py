"""Issue 16, points 3, 4 and 6: « Entre pros » (`/entre-pros/`) and the pro pages' lines, from
the sample's `fournisseurs` and `achats` (bakeries, cafés, grocers buying from the brewer, the
bee-keeper, the market gardener…; « Bois, menuiserie » is wanted and nobody sells it).

The sample's draft (Le Vrac des Remparts) and its pro who left (Le Zinc du Marché) both name
suppliers and wish to buy: neither ever appears, on either side. The incremental build
(livereload) rewrites a pro page when another pro starts or stops naming it as supplier.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, strict_env

from labulle.model.directory import Directory
from labulle.model.network import Network
from labulle.source.check import load

TODAY = date(2020, 3, 23)  # LABULLE_TODAY of the sample
HIDDEN = {"le-vrac-des-remparts": "Le Vrac des Remparts",  # a draft
          "le-zinc-du-marche": "Le Zinc du Marché"}  # left on 2019-12-31


def lines(markup: str) -> list[str]:
    """The text of a piece of HTML, one line per heading, paragraph or list item."""
    markup = re.sub(r"</(h\d|p|li)>", "\n", markup)
    text = html.unescape(re.sub(r"<[^>]+>", "", markup))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def section(markup: str, opening: str) -> str:
    start = markup.index(opening)
    return markup[start:markup.index("</section>", start)]


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_entre_pros_lists_per_category_who_supplies_whom(built_site):
    markup = page(built_site, "entre-pros")
    assert lines(section(markup, '<section aria-labelledby="fournisseurs">')) == [
        "Ils fournissent d'autres pros",
        "Boulangerie, pâtisserie", "Maison Soulat", "Fournit : Le Café des Remparts",
        "Maraîchage, fruits et légumes", "Le Potager de Fléac",
        "Fournit : Le Comptoir de l'Houmeau, Le Grain de Sel",
        "Boucherie, charcuterie, volailles", "Ferme de la Bonnieure",
        "Fournit : Le Comptoir de l'Houmeau, Maison Soulat",
        "Fromagerie, produits laitiers", "Chèvrerie des Brandes",
        "Fournit : La Drôle d'Épicerie, Le Comptoir de l'Houmeau",
        "Fromagerie du Champ de Mars", "Fournit : Maison Soulat",
        "Miel et produits de la ruche", "Les Ruches du Ruffécois",
        "Fournit : La Drôle d'Épicerie, Le Café des Remparts",
        "Cave, bières, jus", "Brasserie de la Vienne confolentaise",
        "Fournit : La Drôle d'Épicerie, Le Café des Remparts, Le Grain de Sel",
        "Quincaillerie, bricolage", "Quincaillerie Barbezilienne", "Fournit : Vélo Toqué",
        "Herboristerie, plantes", "Herboristerie de la Tardoire", "Fournit : Studio Souffle",
        "Informatique, dépannage", "Informatique Libre 16", "Fournit : L'Isle aux Images",
    ]
    assert '<a href="/pros/maison-soulat/"><strong>Maison Soulat</strong></a>' in markup


def test_entre_pros_says_what_pros_would_buy_and_nobody_sells(built_site):
    markup = page(built_site, "entre-pros")
    assert lines(section(markup, '<section aria-labelledby="cherche">')) == [
        "Cherche des fournisseurs",
        "Des pros du réseau achèteraient ceci en Bulles, mais aucun pro de l'annuaire ne le "
        "vend encore.",
        "Bois, menuiserie", "Recherché par : Au Levain de Châteauneuf, Le Café des Remparts",
    ]
    intro = lines(markup[markup.index("<h1>"):markup.index('<section aria-labelledby')])
    assert intro[1].startswith("Les pros reçoivent des Bulles de leurs clients. Pour que la "
                               "monnaie circule et reste en Charente, ils doivent pouvoir les "
                               "dépenser à leur tour")


@pytest.mark.parametrize("path", ["entre-pros", "pros/brasserie-de-la-vienne-confolentaise",
                                  "pros/les-ruches-du-ruffecois", "pros/le-cafe-des-remparts"])
def test_drafts_and_pros_who_left_appear_on_neither_side(built_site, path):
    markup = page(built_site, path)
    for slug, name in HIDDEN.items():
        assert name not in html.unescape(markup) and f"/pros/{slug}/" not in markup


def _network_lines(site: Path, slug: str) -> list[str]:
    markup = page(site, f"pros/{slug}")
    if 'class="card pro-network"' not in markup:
        return []
    return lines(section(markup, '<section class="card pro-network"'))


def test_each_pro_page_says_where_it_buys_whom_it_supplies_what_it_wants(built_site):
    assert _network_lines(built_site, "le-cafe-des-remparts") == [
        "Entre pros",
        "Achète en Bulles chez : Brasserie de la Vienne confolentaise, Maison Soulat, "
        "Les Ruches du Ruffécois",
        "Cherche à acheter en Bulles : Bois, menuiserie ; Jardinerie, plants, semences",
        "Où les pros dépensent leurs Bulles",
    ]
    assert _network_lines(built_site, "brasserie-de-la-vienne-confolentaise") == [
        "Entre pros",
        "Fournit aussi : La Drôle d'Épicerie, Le Café des Remparts, Le Grain de Sel",
        "Où les pros dépensent leurs Bulles",
    ]
    assert _network_lines(built_site, "maison-soulat") == [
        "Entre pros",
        "Achète en Bulles chez : Ferme de la Bonnieure, Fromagerie du Champ de Mars",
        "Fournit aussi : Le Café des Remparts",
        "Où les pros dépensent leurs Bulles",
    ]
    assert _network_lines(built_site, "plomberie-touvre-services") == []  # nothing to say


def test_pro_page_links_suppliers_and_categories_someone_sells(built_site):
    network = section(page(built_site, "pros/le-cafe-des-remparts"),
                      '<section class="card pro-network"')
    hrefs = re.findall(r'href="([^"]+)"', network)
    assert hrefs == ["/pros/brasserie-de-la-vienne-confolentaise/", "/pros/maison-soulat/",
                     "/pros/les-ruches-du-ruffecois/", "/pros/categorie/jardinerie/",
                     "/entre-pros/"]  # « Bois, menuiserie » has no page: no pro sells it


def test_linked_from_the_directory_and_the_footer_and_in_the_sitemap(built_site):
    directory = page(built_site, "pros")
    assert '<a href="/entre-pros/">Entre pros</a> : chez qui les pros du réseau dépensent ' \
           "leurs Bulles" in directory
    footer = page(built_site, "comptoirs").split('<footer class="site-footer">')[1]
    assert '<a href="/entre-pros/">Entre pros\u00a0: où dépenser ses Bulles</a>' in footer
    assert "/entre-pros/</loc>" in (built_site / "sitemap.xml").read_text(encoding="utf-8")


def test_model_keeps_unpublished_pros_out_of_both_sides():
    data, problems = load(ROOT)
    assert problems == []
    draft = next(p for p in data.pros if p.slug == "le-vrac-des-remparts")
    published_draft = dataclasses.replace(draft, brouillon=False)
    network = Network(Directory(data.categories, data.pros, TODAY))
    ruches = network.directory.by_slug["les-ruches-du-ruffecois"]
    assert [p.slug for p in network.customers_of(ruches)] == ["la-drole-d-epicerie",
                                                             "le-cafe-des-remparts"]
    assert [c.key for c, _ in network.looking] == ["bois"]
    # once published, the same file shows on both sides
    pros = [published_draft if p.slug == draft.slug else p for p in data.pros]
    network = Network(Directory(data.categories, pros, TODAY))
    assert [p.slug for p in network.customers_of(ruches)] == [
        "la-drole-d-epicerie", "le-cafe-des-remparts", "le-vrac-des-remparts"]
    assert [p.slug for p in dict(network.looking)[data.categories["bois"]]] == [
        "au-levain-de-chateauneuf", "le-cafe-des-remparts", "le-vrac-des-remparts"]


LIVERELOAD = """
import json, pathlib, sys
from labulle.build.incremental import BuildMemory
from labulle.build.pelicanrun import run
args = ["-s", "pelicanconf.py", "-o", "out", "-q", "-e", "CACHE_CONTENT=true",
        "LOAD_CONTENT_CACHE=true"]
memory = BuildMemory()  # livereload's process keeps one from build to build
run(args, memory)
pages = sorted(pathlib.Path("out/pros").glob("*/index.html"))
before = {p: p.stat().st_mtime_ns for p in pages}
def edit(slug, old, new):
    path = pathlib.Path(f"pros/{slug}.yml")
    text = path.read_text()
    assert text.count(old) == 1, (slug, old)
    path.write_text(text.replace(old, new))
# La Drôle d'Épicerie stops buying from the brewer; Vélo Toqué starts buying at Maison Soulat.
edit("la-drole-d-epicerie", ", brasserie-de-la-vienne-confolentaise]", "]")
edit("velo-toque", "fournisseurs: [quincaillerie-barbezilienne]",
     "fournisseurs: [quincaillerie-barbezilienne, maison-soulat]")
run(args, memory)
read = lambda slug: pathlib.Path(f"out/pros/{slug}/index.html").read_text()
print(json.dumps({
    "rewritten": sorted(p.parent.name for p in pages if p.stat().st_mtime_ns != before[p]),
    "pages": len(pages),
    "brasserie": read("brasserie-de-la-vienne-confolentaise"),
    "soulat": read("maison-soulat"),
    "entre_pros": pathlib.Path("out/entre-pros/index.html").read_text(),
}))
"""


@pytest.mark.slow
def test_livereload_rewrites_the_page_of_a_supplier_gained_or_lost(tmp_path):
    project = copy_project(tmp_path / "projet")
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(LIVERELOAD)], cwd=project,
                            capture_output=True, text=True, check=False, env=strict_env())
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    rewritten = set(report["rewritten"])
    # the two edited pros, the supplier lost and the supplier gained
    assert {"la-drole-d-epicerie", "velo-toque", "brasserie-de-la-vienne-confolentaise",
            "maison-soulat"} <= rewritten
    assert "plomberie-touvre-services" not in rewritten  # its page did not change
    assert len(rewritten) < report["pages"] / 3
    brewer = lines(section(report["brasserie"], '<section class="card pro-network"'))
    assert brewer[1] == "Fournit aussi : Le Café des Remparts, Le Grain de Sel"
    baker = lines(section(report["soulat"], '<section class="card pro-network"'))
    assert baker[2] == "Fournit aussi : Le Café des Remparts, Vélo Toqué"
    assert "Fournit : Le Café des Remparts, Le Grain de Sel" in lines(report["entre_pros"])
