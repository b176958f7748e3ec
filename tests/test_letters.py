"""Letters to the pros: they parse back through intake unchanged, the mailto links too, and
sending goes over STARTTLS to a real (local) SMTP server, never twice the same letter."""

from __future__ import annotations

import base64
import io
import socket
import ssl
import subprocess
import threading
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import copy_project
from test_intake_done import thunderbird_reply

from labulle.mail import listing
from labulle.mail.intake.extract import find_values
from labulle.mail.intake.project import Project
from labulle.mail.intake.run import run
from labulle.mail.intake.updates import Options
from labulle.mail.letters import (
    LetterError,
    SmtpConfig,
    make_letters,
    send_letters,
    smtp_sender,
    write_letters,
)
from labulle.mail.mailto import MAX_MAILTO, new_pro_mailto, update_mailto
from labulle.model.directory import Directory
from labulle.source.check import load

NOW = datetime(2020, 3, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, ("pros",))


def _published(root: Path):
    data, problems = load(root)
    assert problems == []
    return Directory(data.categories, data.pros, NOW.date()).private_records()


def test_one_letter_per_published_pro_with_an_address(project: Path, tmp_path: Path):
    pros = _published(project)
    letters = make_letters(pros, "bonjour@labulle16.fr", "https://labulle16.fr", NOW)
    assert len(letters) == len([p for p in pros if p.contact and p.contact.email])
    velo = next(letter for letter in letters if letter.pro.slug == "velo-toque")
    assert velo.to == "perso.velotoque@example.org"  # a private address is used, not shown
    text = velo.message.get_content()
    assert "perso.velotoque" not in text and "adhesion" not in text
    assert "https://labulle16.fr/bulle-numerique/" in text
    assert str(velo.message["Subject"]) == "[La Bulle] Mise à jour : velo-toque"
    paths = write_letters(letters, tmp_path / "lettres")
    assert sorted(p.name for p in paths) == sorted(f"{p.slug}.eml" for p in
                                                   (letter.pro for letter in letters))


def test_replies_to_every_letter_change_no_value(project: Path, tmp_path: Path):
    letters = make_letters(_published(project), "bonjour@labulle16.fr", "https://labulle16.fr",
                           NOW)
    paths = write_letters(letters, tmp_path / "lettres")
    replies = tmp_path / "reponses"
    replies.mkdir()
    for letter, path in zip(letters, paths, strict=True):
        reply = thunderbird_reply(path, {})
        reply = reply.replace(b"ladroledepicerie@example.org", letter.to.encode())
        (replies / path.name).write_bytes(reply)
    out = io.StringIO()
    assert run([replies], Options(Project(project)), out) == 0, out.getvalue()
    assert out.getvalue().count("Modifications : 0 (confirmation sans changement)") == len(letters)
    # the letter itself (sent by the association) also reads back with no change
    out = io.StringIO()
    run([tmp_path / "lettres"], Options(Project(project)), out)
    assert out.getvalue().count("Modifications : 0") == len(letters)


def test_mailto_links_are_short_and_read_back(project: Path):
    for pro in _published(project):
        url = update_mailto(pro, "bonjour@labulle16.fr")
        assert len(url) <= MAX_MAILTO, pro.slug
        query = parse_qs(urlsplit(url).query)
        assert query["subject"] == [f"[La Bulle] Mise à jour : {pro.slug}"]
        found = find_values(query["body"][0])
        for key, text in found.values.items():
            if listing.UNCHANGED_RE.fullmatch(text):
                continue
            assert listing.same_value(listing.current_value(pro, key),
                                      listing.parse_value(key, text)), (pro.slug, key)
        assert "adhesion" not in query["body"][0]
    body = parse_qs(urlsplit(new_pro_mailto("bonjour@labulle16.fr")).query)["body"][0]
    assert "nom :\ncategories :\nresume :" in body


# --- sending ----------------------------------------------------------------------------------

class SmtpServer:
    """A minimal SMTP server with STARTTLS and AUTH PLAIN, in a thread (enough for smtplib)."""

    def __init__(self, certfile: Path, keyfile: Path):
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(certfile, keyfile)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.messages: list[bytes] = []
        self.logins: list[str] = []
        self.tls_sessions = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self._session(conn)

    def _session(self, conn: socket.socket) -> None:
        sockets = [conn]
        try:
            self._talk(sockets)
        except OSError:  # the client went away (ssl.SSLError is an OSError)
            pass
        finally:
            for sock in reversed(sockets):
                sock.close()

    def _talk(self, sockets: list[socket.socket]) -> None:
        stream = sockets[0].makefile("rwb")
        tls = False

        def say(text: str) -> None:
            stream.write(text.encode() + b"\r\n")
            stream.flush()

        say("220 localhost ESMTP test")
        while line := stream.readline():
            command = line.decode().strip()
            verb = command.split(" ")[0].upper()
            if verb == "EHLO":
                say("250-localhost")
                say("250 AUTH PLAIN" if tls else "250 STARTTLS")
            elif verb == "STARTTLS":
                say("220 go ahead")
                stream.close()
                sockets.append(self.context.wrap_socket(sockets[0], server_side=True))
                stream = sockets[-1].makefile("rwb")
                tls = True
                self.tls_sessions += 1
            elif verb == "AUTH":
                self.logins.append(base64.b64decode(command.split(" ")[2]).decode())
                say("235 ok")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                say("250 ok")
            elif verb == "DATA":
                say("354 go")
                data = b""
                while (chunk := stream.readline()) != b".\r\n":
                    data += chunk
                self.messages.append(data)
                say("250 queued")
            elif verb == "QUIT":
                say("221 bye")
                stream.close()
                return
            else:
                say("502 unknown")

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def smtp(tmp_path: Path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server = SmtpServer(cert, key)
    yield server, cert
    server.close()


def test_send_over_starttls_once_per_letter(project: Path, tmp_path: Path, smtp):
    server, cert = smtp
    env = {"LABULLE_SMTP_HOST": "127.0.0.1", "LABULLE_SMTP_PORT": str(server.port),
           "LABULLE_SMTP_USER": "bulle", "LABULLE_SMTP_PASSWORD": "secret",
           "LABULLE_SMTP_FROM": "bonjour@labulle16.fr", "LABULLE_SMTP_CAFILE": str(cert)}
    config = SmtpConfig.from_env(env)
    pros = _published(project)[:3]
    letters = make_letters(pros, config.sender, "https://labulle16.fr", NOW)
    log = tmp_path / ".labulle" / "letters-sent.jsonl"

    printed: list[str] = []
    assert send_letters(letters, log, None, printed.append) == (len(letters), 0)  # dry run
    assert server.messages == [] and not log.exists()

    send, close = smtp_sender(config)
    try:
        assert send_letters(letters, log, send, printed.append) == (len(letters), 0)
    finally:
        close()
    assert server.tls_sessions == 1 and server.logins == ["\0bulle\0secret"]
    assert len(server.messages) == len(letters)
    received = BytesParser(policy=policy.default).parsebytes(server.messages[0])
    assert str(received["Subject"]).startswith("[La Bulle] Mise à jour : ")

    # the same letters again (new dates, new Message-IDs): nothing goes
    again = make_letters(pros, config.sender, "https://labulle16.fr", datetime.now(UTC))
    send, close = smtp_sender(config)
    try:
        assert send_letters(again, log, send, printed.append) == (0, len(letters))
    finally:
        close()
    assert len(server.messages) == len(letters)
    assert sum("déjà envoyée" in line for line in printed) == len(letters)


def test_missing_settings_and_refused_connection_are_french_errors():
    with pytest.raises(LetterError, match="LABULLE_SMTP_HOST"):
        SmtpConfig.from_env({})
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = SmtpConfig.from_env({"LABULLE_SMTP_HOST": "127.0.0.1", "LABULLE_SMTP_PORT": str(port),
                                  "LABULLE_SMTP_FROM": "a@example.org"})
    with pytest.raises(LetterError, match="connexion au serveur SMTP"):
        smtp_sender(config)
