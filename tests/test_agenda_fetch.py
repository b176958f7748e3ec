"""Issue 11, point 3: `invoke events URL` says what failed in French (the HTTP status, a refused
connection, a web page instead of a calendar) and never replaces agenda.ics with a bad
download. A real HTTP server on 127.0.0.1 answers as Dolibarr does."""

from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, copy_project, strict_env

from labulle.commands.events_fetch import main

SAMPLE = (ROOT / "content" / "data" / "agenda.ics").read_bytes()
EXPORT = "/public/agenda/agendaexport.php"
LOGIN = (b"<!DOCTYPE html>\n<html><head><title>Identifiant @ 11.0.3</title></head>"
         b"<body><form id=\"login\"><input name=\"username\"></form></body></html>")
ANSWERS = {  # path → (status, content type, body)
    EXPORT: (200, "text/calendar; charset=utf-8", SAMPLE),
    "/login": (200, "text/html; charset=UTF-8", LOGIN),
    "/error": (500, "text/html", b"<h1>Internal Server Error</h1>"),
    "/forbidden": (403, "text/plain", b"Bad value for key."),
    "/cut.ics": (200, "text/calendar", SAMPLE[:SAMPLE.index(b"STATUS:CONFIRMED")]),
}


class Dolibarr(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        status, kind, body = ANSWERS.get(urlsplit(self.path).path,
                                         (404, "text/html", b"<h1>Not Found</h1>"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Dolibarr)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site folder whose agenda is the previous export."""
    (tmp_path / "content" / "data").mkdir(parents=True)
    (tmp_path / "content" / "data" / "agenda.ics").write_bytes(b"BEGIN:VCALENDAR\nprevious")
    return tmp_path


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def refused(path: Path) -> str:
    return f"{path} n'a pas été modifié."


def test_refresh_replaces_the_agenda_with_a_good_export(server, site, capsys):
    target = site / "content" / "data" / "agenda.ics"
    assert main([f"{server}{EXPORT}?format=ical&type=event&exportkey=s3cr3t",
                 "--root", str(site)]) == 0
    assert target.read_bytes() == SAMPLE
    assert sorted(p.name for p in target.parent.iterdir()) == ["agenda.ics"]  # no temp file
    assert capsys.readouterr().out == (
        f"{target} mis à jour : 13 événement(s) ; les autres ne paraissent jamais sur le site.\n")


FAILURES = {
    "/absent.ics": "le serveur a répondu 404 (Not Found) : adresse introuvable : vérifiez le "
                   "lien d'export (…/public/agenda/agendaexport.php)",
    "/error": "le serveur a répondu 500 (Internal Server Error) : erreur du serveur de "
              "Dolibarr, réessayez plus tard",
    "/forbidden": "le serveur a répondu 403 (Forbidden) : accès refusé : vérifiez la clé "
                  "exportkey du lien (Agenda > Configuration > Export) et que l'export est "
                  "activé",
    "/login": "Dolibarr a répondu par une page web et non par un calendrier (page de connexion :"
              " la clé exportkey du lien est sans doute fausse, ou l'export de l'agenda n'est "
              "pas activé)",
}


@pytest.mark.parametrize("path", FAILURES)
def test_failed_download_says_why_and_keeps_the_agenda(server, site, capsys, path):
    target = site / "content" / "data" / "agenda.ics"
    assert main([f"{server}{path}?exportkey=s3cr3t", "--root", str(site)]) == 1
    err = capsys.readouterr().err
    assert err == f"Erreur : {server}{path} : {FAILURES[path]}. {refused(target)}\n"
    assert target.read_bytes() == b"BEGIN:VCALENDAR\nprevious"
    assert sorted(p.name for p in target.parent.iterdir()) == ["agenda.ics"]


def test_truncated_export_and_refused_connection(server, site, capsys):
    target = site / "content" / "data" / "agenda.ics"
    assert main([f"{server}/cut.ics", "--root", str(site)]) == 1
    line = SAMPLE[:SAMPLE.index(b"DTEND:20200220T193000Z")].count(b"\n") + 1
    assert capsys.readouterr().err == (
        f"Erreur : la réponse de {server}/cut.ics:{line}: fichier tronqué : il manque "
        f"END:VEVENT, END:VCALENDAR à la fin. {refused(target)}\n")
    port = closed_port()
    assert main([f"http://127.0.0.1:{port}{EXPORT}", "--root", str(site)]) == 1
    assert capsys.readouterr().err == (
        f"Erreur : http://127.0.0.1:{port}{EXPORT} : connexion refusée par 127.0.0.1 (aucun "
        f"serveur n'écoute à cette adresse). {refused(target)}\n")
    assert main(["file:///etc/passwd", "--root", str(site)]) == 1
    assert capsys.readouterr().err == (
        "Erreur : « file:///etc/passwd » : une adresse https:// est attendue (le lien d'export "
        f"de Dolibarr). {refused(target)}\n")
    assert target.read_bytes() == b"BEGIN:VCALENDAR\nprevious"


@pytest.mark.slow
def test_invoke_events_through_the_webmasters_command(server, tmp_path):
    project = copy_project(tmp_path / "projet")
    before = (project / "content" / "data" / "agenda.ics").read_bytes()
    invoke = Path(sys.executable).with_name("invoke")
    result = subprocess.run([str(invoke), "events", f"{server}/forbidden"], cwd=project,
                            capture_output=True, text=True, check=False,
                            env=strict_env())
    assert result.returncode == 1
    assert f"Erreur : {server}/forbidden : le serveur a répondu 403 (Forbidden)" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert (project / "content" / "data" / "agenda.ics").read_bytes() == before
    result = subprocess.run([str(invoke), "events", f"{server}{EXPORT}"], cwd=project,
                            capture_output=True, text=True, check=False,
                            env=strict_env())
    assert result.returncode == 0, result.stderr
    assert "13 événement(s), dont 8 publié(s) sur le site" in result.stdout
