"""Invalid data stop the build before anything is written; `invoke` tasks behave as documented."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, build_site, copy_project

from labulle.commands.newpro import NewProError, new_pro
from labulle.source.jsonschema import render
from labulle.source.readers import read_categories


def test_build_with_one_broken_file_writes_nothing(tmp_path):
    root = copy_project(tmp_path / "site")
    path = root / "pros" / "maison-soulat.yml"
    path.write_text(path.read_text(encoding="utf-8") + "horaire: \"Mo 09:00-12:00\"\n",
                    encoding="utf-8")
    out = tmp_path / "output"
    result = build_site(root, out)
    assert result.returncode != 0
    assert "pros/maison-soulat.yml:" in result.stderr + result.stdout
    assert "clé inconnue ; vouliez-vous dire « horaires » ?" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists() or not any(out.iterdir())


def test_broken_build_keeps_previous_output(tmp_path):
    """With DELETE_OUTPUT_DIRECTORY (publish), a refused build does not wipe the last site."""
    root = copy_project(tmp_path / "site")
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text("ancien site", encoding="utf-8")
    (root / "pros" / "maison-soulat.yml").write_text("nom: [\n", encoding="utf-8")
    result = build_site(root, out, extra=("-d",))
    assert result.returncode != 0
    assert (out / "index.html").read_text(encoding="utf-8") == "ancien site"


def invoke(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=root, capture_output=True,
                          text=True, check=False)


def test_invoke_check_reports_and_exits_1(tmp_path):
    root = copy_project(tmp_path / "site")
    (root / "pros" / "maison-soulat.yml").write_text(
        "nom: Maison Soulat\ncategories: [boulangerie]\nresume: Pain.\n"
        "adresse:\n  code_postal: 16000\n", encoding="utf-8")
    result = invoke(root, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "pros/maison-soulat.yml:5: adresse.code_postal: le code postal est lu comme un nombre : "
        "écrivez-le entre guillemets, \"16000\"",
    ]
    assert "Traceback" not in result.stderr


def test_invoke_check_on_sample_exits_0(tmp_path):
    result = invoke(copy_project(tmp_path / "site"), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Tout est en ordre" in result.stderr


def test_new_pro_from_template(tmp_path):
    root = copy_project(tmp_path / "site")
    result = invoke(root, "new-pro", "L'Isle aux Trésors")
    assert result.returncode == 0, result.stderr
    path = root / "pros" / "l-isle-aux-tresors.yml"
    assert path.exists()
    assert 'nom: "L\'Isle aux Trésors"' in path.read_text(encoding="utf-8")
    assert invoke(root, "check").returncode == 0  # the template is valid as written
    again = invoke(root, "new-pro", "L’Isle aux Trésors")
    assert again.returncode == 1
    assert "existe déjà" in again.stdout + again.stderr


def test_new_pro_refuses_a_name_without_letters(tmp_path):
    try:
        new_pro("!!!", tmp_path)
    except NewProError as error:
        assert "impossible d'en tirer un identifiant" in str(error)
    else:
        raise AssertionError("a name without letters must be refused")


def test_committed_json_schema_is_up_to_date():
    categories, _ = read_categories(ROOT / "pros" / "categories.yml")
    committed = (ROOT / "pros" / "schema.json").read_text(encoding="utf-8")
    assert committed == render(list(categories)), "run `invoke schema` and commit pros/schema.json"
    schema = json.loads(committed)
    assert schema["required"] == ["nom", "categories", "resume"]
    assert "Commune" in schema["properties"]["adresse"]["properties"]["commune"]["description"]
