"""Issue 14, point 5: Atom feeds of the directory's new and updated pros (all, one per commune).

A copy of the project is made a git repository; the test commits what a webmaster commits
(a new address, new hours, a new pro, `numerique: true`, a broken file then its fix, a private
change), builds with publish.py's settings and reads the feeds as Atom with xml.etree.
"""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import build_site, copy_project

from labulle.source import history

ATOM = "{http://www.w3.org/2005/Atom}"
NOW = datetime.now(UTC).replace(microsecond=0)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
PRIVATE_PHONE = "06 12 34 56 78"
NEW_PRO = """nom: Cave du Port
categories: [boissons]
resume: Cave à vins et spiritueux du port de Cognac.
adresse:
  rue: 2 quai de l'Étang
  code_postal: "16100"
  commune: Cognac
contact:
  telephone: "06 12 34 56 78"
  email: caveduport@example.org
  prive: [telephone]
adhesion: 2020
"""
DRAFT = """nom: Brouillon de Cognac
categories: [boissons]
resume: Pas encore publié.
adresse:
  commune: Cognac
brouillon: true
"""


def git(root: Path, *args: str, when: datetime | None = None) -> None:
    stamp = (when or NOW).isoformat()
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
           "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "user.name=Webmestre", "-c", "user.email=web@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=root, env=env, check=True,
                   capture_output=True)


def edit(root: Path, slug: str, old: str, new: str) -> None:
    path = root / "pros" / f"{slug}.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(root: Path, message: str, days_ago: int) -> None:
    git(root, "add", "-A", "pros")
    git(root, "commit", "-q", "-m", message, when=NOW - timedelta(days=days_ago))


def feed(out: Path, name: str) -> ET.Element:
    root = ET.parse(out / "feeds" / name).getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}").text
    return root


def entries(root: ET.Element) -> list[tuple[str, str, str]]:
    """(title, link, updated) of each entry, in the feed's order."""
    found = []
    for entry in root.iter(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}id").text.startswith("https://labulle16.fr/pros/")
        found.append((entry.find(f"{ATOM}title").text,
                      entry.find(f"{ATOM}link").get("href"),
                      entry.find(f"{ATOM}updated").text))
    return found


@pytest.fixture(scope="module")
def git_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample in a git repository with a year of the webmaster's commits, built."""
    root = copy_project(tmp_path_factory.mktemp("feeds") / "site")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Sample", when=NOW - timedelta(days=90))
    edit(root, "le-grain-de-sel", "rue: 9 rue Grande", "rue: 14 place François Ier")
    commit(root, "Le Grain de Sel moves", 60)
    edit(root, "le-grain-de-sel", '"Tu-Sa 09:30-12:30,14:30-19:00; Su 09:30-12:30"',
         '"Tu-Sa 09:00-19:00"')
    commit(root, "Le Grain de Sel: new hours", 50)
    edit(root, "le-grain-de-sel", 'telephone: "05 45 82 40 17"', "telephone: [oops")
    commit(root, "A broken file", 40)
    edit(root, "le-grain-de-sel", "telephone: [oops", 'telephone: "05 45 82 40 99"')
    commit(root, "Fixed, with a new phone", 39)
    (root / "pros" / "cave-du-port.yml").write_text(NEW_PRO, encoding="utf-8")
    (root / "pros" / "brouillon-de-cognac.yml").write_text(DRAFT, encoding="utf-8")
    commit(root, "A new pro and a draft", 20)
    edit(root, "compagnie-du-lavoir", "bulle:\n", "bulle:\n  numerique: true\n")
    commit(root, "Compagnie du Lavoir takes the digital Bulle", 10)
    edit(root, "l-aiguille-de-ruffec", '"+33 6 98 76 54 35"', '"+33 6 98 76 54 00"')
    commit(root, "A private phone changes", 5)
    left = (NOW - timedelta(days=3)).date()
    path = root / "pros" / "la-seconde-main.yml"
    path.write_text(f"{path.read_text(encoding='utf-8')}quitte_le: {left}\n", encoding="utf-8")
    commit(root, "La Seconde Main leaves", 3)
    out = root.parent / "out"
    done = build_site(root, out, "publish.py")
    assert done.returncode == 0, done.stderr
    return out


def test_commune_feed_says_what_changed_newest_first(git_site):
    found = entries(feed(git_site, "pros/cognac.atom.xml"))
    titles = [title for title, _link, _updated in found]
    assert titles[:5] == [
        "Compagnie du Lavoir : accepte maintenant la Bulle numérique",
        "Cave du Port : nouveau pro",
        "Le Grain de Sel : nouveau téléphone",
        "Le Grain de Sel : nouveaux horaires",
        "Le Grain de Sel : nouvelle adresse",
    ]
    assert sorted(titles[5:]) == ["Compagnie du Lavoir : nouveau pro",
                                  "Le Grain de Sel : nouveau pro"]
    title, link, updated = found[0]
    assert link == "https://labulle16.fr/pros/compagnie-du-lavoir/"
    assert datetime.fromisoformat(updated) == NOW - timedelta(days=10)


def test_whole_feed_and_atom_metadata(git_site):
    root = feed(git_site, "pros.atom.xml")
    assert root.find(f"{ATOM}id").text == "https://labulle16.fr/feeds/pros.atom.xml"
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Association Poivre MLC"
    titles = [title for title, _link, _updated in entries(root)]
    assert titles[0] == "Compagnie du Lavoir : accepte maintenant la Bulle numérique"
    assert "Cave du Port : nouveau pro" in titles
    assert len(titles) == len(set(titles)) <= 50


def test_private_change_draft_and_unreadable_version_give_no_entry(git_site):
    ruffec = [title for title, _l, _u in entries(feed(git_site, "pros/ruffec.atom.xml"))
              if title.startswith("L'Aiguille")]
    assert ruffec == ["L'Aiguille de Ruffec : nouveau pro"]
    cognac = " ".join(t for t, _l, _u in entries(feed(git_site, "pros/cognac.atom.xml")))
    assert "Brouillon" not in cognac


def test_a_pro_who_left_is_in_no_feed(git_site):
    for path in (git_site / "feeds").rglob("*.atom.xml"):
        assert "la-seconde-main" not in path.read_text(encoding="utf-8"), path


def test_no_private_value_in_any_feed(git_site):
    for path in (git_site / "feeds").rglob("*.atom.xml"):
        text = path.read_text(encoding="utf-8")
        for private in (PRIVATE_PHONE, "06 98 76 54"):
            assert private not in text, (path, private)


def test_directory_and_commune_pages_link_their_feeds(git_site):
    directory = (git_site / "pros" / "index.html").read_text(encoding="utf-8")
    assert ('<link rel="alternate" type="application/atom+xml" title="Nouveautés de '
            'l\'annuaire" href="https://labulle16.fr/feeds/pros.atom.xml">') in directory
    assert ">Suivre les nouveautés de l'annuaire</a>" in directory
    cognac = (git_site / "pros" / "commune" / "cognac" / "index.html").read_text(encoding="utf-8")
    assert ('<link rel="alternate" type="application/atom+xml" title="Nouveautés de Cognac" '
            'href="https://labulle16.fr/feeds/pros/cognac.atom.xml">') in cognac
    assert ">Suivre les nouveautés de Cognac</a>" in cognac
    angouleme = (git_site / "pros" / "commune" / "angouleme" / "index.html").read_text("utf-8")
    assert ">Suivre les nouveautés d&#39;Angoulême</a>" in angouleme


def test_no_feed_and_no_link_without_the_production_settings(built_site):
    assert not (built_site / "feeds" / "pros.atom.xml").exists()
    for page in ("pros/index.html", "pros/commune/cognac/index.html"):
        text = (built_site / page).read_text(encoding="utf-8")
        assert "Suivre les nouveautés" not in text and "feeds/pros" not in text


def test_without_git_the_feed_says_when_a_pro_was_checked(tmp_path):
    root = copy_project(tmp_path / "site")
    checked = date.today() - timedelta(days=10)
    if checked.day == 1:
        checked -= timedelta(days=1)
    edit(root, "le-grain-de-sel", "verifie_le: 2020-03-12", f"verifie_le: {checked}")
    out = tmp_path / "out"
    done = build_site(root, out, "publish.py")
    assert done.returncode == 0, done.stderr
    words = f"fiche vérifiée le {checked.day} {MONTHS[checked.month - 1]} {checked.year}"
    found = entries(feed(out, "pros/cognac.atom.xml"))
    assert [(t, link) for t, link, _u in found] == [
        (f"Le Grain de Sel : {words}", "https://labulle16.fr/pros/le-grain-de-sel/")]
    empty = feed(out, "pros/ruffec.atom.xml")  # no check within the year: no entry
    assert not entries(empty)
    assert empty.find(f"{ATOM}updated").text == "2020-02-28T00:00:00+00:00"  # its last check
    again = tmp_path / "again"
    assert build_site(root, again, "publish.py").returncode == 0
    for path in (out / "feeds").rglob("*.atom.xml"):  # same data, same bytes: nothing to send
        assert path.read_bytes() == (again / path.relative_to(out)).read_bytes(), path


def test_history_is_none_without_a_repository_or_without_git(tmp_path, monkeypatch):
    since = NOW - timedelta(days=366)
    assert history.pro_versions(tmp_path, since) is None
    monkeypatch.setenv("PATH", str(tmp_path))  # no git program at all
    assert history.pro_versions(tmp_path, since) is None


def test_history_reads_the_folder_in_commit_order_with_one_walk(tmp_path):
    pros = tmp_path / "pros"
    (pros / "archives").mkdir(parents=True)
    (pros / "x.yml").write_text("nom: Un\n", encoding="utf-8")
    (pros / "archives" / "x.yml").write_text("nom: Archive\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    commit(tmp_path, "One", 2)
    (pros / "x.yml").write_text("nom: Deux\n", encoding="utf-8")
    commit(tmp_path, "Two, the same second", 2)
    (pros / "x.yml").unlink()
    commit(tmp_path, "Gone", 1)
    versions = history.pro_versions(pros, NOW - timedelta(days=366))
    assert list(versions) == ["x"]
    assert [v.text for v in versions["x"]] == ["nom: Un\n", "nom: Deux\n", None]
    assert versions["x"][0].when == NOW - timedelta(days=2)


def test_a_commune_feed_path_without_slug_is_refused(tmp_path):
    root = copy_project(tmp_path / "site")
    with (root / "publish.py").open("a", encoding="utf-8") as settings:
        settings.write('LABULLE_PRO_COMMUNE_FEED_ATOM = "feeds/pros.xml"\n')
    out = tmp_path / "out"
    done = build_site(root, out, "publish.py")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert ("LABULLE_PRO_COMMUNE_FEED_ATOM = 'feeds/pros.xml' : le chemin doit contenir {slug} "
            "(le nom de la commune), par exemple \"feeds/pros/{slug}.atom.xml\" ; rien n'a été "
            "construit.") in done.stderr
    assert not (out / "feeds" / "pros.xml").exists()
