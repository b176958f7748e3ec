"""`invoke check --github` / `--codequality`: the checker's lines in the forges' formats."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from labulle.check import main

ROOT = Path(__file__).resolve().parent.parent


def test_github_annotations_and_gitlab_report(tmp_path: Path, capsys):
    shutil.copytree(ROOT / "pros", tmp_path / "pros")
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
