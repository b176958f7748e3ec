"""« Expéditeur vérifié » means the association's own server authenticated the pro's address
(issue 12 point 8): the topmost Authentication-Results field (RFC 8601) whose authserv-id is
LABULLE_INTAKE_AUTHSERV_ID says DMARC pass, or DKIM pass for the From domain, and From holds
exactly one address, the pro's. Everything else is « non vérifié », needs --force, and says why.

The messages are update replies as a pro's client sends them, with the header fields the
receiving servers add on top; the intake works on a copy of the sample's pros/.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

from labulle.mail.intake.authres import Result, parse
from labulle.mail.intake.project import Project
from labulle.mail.intake.run import handle, run
from labulle.mail.intake.sources import parse_bytes
from labulle.mail.intake.updates import TO_APPLY, UNVERIFIED, UP_TO_DATE, Options

OURS = "mx.labulle16.fr"
PRO = "Marie Martin <ladroledepicerie@example.org>"
RECEIVED = ("Received: from smtp.example.org (smtp.example.org [192.0.2.25])\r\n"
            "\tby mx.labulle16.fr (Postfix) with ESMTPS id 48nK2x1Zx9z\r\n"
            "\tfor <bonjour@labulle16.fr>; Tue, 24 Mar 2020 18:42:12 +0100 (CET)\r\n")


def reply(*results: str, sender: str = PRO, extra: str = "") -> bytes:
    """A Thunderbird reply to the letter, with the given Authentication-Results fields on top
    (the first is the topmost, as the last server to receive the message writes it)."""
    head = "".join(f"Authentication-Results: {value}\r\n" for value in results)
    return (head + RECEIVED + extra + f"From: {sender}\r\n"
            "To: La Bulle <bonjour@labulle16.fr>\r\n"
            "Subject: Re: [La Bulle] Mise =?UTF-8?B?w6A=?= jour : la-drole-d-epicerie\r\n"
            "Date: Tue, 24 Mar 2020 18:42:10 +0100\r\n"
            "Message-ID: <6f1c2a9e-sender-test@example.org>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8; format=flowed\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
            "Bonjour,\r\n\r\nNous arrêtons les livraisons.\r\n\r\n"
            "crise.livraison : non\r\n\r\nMarie\r\n").encode("utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, ("pros",))


def outcome_of(data: bytes, project: Path, **options):
    return handle(parse_bytes(data, "reponse.eml"), Options(Project(project), **options))


NOT_VERIFIED = {
    "no Authentication-Results at all": (
        reply(), f"aucun résultat d'authentification du serveur {OURS}"),
    "softfail, no DKIM, no DMARC": (
        reply(f"{OURS}; spf=softfail smtp.mailfrom=example.org; dkim=none; dmarc=none"),
        f"example.org non authentifié par le serveur {OURS} "
        "(DMARC : none, DKIM : none, SPF : softfail)"),
    "results written with spaces": (
        reply(f"{OURS}; spf = fail smtp.mailfrom = example.org;\r\n"
              "\tdmarc = fail (p = reject) header.from = example.org"),
        f"example.org non authentifié par le serveur {OURS} "
        "(DMARC : fail, DKIM : absent, SPF : fail)"),
    "permerror": (
        reply(f"{OURS}; dkim=permerror (no key for signature) header.d=example.org;"
              " dmarc=permerror header.from=example.org"),
        f"example.org non authentifié par le serveur {OURS} "
        "(DMARC : permerror, DKIM : permerror pour example.org, SPF : absent)"),
    "two addresses in From": (
        reply(f"{OURS}; dmarc=pass header.from=example.org",
              sender=f"{PRO}, attacker@evil.example"),
        "plusieurs adresses dans From"),
    "two From fields": (
        reply(f"{OURS}; dmarc=pass header.from=example.org",
              extra="From: attacker@evil.example\r\n"),
        "plusieurs en-têtes From"),
    "a foreign server's pass above ours": (
        reply("mx.evil.example; dmarc=pass header.from=example.org",
              f"{OURS}; dmarc=fail (p=none) header.from=example.org"),
        f"example.org non authentifié par le serveur {OURS} "
        "(DMARC : fail, DKIM : absent, SPF : absent)"),
    "a foreign server's pass below ours": (
        reply(f"{OURS}; spf=softfail smtp.mailfrom=example.org; dkim=none; dmarc=none",
              "mx.evil.example; dkim=pass header.d=example.org; dmarc=pass "
              "header.from=example.org"),
        f"example.org non authentifié par le serveur {OURS} "
        "(DMARC : none, DKIM : none, SPF : softfail)"),
    "a foreign server's pass only": (
        reply("mx.google.com; dkim=pass header.i=@example.org; dmarc=pass "
              "header.from=example.org"),
        f"aucun résultat d'authentification du serveur {OURS}"),
    "a forged field with our name below ours": (
        reply(f"{OURS}; spf=none smtp.mailfrom=evil.example; dkim=none; dmarc=fail "
              "header.from=example.org",
              f"{OURS}; dkim=pass header.d=example.org; dmarc=pass header.from=example.org"),
        f"example.org non authentifié par le serveur {OURS} "
        "(DMARC : fail, DKIM : none, SPF : none)"),
    "DKIM pass for another domain": (
        reply(f"{OURS}; dkim=pass header.d=mailer.evil.example header.s=s1;"
              " spf=pass smtp.mailfrom=mailer.evil.example; dmarc=none header.from=example.org"),
        f"example.org non authentifié par le serveur {OURS} "
        "(DMARC : none, DKIM : pass pour mailer.evil.example, SPF : pass)"),
    "DKIM pass for a look-alike domain": (
        reply(f"{OURS}; dkim=pass header.d=notexample.org"),
        f"example.org non authentifié par le serveur {OURS} "
        "(DMARC : absent, DKIM : pass pour notexample.org, SPF : absent)"),
    "DMARC pass for another From domain": (
        reply(f"{OURS}; dmarc=pass header.from=evil.example"),
        f"example.org non authentifié par le serveur {OURS} "
        "(DMARC : pass, DKIM : absent, SPF : absent)"),
    "our field unreadable, a forged one below": (
        reply(f'{OURS}; dmarc=pass header.from="example.org; x', f"{OURS}; dmarc=pass "
              "header.from=example.org"),
        f"résultat d'authentification du serveur {OURS} illisible"),
    "nothing checked": (
        reply(f"{OURS}; none"), f"le serveur {OURS} n'a rien vérifié (« none »)"),
    "an encoded CR/LF in From": (
        reply(f"{OURS}; dmarc=pass header.from=example.org",
              sender="=?utf-8?q?Marie=0D=0ABcc=3A_x?= <ladroledepicerie@example.org>"),
        "en-tête From illisible"),
    "a stranger whose own domain passes": (
        reply(f"{OURS}; dmarc=pass header.from=example.com",
              sender="Jean Dupont <jean.dupont@example.com>"),
        "cette adresse n'est pas celle du pro"),
}


@pytest.mark.parametrize("case", sorted(NOT_VERIFIED))
def test_not_verified_says_the_true_reason(case: str, project: Path):
    data, reason = NOT_VERIFIED[case]
    outcome = outcome_of(data, project)
    assert outcome.status == UNVERIFIED, outcome.reasons
    assert f"EXPÉDITEUR NON VÉRIFIÉ : {reason} — envoyé le 2020-03-24" in outcome.summary[1]
    assert outcome.reasons == [f"expéditeur non vérifié : {reason}"]


VERIFIED = {
    "DMARC pass": (f"{OURS}; dmarc=pass (p=none dis=none) header.from=example.org",
                   "DMARC : pass"),
    "DMARC pass, upper case, comments, version": (
        f"{OURS.upper()} 1; (rspamd) DMARC=Pass (policy=none) header.From=Example.ORG",
        "DMARC : pass"),
    "DKIM pass for the From domain": (
        f"{OURS}; dkim=pass (2048-bit key) header.d=example.org header.b=\"ab/c+d=\"; "
        "dmarc=none header.from=example.org", "DKIM : pass pour example.org"),
    "DKIM pass for a subdomain, by header.i": (
        f"{OURS}; dkim=pass header.i=@mail.example.org; spf=fail smtp.mailfrom=example.org",
        "DKIM : pass pour mail.example.org"),
}


@pytest.mark.parametrize("case", sorted(VERIFIED))
def test_verified_by_our_server(case: str, project: Path):
    results, proof = VERIFIED[case]
    outcome = outcome_of(reply(results), project)
    assert outcome.status == TO_APPLY, outcome.summary
    assert f"{PRO} — expéditeur vérifié ({proof}) — envoyé le 2020-03-24" in outcome.summary[1]
    assert outcome.reasons == []


def test_unverified_is_written_only_with_force(project: Path, tmp_path: Path):
    mail = tmp_path / "reponse.eml"
    mail.write_bytes(reply(f"{OURS}; spf=softfail smtp.mailfrom=example.org; dkim=none; "
                           "dmarc=none"))
    target = project / "pros" / "la-drole-d-epicerie.yml"
    before = target.read_bytes()
    out = io.StringIO()
    assert run([mail], Options(Project(project), apply=True), out) == 1
    assert target.read_bytes() == before
    assert "expéditeur non vérifié : example.org non authentifié par le serveur" in out.getvalue()
    assert "0 fiche(s) écrite(s)" in out.getvalue()
    out = io.StringIO()
    assert run([mail], Options(Project(project), apply=True, force=True), out) == 0
    assert "Appliqué (forcé)." in out.getvalue()
    assert "  livraison: non\n" in target.read_text(encoding="utf-8")


def test_the_server_is_the_sites_setting(tmp_path: Path):
    """`invoke intake` reads LABULLE_INTAKE_AUTHSERV_ID from the site's pelicanconf.py."""
    copy_project(tmp_path, ("pros",))
    (tmp_path / "pelicanconf.py").write_text('LABULLE_INTAKE_AUTHSERV_ID = "mx2.example.net"\n',
                                             encoding="utf-8")
    ours = tmp_path / "ours.eml"
    ours.write_bytes(reply("mx2.example.net; dmarc=pass header.from=example.org"))
    default = tmp_path / "default.eml"
    default.write_bytes(reply(f"{OURS}; dmarc=pass header.from=example.org"))
    command = [sys.executable, "-m", "labulle.mail.intake.run", "--root", str(tmp_path)]
    result = subprocess.run([*command, str(ours), str(default)], capture_output=True,
                            text=True, check=False, cwd=tmp_path)
    assert "expéditeur vérifié (DMARC : pass)" in result.stdout
    assert ("expéditeur non vérifié : aucun résultat d'authentification du serveur "
            "mx2.example.net") in result.stdout
    assert "2 message(s) : 1 utilisable(s), 1 à revoir (rien n'a été écrit)." in result.stdout
    assert not (tmp_path / "__pycache__").exists()


def test_rfc8601_syntax():
    rspamd = parse("mx.labulle16.fr;\r\n\tdkim=pass header.d=example.org header.s=mail "
                   'header.b=kQ3v/F+7;\r\n\tdmarc=pass (policy=none) header.from=example.org;\r\n'
                   "\tspf=pass (mx.labulle16.fr: domain of a@example.org designates 192.0.2.25 "
                   "as permitted sender) smtp.mailfrom=a@example.org")
    assert rspamd is not None and rspamd.authserv_id == "mx.labulle16.fr"
    assert rspamd.results == (
        Result("dkim", "pass", {"header.d": "example.org", "header.s": "mail",
                                "header.b": "kQ3v/F+7"}),
        Result("dmarc", "pass", {"header.from": "example.org"}),
        Result("spf", "pass", {"smtp.mailfrom": "a@example.org"}))
    odd = parse('(first (nested \\) comment)) "mx.labulle16.fr" 1 ; dkim / 1 = FAIL '
                'reason = "bad; signature" header . d = example.org ;')
    assert odd is not None and odd.authserv_id == "mx.labulle16.fr"
    assert odd.results == (Result("dkim", "fail", {"reason": "bad; signature",
                                                   "header.d": "example.org"}),)
    assert parse("mx.labulle16.fr; none").results == ()
    for broken in ("", "mx.labulle16.fr dmarc=pass", "a b c; x=y"):
        assert parse(broken) is None, broken
    garbled = parse("mx.labulle16.fr; dmarc; dkim=pass header.d=x.org")
    assert garbled is not None and garbled.authserv_id == "mx.labulle16.fr"
    assert not garbled.readable and garbled.results == ()


def test_applied_when_verified(project: Path, tmp_path: Path):
    mail = tmp_path / "reponse.eml"
    mail.write_bytes(reply(f"{OURS}; dkim=pass header.d=example.org; dmarc=pass "
                           "header.from=example.org"))
    out = io.StringIO()
    assert run([mail], Options(Project(project), apply=True), out) == 0
    assert "   → Appliqué.\n" in out.getvalue()
    assert "livraison: non" in (project / "pros" / "la-drole-d-epicerie.yml").read_text()
    assert outcome_of(mail.read_bytes(), project).status == UP_TO_DATE
