"""Sign-ups for the pilot (email, form-service CSV) become pending participants in a real,
temporary ledger database, and nothing in the project changes."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

from labulle.ledger.db import open_ledger
from labulle.mail.intake.signup import build, parse_text

SIGNUP_EMAIL = """\
From: Marie Dupont <marie@example.org>
To: bonjour@labulle16.fr
Subject: [La Bulle] Inscription au test
Date: Thu, 05 Mar 2020 10:12:00 +0100
Message-ID: <inscription-1@example.org>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

type : pro
nom : Vélo Toqué (Marie Dupont)
courriel : contact@velo-toque.example
telephone : 05 45 00 00 00
commune : Angoulême
pro : velo-toque
montant_mensuel : 300,50
charte : oui
consentement : oui
consentement_version : 2020-03
lettre : oui
"""

# What the form sends without JavaScript (enctype="text/plain"): key=value lines.
NO_JS_EMAIL = """\
From: Paul <paul@example.org>
Subject: TR: [La Bulle] Inscription au test
Date: Fri, 06 Mar 2020 18:00:00 +0100
Message-ID: <inscription-2@example.org>
Content-Type: text/plain; charset=utf-8

type=particulier\r
nom=Paul Martin\r
courriel=paul@example.org\r
telephone=\r
commune=Cognac\r
pro=\r
montant_mensuel=\r
site_web=\r
charte=oui\r
consentement=oui\r
consentement_version=2020-03\r
"""

BOT_EMAIL = NO_JS_EMAIL.replace("site_web=", "site_web=http://casino.example").replace(
    "inscription-2", "inscription-3")

FORM_CSV = (
    "Horodatage;Vous êtes;Nom et prénom (ou nom de la structure);"
    "Adresse électronique;Téléphone (facultatif);Commune;"
    "Votre commerce ou activité (si vous êtes un professionnel);"
    "Montant que vous pensez convertir chaque mois, en euros;"
    "J’ai lu la charte du test et je l’accepte.;"
    "J'accepte que l'association utilise les informations de ce formulaire;"
    "Lettre;site_web\n"
    "05/03/2020 10:12:00;Particulier;Jeanne Martin;jeanne@example.org;"
    "06 12 34 56 78;Cognac;;50;Oui;Oui;Oui;\n"
    "05/03/2020 11:00:00;Association;Repair Café du Plateau;"
    "repair@example.org;;Angoulême;;;Oui;Oui;;\n"
    "05/03/2020 11:30:00;Particulier;Robot;bot@spam.example;;X;;;Oui;Oui;;"
    "http://spam.example\n"
    "06/03/2020 09:00:00;Particulier;Sans Accord;sans@example.org;;Ruffec;;"
    ";Oui;;;\n"
    "06/03/2020 09:05:00;Particulier;Mauvaise Adresse;pas-une-adresse;;"
    "Ruffec;;;Oui;Oui;;\n"
)


def project_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "site", ("pelicanconf.py", "pros", "content"))


def fingerprint(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def intake(root: Path, *args: str, env_db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root.parent / "home")}
    if env_db:
        env["BULLE_LEDGER_DB"] = str(env_db)
    return subprocess.run([sys.executable, "-m", "labulle.mail.intake.run", "--root", str(root),
                           *args],
                          capture_output=True, text=True, env=env, cwd=root, check=False)


def pending(db: Path) -> list[sqlite3.Row]:
    conn = open_ledger(db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute("SELECT * FROM signups ORDER BY id").fetchall()
    conn.close()
    return rows


@pytest.fixture
def ledger_db(tmp_path: Path) -> Path:
    db = tmp_path / "donnees" / "ledger.sqlite3"
    open_ledger(db, create=True).close()
    return db


def test_emails_and_csv_become_pending_participants_outside_the_project(tmp_path, ledger_db):
    root = project_copy(tmp_path)
    mails = tmp_path / "courriels"
    mails.mkdir()
    (mails / "1.eml").write_text(SIGNUP_EMAIL, encoding="utf-8")
    (mails / "2.eml").write_text(NO_JS_EMAIL, encoding="utf-8")
    (mails / "3.eml").write_text(BOT_EMAIL, encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(FORM_CSV, encoding="utf-8")
    before = fingerprint(root)

    result = intake(root, str(mails), "--signups-csv", str(export), "--apply",
                    "--ledger-db", str(ledger_db))

    assert result.returncode == 1, result.stdout + result.stderr   # the refused ones: to review
    out = result.stdout
    assert "Inscription n° 1 en attente dans le grand livre." in out
    assert "champ caché rempli : envoi d'un robot, ignoré" in out
    assert "consentement au traitement des données absent" in out
    assert "adresse électronique invalide : « pas-une-adresse »" in out
    rows = pending(ledger_db)
    assert [(r["name"], r["kind"], r["source"]) for r in rows] == [
        ("Vélo Toqué (Marie Dupont)", "pro", "email"),
        ("Paul Martin", "particulier", "email"),
        ("Jeanne Martin", "particulier", "csv"),
        ("Repair Café du Plateau", "association", "csv"),
    ]
    velo = rows[0]
    assert (velo["email"], velo["phone"], velo["commune"], velo["pro_slug"]) == (
        "contact@velo-toque.example", "05 45 00 00 00", "Angoulême", "velo-toque")
    assert velo["expected_monthly_cents"] == 30050 and velo["newsletter"] == 1
    assert velo["received_at"] == "2020-03-05T10:12:00+01:00"
    assert "organiser le test de la Bulle numérique" in velo["consent_text"]
    assert velo["consent_version"] == "données 2020-03, charte 2020-03"
    assert rows[2]["received_at"] == "2020-03-05T10:12:00+01:00"  # CSV: local time
    assert rows[2]["expected_monthly_cents"] == 5000 and rows[1]["newsletter"] == 0
    assert fingerprint(root) == before
    assert not list(root.rglob("*.sqlite3"))

    again = intake(root, str(mails), "--signups-csv", str(export), "--apply",
                   "--ledger-db", str(ledger_db))
    assert len(pending(ledger_db)) == 4, again.stdout   # idempotent
    assert fingerprint(root) == before


def test_without_apply_nothing_is_recorded(tmp_path, ledger_db):
    root = project_copy(tmp_path)
    mail = tmp_path / "1.eml"
    mail.write_text(SIGNUP_EMAIL, encoding="utf-8")
    result = intake(root, str(mail), env_db=ledger_db)
    assert result.returncode == 0
    assert "Utilisable : relancez avec --apply" in result.stdout
    assert pending(ledger_db) == []


def test_ledger_from_the_environment_and_never_inside_the_project(tmp_path, ledger_db):
    root = project_copy(tmp_path)
    mail = tmp_path / "1.eml"
    mail.write_text(SIGNUP_EMAIL, encoding="utf-8")
    assert intake(root, str(mail), "--apply", env_db=ledger_db).returncode == 0
    assert len(pending(ledger_db)) == 1
    inside = root / "inscriptions.sqlite3"
    result = intake(root, str(mail), "--apply", "--ledger-db", str(inside))
    assert result.returncode == 1
    assert ("est dans le dossier du site : les données personnelles ne doivent jamais y être"
            in result.stdout)
    assert not inside.exists()


def test_csv_task_previews_then_records(tmp_path, ledger_db):
    export = tmp_path / "export.csv"
    export.write_text(FORM_CSV, encoding="utf-8")
    invoke = [sys.executable, "-m", "invoke", "intake-signups", str(export)]
    preview = subprocess.run(invoke, cwd=ROOT, capture_output=True, text=True, check=False)
    assert ("5 inscription(s) : 2 utilisable(s), 2 à revoir, 1 robot(s) ignoré(s) "
            "(rien n'a été écrit).") in preview.stdout, preview.stdout + preview.stderr
    done = subprocess.run([*invoke, "--apply", "--ledger-db", str(ledger_db)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "2 enregistrée(s)" in done.stdout
    assert [r["name"] for r in pending(ledger_db)] == ["Jeanne Martin", "Repair Café du Plateau"]


def test_body_parsing_ignores_quotes_and_signatures():
    values = parse_text(textwrap.dedent("""\
        Bonjour, voici mon inscription.
        Nom : Léa Petit
        Adresse électronique : lea@example.org
        Commune : Jarnac
        charte : oui
        consentement : oui
        > nom : Ancien Nom
        --
        nom : Signature
        """))
    assert values == {"nom": "Léa Petit", "courriel": "lea@example.org", "commune": "Jarnac",
                      "charte": "oui", "consentement": "oui"}
    from datetime import UTC, datetime
    signup = build(values, "x", datetime(2020, 3, 5, tzinfo=UTC), "<id>", "email")
    assert signup.usable and signup.fields["kind"] == "particulier"


# --- issue 12 point 11: a file that is not a form export: one French sentence, nothing recorded

def _zip_bytes() -> bytes:
    import zipfile
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


NOT_AN_EXPORT = {
    "single column": (
        "Adresse électronique\njeanne@example.org\npaul@example.org\n".encode(),
        "export.csv:1 : une seule colonne lue (« Adresse électronique ») : le séparateur doit "
        "être la virgule, le point-virgule ou la tabulation"),
    "pipe delimiter": (
        FORM_CSV.replace(";", "|").encode(),
        "export.csv:1 : séparateur « | » : le séparateur doit être la virgule, le point-virgule "
        "ou la tabulation"),
    "no name nor email column": (
        b"Horodatage;Commune;Montant\n05/03/2020 10:12:00;Cognac;50\n",
        "export.csv:1 : pas de colonne « nom » ni « adresse électronique » dans l'en-tête : ce "
        "fichier n'est pas l'export du formulaire d'inscription"),
    "1 MB field": (
        (FORM_CSV + '06/03/2020 10:00:00;Particulier;"' + "x" * 1_000_000
         + '";x@example.org;;;;;Oui;Oui;;\n').encode(),
        "export.csv:7 : un champ dépasse 131 072 caractères : ce n'est pas une inscription"),
    "binary file": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        "export.csv : contenu binaire, pas un fichier CSV"),
    "empty file": (b"", "export.csv : fichier vide"),
    "blank file": (b"\r\n \r\n", "export.csv : fichier vide"),
    "UTF-16 (Excel's Unicode text)": (
        FORM_CSV.replace(";", "\t").encode("utf-16"),
        "export.csv : fichier en UTF-16 (« Texte Unicode ») : enregistrez-le en « CSV UTF-8 "
        "(délimité par des virgules) »"),
    "UTF-16 without BOM": (
        FORM_CSV.encode("utf-16-le"),
        "export.csv : fichier en UTF-16 (« Texte Unicode ») : enregistrez-le en « CSV UTF-8 "
        "(délimité par des virgules) »"),
    "the spreadsheet instead of its CSV": (
        _zip_bytes(),
        "export.csv : c'est un classeur (.xlsx, .ods) ou une archive zip, pas un fichier CSV : "
        "enregistrez-le en « CSV UTF-8 (délimité par des virgules) »"),
    "unclosed quote": (
        (FORM_CSV + '06/03/2020 10:00:00;Particulier;"Jean\n').encode(),
        "export.csv:7 : guillemet non refermé : fichier CSV tronqué ou abîmé"),
    "quote in the middle of a field": (
        (FORM_CSV + '06/03/2020 10:00:00;Particulier;"Jean" Dupont;j@example.org\n').encode(),
        "export.csv:7 : guillemet au milieu d'un champ : fichier CSV abîmé"),
}


@pytest.mark.parametrize("case", sorted(NOT_AN_EXPORT))
def test_a_file_that_is_not_an_export_records_nothing(case, tmp_path, ledger_db):
    from io import StringIO

    from labulle.mail.intake.signup_csv import import_csv

    data, sentence = NOT_AN_EXPORT[case]
    export = tmp_path / "export.csv"
    export.write_bytes(data)
    out = StringIO()
    assert import_csv(export, ROOT, ledger_db, apply=True, out=out) == 1
    assert out.getvalue() == f"Erreur : {sentence}\nRien n'a été enregistré.\n"
    assert pending(ledger_db) == []


def test_a_1_mb_field_is_refused_whatever_limit_the_process_has(tmp_path, ledger_db):
    """The csv module's field limit is process-wide, and frictionless (the open data tests)
    raises it to 2 147 483 646 when it reads a CSV: the export's own limit must not follow it,
    and the process's limit is left as it was."""
    import csv
    from io import StringIO

    from labulle.mail.intake.signup_csv import import_csv

    data, sentence = NOT_AN_EXPORT["1 MB field"]
    export = tmp_path / "export.csv"
    export.write_bytes(data)
    before = csv.field_size_limit(2_147_483_646)  # what frictionless does, for this test only
    try:
        out = StringIO()
        assert import_csv(export, ROOT, ledger_db, apply=True, out=out) == 1
        assert csv.field_size_limit() == 2_147_483_646
    finally:
        csv.field_size_limit(before)
    assert out.getvalue() == f"Erreur : {sentence}\nRien n'a été enregistré.\n"
    assert pending(ledger_db) == []


def test_the_task_says_it_without_traceback(tmp_path, ledger_db):
    export = tmp_path / "export.csv"
    export.write_bytes(NOT_AN_EXPORT["1 MB field"][0])
    result = subprocess.run([sys.executable, "-m", "invoke", "intake-signups", str(export),
                             "--apply", "--ledger-db", str(ledger_db)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert ("Erreur : export.csv:7 : un champ dépasse 131 072 caractères : ce n'est pas une "
            "inscription\nRien n'a été enregistré.\n") in result.stdout
    assert pending(ledger_db) == []


def test_control_characters_and_overlong_fields_refuse_the_row(tmp_path, ledger_db):
    from io import StringIO

    from labulle.mail.intake.signup_csv import import_csv

    rows = ("05/03/2020 10:12:00;Particulier;Jeanne\x1b[2J Martin;jeanne@example.org;;Cognac;;;"
            "Oui;Oui;;\n"
            "05/03/2020 10:13:00;Particulier;" + "Paul " * 100 + ";paul@example.org;;Cognac;;;"
            "Oui;Oui;;\n"
            "05/03/2020 10:14:00;Particulier;Léa Petit;lea@example.org;;Jarnac;;;Oui;Oui;;\n")
    export = tmp_path / "export.csv"
    export.write_text(FORM_CSV.split("\n", 1)[0] + "\n" + rows, encoding="utf-8")
    out = StringIO()
    assert import_csv(export, ROOT, ledger_db, apply=True, out=out) == 1
    report = out.getvalue()
    assert "\x1b" not in report
    assert "== export.csv:2 — inscription au test\n   → Inutilisable :\n     nom : caractère " \
           "de contrôle \\x1b interdit\n" in report
    assert "     nom : 500 caractères, au plus 300\n" in report
    assert "3 inscription(s) : 1 utilisable(s), 2 à revoir, 0 robot(s) ignoré(s), " \
           "1 enregistrée(s)" in report
    assert [r["name"] for r in pending(ledger_db)] == ["Léa Petit"]
