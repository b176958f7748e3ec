"""Issue 11 point 12: raw 8-bit text is read as the sender meant it, and a message whose content
is only a winmail.dat says so.

Outlook 2000 and some phones write Subject, From's display name and a body without charset in
raw 8-bit (Windows-1252, or UTF-8 for phones), not RFC 2047: each is read exactly like the same
text properly encoded. Outlook's "rich text" sends the content in winmail.dat (TNEF) only.
"""

from __future__ import annotations

import base64
import io
import struct
from pathlib import Path

import pytest
from conftest import copy_project

from labulle.mail.intake.project import Project
from labulle.mail.intake.run import handle, run
from labulle.mail.intake.sources import parse_bytes
from labulle.mail.intake.updates import REFUSED, TO_APPLY, Options

AUTH = (b"Authentication-Results: mx.labulle16.fr; dkim=pass header.d=example.org;\r\n"
        b"\tdmarc=pass (p=none) header.from=example.org\r\n")
SUBJECT = "RE: [La Bulle] Mise à jour : la-drole-d-epicerie"
NAME = "Marie Martin – La Drôle d'Épicerie"
BODY = ("Bonjour,\r\n\r\nVoilà nos précisions :\r\n\r\n"
        "horaires_precisions : Fermé le lundi matin, ouvert jusqu'à 19 h le vendredi.\r\n\r\n"
        "Marie\r\n")


def message(subject: bytes, sender: bytes, content_type: bytes, body: bytes) -> bytes:
    return (AUTH + b"From: " + sender + b" <ladroledepicerie@example.org>\r\n"
            b"To: <bonjour@labulle16.fr>\r\nSubject: " + subject + b"\r\n"
            b"Date: Wed, 25 Mar 2020 10:12:00 +0100\r\n"
            b"Message-ID: <000801d602a8$4c5d6e70$0100a8c0@PCBOUTIQUE>\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: " + content_type + b"\r\nContent-Transfer-Encoding: 8bit\r\n"
            b"X-Mailer: Microsoft Outlook CWS, Build 9.0.2416 (9.0.2910.0)\r\n\r\n" + body)


def rfc2047(text: str) -> bytes:
    return b"=?windows-1252?Q?" + "".join(
        c if c.isalnum() and c.isascii() else f"={b:02X}"
        for c in text for b in c.encode("cp1252")).encode() + b"?="


PROPER = message(rfc2047(SUBJECT), rfc2047(NAME), b'text/plain; charset="windows-1252"',
                 BODY.encode("cp1252"))
RAW = {
    "Outlook 2000, Windows-1252, no charset": message(
        SUBJECT.encode("cp1252"), b'"' + NAME.encode("cp1252") + b'"', b"text/plain",
        BODY.encode("cp1252")),
    "a phone, raw UTF-8, no charset": message(
        SUBJECT.encode("utf-8"), NAME.encode("utf-8"), b"text/plain; format=flowed",
        BODY.encode("utf-8")),
    "latin-1 declared as us-ascii": message(
        SUBJECT.encode("latin-1", "replace"), NAME.replace("–", "-").encode("latin-1"),
        b"text/plain; charset=us-ascii", BODY.encode("latin-1")),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, ("pros",))


def outcome_of(data: bytes, project: Path):
    return handle(parse_bytes(data, "outlook.eml"), Options(Project(project)))


@pytest.mark.parametrize("case", sorted(RAW))
def test_raw_8bit_is_read_like_rfc2047(case: str, project: Path):
    expected = outcome_of(PROPER, project)
    outcome = outcome_of(RAW[case], project)
    assert expected.status == outcome.status == TO_APPLY
    assert outcome.slug == "la-drole-d-epicerie"
    shown = NAME if "–" in outcome.summary[1] else NAME.replace("–", "-")
    assert outcome.summary[1] == (f"De : {shown} <ladroledepicerie@example.org> — "
                                  "expéditeur vérifié (DMARC : pass) — envoyé le 2020-03-25")
    assert outcome.summary[2:] == expected.summary[2:] == [
        "Modifications : 1",
        "  horaires_precisions : Fermé la dernière semaine d'août et entre Noël et le jour de "
        "l'an. → Fermé le lundi matin, ouvert jusqu'à 19 h le vendredi."]
    assert outcome.diff == expected.diff


def test_unrecognised_raw_subject_is_shown_decoded(project: Path):
    data = message("Question à propos des billets".encode("cp1252"), b"Paul", b"text/plain",
                   b"Bonjour")
    outcome = outcome_of(data, project)
    assert outcome.status == REFUSED
    assert outcome.reasons == [
        "objet non reconnu « Question à propos des billets » : « [La Bulle] Mise à jour : "
        "<identifiant> » ou « [La Bulle] Nouveau pro » attendu"]


def winmail(text: str) -> bytes:
    """A TNEF stream (signature, key, attributes with their checksums) holding `text`."""
    def attribute(attribute_id: int, data: bytes) -> bytes:
        return (struct.pack("<BII", 1, attribute_id, len(data)) + data
                + struct.pack("<H", sum(data) & 0xFFFF))

    return (struct.pack("<IH", 0x223E9F78, 0x0A1B)
            + attribute(0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
            + attribute(0x00078008, b"IPM.Microsoft Mail.Note\x00")  # attMessageClass
            + attribute(0x0002800C, text.encode("cp1252")))  # attBody


TNEF = base64.encodebytes(winmail("crise.livraison : non\r\n")).replace(b"\n", b"\r\n")
WINMAIL = {
    "single part": (b"application/ms-tnef; name=\"winmail.dat\"\r\n"
                    b"Content-Disposition: attachment; filename=\"winmail.dat\"", TNEF),
    "multipart, empty text part": (
        b'multipart/mixed; boundary="_000_VI1PR04_"',
        b"--_000_VI1PR04_\r\nContent-Type: text/plain; charset=\"iso-8859-1\"\r\n\r\n\r\n"
        b"--_000_VI1PR04_\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n"
        b"Content-Disposition: attachment; filename=\"winmail.dat\"\r\n\r\n" + TNEF
        + b"\r\n--_000_VI1PR04_--\r\n"),
    "octet-stream named winmail.dat": (
        b'multipart/mixed; boundary="b"',
        b"--b\r\nContent-Type: application/octet-stream; name=\"WINMAIL.DAT\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + TNEF + b"\r\n--b--\r\n"),
}


@pytest.mark.parametrize("case", sorted(WINMAIL))
def test_winmail_only_says_so_and_changes_nothing(case: str, project: Path, tmp_path: Path):
    content_type, body = WINMAIL[case]
    data = message(rfc2047(SUBJECT), b"Marie", content_type, body)
    if case == "single part":
        data = data.replace(b"Content-Transfer-Encoding: 8bit", b"Content-Transfer-Encoding: "
                                                                b"base64")
    mail = tmp_path / "winmail.eml"
    mail.write_bytes(data)
    before = {p.name: p.read_bytes() for p in (project / "pros").iterdir()}
    out = io.StringIO()
    assert run([mail], Options(Project(project), apply=True, force=True), out) == 1
    assert ("   → Inutilisable :\n     message Outlook au format winmail.dat (TNEF) : demandez "
            "au pro de renvoyer en texte simple\n") in out.getvalue()
    assert "1 message(s) : 0 utilisable(s), 1 à revoir, 0 fiche(s) écrite(s)." in out.getvalue()
    assert {p.name: p.read_bytes() for p in (project / "pros").iterdir()} == before


def test_winmail_beside_a_text_part_is_only_an_attachment(project: Path):
    data = message(rfc2047(SUBJECT), b"Marie", b'multipart/mixed; boundary="b"',
                   b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                   b"crise.livraison : non\r\n--b\r\nContent-Type: application/ms-tnef; "
                   b"name=\"winmail.dat\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                   + TNEF + b"\r\n--b--\r\n")
    outcome = outcome_of(data, project)
    assert outcome.status == TO_APPLY
    assert "Pièce jointe ignorée : winmail.dat (1 ko) — à traiter à la main" in outcome.notes
