"""Dépôt-vente consistency in `invoke check`: unknown slug, self-reference, closed host."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from labulle.source.check import load, main

CATEGORIES = """\
alimentation: {label: Alimentation}
epicerie: {label: Épicerie, parent: alimentation}
"""


def project(tmp_path: Path, pros: dict[str, str]) -> Path:
    (tmp_path / "pros").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "pros" / "categories.yml").write_text(CATEGORIES, encoding="utf-8")
    for slug, text in pros.items():
        (tmp_path / "pros" / f"{slug}.yml").write_text(dedent(text), encoding="utf-8")
    return tmp_path


HOST_OPEN = """\
    nom: L'Épicerie
    categories: [epicerie]
    resume: Une épicerie.
    crise:
      statut: ouvert
"""
HOST_CLOSED = """\
    nom: L'Épicerie
    categories: [epicerie]
    resume: Une épicerie.
    crise:
      horaires: "off"
"""


def guest(hosts: str) -> str:
    return f"""\
    nom: La Ferme
    categories: [epicerie]
    resume: Une ferme.
    crise:
      statut: ferme
      vendu_chez: {hosts}
"""


def messages(root: Path) -> list[str]:
    return [str(p) for p in load(root)[1]]


def test_consignment_at_an_open_pro_is_fine(tmp_path):
    root = project(tmp_path, {"epicerie": HOST_OPEN, "ferme": guest("[epicerie]")})
    assert messages(root) == []


def test_unknown_slug_is_reported_with_its_line(tmp_path):
    root = project(tmp_path, {"epicerie": HOST_OPEN, "ferme": guest("[epicier]")})
    (problem,) = messages(root)
    assert problem.startswith("pros/ferme.yml:6: crise.vendu_chez.0: ")
    assert "epicier" in problem


def test_self_reference_is_reported(tmp_path):
    root = project(tmp_path, {"epicerie": HOST_OPEN, "ferme": guest("[epicerie, ferme]")})
    (problem,) = messages(root)
    assert problem.startswith("pros/ferme.yml:6: crise.vendu_chez.1: ")
    assert "lui-même" in problem


def test_host_itself_closed_is_reported(tmp_path, capsys):
    root = project(tmp_path, {"epicerie": HOST_CLOSED, "ferme": guest("[epicerie]")})
    (problem,) = messages(root)
    assert problem.startswith("pros/ferme.yml:6: crise.vendu_chez.0: ")
    assert "« epicerie » est lui-même fermé" in problem
    assert main(["--root", str(root)]) == 1
    assert "1 erreur(s) dans 1 fichier(s)." in capsys.readouterr().err
