"""Real pro files (shared/realdata/pros, as typed by volunteers) build into clean pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import build_site, copy_project

REALDATA = Path("/work/shared/realdata/pros")
pytestmark = pytest.mark.skipif(not REALDATA.is_dir(), reason="no real data folder here")


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("realdata"))
    for path in REALDATA.glob("*.yml"):
        shutil.copy(path, root / "pros" / path.name)
    result = build_site(root, root / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "output"


def real_files() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted(REALDATA.glob("*.yml"))}


def test_every_real_pro_has_its_page(real_site):
    for slug, data in real_files().items():
        page = real_site / "pros" / slug / "index.html"
        assert page.is_file(), slug
        assert data["nom"].replace("'", "&#39;") in page.read_text(encoding="utf-8"), slug


def test_phone_without_leading_zero_is_shown_the_french_way(real_site):
    body = (real_site / "pros" / "association-la-ferme-d-yvonne" / "index.html").read_text(
        encoding="utf-8")
    assert ">05 45 83 15 72</a>" in body
    assert 'href="tel:+33545831572"' in body


def test_every_real_phone_is_formatted(real_site):
    for slug, data in real_files().items():
        phone = (data.get("contact") or {}).get("telephone")
        if phone:
            body = (real_site / "pros" / slug / "index.html").read_text(encoding="utf-8")
            digits = "".join(c for c in str(phone) if c.isdigit()).removeprefix("0")
            shown = "0" + digits
            assert " ".join(shown[i:i + 2] for i in range(0, 10, 2)) in body, slug


def test_raw_html_in_resume_is_escaped_everywhere(real_site):
    for path in real_site.rglob("*.html"):
        body = path.read_text(encoding="utf-8")
        assert "<a href='coucou'>" not in body, path
        assert "href=\"coucou\"" not in body, path
    body = (real_site / "pros" / "la-ruche-de-chenay" / "index.html").read_text(encoding="utf-8")
    assert "&lt;a href=&#39;coucou&#39;&gt;Tous produits alimentaires locaux&lt;/a&gt;" in body


def test_unbalanced_parenthesis_and_http_sites(real_site):
    body = (real_site / "pros" / "anlp-antenne-nature-loisirs-patrimoine" / "index.html").read_text(
        encoding="utf-8")
    assert ">ANLP (Antenne Nature Loisirs Patrimoine</h1>" in body
    assert 'href="http://www.valleedelantenne.info" rel="noopener"' in body


def test_one_commune_page_whatever_the_spelling(real_site):
    page = real_site / "pros" / "commune" / "chateaubernard" / "index.html"
    body = page.read_text(encoding="utf-8")
    assert "Biocoop de Cognac Chateaubernard" in body and "Les Jardins Respectueux" in body
    assert "<h1>La Bulle à Châteaubernard</h1>" in body


def test_real_pros_in_open_data(real_site):
    data = json.loads((real_site / "pros.json").read_text(encoding="utf-8"))
    slugs = {p["slug"] for p in data["pros"]}
    assert set(real_files()) <= slugs
    ruche = next(p for p in data["pros"] if p["slug"] == "la-ruche-de-chenay")
    assert ruche["contact"]["telephone"] == "09 67 55 62 21"
