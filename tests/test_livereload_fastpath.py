"""livereload's fast path (labulle.build.fastpath): an edit of pro files rebuilds our pages
without Pelican, and every other change still gets a full build."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest
from conftest import build_site, copy_project, strict_env

# One livereload process: a full build, then the edits the test names, each followed by the
# rebuild livereload runs; after each, what changed in the output.
SCRIPT = """
import json, pathlib, sys
from labulle.build.incremental import BuildMemory
from labulle.commands.cli_site import live_rebuild
from labulle.errors import LabulleError

root, memory = pathlib.Path.cwd(), BuildMemory()
out = root / "out"

def state():
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}

def edit(path, old, new):
    path = root / path
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

live_rebuild(root, memory, "-o out -q")
for step in json.loads(sys.argv[1]):
    before = state()
    for change in step:
        if change[0] == "edit":
            edit(*change[1:])
        else:
            (root / change[1]).write_text(change[2], encoding="utf-8")
    fast, refused = False, None
    try:
        fast = live_rebuild(root, memory, "-o out -q")
    except LabulleError as error:
        refused = str(error)
    after = state()
    print(json.dumps({
        "fast": fast,
        "rewritten": sorted(k for k in after if after[k] != before.get(k)),
        "refused": refused,
    }))
"""

PRO = "pros/la-drole-d-epicerie.yml"


def rebuilds(project, steps):
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(SCRIPT), json.dumps(steps)],
                            cwd=project, capture_output=True, text=True, check=False,
                            env=strict_env())
    assert result.returncode == 0, result.stderr
    return ([json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")],
            result.stdout + result.stderr)


def page(project, path):
    return (project / "out" / path).read_text(encoding="utf-8")


@pytest.mark.slow
def test_an_edited_pro_is_rebuilt_without_pelican_and_everything_that_shows_it_follows(
        tmp_path):
    project = copy_project(tmp_path / "projet")
    edit = ["edit", PRO, "resume: ", "resume: Ouvert le dimanche matin. "]
    [step], _errors = rebuilds(project, [[edit]])
    assert step["fast"] and step["refused"] is None
    written = step["rewritten"]
    assert "pros/la-drole-d-epicerie/index.html" in written
    assert not any(p.startswith("articles/") for p in written)  # Pelican did not run
    assert "sitemap.xml" not in written
    # Everything that shows the pro's summary has it: its page, the lists, the open data.
    for path in ("pros/la-drole-d-epicerie/index.html", "pros/index.html", "pros.json",
                 "pros.csv"):
        assert "Ouvert le dimanche matin." in page(project, path), path
    # The pages of pros it does not touch are left as they were.
    assert "pros/le-fournil-de-cognac/index.html" not in written


@pytest.mark.slow
def test_every_other_change_gets_a_full_build_and_bad_data_are_refused(tmp_path):
    project = copy_project(tmp_path / "projet")
    new_pro = ("nom: Le Nouveau Comptoir\ncategories: [epicerie]\n"
               "resume: Épicerie de quartier ouverte depuis mars.\n")
    steps, errors = rebuilds(project, [
        [["write", "pros/le-nouveau-comptoir.yml", new_pro]],  # a pro added: full build
        [["edit", PRO, "nom: ", "nom:: "]],  # a YAML mistake: refused, nothing written
        [["edit", PRO, "nom:: ", "nom: "]],  # fixed
        [["edit", "content/pages/a-propos.md", "\n", "\n\n"]],  # an article or page: full
    ])
    added, broken, fixed, article = steps
    assert not added["fast"]
    assert "pros/le-nouveau-comptoir/index.html" in added["rewritten"]
    assert "le-nouveau-comptoir" in page(project, "sitemap.xml")
    assert broken["refused"] == "construction annulée : corrigez les erreurs ci-dessus."
    assert f"{PRO}:1: nom" in errors  # the checker's line, as `invoke check` gives it
    assert broken["rewritten"] == []
    assert fixed["refused"] is None
    assert not article["fast"]


@pytest.mark.slow
def test_the_crisis_list_pages_that_show_the_edited_pro_are_the_only_ones_written(tmp_path):
    project = copy_project(tmp_path / "projet")
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nLABULLE_CRISIS_PAGE_SIZE = 5  # a long list: pages of five\n")
    edit = ["edit", PRO, "nom: La Drôle", "nom: La Très Drôle"]
    [step], _output = rebuilds(project, [[edit]])
    assert step["fast"]
    lists = sorted(p.relative_to(project / "out").as_posix() for p in
                   (project / "out" / "ouverts-pendant-la-crise").glob("*/**/index.html"))
    showing = {p for p in lists if "La Très Drôle" in page(project, p)}
    written = {p for p in lists if p in step["rewritten"]}
    assert showing and written == showing  # every page showing the pro, and only those
    assert len(written) < len(lists) / 2


def tree(folder):
    """Every file of a built site, by path; the sitemap without its build times."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes()
             for p in folder.rglob("*") if p.is_file()}
    files["sitemap.xml"] = re.sub(rb"<lastmod>[^<]*</lastmod>", b"", files["sitemap.xml"])
    return files


@pytest.mark.slow
def test_after_many_edits_the_site_is_byte_for_byte_the_cold_builds(tmp_path):
    """What livereload skips and splices (pages kept, each pro's piece of the data files kept)
    must leave exactly the site a cold build makes of the same files; the sitemap too (the fast
    path does not tell Pelican's sitemap plugin, which listed its pages twice at the next full
    build)."""
    project = copy_project(tmp_path / "projet")
    chevrerie = "pros/chevrerie-des-brandes.yml"
    steps, output = rebuilds(project, [
        [["edit", PRO, "commune: Angoulême", "commune: Soyaux"]],  # moves to another commune
        [["edit", PRO, "categories: [epicerie]", "categories: [boulangerie, epicerie]"]],
        [["edit", PRO, "statut: horaires_adaptes", "statut: partiel"]],  # crisis lists
        [["edit", chevrerie, "nom: Chèvrerie des Brandes", "nom: Chèvrerie des Landes"]],
        [["edit", PRO, "les-ruches-du-ruffecois, ", ""]],  # a supplier less
        [["edit", PRO, "resume: ", "resume: « Vrac » & <b>local</b>; =1+1, "],
         ["edit", chevrerie, "nom: ", "nom: La "]],  # two files at once, hostile text
        [["edit", "pros/quincaillerie-barbezilienne.yml", "commune: Barbezieux-Saint-Hilaire",
          "commune: Cognac"]],  # the only pro of its commune: its page goes, and the sitemap
    ])                         # changes: a full build, after six fast ones in the same process
    assert [(s["fast"], s["refused"]) for s in steps] == [(True, None)] * 6 + [(False, None)], \
        output
    cold = tmp_path / "froid"
    result = build_site(project, cold)
    assert result.returncode == 0, result.stdout + result.stderr
    live, built = tree(project / "out"), tree(cold)
    assert sorted(live) == sorted(built)
    assert [path for path in built if live[path] != built[path]] == []
    assert "Chèvrerie des Landes" in page(project, "pros/la-drole-d-epicerie/index.html")
    assert "pros/commune/barbezieux-saint-hilaire/index.html" not in live
