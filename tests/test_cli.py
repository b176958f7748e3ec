"""One command line (issue 13, point 5): `labulle …`, the invoke tasks as thin calls into it, one
exception base for the refusals, bugs reported by the guard, the intake without import cycle.

Every command runs as the webmaster runs it: the installed `labulle` script and `invoke`, in the
project or in a copy of it broken for real (no monkeypatching).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, strict_env

from labulle.commands.guard import failure
from labulle.errors import LabulleError, UsageError
from labulle.ledger.errors import LedgerError
from labulle.mail.intake.run import message_fault
from labulle.mail.listing import ValueProblem
from labulle.source.problems import DataError, Problem

BIN = Path(sys.executable).parent
COMMANDS = ["affichettes", "build", "check", "events", "intake", "intake-signups", "letters",
            "livereload", "members", "new-pro", "publish", "rebuild", "revue", "schema", "serve",
            "social"]


def run(program: str, *args: str, cwd: Path = ROOT) -> tuple[int, str, str]:
    env = {k: v for k, v in strict_env().items() if k != "CI"}
    result = subprocess.run([str(BIN / program), *args], cwd=cwd, capture_output=True,
                            text=True, env=env, check=False, timeout=600)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def test_help_is_french_and_lists_every_command():
    code, out, err = run("labulle", "--help")
    assert (code, err) == (0, "")
    assert out.startswith("Utilisation : labulle [OPTIONS] COMMANDE ...\n")
    assert "Les commandes du webmestre du site de la Bulle." in out
    assert "  --help  Affiche cette aide et s'arrête." in out
    listed = out.split("Commandes:\n", 1)[1]
    names = [line.split()[0] for line in listed.splitlines() if line.startswith("  ")
             and not line.startswith("   ")]
    assert names == COMMANDS
    code, out, _ = run("labulle", "members", "--help")
    assert code == 0 and out.startswith("Utilisation : labulle members [OPTIONS]\n")
    assert "--csv FICHIER      écrit aussi la liste dans ce fichier CSV (hors du site)" in out


def test_invoke_lists_the_same_commands_with_the_same_help():
    code, out, _ = run("invoke", "--list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[2:] if line.startswith("  ")
            and not line.startswith("   ")] == COMMANDS
    code, out, _ = run("invoke", "--help", "members")
    assert "écrit aussi la liste dans ce fichier CSV (hors du" in out


@pytest.mark.parametrize("args", [
    ("members",), ("members", "--date", "2021-02-01"), ("social", "--date", "2020-03-26"),
    ("check",), ("check", "--json"),
], ids=" ".join)
def test_invoke_and_labulle_give_the_same_output(args):
    through_invoke = run("invoke", *args)
    assert through_invoke[0] == 0 and through_invoke[1] + through_invoke[2]
    assert run("labulle", *args) == through_invoke


def test_usage_errors_are_french_with_exit_2():
    assert run("labulle", "membres") == (
        2, "", "Erreur : commande inconnue « membres » : « labulle --help » les donne toutes\n")
    assert run("labulle", "members", "--cvs", "x.csv") == (
        2, "", "Erreur : option inconnue : --cvs (vouliez-vous dire --csv ?)\n")
    date_error = ("Erreur : date invalide « 2020-13-45 » ; écrivez-la AAAA-MM-JJ, par exemple "
                  "2020-03-23.\n")
    assert run("labulle", "members", "--date", "2020-13-45") == (2, "", date_error)
    assert run("invoke", "members", "--date", "2020-13-45") == (2, "", date_error)
    assert run("labulle", "letters") == (
        2, "", "Erreur : il manque l'option --out : dossier où écrire les lettres (.eml)\n")
    assert run("labulle", "intake") == (
        2, "", "Erreur : donnez des courriels à lire ou --signups-csv FICHIER\n")


def test_a_refusal_prints_its_message_alone(tmp_path):
    project = copy_project(tmp_path / "projet")
    assert run("labulle", "new-pro", "!!!", cwd=project) == (
        1, "", "Erreur : « !!! » : impossible d'en tirer un identifiant (lettres ou chiffres).\n")
    assert run("labulle", "new-pro", "Le Fournil", "--root", str(project), cwd=tmp_path) == (
        0, "Fiche créée : pros/le-fournil.yml (brouillon : passez brouillon à false pour "
           "publier)\n", "")


def test_a_bug_gives_one_french_sentence_exit_3_and_the_log(tmp_path):
    """A real failure no refusal foresees: pros/schema.json is a folder."""
    project = copy_project(tmp_path / "projet")
    (project / "pros" / "schema.json").unlink()
    (project / "pros" / "schema.json").mkdir()
    log = project / ".labulle" / "erreurs.log"
    assert run("labulle", "schema", "--root", str(project), cwd=tmp_path) == (
        3, "", "Erreur inattendue pendant « labulle schema » (écrit pros/schema.json, le schéma "
               "JSON des fiches (complétion dans l'éditeur)) (IsADirectoryError) : le détail est "
               f"écrit dans {log} ; joignez ce fichier à votre signalement.\n")
    text = log.read_text(encoding="utf-8")
    assert "« labulle schema »" in text and "Traceback (most recent call last)" in text
    assert "IsADirectoryError" in text


def test_only_the_project_s_refusals_are_refusals(tmp_path):
    """A class of the project that is not a LabulleError (ValueProblem is a ValueError) is a bug."""
    assert issubclass(LedgerError, LabulleError) and issubclass(DataError, LabulleError)
    refusal = DataError([Problem("pros/a.yml", 3, "nom", "texte attendu")])
    assert failure(refusal, "essai", tmp_path) == (
        "Erreur : pros/a.yml:3: nom: texte attendu", 1)
    assert failure(UsageError("option inconnue"), "essai", tmp_path) == (
        "Erreur : option inconnue", 2)
    assert failure(LedgerError("base introuvable"), "essai", tmp_path)[1] == 1
    message, code = failure(ValueProblem("« x » : oui ou non attendu"), "essai", tmp_path)
    assert code == 3 and message.startswith("Erreur inattendue pendant essai (ValueProblem)")
    assert (tmp_path / ".labulle" / "erreurs.log").is_file()


@pytest.mark.slow
def test_labulle_build_fatal_passes_fatal_to_pelican(tmp_path):
    """Run from another folder: --root names the site, Pelican reads its settings there."""
    project = copy_project(tmp_path / "projet")
    billet = sorted((project / "content" / "billets").glob("*.md"))[0]
    billet.write_text(billet.read_text(encoding="utf-8") + "\n[lien]({filename}/disparu.md)\n",
                      encoding="utf-8")
    code, out, err = run("labulle", "build", "--root", str(project), cwd=tmp_path)
    assert code == 0 and (project / "output" / "index.html").is_file()
    assert not (tmp_path / "output").exists()
    code, out, err = run("labulle", "build", "--fatal", cwd=project)
    assert code == 1
    assert "Unable to find '/disparu.md'" in out + err
    assert ("Erreur : construction arrêtée : Pelican a signalé le problème ci-dessus et les "
            "avertissements sont des erreurs ici (--fatal)") in err.splitlines()


def _intake_imports() -> dict[str, set[str]]:
    """Every import between the modules of labulle.mail.intake (lazy ones included)."""
    folder = ROOT / "labulle" / "mail" / "intake"
    modules = {f"labulle.mail.intake.{p.stem}": p for p in folder.glob("*.py")
               if p.stem != "__init__"}
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        graph[name] = (found & modules.keys()) - {name}
    return graph


def test_intake_has_no_import_cycle():
    graph = _intake_imports()
    assert graph["labulle.mail.intake.dispatch"] >= {"labulle.mail.intake.updates",
                                                     "labulle.mail.intake.signup"}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        return any(dep == target or (dep not in seen and reaches(dep, target, seen | {dep}))
                   for dep in graph[start])

    assert [name for name in graph if reaches(name, name, set())] == []


def test_the_handlers_are_an_explicit_table():
    """find_handler works on a fresh import of dispatch alone: nothing is registered by imports."""
    code = ("from labulle.mail.intake.dispatch import HANDLERS, find_handler\n"
            "print([h.name for h in HANDLERS])\n"
            "print(find_handler('TR : [La Bulle] Mise à jour : le-fournil')[1]['slug'])\n"
            "print(find_handler('Re: [La Bulle] Inscription au test')[0].name)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=strict_env(), check=True)
    assert result.stdout == ("['mise à jour', 'nouveau pro', 'signalement', 'confirmation', "
                             "'inscription au test']\n"
                             "le-fournil\ninscription au test\n")


def test_a_malformed_message_is_the_message_s_fault_a_bug_is_not():
    with pytest.raises(ValueError) as parser_failure:
        parsedate_to_datetime("jeudi dernier")  # raised inside the email package
    assert message_fault(parser_failure.value)
    with pytest.raises(LookupError) as charset:
        b"x".decode("x-inconnu")
    assert message_fault(charset.value)
    with pytest.raises(KeyError) as bug:
        {}["slug"]  # noqa: B018 - a bug of ours, raised in this module
    assert not message_fault(bug.value)
