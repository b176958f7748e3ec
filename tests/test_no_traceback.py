"""No Python traceback from any invoke task (issue 11, point 11; issue 12, point 12 end to end).

Each task runs as the webmaster runs it (`.venv/bin/invoke …` in a copy of the project) on a
real failure: a broken pro file, a broken template, a template that raises, an unreadable
agenda, a busy port, a folder where a file should be. A refusal prints its French message
alone (exit 1 or 2); an unexpected error prints one French sentence naming the task and the
log that holds the traceback (exit 3), and nothing is published.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, strict_env
from invoke import Task
from test_hostile_yaml import billion_laughs

pytestmark = pytest.mark.slow

INVOKE = Path(sys.executable).parent / "invoke"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "projet")


def invoke(root: Path, *args: str) -> tuple[int, str]:
    """Run one task in `root`; its exit status and everything it printed."""
    env = {k: v for k, v in strict_env().items() if k != "CI"}
    result = subprocess.run([str(INVOKE), *args], cwd=root, capture_output=True, text=True,
                            env=env, check=False, timeout=600)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return result.returncode, output


def break_template(root: Path, code: str) -> int:
    """Put `code` on the pro page template's content line; returns that line's number."""
    path = root / "theme" / "templates" / "pro.html"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if "{% block content %}" in line)
    lines[number - 1] += code
    path.write_text("\n".join(lines), encoding="utf-8")
    return number


def unexpected(root: Path, task: str, doing: str, error: str) -> str:
    return (f"Erreur inattendue pendant « invoke {task} » ({doing}) ({error}) : le détail est "
            f"écrit dans {root / '.labulle' / 'erreurs.log'} ; joignez ce fichier à votre "
            "signalement.")


def deploy_to(root: Path, dest: Path) -> None:
    with (root / "publish.py").open("a", encoding="utf-8") as settings:
        settings.write(f"\nLABULLE_DEPLOY = {{'kind': 'folder', 'dest': {str(dest)!r}}}\n")


def test_check_refuses_a_billion_laughs_at_once(project):
    (project / "pros" / "rire.yml").write_text(billion_laughs(), encoding="utf-8")
    code, output = invoke(project, "check")
    assert code == 1
    assert ("pros/rire.yml:1: a: les alias YAML (&ancre / *alias) ne sont pas acceptés dans une "
            "fiche") in output.splitlines()


def test_check_with_a_nul_byte_and_a_second_document(project):
    path = project / "pros" / "la-drole-d-epicerie.yml"
    path.write_text(path.read_text(encoding="utf-8") + "zone: a\x00b\n", encoding="utf-8")
    (project / "pros" / "deux.yml").write_text("nom: A\n---\nnom: B\n", encoding="utf-8")
    code, output = invoke(project, "check")
    assert code == 1
    lines = output.splitlines()
    assert any(line.startswith("pros/la-drole-d-epicerie.yml:") and "caractère de contrôle "
               "U+0000 interdit" in line for line in lines)
    assert "pros/deux.yml:2: (syntaxe YAML): un seul document par fichier : retirez la ligne " \
           "« --- » et ce qui la suit, ou faites-en une autre fiche" in lines


@pytest.mark.parametrize("task", ["build", "rebuild"])
def test_build_with_a_template_syntax_error(project, task):
    line = break_template(project, "{{ foo( }}")
    code, output = invoke(project, task)
    assert code == 1
    template = project / "theme" / "templates" / "pro.html"
    assert (f"Erreur : {template}:{line} : erreur de syntaxe dans le gabarit (unexpected '}}', "
            "expected ')')") in output.splitlines()


def test_build_with_a_template_that_raises_logs_the_traceback(project):
    break_template(project, "{{ 1 // 0 }}")
    code, output = invoke(project, "build")
    assert code == 3
    assert unexpected(project, "build", "vérifie les données puis construit le site dans output/",
                      "ZeroDivisionError") in output.splitlines()
    log = (project / ".labulle" / "erreurs.log").read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log and "ZeroDivisionError" in log
    assert "« invoke build »" in log
    ignored = subprocess.run(["git", "check-ignore", "-q", ".labulle/erreurs.log"], cwd=ROOT,
                             check=False)
    assert ignored.returncode == 0  # never committed by mistake


def test_publish_with_a_broken_pro_file(project, tmp_path):
    deploy_to(project, tmp_path / "www")
    (project / "pros" / "rire.yml").write_text(billion_laughs(), encoding="utf-8")
    code, output = invoke(project, "publish")
    assert code == 1
    assert "Publication annulée : 21 erreur(s) dans les données (voir ci-dessus). Le site en " \
           "ligne n'a pas changé." in output.splitlines()
    assert not (tmp_path / "www" / "current").exists()


def test_publish_with_a_broken_template(project, tmp_path):
    deploy_to(project, tmp_path / "www")
    line = break_template(project, "{{ foo( }}")
    code, output = invoke(project, "publish")
    assert code == 1
    template = project / "theme" / "templates" / "pro.html"
    assert (f"Erreur : {template}:{line} : erreur de syntaxe dans le gabarit (unexpected '}}', "
            "expected ')')") in output.splitlines()
    assert "Publication annulée : la construction du site a échoué (voir ci-dessus). Le site en " \
           "ligne n'a pas changé." in output.splitlines()
    assert not (tmp_path / "www" / "current").exists()


def test_publish_with_an_unreadable_agenda(project, tmp_path):
    deploy_to(project, tmp_path / "www")
    (project / "content" / "data" / "agenda.ics").write_bytes(b"\xff\xfe\x00pas un agenda")
    code, output = invoke(project, "publish")
    assert code == 1
    assert any(line.startswith("content/data/agenda.ics:") for line in output.splitlines())
    assert "Le site en ligne n'a pas changé." in output
    assert not (tmp_path / "www" / "current").exists()


def test_schema_over_a_folder_is_an_unexpected_error_with_its_log(project):
    (project / "pros" / "schema.json").unlink()
    (project / "pros" / "schema.json").mkdir()
    code, output = invoke(project, "schema")
    assert code == 3
    doing = "écrit pros/schema.json, le schéma JSON des fiches (complétion dans l'éditeur)"
    assert unexpected(project, "schema", doing, "IsADirectoryError") in output.splitlines()
    assert "IsADirectoryError" in (project / ".labulle" / "erreurs.log").read_text("utf-8")


def test_serve_refuses_a_bad_or_busy_port(project):
    assert invoke(project, "serve", "--port", "abc") == (
        2, "Erreur : port « abc » invalide : un nombre de 1 à 65535 est attendu.\n")
    with socket.socket() as busy:
        busy.bind(("localhost", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        assert invoke(project, "serve", "--port", port) == (
            1, f"Erreur : le port {port} est déjà utilisé par un autre programme ; essayez "
               "--port 8001.\n")
        code, output = invoke(project, "livereload", "--port", port)
    assert code == 3
    doing = "construit, sert le site et le reconstruit à chaque modification (pros, articles, " \
            "thème)"
    assert unexpected(project, "livereload", doing, "OSError") in output.splitlines()


@pytest.mark.parametrize("args", [
    ("social", "--date", "2020-13-45"),
    ("intake", "--source", "/nonexistent/message.eml"),
    ("members", "--csv", "/nonexistent/membres.csv"),
    ("letters", "--out", "pros/la-drole-d-epicerie.yml"),
    ("new-pro", "!!!"),
    ("intake-signups", "content/data/agenda.ics"),
    ("events", "http://127.0.0.1:9/agenda.ics"),
], ids=lambda args: args[0])
def test_other_tasks_fail_in_french(project, args):
    code, output = invoke(project, *args)
    assert code != 0 and output.strip()


def test_every_task_of_tasks_py_is_guarded():
    """A task added later gets the guard too: tasks.py takes `task` from labulle.commands.guard."""
    spec = importlib.util.spec_from_file_location("webmaster_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tasks = [value for value in vars(module).values() if isinstance(value, Task)]
    assert len(tasks) >= 14
    assert all(Path(t.body.__code__.co_filename).name == "guard.py" for t in tasks)


def test_build_with_a_fatal_warning(project):
    billet = sorted((project / "content" / "billets").glob("*.md"))[0]
    billet.write_text(billet.read_text(encoding="utf-8") + "\n[lien]({filename}/disparu.md)\n",
                      encoding="utf-8")
    code, output = invoke(project, "build", "--fatal")
    assert code == 1
    assert "Unable to find '/disparu.md'" in output  # Pelican's own warning, kept
    assert "Erreur : construction arrêtée : Pelican a signalé le problème ci-dessus et les " \
           "avertissements sont des erreurs ici (--fatal)" in output.splitlines()


def test_letters_into_a_file_is_refused_for_its_true_reason(project):
    code, output = invoke(project, "letters", "--out", "pros/la-drole-d-epicerie.yml")
    assert (code, output) == (1, "Erreur : pros/la-drole-d-epicerie.yml est un fichier, pas un "
                                 "dossier : choisissez un dossier pour les lettres (--out)\n")
