"""--apply rewrites only the edited lines (and verifie_le): comments, quoting, spacing and the
formatting of every other line stay byte for byte (golden diffs below)."""

from __future__ import annotations

import difflib
import io
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from labulle.mail.intake.apply import DELETE, patch, scalar
from labulle.mail.intake.project import Project
from labulle.mail.intake.run import run
from labulle.mail.intake.updates import Options

CATEGORIES = "epicerie: {label: Épicerie}\nboulangerie: {label: Boulangerie}\n"

PRO = textwrap.dedent("""\
    # La fiche de l'épicerie : relue par Paul le 2 mars.
    nom: "L'Épicerie du coin"
    categories: [epicerie]          # la principale d'abord
    resume: Vrac et produits locaux.
    description: |
      Une épicerie de quartier.

      - vrac ;
      - fromages.
    adresse:
      rue:   4 rue Haute           # sic, deux espaces
      code_postal: '16000'
      commune: Angoulême
    horaires: "Tu-Sa 09:00-19:00"   # OSM
    contact:
      telephone: "05 45 00 00 00"
      email: coin@example.org
      prive: [telephone]
    bulle:
      comptoir: true
    adhesion: 2020
    verifie_le: 2020-03-01
    crise:
      statut: horaires_adaptes
      livraison: oui
      commande:
        - telephone
        - email
      paniers:
        - nom: Panier A
          prix: 10
      verifie_le: 2020-03-01
    # quitte_le: 2021-01-01
    """)

MESSAGE = textwrap.dedent("""\
    Authentication-Results: mx.labulle16.fr; dmarc=pass (p=none) header.from=example.org
    From: Coin <COIN@example.org>
    To: bonjour@labulle16.fr
    Subject: Re: [La Bulle] Mise à jour : epicerie-du-coin
    Date: Tue, 24 Mar 2020 18:00:00 +0100
    Content-Type: text/plain; charset=utf-8

    Bonjour,

    > horaires : Tu-Sa 09:00-18:00
    > crise.livraison : non
    > adresse.rue : 4 rue Haute
    > description : Une épicerie de quartier. - vrac ; - fromages.
    > nom : L'Épicerie du coin
    """)

GOLDEN = textwrap.dedent("""\
    @@ -11,7 +11,7 @@
       rue:   4 rue Haute           # sic, deux espaces
       code_postal: '16000'
       commune: Angoulême
    -horaires: "Tu-Sa 09:00-19:00"   # OSM
    +horaires: "Tu-Sa 09:00-18:00"   # OSM
     contact:
       telephone: "05 45 00 00 00"
       email: coin@example.org
    @@ -19,15 +19,15 @@
     bulle:
       comptoir: true
     adhesion: 2020
    -verifie_le: 2020-03-01
    +verifie_le: 2020-03-24
     crise:
       statut: horaires_adaptes
    -  livraison: oui
    +  livraison: non
       commande:
         - telephone
         - email
       paniers:
         - nom: Panier A
           prix: 10
    -  verifie_le: 2020-03-01
    +  verifie_le: 2020-03-24
     # quitte_le: 2021-01-01
    """)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pros").mkdir()
    (tmp_path / "pros" / "categories.yml").write_text(CATEGORIES, encoding="utf-8")
    (tmp_path / "pros" / "epicerie-du-coin.yml").write_text(PRO, encoding="utf-8")
    return tmp_path


def _diff(old: str, new: str) -> str:
    lines = difflib.unified_diff(old.splitlines(True), new.splitlines(True), n=3)
    return "".join(list(lines)[2:])


def test_apply_touches_only_the_edited_lines(project: Path, tmp_path: Path):
    mail = tmp_path / "reply.eml"
    mail.write_text(MESSAGE, encoding="utf-8")
    options = Options(Project(project), apply=True)
    assert run([mail], options, io.StringIO()) == 0
    new = (project / "pros" / "epicerie-du-coin.yml").read_text(encoding="utf-8")
    assert _diff(PRO, new) == GOLDEN
    # idempotent: the same message again is "déjà à jour" and writes nothing
    out = io.StringIO()
    assert run([mail], options, out) == 0
    assert "Déjà à jour" in out.getvalue()
    assert (project / "pros" / "epicerie-du-coin.yml").read_text(encoding="utf-8") == new


def _patched(edits):
    result = patch(PRO, edits)
    assert not result.rewritten
    return result.text, _diff(PRO, result.text)


def test_new_keys_go_in_schema_order_with_the_neighbours_indentation():
    text, diff = _patched([(["zone"], "Angoulême"), (["contact", "site"], "https://coin.example.org"),
                           (["crise", "jusqu_au"], date(2020, 5, 11))])
    lines = text.splitlines()
    hours = lines.index('horaires: "Tu-Sa 09:00-19:00"   # OSM')
    assert lines.index("zone: Angoulême") == hours - 1
    assert lines[lines.index("  email: coin@example.org") + 1] == "  site: https://coin.example.org"
    assert lines[lines.index("  jusqu_au: 2020-05-11") + 1] == "  verifie_le: 2020-03-01"
    assert diff.count("\n+") + diff.startswith("+") == 3 and "\n-" not in diff


def test_lists_items_and_deletions():
    text, diff = _patched([
        (["crise", "commande"], ["telephone", "sms"]),
        (["crise", "paniers", 0, "prix"], Decimal("12.50")),
        (["crise", "paniers", 1], {"nom": "Panier B", "prix": Decimal("15")}),
        (["description"], DELETE),
    ])
    assert "  commande:\n    - telephone\n    - sms\n" in text  # block style kept
    assert "      prix: 12.50\n    - nom: Panier B\n      prix: 15\n" in text
    assert "description" not in text and "# quitte_le" in text
    data = yaml.safe_load(text)
    assert data["crise"]["paniers"][1] == {"nom": "Panier B", "prix": 15}


def test_emptied_block_goes_with_its_last_key():
    text, _ = _patched([(["bulle", "comptoir"], DELETE)])
    assert "bulle:" not in text


@pytest.mark.parametrize("value,written", [
    ("16000", '"16000"'), ("9:30", '"9:30"'), ("09:30", "09:30"), ("off", '"off"'),
    ("oui: non", '"oui: non"'),
    ("Vrac # et bio", '"Vrac # et bio"'), ("Vrac et bio", "Vrac et bio"), ("non", "non"),
    (True, "true"), (Decimal("12.50"), "12.50"), (date(2020, 3, 1), "2020-03-01"),
])
def test_scalars_read_back_the_same_with_yaml_1_1(value, written):
    assert scalar(value) == written
    assert yaml.safe_load(f"k: {written}")["k"] == (float(value) if isinstance(value, Decimal)
                                                     else value)


def test_quoted_values_stay_quoted_the_same_way():
    text, _ = _patched([(["adresse", "code_postal"], "16100"), (["nom"], "L'Épicerie d'en face")])
    assert "  code_postal: '16100'\n" in text
    assert 'nom: "L\'Épicerie d\'en face"\n' in text
