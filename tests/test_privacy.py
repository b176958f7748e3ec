"""Privacy: no cookie, no analytics by default; an optional self-hosted counter; the legal pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build_site, copy_project

SCRIPT_SRC = re.compile(r'<script[^>]*\bsrc="([^"]+)"')


def pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if "embed" not in p.name and p.name != "404.html"]


def test_no_cookie_no_analytics_and_the_legal_pages_everywhere(built_site: Path):
    for page in pages(built_site):
        html = page.read_text(encoding="utf-8")
        assert "document.cookie" not in html and "localStorage" not in html, page
        for src in SCRIPT_SRC.findall(html):
            assert not src.startswith(("http://", "https://", "//")), (page, src)
        assert 'href="/mentions-legales/"' in html, page
        assert 'href="/donnees-personnelles/"' in html, page
    notice = (built_site / "mentions-legales" / "index.html").read_text(encoding="utf-8")
    assert "Éditeur du site" in notice and "Association Poivre MLC" in notice
    data = (built_site / "donnees-personnelles" / "index.html").read_text(encoding="utf-8")
    for words in ("Aucun cookie", "Bulle numérique", "Vos droits", "CNIL"):
        assert words in data


@pytest.mark.slow
def test_a_counter_is_one_script_tag_and_only_when_set(tmp_path: Path):
    project = copy_project(tmp_path / "projet")
    out = tmp_path / "output"
    result = build_site(project, out, extra=("-e", 'LABULLE_COUNTER_URL="/stats/compteur.js"'))
    assert result.returncode == 0, result.stderr
    for page in pages(out):
        scripts = SCRIPT_SRC.findall(page.read_text(encoding="utf-8"))
        assert scripts.count("/stats/compteur.js") == 1, page
