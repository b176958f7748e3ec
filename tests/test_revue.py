"""`invoke revue`: the webmaster's review list on the real sample (as of 2020-03-23), most
urgent first, with every reason and how to reach each pro; its letters, its CSV, its refusals."""

from __future__ import annotations

import csv
import re
import subprocess
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from labulle.commands.cli import run
from tests.conftest import ROOT, copy_project, strict_env

HEADER = re.compile(r"^\d+\. .+ — pros/([\w-]+)\.yml \(", re.MULTILINE)

AIGUILLE = """\
. L'Aiguille de Ruffec — pros/l-aiguille-de-ruffec.yml (informations anciennes)
   Pourquoi :
     - informations anciennes : vérifiée le 15 mars 2019, il y a 12 mois
     - fiche incomplète : pas de moyen de contact public
   Joindre :
     - Téléphone : 06 98 76 54 35 (privé)
"""
RUCHES = """\
. Les Ruches du Ruffécois — pros/les-ruches-du-ruffecois.yml (situation de crise à confirmer)
   Pourquoi :
     - situation de crise à confirmer : confirmée le 28 février 2020, il y a 24 jours
   Joindre :
     - Téléphone : 05 45 31 76 02
"""
ATELIER = """\
. Atelier Terre de Touvre — pros/atelier-terre-de-touvre.yml (à revérifier bientôt)
   Pourquoi :
     - à revérifier bientôt : vérifiée le 20 juin 2019, il y a 9 mois
   Joindre :
     - Téléphone : 06 98 76 54 34 (privé)
     - Courriel : perso.terre@example.org (privé)
"""
#: The pros of the edited sample, in the order the list must give them.
EDITED_ORDER = ["l-aiguille-de-ruffec", "maison-soulat", "les-ruches-du-ruffecois",
                "meches-rebelles", "atelier-terre-de-touvre", "le-cafe-des-remparts",
                "studio-souffle"]  # the last two: same rank, same verifie_le, then by name


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "site")


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert count == 1, (path, pattern)
    path.write_text(new, encoding="utf-8")


@pytest.fixture
def edited(project: Path) -> Path:
    """The sample with one pro of every rank: never verified, two soon old, two incomplete
    checked the same day."""
    pros = project / "pros"
    edit(pros / "maison-soulat.yml", r"^verifie_le: .*\n", "")
    edit(pros / "meches-rebelles.yml", r"^verifie_le: 2019-09-12$", "verifie_le: 2019-05-01")
    edit(pros / "studio-souffle.yml", r"^horaires: .*\nhoraires_precisions: .*\n", "")
    edit(pros / "le-cafe-des-remparts.yml", r"^  position: .*\n", "")
    edit(pros / "le-cafe-des-remparts.yml", r"^verifie_le: .*$", "verifie_le: 2020-01-09")
    return project


def revue(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["revue", "--root", str(project), *args])
    out, err = capsys.readouterr()
    return code, out, err


def slugs(output: str) -> list[str]:
    return HEADER.findall(output)


def test_sample_most_urgent_first_with_reasons_and_contacts(project, capsys):
    code, out, err = revue(project, capsys)
    assert (code, err) == (0, "")
    assert out.startswith("Revue des fiches au 23 mars 2020 : ")
    listed = slugs(out)
    known = [s for s in listed if s in {"l-aiguille-de-ruffec", "les-ruches-du-ruffecois",
                                        "atelier-terre-de-touvre"}]
    assert known == ["l-aiguille-de-ruffec", "les-ruches-du-ruffecois", "atelier-terre-de-touvre"]
    for block in (AIGUILLE, RUCHES, ATELIER):
        assert block in out
    # fresh and complete, a draft, a pro who left: not listed
    for slug in ("la-drole-d-epicerie", "le-vrac-des-remparts", "le-zinc-du-marche"):
        assert slug not in listed


def test_every_rank_in_order_oldest_first_within_a_rank(edited, capsys):
    code, out, _ = revue(edited, capsys)
    assert code == 0
    assert [s for s in slugs(out) if s in EDITED_ORDER] == EDITED_ORDER
    assert ("Maison Soulat — pros/maison-soulat.yml (jamais vérifiée)\n   Pourquoi :\n"
            "     - jamais vérifiée : la fiche n'a pas de date « verifie_le »\n") in out
    assert "     - à revérifier bientôt : vérifiée le 1er mai 2019, il y a 10 mois\n" in out
    assert ("Studio Souffle — pros/studio-souffle.yml (fiche incomplète)\n   Pourquoi :\n"
            "     - fiche incomplète : pas d'horaires\n") in out
    assert ("     - fiche incomplète : pas de position sur la carte (boutique)\n   Joindre :\n"
            "     - Téléphone : 05 45 38 72 19\n") in out


def test_itinerant_pros_need_no_position(edited, capsys):
    """A pro with only markets (chèvrerie) or a zone (plombier, vélo) has no address: fine."""
    _, out, _ = revue(edited, capsys)
    for slug in ("chevrerie-des-brandes", "plomberie-touvre-services", "velo-toque"):
        assert slug not in slugs(out)


def test_reference_day_and_crisis_mode(project, capsys):
    _, out, _ = revue(project, capsys, "--date", "2019-12-01")
    assert out.startswith("Revue des fiches au 1er décembre 2019 : ")
    assert "atelier-terre-de-touvre" not in slugs(out)  # 5 months old then
    assert ("L'Aiguille de Ruffec — pros/l-aiguille-de-ruffec.yml (fiche incomplète)\n"
            "   Pourquoi :\n     - fiche incomplète : pas de moyen de contact public\n") in out
    edit(project / "pros" / "boucherie-mercier.yml", r"^  verifie_le: .*\n", "")
    _, out, _ = revue(project, capsys)
    assert ("Boucherie Mercier — pros/boucherie-mercier.yml (situation de crise à confirmer)\n"
            "   Pourquoi :\n     - situation de crise à confirmer : jamais confirmée\n") in out
    edit(project / "pelicanconf.py", r"^LABULLE_CRISIS_MODE = True$", "LABULLE_CRISIS_MODE = False")
    _, out, _ = revue(project, capsys)
    listed = slugs(out)  # crisis data are not shown: nothing to confirm
    assert "les-ruches-du-ruffecois" not in listed and "boucherie-mercier" not in listed


def test_letters_to_exactly_the_listed_pros(edited, capsys, tmp_path):
    out_dir = tmp_path / "lettres"
    code, out, _ = revue(edited, capsys, "--letters", str(out_dir))
    assert code == 0
    listed = set(slugs(out))
    written = {path.stem for path in out_dir.glob("*.eml")}
    assert {"meches-rebelles", "atelier-terre-de-touvre", "studio-souffle"} <= written <= listed
    for path in out_dir.glob("*.eml"):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        assert message["Subject"] == f"[La Bulle] Mise à jour : {path.stem}"
    letter = BytesParser(policy=policy.default).parsebytes(
        (out_dir / "meches-rebelles.eml").read_bytes())
    assert letter["To"].addresses[0].addr_spec == "perso.meches@example.org"  # private address
    assert "https://labulle16.fr/pros/meches-rebelles/" in letter.get_content()
    assert f"{len(written)} lettre(s) écrite(s) dans {out_dir}." in out
    line = next(x for x in out.splitlines() if x.startswith("Sans adresse de courriel"))
    for slug in ("l-aiguille-de-ruffec", "maison-soulat", "les-ruches-du-ruffecois",
                 "le-cafe-des-remparts"):
        assert slug in line and slug not in written


def test_csv_rows_in_order_and_no_live_formula(edited, capsys, tmp_path):
    edit(edited / "pros" / "studio-souffle.yml", r"^nom: .*$", "nom: \"=SOMME(1;2)\"")
    target = tmp_path / "revue.csv"
    code, out, _ = revue(edited, capsys, "--csv", str(target))
    assert code == 0
    assert f"CSV écrit : {target} (données personnelles" in out
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeffOrdre,Nom,Identifiant,")
    rows = list(csv.DictReader(text.lstrip("\ufeff").splitlines()))
    assert [r["Identifiant"] for r in rows if r["Identifiant"] in EDITED_ORDER] == EDITED_ORDER
    assert [r["Ordre"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert [r["Identifiant"] for r in rows] == slugs(out)
    studio = next(r for r in rows if r["Identifiant"] == "studio-souffle")
    assert studio["Nom"] == "'=SOMME(1;2)"
    assert (studio["Urgence"], studio["Motifs"]) == ("fiche incomplète",
                                                     "fiche incomplète : pas d'horaires")
    atelier = next(r for r in rows if r["Identifiant"] == "atelier-terre-de-touvre")
    assert (atelier["Vérifiée le"], atelier["Téléphone"], atelier["Courriel"],
            atelier["Contacts privés"]) == ("2019-06-20", "06 98 76 54 34",
                                            "perso.terre@example.org", "Téléphone, Courriel")
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())


def test_invoke_and_labulle_give_the_same_output(project):
    invoke = subprocess.run([str(ROOT / ".venv/bin/invoke"), "revue"], cwd=project,
                            capture_output=True, text=True, env=strict_env(), check=False)
    labulle = subprocess.run([str(ROOT / ".venv/bin/labulle"), "revue", "--root", str(project)],
                             capture_output=True, text=True, env=strict_env(), check=False)
    assert (invoke.returncode, labulle.returncode) == (0, 0)
    assert invoke.stdout == labulle.stdout
    assert AIGUILLE in invoke.stdout


def test_bad_date_is_refused_in_french(project, capsys):
    code, out, err = revue(project, capsys, "--date", "2020-02-30")
    assert (code, out) == (2, "")
    assert err == ("Erreur : date invalide « 2020-02-30 » ; écrivez-la AAAA-MM-JJ, par exemple "
                   "2020-03-23.\n")


def test_bad_threshold_setting_is_refused(project, capsys):
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write('LABULLE_FRESH_MONTHS = "neuf"\n')
    code, out, err = revue(project, capsys)
    assert (code, out) == (1, "")
    assert ("LABULLE_FRESH_MONTHS: valeur 'neuf' refusée ; attendu : un nombre entier positif"
            in err)


@pytest.mark.parametrize("option, name", [("--csv", "output/revue.csv"),
                                          ("--letters", "output/lettres"),
                                          ("--letters", "content/lettres")])
def test_personal_data_never_written_in_the_site(project, capsys, option, name):
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    code, out, err = revue(project, capsys, option, str(project / name))
    assert (code, out) == (1, "")
    folder = name.split("/")[0]
    what = "un fichier" if option == "--csv" else "un dossier"
    assert err == (f"Erreur : {project / name} est dans {project / folder} : ces données "
                   f"personnelles ne doivent pas être publiées ; choisissez {what} hors du "
                   "site\n")
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_bad_destinations_are_refused_before_anything_is_written(project, capsys, tmp_path):
    letters, missing = tmp_path / "lettres", tmp_path / "absent" / "revue.csv"
    code, out, err = revue(project, capsys, "--letters", str(letters), "--csv", str(missing))
    assert (code, out) == (1, "")
    assert err == f"Erreur : dossier introuvable : {missing.parent} ; aucun fichier écrit\n"
    assert not letters.exists()
    afile = tmp_path / "lettres.txt"
    afile.write_text("", encoding="utf-8")
    code, out, err = revue(project, capsys, "--letters", str(afile), "--csv",
                           str(tmp_path / "revue.csv"))
    assert (code, out) == (1, "")
    assert err == (f"Erreur : {afile} est un fichier, pas un dossier : choisissez un dossier "
                   "pour les lettres (--letters) ; rien n'est écrit\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lettres.txt", "site"]
