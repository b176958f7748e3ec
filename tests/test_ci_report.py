"""`invoke check --github` / `--codequality`: the checker's lines in the forges' formats."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import copy_project

from labulle.source.check import main


def test_github_annotations_and_gitlab_report(tmp_path: Path, capsys):
    copy_project(tmp_path, ("pros",))
    (tmp_path / "content").mkdir()
    path = tmp_path / "pros" / "le-grain-de-sel.yml"
    path.write_text(path.read_text().replace('horaires: "Tu-Sa', 'horaire: "Tu-Sa'))
    report = tmp_path / "gl-code-quality-report.json"
    assert main(["--root", str(tmp_path), "--github", "--codequality", str(report)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "::error file=pros/le-grain-de-sel.yml,line=15,title=horaire::horaire : clé inconnue " \
           "; vouliez-vous dire « horaires » ?" in out
    assert "pros/le-grain-de-sel.yml:15: horaire: clé inconnue ; vouliez-vous dire « horaires » ?" \
        in out
    issue = next(i for i in json.loads(report.read_text(encoding="utf-8"))
                 if i["location"]["path"] == "pros/le-grain-de-sel.yml")
    assert issue["location"] == {"path": "pros/le-grain-de-sel.yml", "lines": {"begin": 15}}
    assert issue["severity"] == "major" and len(issue["fingerprint"]) == 64


PAYLOAD = "05\n::add-mask::secret\r\n::stop-commands::jeton %0A \u202e"
NAME = "a,b:c\x1b[31m\x9b"  # a file name may hold what a value may not: ESC, CSI


def hostile_project(tmp_path: Path) -> Path:
    """A value with line breaks and workflow commands, a file name with `,`, `:` and ESC."""
    from test_check_rules import BASE, project

    escaped_payload = PAYLOAD.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return project(tmp_path, {"pros/essai.yml": BASE + f'crise:\n  statut: "{escaped_payload}"\n',
                              f"pros/{NAME}.yml": BASE})


ALLOWED = "ouvert, horaires_adaptes, partiel, ferme, inconnu"


def test_github_output_cannot_write_workflow_commands(tmp_path: Path, capsys):
    """GitHub's rules: `%`, CR, LF encoded in the message, also `:` and `,` in properties; every
    other control character is shown escaped. Only our own `::error` lines start a command."""
    assert main(["--root", str(hostile_project(tmp_path)), "--github"]) == 1
    out = capsys.readouterr().out
    lines = out.split("\n")
    assert "::error file=pros/essai.yml,line=5,title=crise.statut::crise.statut : valeur « 05%0A"\
        "::add-mask::secret%0D%0A::stop-commands::jeton %250A \\u202e » inconnue : "\
        f"{ALLOWED}" in lines
    assert "::error file=pros/a%2Cb%3Ac\\x1b[31m\\x9b.yml,line=1,title=(nom du fichier)::"\
        "(nom du fichier) : l'identifiant (nom du fichier) ne prend que des minuscules sans "\
        "accent, des chiffres et des tirets" in lines
    assert "\r" not in out and "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    commands = [line for line in lines if line.lstrip().startswith(("::", "##["))]
    assert len(commands) == 2 and all(line.startswith("::error file=pros/") for line in commands)


def test_plain_and_json_output_show_control_characters_escaped(tmp_path: Path, capsys):
    root = hostile_project(tmp_path)
    assert main(["--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "pros/essai.yml:5: crise.statut: valeur « 05\\x0a::add-mask::secret\\x0d\\x0a"\
        "::stop-commands::jeton %0A \\u202e » inconnue : "\
        f"{ALLOWED}" in out.splitlines()
    assert "\r" not in out and "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert "pros/a,b:c\\x1b[31m\\x9b.yml:1: (nom du fichier): l'identifiant (nom du fichier) " \
        "ne prend que des minuscules sans accent, des chiffres et des tirets" in out.splitlines()
    assert main(["--root", str(root), "--json"]) == 1
    out = capsys.readouterr().out
    assert out.isascii() and "\x1b" not in out
    messages = [p["message"] for p in json.loads(out)]
    assert f"valeur « {PAYLOAD} » inconnue : {ALLOWED}" in messages  # the data, intact


def test_codequality_report_is_valid_json_with_the_hostile_value(tmp_path: Path):
    report = tmp_path / "report.json"
    assert main(["--root", str(hostile_project(tmp_path)), "--codequality", str(report)]) == 1
    issues = json.loads(report.read_text(encoding="utf-8"))
    assert {i["location"]["path"] for i in issues} == {"pros/essai.yml", f"pros/{NAME}.yml"}
    assert f"crise.statut : valeur « {PAYLOAD} » inconnue : {ALLOWED}" in \
        [i["description"] for i in issues]
