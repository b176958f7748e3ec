"""Issue 11, point 2: an unreadable agenda.ics is an error of `invoke check` (file, line, French
reason), stops `invoke build` (nothing built, the previous output kept) and `invoke publish`
(the reason shown, no traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build_site, copy_project, strict_env

from labulle.source.agenda import check
from labulle.source.problems import Problem

SAMPLE = (ROOT / "content" / "data" / "agenda.ics").read_bytes()
SHOWN = "content/data/agenda.ics"


def line_of(text: bytes, data: bytes = SAMPLE) -> int:
    return data[:data.index(text)].count(b"\n") + 1


def _reason(data: bytes, tmp_path: Path) -> Problem:
    path = tmp_path / "content" / "data" / "agenda.ics"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    problems = check(path, tmp_path)
    assert len(problems) == 1
    return problems[0]


RDV = b"DTSTART:20200404T080000Z"
CASES = {
    "garbage": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1,
                "ce n'est pas un fichier iCalendar (il doit commencer par BEGIN:VCALENDAR)"),
    "html login page": (b"<!DOCTYPE html>\n<html><head><title>Identifiant</title></head>", 1,
                        "ce n'est pas un fichier iCalendar (il doit commencer par "
                        "BEGIN:VCALENDAR)"),
    "empty": (b"", 1, "ce n'est pas un fichier iCalendar (il doit commencer par "
                      "BEGIN:VCALENDAR)"),
    "truncated": (SAMPLE[:SAMPLE.index(b"STATUS:CONFIRMED")], line_of(b"DTEND:20200220T193000Z"),
                  "fichier tronqué : il manque END:VEVENT, END:VCALENDAR à la fin"),
    "latin-1": (SAMPLE.decode().encode("latin-1", "replace"), line_of("SUMMARY:Apé".encode()),
                "encodage illisible : l'octet 0xE9 n'est pas de l'UTF-8 "
                "(enregistrez le fichier en UTF-8)"),
    "UTF-16": (SAMPLE.decode().encode("utf-16"), 1,
               "encodage illisible : le fichier est en UTF-16 (enregistrez-le en UTF-8)"),
    "vCalendar export": (SAMPLE.replace("SUMMARY:Apéro".encode(),
                                        b"SUMMARY:ENCODING=QUOTED-PRINTABLE:Ap=C3=A9ro"),
                         line_of("SUMMARY:Apéro".encode()),
                         "export au format vCalendar (format=vcal) : demandez format=ical dans "
                         "le lien d'export de Dolibarr"),
    "not gregorian": (SAMPLE.replace(b"CALSCALE:GREGORIAN", b"CALSCALE:JULIAN"),
                      line_of(b"CALSCALE:GREGORIAN"), "calendrier « JULIAN » : seul le "
                      "calendrier grégorien (CALSCALE:GREGORIAN) est pris en charge"),
    "unparseable DTSTART": (SAMPLE.replace(RDV, b"DTSTART:2020-04-04 10:00"), line_of(RDV),
                            "DTSTART illisible : « 2020-04-04 10:00 » (une date AAAAMMJJ ou une "
                            "date et heure AAAAMMJJTHHMMSS (suivie de Z en heure UTC) attendue)"),
    "event without DTSTART": (SAMPLE.replace(RDV + b"\n", b""),
                              line_of(b"BEGIN:VEVENT\nUID:dolibarragenda-dolibarr_bulle-212"),
                              "événement sans DTSTART (sa date de début)"),
    "end before start": (SAMPLE.replace(b"DTEND:20200404T100000Z", b"DTEND:20200404T060000Z"),
                         line_of(b"DTEND:20200404T100000Z"),
                         "la fin (DTEND « 20200404T060000Z ») est avant le début "
                         "(DTSTART « 20200404T080000Z »)"),
    "not a content line": (SAMPLE.replace(b"TRANSP:OPAQUE\nCATEGORIES:R\xc3\xa9union",
                                          b"TRANSP:OPAQUE\nR\xc3\xa9union du bureau"),
                           line_of(b"CATEGORIES:R\xc3\xa9union"),
                           "ligne illisible « Réunion du bureau » (NOM:valeur attendu)"),
    "mismatched END": (SAMPLE.replace(b"END:VEVENT\nEND:VCALENDAR", b"END:VTODO\nEND:VCALENDAR"),
                       line_of(b"END:VEVENT\nEND:VCALENDAR"),
                       "END:VTODO inattendu (END:VEVENT attendu)"),
    "two calendars": (SAMPLE + b"\n" + SAMPLE, SAMPLE.count(b"\n") + 2,
                      "texte après END:VCALENDAR (un seul calendrier par fichier)"),
    "bad RRULE": (SAMPLE.replace(RDV, RDV + b"\nRRULE:FREQ=SOMETIMES"), line_of(RDV) + 1,
                  "RRULE illisible : « FREQ=SOMETIMES » (une règle comme FREQ=WEEKLY;BYDAY=SA "
                  "attendue)"),
    "repetition every minute": (SAMPLE.replace(RDV, RDV + b"\nRRULE:FREQ=MINUTELY"),
                                line_of(RDV) + 1,
                                "répétition trop fréquente (FREQ=MINUTELY) : seules les "
                                "répétitions quotidiennes, hebdomadaires, mensuelles ou "
                                "annuelles sont publiées"),
}


@pytest.mark.parametrize("name", CASES)
def test_unreadable_agenda_is_a_check_error_at_its_line(name, tmp_path):
    data, line, reason = CASES[name]
    assert _reason(data, tmp_path) == Problem(SHOWN, line, "agenda", reason)


def test_sample_and_absent_agenda_are_fine(tmp_path):
    assert check(ROOT / SHOWN, ROOT) == []
    assert check(tmp_path / "agenda.ics", tmp_path) == []  # no agenda yet


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    invoke = Path(sys.executable).with_name("invoke")
    return subprocess.run([str(invoke), *args], cwd=project, capture_output=True, text=True,
                          check=False, env=strict_env())


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the project whose agenda has an unparseable DTSTART."""
    project = copy_project(tmp_path / "projet")
    (project / SHOWN).write_bytes(SAMPLE.replace(RDV, b"DTSTART:2020-04-04 10:00"))
    return project


EXPECTED = (f"{SHOWN}:{line_of(RDV)}: agenda: DTSTART illisible : « 2020-04-04 10:00 » (une date "
            "AAAAMMJJ ou une date et heure AAAAMMJJTHHMMSS (suivie de Z en heure UTC) attendue)")


@pytest.mark.slow
def test_check_and_build_stop_on_an_unreadable_agenda(broken: Path, tmp_path: Path):
    checked = run(broken, "check")
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [EXPECTED]
    # Pelican with the plugin (what livereload and the publish build run): nothing written
    out = tmp_path / "output"
    out.mkdir()
    (out / "index.html").write_text("previous build", encoding="utf-8")
    built = build_site(broken, out)
    assert built.returncode != 0
    assert EXPECTED in built.stderr and "rien n'a été construit" in built.stderr
    assert "Traceback" not in built.stdout + built.stderr
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "previous build"
    # invoke build: the check first, then nothing
    result = run(broken, "build")
    assert result.returncode == 1 and EXPECTED in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert not (broken / "output").exists()


@pytest.mark.slow
def test_publish_shows_the_reason_without_a_traceback(broken: Path, tmp_path: Path):
    dest = tmp_path / "www"
    with (broken / "publish.py").open("a", encoding="utf-8") as settings:
        settings.write(f"\nLABULLE_DEPLOY = {{'kind': 'folder', 'dest': {str(dest)!r}}}\n")
    result = run(broken, "publish")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert EXPECTED in output and "Publication annulée" in output
    assert "Traceback" not in output
    assert not dest.exists()
