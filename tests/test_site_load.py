"""One load of everything the site reads (labulle.source.site), the LABULLE_* settings checked,
and no state kept between builds but what the caller hands over (labulle.build.incremental)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

from conftest import ROOT, build_site, copy_project, strict_env

from labulle.source import readers, site, stats
from labulle.source.settingscheck import check_settings


def _append_setting(root, line: str) -> int:
    """Add `line` at the end of the copy's pelicanconf.py; its line number."""
    conf = root / "pelicanconf.py"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_one_load_reads_every_data_file_of_the_sample():
    data = site.load(ROOT)
    assert data.problems == []
    assert len(data.pros) == 30 and "alimentation" in data.categories
    assert data.annonce is not None and data.annonce.lien == "/ouverts-pendant-la-crise/"
    assert data.stats is not None and data.stats.monthly
    assert data.calendar is not None and data.calendar.walk("VEVENT")
    assert data.articles and all(path.startswith("content/") for path in data.articles)
    assert all("title" in header for header in data.articles.values())


def test_every_problem_of_every_file_in_one_load(tmp_path):
    root = copy_project(tmp_path / "site")
    (root / "content" / "data" / "annonce.yml").write_text("texte: Bonjour\nau: demain\n",
                                                            encoding="utf-8")
    figures = json.loads((root / "content" / "data" / "stats.json").read_text(encoding="utf-8"))
    figures["monthly"][1]["email"] = "marie@example.org"
    (root / "content" / "data" / "stats.json").write_text(json.dumps(figures, indent=2),
                                                          encoding="utf-8")
    (root / "content" / "data" / "agenda.ics").write_text("bonjour\n", encoding="utf-8")
    line = _append_setting(root, 'LABULLE_PILOT_END = "2020-31-08"')
    shown = [str(p) for p in site.load(root).problems]
    text = json.dumps(figures, indent=2)
    email_line = text[:text.index('"email"')].count("\n") + 1
    assert shown == [
        "content/data/agenda.ics:1: agenda: ce n'est pas un fichier iCalendar (il doit "
        "commencer par BEGIN:VCALENDAR)",
        "content/data/annonce.yml:2: au: « demain » : une date AAAA-MM-JJ est attendue, par "
        "exemple 2020-03-21",
        f"content/data/stats.json:{email_line}: monthly.1.email: donnée personnelle interdite : "
        "le fichier des chiffres publics ne contient que des totaux (régénérez-le avec "
        "« bulle-ledger stats --json »)",
        f"pelicanconf.py:{line}: LABULLE_PILOT_END: valeur '2020-31-08' refusée ; attendu : "
        "une date AAAA-MM-JJ entre guillemets",
    ]


def test_stats_json_keys_are_located_by_the_located_reader():
    text = textwrap.dedent("""\
        {
          "unit": "cents",
          "accounts": {
            "member": 3,
            "prenom": "Marie"
          },
          "monthly": [
            {"month": "2020-13"}
          ]
        }
        """)
    assert stats.key_lines(text)["accounts.prenom"] == 5
    problems = stats.check_text(text)[1]
    assert (5, "accounts.prenom", "donnée personnelle interdite : le fichier des chiffres "
            "publics ne contient que des totaux (régénérez-le avec « bulle-ledger stats "
            "--json »)") in problems
    assert (8, "monthly.0.month", "valeur refusée : un mois AAAA-MM est attendu") in problems


def test_misspelt_setting_is_named_with_the_nearest_known_one(tmp_path):
    root = copy_project(tmp_path / "site")
    line = _append_setting(root, 'LABULLE_PILOT_ENDS = "2020-09-30"')
    expected = (f"pelicanconf.py:{line}: LABULLE_PILOT_ENDS: réglage inconnu ; vouliez-vous "
                "dire LABULLE_PILOT_END ?")
    assert [str(p) for p in site.load(root).problems] == [expected]
    built = build_site(root, tmp_path / "out")
    assert built.returncode == 1
    assert built.stderr.splitlines()[0] == expected
    assert "1 erreur(s) dans les données : rien n'a été construit." in built.stderr
    assert "Traceback" not in built.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_date_that_is_not_a_date_stops_the_build_in_french(tmp_path):
    root = copy_project(tmp_path / "site")
    line = _append_setting(root, 'LABULLE_PILOT_END = "31/08/2020"')
    built = build_site(root, tmp_path / "out")
    assert built.returncode == 1
    assert (f"pelicanconf.py:{line}: LABULLE_PILOT_END: valeur '31/08/2020' refusée ; "
            "attendu : une date AAAA-MM-JJ entre guillemets") in built.stderr
    assert "ValueError" not in built.stderr and "Traceback" not in built.stderr


def test_unknown_environment_setting_and_types():
    problems = check_settings({"LABULLE_CRISIS_MODE": "oui", "LABULLE_AGENDA_DAYS": 90,
                               "LABULLE_IDENTITY": {"nmae": "Pêche"}}, None,
                              environ={"LABULLE_SMPT_HOST": "smtp.example.org",
                                       "LABULLE_SMTP_PORT": "587", "PATH": "/bin"})
    assert [str(p) for p in problems] == [
        "(réglages):1: LABULLE_CRISIS_MODE: valeur 'oui' refusée ; attendu : true ou false "
        "(True / False en Python)",
        "(réglages):1: LABULLE_IDENTITY: clé « nmae » inconnue ; vouliez-vous dire « name » ?",
        "(environnement):1: LABULLE_SMPT_HOST: réglage inconnu ; vouliez-vous dire "
        "LABULLE_SMTP_HOST ?",
    ]


def test_pros_live_where_labulle_pros_path_says_for_every_reader(tmp_path):
    root = copy_project(tmp_path / "site")
    shutil.move(root / "pros", root / "fiches")
    conf = root / "pelicanconf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace(
        'LABULLE_PROS_PATH = str(HERE / "pros")', 'LABULLE_PROS_PATH = "fiches"'),
        encoding="utf-8")
    data = site.load(root)
    assert data.problems == [] and len(data.pros) == 30
    assert data.pros[0].source.startswith("fiches/")
    members = subprocess.run([sys.executable, "-m", "labulle.commands.members", "--root",
                              str(root)], capture_output=True, text=True, env=strict_env(),
                             check=False)
    assert "fiches" not in members.stderr and "introuvable" not in members.stderr
    built = build_site(root, tmp_path / "out")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out" / "pros" / "la-drole-d-epicerie" / "index.html").is_file()


def test_one_loader_reads_an_unchanged_pro_file_once(tmp_path):
    root = copy_project(tmp_path / "site", ("pelicanconf.py", "pros", "content"))
    loader = site.SiteLoader()
    first = {p.slug: p for p in loader.load(root).pros}
    path = root / "pros" / "la-drole-d-epicerie.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("resume: ", "resume: Neuf. ", 1),
                    encoding="utf-8")
    second = {p.slug: p for p in loader.load(root).pros}
    assert second["maison-soulat"] is first["maison-soulat"]  # kept by this loader
    assert second["la-drole-d-epicerie"].resume.startswith("Neuf. ")
    fresh = {p.slug: p for p in site.SiteLoader().load(root).pros}
    assert fresh["maison-soulat"] is not first["maison-soulat"]  # nothing kept elsewhere
    assert fresh["maison-soulat"] == first["maison-soulat"]


COLD_TWICE = """
import json, pathlib
from labulle.build.pelicanrun import run
args = ["-s", "pelicanconf.py", "-o", "out", "-q", "-e", "CACHE_CONTENT=true",
        "LOAD_CONTENT_CACHE=true"]
run(args)
pages = sorted(pathlib.Path("out/pros").glob("*/index.html"))
before = {p: p.stat().st_mtime_ns for p in pages}
run(args)  # no memory handed over: a cold build, as if in a new process
print(json.dumps({"pages": len(pages),
                  "rewritten": sum(p.stat().st_mtime_ns != before[p] for p in pages)}))
"""


def test_builds_of_one_process_share_nothing_unless_handed_a_memory(tmp_path):
    root = copy_project(tmp_path / "site")
    result = subprocess.run([sys.executable, "-c", COLD_TWICE], cwd=root, capture_output=True,
                            text=True, env=strict_env(LABULLE_PROCESSES="1"), check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["pages"] > 20
    assert report["rewritten"] == report["pages"]


def test_misspelt_setting_of_publish_py_is_reported_by_the_check(tmp_path):
    root = copy_project(tmp_path / "site")
    publish = root / "publish.py"
    text = publish.read_text(encoding="utf-8")
    publish.write_text(text + 'LABULLE_DEPLOI = {"kind": "folder", "dest": "/srv/x"}\n',
                       encoding="utf-8")
    line = text.count("\n") + 1
    assert [str(p) for p in site.load(root).problems] == [
        f"publish.py:{line}: LABULLE_DEPLOI: réglage inconnu ; vouliez-vous dire LABULLE_DEPLOY ?"]


def test_categories_are_checked_by_their_declared_structure(tmp_path):
    root = copy_project(tmp_path / "site", ("pros",))
    (root / "pros" / "categories.yml").write_text(
        "alimentation: {label: Alimentation, lable: Manger}\n"
        "culture: {label: Culture, parent: [alimentation]}\n"
        "epicerie:\n  label: Épicerie\n  label: Épiceries\n", encoding="utf-8")
    categories, problems = readers.read_categories(root / "pros" / "categories.yml", root)
    assert [str(p) for p in problems] == [
        "pros/categories.yml:1: alimentation.lable: clé inconnue ; vouliez-vous dire « label » ?",
        "pros/categories.yml:2: culture.parent: une valeur simple est attendue, pas un bloc ni "
        "une liste",
        "pros/categories.yml:5: epicerie.label: clé en double : gardez-en une seule",
    ]
    assert categories["alimentation"].label == "Alimentation"


READ_ONCE = """
import pathlib
from labulle.build.incremental import BuildMemory
from labulle.build.pelicanrun import run
memory = BuildMemory()
site = memory.preload(pathlib.Path.cwd())  # what `invoke build` shows before building
pro = pathlib.Path("pros/la-drole-d-epicerie.yml")
pro.write_text(pro.read_text().replace("resume: ", "resume: Lu après. ", 1))
run(["-s", "pelicanconf.py", "-o", "out", "-q"], memory)
page = pathlib.Path("out/pros/la-drole-d-epicerie/index.html").read_text()
print("Lu après." in page, memory.preloaded is None, len(site.pros))
"""


def test_the_build_uses_the_data_checked_before_it_without_reading_them_again(tmp_path):
    root = copy_project(tmp_path / "site")
    result = subprocess.run([sys.executable, "-c", READ_ONCE], cwd=root, capture_output=True,
                            text=True, env=strict_env(LABULLE_PROCESSES="1"), check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["False", "True", "30"]


def test_a_settings_file_that_does_not_run_is_a_problem_at_its_line(tmp_path):
    root = copy_project(tmp_path / "site")
    line = _append_setting(root, "LABULLE_CRISIS_MODE = Vrai")
    assert [str(p) for p in site.load(root).problems] == [
        f"pelicanconf.py:{line}: (réglages): le fichier ne s'exécute pas (NameError : name "
        "'Vrai' is not defined)"]
