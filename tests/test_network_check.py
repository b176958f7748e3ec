"""Issue 16, point 2: `invoke check` refuses a bad `fournisseurs` or `achats` at the line of the
item (a string instead of a list, a slug naming nobody, the pro itself, a pro who left, an item
twice, an unknown category), and the build then writes nothing.

The sample is copied and broken the way a volunteer would, then checked by the installed
`invoke` and built by Pelican, as the webmaster does.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build_site, copy_project, strict_env

BIN = Path(sys.executable).parent

#: file → (text written in the sample, replaced by), one broken rule each.
BREAKS = {
    "le-grain-de-sel": (
        "fournisseurs: [brasserie-de-la-vienne-confolentaise, le-potager-de-fleac]",
        "fournisseurs: brasserie-de-la-vienne-confolentaise"),
    "velo-toque": ("fournisseurs: [quincaillerie-barbezilienne]",
                   "fournisseurs: [quincaillerie-barbezillienne]"),
    "studio-souffle": ("fournisseurs: [herboristerie-de-la-tardoire]",
                       "fournisseurs: [herboristerie-de-la-tardoire, studio-souffle]"),
    "l-isle-aux-images": ("fournisseurs: [informatique-libre-16]",
                          "fournisseurs: [informatique-libre-16, le-zinc-du-marche]"),
    "le-comptoir-de-l-houmeau": ("  - ferme-de-la-bonnieure\n  - chevrerie-des-brandes\n",
                                 "  - ferme-de-la-bonnieure\n  - ferme-de-la-bonnieure\n"),
    "au-levain-de-chateauneuf": ("achats: [bois]", "achats: [boiss]"),
}


def _line(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A copy of the sample with every break of BREAKS; the line of each broken key."""
    root = copy_project(tmp_path_factory.mktemp("reseau") / "projet")
    lines = {}
    for slug, (old, new) in BREAKS.items():
        path = root / "pros" / f"{slug}.yml"
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, slug
        text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        lines[slug] = _line(text, new.split(":")[0] if ":" in new else "fournisseurs")
    return root, lines


def expected(lines: dict[str, int]) -> list[str]:
    comptoir = lines["le-comptoir-de-l-houmeau"]  # the line of `fournisseurs:`, items below
    return sorted([
        f"pros/au-levain-de-chateauneuf.yml:{lines['au-levain-de-chateauneuf']}: achats.0: "
        "catégorie « boiss » inconnue (voir pros/categories.yml) ; vouliez-vous dire « bois » ?",
        f"pros/l-isle-aux-images.yml:{lines['l-isle-aux-images']}: fournisseurs.1: "
        "« le-zinc-du-marche » a quitté le réseau le 2019-12-31 (quitte_le de "
        "pros/le-zinc-du-marche.yml) : retirez-le de la liste",
        f"pros/le-comptoir-de-l-houmeau.yml:{comptoir + 3}: fournisseurs.2: "
        f"« ferme-de-la-bonnieure » est en double (déjà ligne {comptoir + 2}) : gardez-le une "
        "seule fois",
        f"pros/le-grain-de-sel.yml:{lines['le-grain-de-sel']}: fournisseurs: fournisseurs doit "
        "être une liste d'identifiants de pros, par exemple "
        "[brasserie-de-la-vienne-confolentaise]",
        f"pros/studio-souffle.yml:{lines['studio-souffle']}: fournisseurs.1: un pro ne peut pas "
        "être son propre fournisseur",
        f"pros/velo-toque.yml:{lines['velo-toque']}: fournisseurs.0: "
        "« quincaillerie-barbezillienne » : aucun pro n'a cet identifiant (nom du fichier "
        "dans pros/, sans .yml) ; vouliez-vous dire « quincaillerie-barbezilienne » ?",
    ])


def test_invoke_check_refuses_each_at_the_line_of_the_item(broken):
    root, lines = broken
    result = subprocess.run([str(BIN / "invoke"), "check"], cwd=root, capture_output=True,
                            text=True, env=strict_env(), check=False, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert sorted(result.stdout.splitlines()) == expected(lines)
    assert result.stderr.strip().endswith("6 erreur(s) dans 6 fichier(s).")


def test_the_build_refuses_them_and_writes_nothing(broken, tmp_path):
    root, lines = broken
    out = tmp_path / "output"
    result = build_site(root, out)
    assert result.returncode != 0
    for line in expected(lines):
        assert line in result.stderr
    assert "6 erreur(s) dans les données : rien n'a été construit." in result.stdout + \
        result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_draft_supplier_is_allowed_a_valid_sample_has_no_problem(tmp_path):
    """A supplier that is still a draft is no error (it is only not shown yet)."""
    root = copy_project(tmp_path / "projet", ("pelicanconf.py", "pros", "content"))
    path = root / "pros" / "velo-toque.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "fournisseurs: [quincaillerie-barbezilienne]",
        "fournisseurs: [quincaillerie-barbezilienne, le-vrac-des-remparts]"), encoding="utf-8")
    result = subprocess.run([str(BIN / "labulle"), "check"], cwd=root, capture_output=True,
                            text=True, env=strict_env(), check=False, timeout=300)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr
