"""Issue 16, point 4 (the brief's point 5): the association's letter asks, one line each, where
the pro would spend its local currency, with the `fournisseurs` and `achats` lines in the editable
listing, prefilled; `invoke intake` reads the answers like any other key: pro names or slugs
become slugs, category labels or keys become keys, an unknown one is refused in French, the
diff is shown and --apply writes them keeping the file's comments.

Replies are written the way real clients write them: Thunderbird quotes every line with "> "
and re-wraps it at 70 characters; Outlook writes above « -----Message d'origine----- », in
quoted-printable with CRLF line ends, the original unquoted below.
"""

from __future__ import annotations

import io
import textwrap
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from conftest import copy_project

from labulle.mail.intake.project import Project
from labulle.mail.intake.run import run
from labulle.mail.intake.updates import Options
from labulle.mail.letters import make_letters, write_letters
from labulle.model.directory import Directory
from labulle.source.check import load

NOW = datetime(2020, 3, 23, 9, 0, tzinfo=UTC)
AUTH = ("mx.labulle16.fr; dkim=pass header.d=example.org header.s=mail; dmarc=pass (p=none) "
        "header.from=example.org")
QUESTIONS = """\
Où dépensez-vous les Bulles que vous recevez ? Deux lignes de votre fiche le disent
(des noms suffisent ; la page « Entre pros » les publie : https://labulle16.fr/entre-pros/) :
- « fournisseurs » : chez quels pros du réseau achetez-vous déjà en Bulles ?
- « achats » : qu'achèteriez-vous en Bulles si un pro du réseau le vendait ?
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "projet", ("pelicanconf.py", "pros", "content"))


@pytest.fixture
def letters(project: Path, tmp_path: Path) -> dict[str, Path]:
    data, problems = load(project)
    assert problems == []
    pros = Directory(data.categories, data.pros, NOW.date()).private_records()
    made = make_letters(pros, "bonjour@labulle16.fr", "https://labulle16.fr", NOW)
    paths = write_letters(made, tmp_path / "lettres")
    return {path.stem: path for path in paths}


def _text(path: Path) -> str:
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes()).get_content()


def test_letter_asks_both_questions_with_the_lines_prefilled(letters):
    comptoir = _text(letters["le-comptoir-de-l-houmeau"])
    assert QUESTIONS + "\nnom : Le Comptoir de l'Houmeau\n" in comptoir
    listing = comptoir.split(QUESTIONS, 1)[1]
    assert ("bulle.pourquoi : Nos producteurs sont payés en Bulles, nos clients peuvent payer "
            "en Bulles, la boucle est bouclée.\n"
            "fournisseurs : le-potager-de-fleac, ferme-de-la-bonnieure, chevrerie-des-brandes\n"
            "achats : boissons, fromagerie\n"
            "crise.horaires : ") in listing
    # a pro that named none yet gets both lines, empty, at the same place
    brasserie = _text(letters["brasserie-de-la-vienne-confolentaise"])
    assert QUESTIONS in brasserie
    lines = brasserie.split(QUESTIONS, 1)[1].splitlines()
    at = lines.index("fournisseurs :")
    assert lines[at + 1] == "achats :"
    assert lines[at - 1].startswith("bulle.") and lines[at + 2].startswith("crise.")


def thunderbird(letter: Path, sender: str, edits: dict[str, str]) -> bytes:
    """Thunderbird's reply: the letter quoted with "> ", each line re-wrapped at 70, the pro's
    values typed in place of the old ones."""
    quoted = []
    for line in _text(letter).splitlines():
        key = line.split(" :", 1)[0]
        if key in edits and (line == f"{key} :" or line.startswith(f"{key} : ")):
            line = f"{key} : {edits[key]}"
        quoted += [("> " + part).rstrip() for part in (textwrap.wrap(line, 70) or [""])]
    return _reply(letter, sender, "Bonjour,\n\nC'est rempli ci-dessous.\n\nBonne journée\n\n"
                  "Le 23/03/2020 à 10:00, La Bulle a écrit :\n" + "\n".join(quoted) + "\n")


def outlook(letter: Path, sender: str, typed: str) -> bytes:
    """Outlook's reply: the pro's lines on top, the original below « Message d'origine »,
    unquoted; quoted-printable, CRLF."""
    body = (f"Bonjour,\n\n{typed}\n\nCordialement\n\n-----Message d'origine-----\n"
            f"De : bonjour@labulle16.fr\n{_text(letter)}")
    message = EmailMessage(policy=policy.default.clone(linesep="\r\n"))
    message.set_content(body, cte="quoted-printable")
    return _reply(letter, sender, message=message)


def _reply(letter: Path, sender: str, body: str = "",
           message: EmailMessage | None = None) -> bytes:
    original = BytesParser(policy=policy.default).parsebytes(letter.read_bytes())
    if message is None:
        message = EmailMessage()
        message.set_content(body)
    message["Authentication-Results"] = AUTH  # added by the association's server
    message["From"] = sender
    message["To"] = str(original["Reply-To"])
    message["Subject"] = "RE: " + str(original["Subject"])
    message["Date"] = "Mon, 23 Mar 2020 18:42:10 +0100"  # the sample's LABULLE_TODAY
    message["In-Reply-To"] = str(original["Message-ID"])
    return message.as_bytes()


def _intake(project: Path, reply: bytes, tmp_path: Path, apply: bool) -> str:
    mail = tmp_path / "reponse.eml"
    mail.write_bytes(reply)
    out = io.StringIO()
    run([mail], Options(Project(project), apply=apply, today=NOW.date()), out)
    return out.getvalue()


def test_thunderbird_reply_with_names_and_labels_is_read_into_slugs_and_keys(
        project, letters, tmp_path):
    path = project / "pros" / "brasserie-de-la-vienne-confolentaise.yml"
    reply = thunderbird(letters[path.stem], "Brasserie <brasserievc@example.org>", {
        "fournisseurs": "Les Ruches du Ruffécois, le potager de fleac, "
                        "quincaillerie-barbezilienne",
        "achats": "Épicerie, vrac ; Miel et produits de la ruche ; informatique"})
    before = path.read_text(encoding="utf-8")
    shown = _intake(project, reply, tmp_path, apply=False)
    assert ("  fournisseurs : (vide) → les-ruches-du-ruffecois, le-potager-de-fleac, "
            "quincaillerie-barbezilienne\n") in shown
    assert "  achats : (vide) → epicerie, apiculture, informatique\n" in shown
    assert ("+fournisseurs: [les-ruches-du-ruffecois, le-potager-de-fleac, "
            "quincaillerie-barbezilienne]\n+achats: [epicerie, apiculture, informatique]\n"
            ) in shown
    assert path.read_text(encoding="utf-8") == before  # a preview writes nothing
    _intake(project, reply, tmp_path, apply=True)
    after = path.read_text(encoding="utf-8")
    data, problems = load(project)
    assert problems == []
    brewer = next(p for p in data.pros if p.slug == path.stem)
    assert brewer.fournisseurs == ["les-ruches-du-ruffecois", "le-potager-de-fleac",
                                   "quincaillerie-barbezilienne"]
    assert brewer.achats == ["epicerie", "apiculture", "informatique"]
    kept = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert all(line in after.splitlines() for line in kept)


def test_outlook_reply_naming_pros_with_et_and_a_comma_label(project, letters, tmp_path):
    path = project / "pros" / "le-comptoir-de-l-houmeau.yml"
    reply = outlook(letters[path.stem], "comptoirhoumeau@example.org",
                    "fournisseurs : Le Potager de Fléac, la Chèvrerie des Brandes et Maison "
                    "Soulat\nachats : Cave, bières, jus")
    shown = _intake(project, reply, tmp_path, apply=True)
    assert ("  fournisseurs : le-potager-de-fleac, ferme-de-la-bonnieure, chevrerie-des-brandes"
            " → le-potager-de-fleac, chevrerie-des-brandes, maison-soulat\n") in shown
    assert "  achats : boissons, fromagerie → boissons\n" in shown
    data, problems = load(project)
    assert problems == []
    comptoir = next(p for p in data.pros if p.slug == path.stem)
    assert comptoir.fournisseurs == ["le-potager-de-fleac", "chevrerie-des-brandes",
                                     "maison-soulat"]
    assert comptoir.achats == ["boissons"]


@pytest.mark.parametrize("typed, reason", [
    ("fournisseurs : Moulin de la Touvre, Maison Soulat",
     "fournisseurs : « Moulin de la Touvre » : aucun pro n'a ce nom ni cet identifiant "
     "(pros/)"),
    ("fournisseurs : Maison Soula",
     "fournisseurs : « Maison Soula » : aucun pro n'a ce nom ni cet identifiant (pros/) ; "
     "vouliez-vous dire « Maison Soulat » (maison-soulat) ?"),
    ("achats : Menuiseries",
     "achats : « Menuiseries » : aucune catégorie n'a ce libellé ni cette clé "
     "(pros/categories.yml) ; vouliez-vous dire « Bois, menuiserie » (bois) ?"),
    ("fournisseurs : Le Zinc du Marché",
     "pros/le-comptoir-de-l-houmeau.yml:27: fournisseurs.0: « le-zinc-du-marche » a quitté le "
     "réseau le 2019-12-31 (quitte_le de pros/le-zinc-du-marche.yml) : retirez-le de la liste"),
    ("fournisseurs : Le Comptoir de l'Houmeau",
     "pros/le-comptoir-de-l-houmeau.yml:27: fournisseurs.0: un pro ne peut pas être son propre "
     "fournisseur"),
])
def test_unknown_names_are_refused_and_nothing_is_written(project, letters, tmp_path, typed,
                                                          reason):
    path = project / "pros" / "le-comptoir-de-l-houmeau.yml"
    before = path.read_text(encoding="utf-8")
    reply = outlook(letters[path.stem], "comptoirhoumeau@example.org", typed)
    shown = _intake(project, reply, tmp_path, apply=True)
    assert "   → Inutilisable :\n" in shown and "1 à revoir, 0 fiche(s) écrite(s)" in shown
    assert f"     {reason}\n" in shown
    assert path.read_text(encoding="utf-8") == before
