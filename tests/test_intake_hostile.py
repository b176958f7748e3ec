"""Issue 12 points 9 and 10: hostile and broken messages.

- 9: numbered list items are bounded (20 baskets) and the work is linear: 3,000
  `crise.paniers.N.nom` lines are refused at once with one French sentence, and the YAML work
  does not grow with the number of lines;
- 10: one broken message never stops the batch (an encoded CR/LF in From, a truncated message,
  binary garbage in an mbox), and control characters are never echoed raw nor written into a
  pro file.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import copy_project

import labulle.mail.intake.apply as apply_module
from labulle.mail.intake.project import Project
from labulle.mail.intake.run import handle, run
from labulle.mail.intake.sources import parse_bytes
from labulle.mail.intake.updates import REFUSED, TO_APPLY, Options

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def reply(slug: str, address: str, body: str, sender: str = "", subject: str = "") -> bytes:
    """A pro's reply as it reaches us: our server's Authentication-Results on top."""
    domain = address.rpartition("@")[2]
    return (f"Authentication-Results: mx.labulle16.fr; dkim=pass header.d={domain};\n"
            f"\tdmarc=pass (p=none) header.from={domain}\n"
            f"From: {sender or 'Le pro'} <{address}>\n"
            "To: bonjour@labulle16.fr\n"
            f"Subject: {subject or f'Re: [La Bulle] Mise =?utf-8?q?=C3=A0?= jour : {slug}'}\n"
            "Date: Wed, 25 Mar 2020 09:00:00 +0100\n"
            f"Message-ID: <{slug}-{len(body)}@example.org>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n" + body).encode("utf-8")


EPICERIE = ("la-drole-d-epicerie", "ladroledepicerie@example.org")
GRAIN = ("le-grain-de-sel", "legraindesel.cognac@example.org")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, ("pros",))


def outcome_of(data: bytes, project: Path):
    return handle(parse_bytes(data, "message.eml"), Options(Project(project)))


# --- 9: bounded lists, linear work ------------------------------------------------------------

def test_3000_basket_lines_are_refused_at_once(project: Path):
    lines = "".join(f"crise.paniers.{n}.nom : Panier {n}\n" for n in range(1, 3001))
    outcome = outcome_of(reply(*EPICERIE, "Nos paniers :\n\n" + lines), project)
    assert outcome.status == REFUSED
    assert outcome.reasons == [
        "« crise.paniers.21.nom » : une fiche a au plus 20 paniers (numéros 1 à 20)"]
    assert outcome.write is None


def test_a_basket_number_far_beyond_and_markets_are_bounded_too(project: Path):
    body = ("crise.paniers.99999999999999999999.prix : 12\n"
            "marches.21.nom : Marché des Halles\n")
    outcome = outcome_of(reply(*EPICERIE, body), project)
    assert outcome.reasons == [
        "« crise.paniers.99999999999999999999.prix » : une fiche a au plus 20 paniers "
        "(numéros 1 à 20)",
        "« marches.21.nom » : une fiche a au plus 20 marchés (numéros 1 à 20)"]


def test_twenty_new_baskets_are_applied(project: Path):
    body = "".join(f"crise.paniers.{n}.nom : Panier n° {n}\ncrise.paniers.{n}.prix : {n}\n"
                   for n in range(1, 21))
    outcome = outcome_of(reply(*EPICERIE, body), project)
    assert outcome.status == TO_APPLY, outcome.reasons
    written = yaml.safe_load(outcome.write[1])
    assert [b["nom"] for b in written["crise"]["paniers"]] == [
        f"Panier n° {n}" for n in range(1, 21)]


def yaml_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the round-trip YAML loads of the patcher (the costly part of an update)."""
    calls: list[int] = []
    real = apply_module.load_rt

    def counted(text: str):  # noqa: ANN202 - same as load_rt
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(apply_module, "load_rt", counted)
    return calls


def test_work_does_not_grow_with_repeated_lines(project: Path, monkeypatch: pytest.MonkeyPatch):
    calls = yaml_loads(monkeypatch)
    loads = []
    for repeat in (1, 3000):
        body = "".join(f"crise.paniers.1.nom : Panier {n}\n\n" for n in range(repeat))
        outcome = outcome_of(reply(*EPICERIE, body + "crise.livraison : non\n"), project)
        assert outcome.status == TO_APPLY
        loads.append(len(calls))
        calls.clear()
    assert loads[0] == loads[1]  # the YAML work is bounded by the edits, not by the lines
    assert len(outcome.notes) == 21
    assert outcome.notes[20] == "… et 2979 autre(s) du même genre"


# --- 10: a broken message never stops the batch ----------------------------------------------

def mbox(*messages: bytes) -> bytes:
    out = b""
    for number, data in enumerate(messages):
        out += f"From MAILER-DAEMON Wed Mar 25 09:0{number}:00 2020\n".encode() + data + b"\n"
    return out


def test_one_broken_message_never_stops_the_batch(project: Path, tmp_path: Path):
    good = reply(*EPICERIE, "crise.livraison : non\n")
    crlf_from = reply(*GRAIN, "crise.a_emporter : oui\n",
                      sender="=?utf-8?q?Paul=0D=0ABcc=3A_x=1B[2J?=")
    truncated = reply(*GRAIN, "crise.livraison : non\n").replace(
        b"Content-Type: text/plain; charset=utf-8",
        b'Content-Type: multipart/mixed; boundary="cut"')[:-30] + b"\n--cut\nContent-Type: te"
    garbage = bytes(range(256)) * 3 + b"\x00\x1b[31m\xff\xfe" * 10
    other = reply("la-seconde-main", "lasecondemain16@example.org",
                  "contact.telephone : 05 45 67 12 10\n")
    box = tmp_path / "courriels.mbox"
    box.write_bytes(mbox(good, crlf_from, truncated, garbage, other))
    out = io.StringIO()
    assert run([box], Options(Project(project), apply=True), out) == 1
    report = out.getvalue()
    assert "5 message(s) : 2 utilisable(s), 3 à revoir, 2 fiche(s) écrite(s)." in report
    assert f"== {box}[2] — mise à jour : le-grain-de-sel" in report
    assert "expéditeur non vérifié : en-tête From illisible" in report
    assert "De : Paul Bcc: x\\x1b[2J <legraindesel.cognac@example.org>" in report
    assert f"== {box}[4]\n   → Inutilisable :\n" in report
    assert RAW_CONTROL.search(report) is None
    assert "livraison: non" in (project / "pros" / "la-drole-d-epicerie.yml").read_text()
    assert '"05 45 67 12 10"' in (project / "pros" / "la-seconde-main.yml").read_text()


def test_unreadable_sources_are_reported_and_the_rest_goes_on(project: Path, tmp_path: Path):
    fifo = tmp_path / "tube.eml"
    os.mkfifo(fifo)  # reading it would wait for ever
    locked = tmp_path / "verrouille.eml"
    locked.write_bytes(reply(*EPICERIE, "crise.livraison : non\n"))
    locked.chmod(0)
    good = tmp_path / "bon.eml"
    good.write_bytes(reply(*EPICERIE, "crise.livraison : non\n"))
    out = io.StringIO()
    run([fifo, locked, tmp_path / "absent.eml", good], Options(Project(project)), out)
    report = out.getvalue()
    assert f"== {fifo}\n   → Inutilisable :\n     ni un fichier ni un dossier : ignoré" in report
    assert f"== {tmp_path / 'absent.eml'}\n   → Inutilisable :\n     fichier ou dossier " \
           "introuvable" in report
    if os.geteuid() != 0:  # root reads a file without permission
        assert "lecture impossible (permission refusée)" in report
    assert "4 message(s) : " in report


# --- 10: control characters ------------------------------------------------------------------

@pytest.mark.parametrize(("value", "shown"), [
    ("La Drôle\x1b[2J d'Épicerie", "\\x1b"), ("La Drôle\x00", "\\x00"),
    ("La Drôle\x9b31m", "\\x9b"), ("La Drôle\x07", "\\x07")])
def test_control_characters_refuse_the_value_with_its_key(value: str, shown: str,
                                                          project: Path):
    outcome = outcome_of(reply(*EPICERIE, f"nom : {value}\ncrise.livraison : non\n"), project)
    assert outcome.status == REFUSED
    assert outcome.reasons == [f"nom : caractère de contrôle {shown} interdit dans une fiche"]
    assert outcome.write is None


def test_control_characters_are_never_echoed_raw(project: Path, tmp_path: Path):
    remark = reply(*EPICERIE, "Bonjour\x1b]0;piège\x07 \u202etxt.exe\n\ncrise.livraison : non\n",
                   sender="=?utf-8?q?Marie=1B[1m?=")
    subject = reply(*EPICERIE, "x\n", subject="=?utf-8?q?Bonjour=1B[2J=00?=")
    for number, data in enumerate((remark, subject)):
        (tmp_path / f"{number}.eml").write_bytes(data)
    out = io.StringIO()
    run([tmp_path / "0.eml", tmp_path / "1.eml"], Options(Project(project)), out)
    report = out.getvalue()
    assert RAW_CONTROL.search(report) is None and "\u202e" not in report
    assert "  | Bonjour\\x1b]0;piège\\x07 \\u202etxt.exe" in report
    assert 'De : "Marie\\x1b[1m" <ladroledepicerie@example.org>' in report
    assert "objet non reconnu « Bonjour\\x1b[2J\\x00 »" in report


def test_new_pro_header_comment_cannot_break_the_file(project: Path, tmp_path: Path):
    data = reply("", "contact@lefournil.example.org",
                 "nom : Le Fournil du Port\ncategories : boulangerie\n"
                 "resume : Pain au levain cuit au feu de bois.\n",
                 sender="=?utf-8?q?Fournil=0D=0Abrouillon=3A_false=1B?=",
                 subject="[La Bulle] Nouveau pro")
    mail = tmp_path / "nouveau.eml"
    mail.write_bytes(data)
    assert run([mail], Options(Project(project), apply=True), io.StringIO()) == 0
    text = (project / "pros" / "le-fournil-du-port.yml").read_text(encoding="utf-8")
    assert RAW_CONTROL.search(text.replace("\n", "")) is None
    assert text.splitlines()[0] == (
        "# Fiche créée par « invoke intake » depuis le courriel de Fournil brouillon: false\\x1b "
        "<contact@lefournil.example.org> du 2020-03-25.")
    assert yaml.safe_load(text)["brouillon"] is True


def test_a_date_in_the_future_cannot_keep_a_listing_fresh(project: Path):
    from datetime import date

    data = reply(*EPICERIE, "crise.livraison : non\n").replace(
        b"Date: Wed, 25 Mar 2020 09:00:00 +0100", b"Date: Fri, 31 Dec 2099 23:00:00 +0100")
    outcome = handle(parse_bytes(data, "futur.eml"),
                     Options(Project(project), today=date(2020, 3, 26)))
    assert outcome.status == TO_APPLY
    assert ("Remarque : message daté du 2099-12-31, après aujourd'hui : la date du jour est "
            "retenue") in outcome.notes
    assert outcome.summary[1].endswith("— sans date")
    assert "verifie_le: 2020-03-26" in outcome.write[1]
    assert "2099" not in outcome.write[1]
