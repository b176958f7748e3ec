"""Window stickers (issue 16, point 1), without a browser: `/pros/<slug>/affichette/` for every
published pro and nobody else, what a sheet says, its inline QR code, its place outside search
engines and the sitemap, the link from the pro page, stale folders and livereload, and
`invoke affichettes` (files, refusals). Printing and decoding in Chromium:
tests/test_sticker_browser.py.
"""

from __future__ import annotations

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

from labulle.commands.cli import run
from labulle.model.directory import Directory
from labulle.pages.directory import remove_stale_pages
from labulle.source.check import load

TODAY = date(2020, 3, 23)  # LABULLE_TODAY of the sample
DRAFT, LEFT = "le-vrac-des-remparts", "le-zinc-du-marche"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def sample() -> Directory:
    data, problems = load(ROOT)
    assert problems == []
    return Directory(data.categories, data.pros, TODAY)


def sticker_of(site: Path, slug: str) -> str:
    return (site / "pros" / slug / "affichette" / "index.html").read_text(encoding="utf-8")


def text_of(markup: str) -> str:
    """The visible text of a sheet, spaces collapsed (no-break spaces as spaces)."""
    markup = re.sub(r"<(script|style|title)\b.*?</\1>", " ", markup, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip()


def sheet(markup: str) -> str:
    return markup[markup.index('<article class="affichette"'):markup.index("</article>")]


def test_every_published_pro_has_a_sticker_and_nobody_else(built_site, sample):
    stickers = {p.parent.parent.name for p in (built_site / "pros").glob("*/affichette/index.html")}
    assert stickers == {p.slug for p in sample.published}
    assert len(stickers) == 28
    assert DRAFT not in stickers and LEFT not in stickers
    assert not (built_site / "pros" / DRAFT).exists()
    assert (built_site / "pros" / LEFT / "index.html").is_file()  # its page, not its sticker
    assert not (built_site / "pros" / LEFT / "affichette").exists()


@pytest.mark.parametrize(("slug", "expected"), [
    ("maison-soulat", "La Bulle, monnaie locale de Charente Ici, on accepte la Bulle en billets "
     "Maison Soulat Comptoir de change : changez ici vos euros en Bulles "
     "Horaires, adresse, contact : labulle16.fr/pros/maison-soulat/ "
     "Tous les pros de la Bulle : labulle16.fr"),
    ("velo-toque", "La Bulle, monnaie locale de Charente Ici, on accepte la Bulle en billets et "
     "en numérique Vélo Toqué Avantage Bulle : Déplacement offert pour un paiement en Bulles "
     "Horaires, adresse, contact : labulle16.fr/pros/velo-toque/ "
     "Tous les pros de la Bulle : labulle16.fr"),
])
def test_a_sheet_says_who_how_the_advantage_and_where(built_site, slug, expected):
    assert text_of(sheet(sticker_of(built_site, slug))) == expected


def test_the_qr_code_is_inline_svg_of_the_pro_page_and_nothing_is_fetched_elsewhere(built_site):
    page = sticker_of(built_site, "la-drole-d-epicerie")
    svgs = re.findall(r"<svg role=\"img\" viewBox=\"0 0 (\d+) \1\" class=\"affichette-qr-code\">"
                      r"<title>([^<]*)</title><path fill=\"#fff\" d=\"M0 0h\1v\1h-\1z\"/>"
                      r"<path stroke=\"#000\" d=\"M4 4\.5h", page)
    # Black on white, 4 modules of quiet zone (the path starts at 4, 4), the absolute address.
    assert svgs == [(svgs[0][0], "QR code de l'adresse https://labulle16.fr/pros/la-drole-d-epicerie/")]
    assert "<img" not in sheet(page)
    targets = re.findall(r'(?:href|src|content)="(/[^"]*|[a-z]+:[^"]*)"', page)
    assert '<link rel="stylesheet" href="/theme/css/affichette.css">' in page
    assert [t for t in targets if not t.startswith(("/", "mailto:"))] == []  # the site's own


def test_sticker_pages_are_for_print_not_for_search_engines(built_site):
    page = sticker_of(built_site, "maison-soulat")
    assert '<meta name="robots" content="noindex">' in page
    assert "data-pagefind-body" not in page
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>/pros/maison-soulat/</loc>" in sitemap and "affichette" not in sitemap


def test_screen_view_says_how_to_print(built_site):
    page = sticker_of(built_site, "maison-soulat")
    tools = text_of(page[page.index('<div class="affichette-outils">'):page.index("<article")])
    assert tools == (
        "← La fiche de Maison Soulat Affichette à imprimer : Maison Soulat Pour la vitrine : "
        "l'affichette tient sur une feuille A5. Dans la fenêtre d'impression, choisissez le "
        "papier A5 et l'échelle 100 % (« taille réelle », sans « ajuster à la page ») ; cochez "
        "« graphiques d'arrière-plan » pour garder les couleurs. Imprimer")
    assert '<button type="button" class="affichette-imprimer" data-imprimer hidden>' in page


def test_the_pro_page_links_to_its_sticker(built_site):
    page = (built_site / "pros" / "velo-toque" / "index.html").read_text(encoding="utf-8")
    assert ('<a href="/pros/velo-toque/affichette/">Affichette à imprimer</a> pour la vitrine '
            '(A5, avec le QR code de cette page)') in page


def test_the_sticker_of_a_pro_who_left_or_became_a_draft_is_removed(tmp_path, sample):
    """`invoke build` keeps output/: what an earlier build wrote for a pro who then left or
    became a draft goes; the published pros' stickers stay."""
    folder = tmp_path / "pros"
    for slug in (LEFT, DRAFT, "maison-soulat"):
        (folder / slug / "affichette").mkdir(parents=True)
        (folder / slug / "index.html").write_text("page", encoding="utf-8")
        (folder / slug / "affichette" / "index.html").write_text("affichette", encoding="utf-8")
    remove_stale_pages(folder, sample)
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html")) == [
        f"{LEFT}/index.html", "maison-soulat/affichette/index.html", "maison-soulat/index.html"]


LIVERELOAD = """
import json, pathlib
from labulle.build.incremental import BuildMemory
from labulle.build.pelicanrun import run
args = ["-s", "pelicanconf.py", "-o", "out", "-q", "-e", "CACHE_CONTENT=true",
        "LOAD_CONTENT_CACHE=true"]
memory = BuildMemory()
run(args, memory)
stickers = sorted(pathlib.Path("out/pros").glob("*/affichette/index.html"))
before = {p: p.stat().st_mtime_ns for p in stickers}
pro = pathlib.Path("pros/velo-toque.yml")
pro.write_text(pro.read_text().replace("avantage: ", "avantage: Nouveau, ", 1))
left = pathlib.Path("pros/studio-souffle.yml")
left.write_text(left.read_text() + "quitte_le: 2020-03-01\\n")
run(args, memory)
print(json.dumps({
    "rewritten": sorted(p.parent.parent.name for p in stickers
                        if p.exists() and p.stat().st_mtime_ns != before[p]),
    "gone": sorted(p.parent.parent.name for p in stickers if not p.exists()),
    "edited": "Nouveau, Déplacement" in pathlib.Path(
        "out/pros/velo-toque/affichette/index.html").read_text(),
}))
"""


@pytest.mark.slow
def test_livereload_renders_again_only_the_edited_sticker_and_drops_the_one_who_left(tmp_path):
    project = copy_project(tmp_path / "projet")
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(LIVERELOAD)], cwd=project,
                            capture_output=True, text=True, check=False, env=strict_env())
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["edited"] and report["gone"] == ["studio-souffle"]
    # The edited pro's sticker, and the few whose page key holds a link to an edited pro (a
    # page's key holds its crisis and network links): not the others.
    assert "velo-toque" in report["rewritten"] and len(report["rewritten"]) < 28 / 4


# --- invoke affichettes ---------------------------------------------------------------------


def affichettes(capsys: pytest.CaptureFixture[str], *args: str,
                root: Path = ROOT) -> tuple[int, str, str]:
    code = run(["affichettes", "--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_command_writes_all_stickers_in_one_file_and_one_file_per_pro(tmp_path, capsys, sample,
                                                                     built_site):
    out = tmp_path / "impression"
    code, stdout, _ = affichettes(capsys, "--out", str(out))
    assert code == 0
    assert stdout == ("28 affichette(s) écrite(s) dans " + str(out) + " : affichettes.html "
                      "(toutes, une page A5 chacune) et affichette-<identifiant>.html pour chaque "
                      "pro.\n")
    slugs = [p.slug for p in sample.published]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["affichettes.html", *(f"affichette-{slug}.html" for slug in slugs)])
    combined = (out / "affichettes.html").read_text(encoding="utf-8")
    assert re.findall(r'<article class="affichette" aria-labelledby="affichette-([a-z0-9-]+)"',
                      combined) == slugs
    one = (out / "affichette-maison-soulat.html").read_text(encoding="utf-8")
    for markup in (combined, one):  # works offline: the stylesheet inside, absolute links only
        assert "<style>" in markup and "@page { size: A5;" in markup
        assert 'rel="stylesheet"' not in markup
        assert all(t.startswith("https://labulle16.fr/pros/")
                   for t in re.findall(r'(?:href|src)="([^"]*)"', markup))
    # The same sheet as the site's (same template, same words, the same QR code).
    assert sheet(one) == sheet(sticker_of(built_site, "maison-soulat"))


def test_command_writes_only_the_pros_asked_for(tmp_path, capsys):
    out = tmp_path / "deux"
    code, stdout, _ = affichettes(capsys, "--out", str(out), "--pro", "velo-toque",
                                  "--pro", "maison-soulat")
    assert code == 0 and stdout.startswith("2 affichette(s) écrite(s)")
    assert sorted(p.name for p in out.iterdir()) == [
        "affichette-maison-soulat.html", "affichette-velo-toque.html", "affichettes.html"]
    combined = (out / "affichettes.html").read_text(encoding="utf-8")
    assert combined.count('<article class="affichette"') == 2
    assert "<title>Affichettes à imprimer (2 pros) · La Bulle</title>" in combined


@pytest.mark.parametrize(("slugs", "message"), [
    (["maison-soula"], "pro inconnu : « maison-soula » (aucune fiche pros/maison-soula.yml) ; "
                       "vouliez-vous dire « maison-soulat » ?"),
    ([LEFT], f"« {LEFT} » a quitté le réseau le 31 décembre 2019 (quitte_le dans "
             f"pros/{LEFT}.yml) : pas d'affichette"),
    ([DRAFT], f"« {DRAFT} » est un brouillon (brouillon: true dans pros/{DRAFT}.yml) : pas "
              "d'affichette avant sa publication"),
    (["maison-soulat", "zzz-inconnu"], "pro inconnu : « zzz-inconnu » (aucune fiche "
                                       "pros/zzz-inconnu.yml)"),
])
def test_command_refuses_a_pro_without_sticker_and_writes_nothing(tmp_path, capsys, slugs,
                                                                  message):
    out = tmp_path / "refus"
    args = [arg for slug in slugs for arg in ("--pro", slug)]
    code, stdout, stderr = affichettes(capsys, "--out", str(out), *args)
    assert (code, stdout) == (1, "")
    assert stderr == f"Erreur : {message}\nAucune affichette n'a été écrite.\n"
    assert not out.exists()


def test_command_refuses_a_file_as_folder(tmp_path, capsys):
    target = tmp_path / "affichettes.html"
    target.write_text("à garder", encoding="utf-8")
    code, _, stderr = affichettes(capsys, "--out", str(target))
    assert code == 1
    assert stderr == (f"Erreur : {target} est un fichier, pas un dossier : choisissez un "
                      "dossier pour les affichettes.\n")
    assert target.read_text(encoding="utf-8") == "à garder"


def test_command_refuses_wrong_pro_files_and_writes_nothing(tmp_path, capsys):
    project = copy_project(tmp_path / "projet")
    pro = project / "pros" / "velo-toque.yml"
    text = pro.read_text(encoding="utf-8")
    pro.write_text(text.replace("numerique: true", "numerique: peut-être"), encoding="utf-8")
    out = tmp_path / "affichettes"
    code, stdout, stderr = affichettes(capsys, "--out", str(out), root=project)
    assert (code, stdout) == (1, "")
    assert stderr.startswith("pros/velo-toque.yml:")
    assert stderr.endswith("Affichettes non écrites : corrigez d'abord les fiches "
                           "(invoke check).\n")
    assert not out.exists()


def test_invoke_task_repeats_the_pro_option(tmp_path):
    out = tmp_path / "invoke"
    result = subprocess.run([str(BIN / "invoke"), "affichettes", "--out", str(out),
                             "--pro", "velo-toque", "--pro", "le-grain-de-sel"], cwd=ROOT,
                            capture_output=True, text=True, env=strict_env(), check=False)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "affichette-le-grain-de-sel.html", "affichette-velo-toque.html", "affichettes.html"]
    result = subprocess.run([str(BIN / "invoke"), "affichettes", "--out", str(out),
                             "--pro", "nobody"], cwd=ROOT, capture_output=True, text=True,
                            env=strict_env(), check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Erreur : pro inconnu : « nobody »")


def test_command_speaks_for_another_currency_with_its_own_logo(tmp_path, capsys):
    """tests/othercurrency (la Pêche du Périgord): its words, its address, its logo (its
    THEME_TEMPLATES_OVERRIDES), nothing of La Bulle."""
    out = tmp_path / "peche"
    code, stdout, _ = affichettes(capsys, "--out", str(out),
                                  root=ROOT / "tests" / "othercurrency")
    assert code == 0 and stdout.startswith("3 affichette(s) écrite(s)")
    combined = (out / "affichettes.html").read_text(encoding="utf-8")
    assert text_of(sheet(combined)).startswith("La Pêche, monnaie locale du Périgord Ici, on "
                                               "accepte la Pêche")
    assert "https://peche.example/pros/atelier-du-vesone/" in combined
    assert combined.count('<circle cx="32" cy="36" r="22" fill="#f28c5b"/>') == 3
    assert not re.search(r"bulle|charente|labulle16", combined, re.IGNORECASE)


def test_command_refuses_a_theme_without_the_stickers_stylesheet(tmp_path, capsys):
    project = copy_project(tmp_path / "projet")
    css = project / "theme" / "static" / "css" / "affichette.css"
    css.unlink()
    out = tmp_path / "affichettes"
    code, stdout, stderr = affichettes(capsys, "--out", str(out), root=project)
    assert (code, stdout) == (1, "")
    assert stderr.startswith(f"Erreur : feuille de style des affichettes illisible : {css} (")
    assert stderr.endswith("le thème doit la fournir (theme/static/css/affichette.css).\n")
    assert not out.exists()


def test_command_refuses_a_folder_it_cannot_make(tmp_path, capsys):
    blocker = tmp_path / "fichier"
    blocker.write_text("à garder", encoding="utf-8")
    code, _, stderr = affichettes(capsys, "--out", str(blocker / "affichettes"))
    assert code == 1
    assert stderr == (f"Erreur : impossible d'écrire dans {blocker / 'affichettes'} (Not a "
                      "directory) : choisissez un dossier où vous pouvez écrire.\n")
    assert blocker.read_text(encoding="utf-8") == "à garder"


def test_command_replaces_earlier_files_and_leaves_no_temporary_folder(tmp_path, capsys):
    out = tmp_path / "tirage"
    out.mkdir()
    (out / "affichette-velo-toque.html").write_text("ancienne", encoding="utf-8")
    (out / "notes.txt").write_text("à garder", encoding="utf-8")
    assert affichettes(capsys, "--out", str(out), "--pro", "velo-toque")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "affichette-velo-toque.html", "affichettes.html", "notes.txt"]
    assert "Vélo Toqué" in (out / "affichette-velo-toque.html").read_text(encoding="utf-8")
