"""Every message of tests/intake/corpus/ gets the outcome a careful webmaster wants.

The corpus holds messages as real clients write them (Thunderbird format=flowed quoting, Gmail
multipart/alternative, Outlook quoted-printable Windows-1252 with CRLF, HTML only in base64, an
inline forward, a stranger, a typo in the subject, an invalid value, garbage, a new pro, an
unrelated subject, Outlook 2000's raw 8-bit Windows-1252 without any charset, an Outlook
message whose whole content is a winmail.dat). Each message that went through the
association's server carries the Authentication-Results field that server adds on top. The 5 MB
attachment is generated here. The intake works on a copy of the
sample's pros/ in tmp_path.
"""

from __future__ import annotations

import io
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import copy_project

from labulle.mail.intake.project import Project
from labulle.mail.intake.run import handle, run
from labulle.mail.intake.sources import read_sources
from labulle.mail.intake.updates import REFUSED, TO_APPLY, UNVERIFIED, Options
from labulle.source.check import load

CORPUS = Path(__file__).parent / "intake" / "corpus"

# file → (status, slug, changed listing keys, words that must be in the reasons / notes)
EXPECTED = {
    "thunderbird_reply.eml": (TO_APPLY, "la-drole-d-epicerie", {"horaires", "crise.livraison"}, []),
    "gmail_alternative.eml": (TO_APPLY, "le-grain-de-sel",
                              {"crise.livraison", "crise.a_emporter"}, []),
    "outlook_qp_crlf.eml": (TO_APPLY, "fromagerie-du-champ-de-mars",
                            {"crise.horaires", "crise.paniers.1.prix"}, []),
    "html_only.eml": (TO_APPLY, "meches-rebelles", {"crise.jusqu_au", "crise.modalites"},
                      ["HTML"]),
    "forwarded.eml": (TO_APPLY, "la-seconde-main", {"contact.telephone"}, []),
    "wrong_sender.eml": (UNVERIFIED, "le-grain-de-sel", {"crise.statut", "crise.horaires"},
                         ["NON VÉRIFIÉ"]),
    "unknown_slug.eml": (REFUSED, "la-drole-epicerie", set(),
                         ["aucune fiche", "la-drole-d-epicerie"]),
    "invalid_value.eml": (REFUSED, "compagnie-du-lavoir", {"horaires", "contact.site"},
                          ["pros/compagnie-du-lavoir.yml:", "horaires", "09:00-12:00"]),
    "garbage.eml": (REFUSED, None, set(), ["pas un courriel"]),
    "new_pro.eml": (TO_APPLY, "le-petit-fournil", set(), ["Nouvelle fiche"]),
    "other_subject.eml": (REFUSED, None, set(), ["objet non reconnu"]),
    # Outlook 2000: Subject, From and body in raw 8-bit Windows-1252, no charset anywhere
    "outlook2000_latin1.eml": (
        TO_APPLY, "herboristerie-de-la-tardoire", {"crise.statut", "crise.horaires",
                                                   "crise.modalites"},
        ["De : Hélène Marchand – Herboristerie <herboristerie.tardoire@example.org> — "
         "expéditeur vérifié (DMARC : pass)",
         "crise.modalites : Nous n'avons pas réussi à joindre la boutique. Vous savez si elle "
         "est ouverte ? Écrivez-nous. → Commande par téléphone, retrait à la porte de "
         "l'herboristerie."]),
    # Outlook "rich text" through Exchange: the whole content is in winmail.dat
    "outlook_winmail.eml": (REFUSED, "le-potager-de-fleac", set(), [
        "message Outlook au format winmail.dat (TNEF) : demandez au pro de renvoyer en texte "
        "simple"]),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, ("pros",))


def _outcome(path: Path, project: Path, **options):
    (incoming,) = read_sources([path])
    return handle(incoming, Options(Project(project), **options))


def _changed_keys(outcome) -> set[str]:
    return {line.strip().split(" : ")[0] for line in outcome.summary if line.startswith("  ")}


def test_corpus_is_complete():
    assert sorted(p.name for p in CORPUS.glob("*.eml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_message_outcome(name: str, project: Path):
    status, slug, keys, words = EXPECTED[name]
    outcome = _outcome(CORPUS / name, project)
    text = "\n".join(outcome.summary + outcome.notes + outcome.reasons)
    assert outcome.status == status, text
    assert outcome.slug == slug
    assert _changed_keys(outcome) == keys, text
    for word in words:
        assert word in text
    if status == REFUSED:
        assert outcome.write is None


def test_big_attachment_is_set_aside(project: Path, tmp_path: Path):
    message = EmailMessage()
    message["Authentication-Results"] = ("mx.labulle16.fr; dkim=pass header.d=example.org; "
                                         "dmarc=pass header.from=example.org")
    message["From"] = "Ferme de la Bonnieure <fermedelabonnieure@example.org>"
    message["To"] = "bonjour@labulle16.fr"
    message["Subject"] = "Re: [La Bulle] Mise à jour : ferme-de-la-bonnieure"
    message["Date"] = "Wed, 25 Mar 2020 12:00:00 +0100"
    message.set_content("Bonjour, voici notre nouvelle photo.\n\nzone : Val de Bonnieure\n")
    message.add_attachment(b"\xff\xd8\xff\xe0" + bytes(5 * 1024 * 1024), maintype="image",
                           subtype="jpeg", filename="vitrine.jpg")
    path = tmp_path / "big.eml"
    path.write_bytes(message.as_bytes())
    outcome = _outcome(path, project)
    assert outcome.status == TO_APPLY
    assert _changed_keys(outcome) == {"zone"}
    assert any("vitrine.jpg (5,2 Mo)" in note for note in outcome.notes)


def test_batch_exit_status_apply_and_idempotence(project: Path):
    before = {p.name: p.read_bytes() for p in (project / "pros").glob("*.yml")}
    out = io.StringIO()
    assert run([CORPUS], Options(Project(project), apply=True), out) == 1
    report = out.getvalue()
    assert "13 message(s) : 7 utilisable(s), 6 à revoir, 7 fiche(s) écrite(s)." in report
    after = {p.name: p.read_bytes() for p in (project / "pros").glob("*.yml")}
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {"la-drole-d-epicerie.yml", "le-grain-de-sel.yml",
                       "fromagerie-du-champ-de-mars.yml", "meches-rebelles.yml",
                       "la-seconde-main.yml", "le-petit-fournil.yml",
                       "herboristerie-de-la-tardoire.yml"}
    assert "brouillon: true" in (project / "pros" / "le-petit-fournil.yml").read_text()
    # the stranger's message was not applied, nor the invalid one
    assert after["le-grain-de-sel.yml"].count(b"statut: ouvert") == 1
    assert after["compagnie-du-lavoir.yml"] == before["compagnie-du-lavoir.yml"]
    # the result passes the checker as a whole
    _, problems = load(project)
    assert problems == []
    # applying the same messages again changes nothing
    out = io.StringIO()
    run([CORPUS], Options(Project(project), apply=True), out)
    assert {p.name: p.read_bytes() for p in (project / "pros").glob("*.yml")} == after
    assert "0 fiche(s) écrite(s)" in out.getvalue()


def test_wrong_sender_is_applied_only_with_force(project: Path):
    target = project / "pros" / "le-grain-de-sel.yml"
    before = target.read_bytes()
    out = io.StringIO()
    assert run([CORPUS / "wrong_sender.eml"], Options(Project(project), apply=True), out) == 1
    assert target.read_bytes() == before
    assert "--apply --force" in out.getvalue()
    assert run([CORPUS / "wrong_sender.eml"], Options(Project(project), apply=True, force=True),
               io.StringIO()) == 0
    assert "statut: ferme" in target.read_text()


def test_usable_messages_only_exit_zero(project: Path):
    files = [CORPUS / n for n in ("thunderbird_reply.eml", "gmail_alternative.eml")]
    assert run(files, Options(Project(project)), io.StringIO()) == 0
