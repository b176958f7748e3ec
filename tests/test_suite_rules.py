"""Rules of the code and of the test suite itself: ruff finds nothing, a warning raised by our
code stops a build under test, and the project's folder and its copy are declared once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build_site, copy_project, strict_env


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).with_name("ruff")  # installed with the test extras
    result = subprocess.run([str(ruff), "check", "--output-format", "concise", "."], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def warn_from(module: str) -> subprocess.CompletedProcess[str]:
    """A DeprecationWarning attributed to `module`, in a process under the tests' settings."""
    code = ("import warnings\n"
            f"warnings.warn_explicit('ancienne API', DeprecationWarning, 'x.py', 1, {module=})\n"
            "print('fini')\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=strict_env(), check=False)


@pytest.mark.parametrize("module", ["labulle.build.plugin", "labulle.source.schema",
                                    "labulle", "pelicanconf", "tasks"])
def test_a_warning_of_our_code_is_an_error_in_a_subprocess(module):
    result = warn_from(module)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.rstrip().endswith("DeprecationWarning: ancienne API")


@pytest.mark.parametrize("module", ["pkg_resources", "branca.element", "folium.folium",
                                    "labulle_other"])
def test_a_third_party_warning_stays_ignored(module):
    result = warn_from(module)
    assert (result.returncode, result.stdout, result.stderr) == (0, "fini\n", "")


@pytest.mark.slow
def test_a_warning_raised_while_building_stops_the_build(tmp_path):
    root = copy_project(tmp_path / "projet")
    settings = root / "pelicanconf.py"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nimport warnings\n"
                        "warnings.warn('réglage obsolète', DeprecationWarning)\n",
                        encoding="utf-8")
    result = build_site(root, tmp_path / "output")
    assert result.returncode != 0
    assert "DeprecationWarning: réglage obsolète" in result.stdout + result.stderr
    assert not (tmp_path / "output" / "index.html").exists()


def test_the_project_folder_and_its_copy_are_declared_once():
    """ROOT and copy_project live in tests/conftest.py; every test file imports them."""
    pattern = re.compile(r"^ROOT = |^def copy_project|^def _?copy_project|copytree\(ROOT",
                         re.MULTILINE)
    found = [f"{path.relative_to(ROOT)}: {match.group(0)}"
             for path in sorted((ROOT / "tests").rglob("*.py"))
             for match in pattern.finditer(path.read_text(encoding="utf-8"))]
    assert found == ["tests/conftest.py: ROOT = ", "tests/conftest.py: def copy_project"]
