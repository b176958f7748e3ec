"""`invoke members`: pros whose fee for the reference year is unpaid, for the volunteer who
calls them; the CSV never lands in the site's folders."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from labulle.commands.members import MembersError, main, table, to_csv, unpaid, write_csv
from labulle.source.check import load

FILES = {
    "categories.yml": "epicerie: {label: Épicerie}\n",
    "a-jour.yml": """\
        nom: À jour
        categories: [epicerie]
        resume: Payé.
        adhesion: 2020
        """,
    "en-retard.yml": """\
        nom: En retard
        categories: [epicerie]
        resume: Payé l'an dernier.
        contact:
          telephone: "0545000001"
          email: retard@example.org
          prive: [telephone]
        crise:
          telephone_commande: "06 00 00 00 02"
        adhesion: 2019
        """,
    "jamais.yml": """\
        nom: Jamais payé
        categories: [epicerie]
        resume: Pas d'adhésion connue.
        contact:
          telephone: "05 45 00 00 03"
        """,
    "brouillon.yml": """\
        nom: Brouillon
        categories: [epicerie]
        resume: Pas encore publié.
        adhesion: 2018
        brouillon: true
        """,
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pros").mkdir()
    for name, text in FILES.items():
        (tmp_path / "pros" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "pelicanconf.py").write_text(
        'LABULLE_TODAY = "2020-03-23"\nOUTPUT_PATH = "output"\n', encoding="utf-8")
    return tmp_path


def test_unpaid_members_with_their_phones(project: Path):
    data, problems = load(project)
    assert problems == []
    members = unpaid(data.pros, date(2020, 3, 23))
    assert [(m.slug, m.last_year) for m in members] == [("en-retard", 2019), ("jamais", None)]
    late = members[0]
    assert (late.public_phone, late.private_phone, late.order_phone, late.email) == (
        "", "05 45 00 00 01", "06 00 00 00 02", "retard@example.org")
    assert members[1].public_phone == "05 45 00 00 03"
    assert "jamais" in table(members).splitlines()[-1]
    assert to_csv(members).splitlines()[1] == (
        "En retard,en-retard,,05 45 00 00 01,06 00 00 00 02,retard@example.org,2019")
    assert unpaid(data.pros, date(2019, 6, 1))[0].slug == "jamais"


def test_command_writes_csv_outside_the_site_only(project: Path, tmp_path: Path, capsys):
    target = tmp_path / "appels.csv"
    assert main(["--root", str(project), "--csv", str(target)]) == 0
    assert target.read_text(encoding="utf-8-sig").startswith("Nom,Identifiant,Téléphone public")
    shown = capsys.readouterr().out
    assert "Cotisation 2020 non payée : 2 pro(s)" in shown and "05 45 00 00 01" in shown
    for folder in ("output", "content", "pros"):
        assert main(["--root", str(project), "--csv", str(project / folder / "x.csv")]) == 1
        assert not (project / folder / "x.csv").exists()
    assert "données personnelles" in capsys.readouterr().err
    with pytest.raises(MembersError):
        write_csv([], project / "output" / "sub" / "x.csv", [project / "output"])
