"""Another currency can use the generator (issue 13, point 7).

tests/othercurrency/ is a fictional currency, la Pêche du Périgord: its own pelicanconf.py
(LABULLE_IDENTITY and the usual settings), its own pros/ and content/; the theme and the
labulle package are shared. Built from that alone, its site shows its identity everywhere La
Bulle's site shows La Bulle's, and none of La Bulle's identity anywhere in any output file.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from conftest import ROOT, build_site, strict_env

from labulle.ledger.db import open_ledger

PROJECT = ROOT / "tests" / "othercurrency"

#: La Bulle's identity: its name (any form), association, region and chief town, domain, OSM
#: code, bank.
FORBIDDEN = re.compile(r"bulle|charente|angoul[eê]me|labulle16|xlt-bule|poivre|\bnef\b",
                       re.IGNORECASE)

#: What may contain those letters without being identity: the package's name in code comments
#: (`labulle/pages/mapdoc.py`, `LABULLE_TILES_URL`), our JavaScript namespace (`laBulle.pin`),
#: the pro format's `bulle` section (a key of the YAML contract, in the mailto listings and the
#: open data), CSS class names and the stylesheet's file name, and the pro page's anchor
#: `#la-bulle-ici` (a stable link target).
TECHNICAL = re.compile(
    r"labulle(?=[/._])|window\.labulle\b"
    r"|(?:\b|(?<=%0a))bulle\.(?:billets|numerique|comptoir_horaires|comptoir|avantage|pourquoi)\b"
    r"|\"bulle\":|^bulle:"
    r"|\bbulle\.css\b|[\w-]*--bulles?\b|\bfx-bulle[\w-]*|\bbulle-(?:box|faq)\b|\.bulle\b"
    r"|class=\"bulle\b|\bla-bulle-ici\b",
    re.IGNORECASE | re.MULTILINE)


@pytest.fixture(scope="module")
def peche_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional project, copied and built with the shared theme."""
    project = tmp_path_factory.mktemp("peche") / "peche"
    shutil.copytree(PROJECT, project)
    out = project / "output"
    result = build_site(project, out, extra=("-t", str(ROOT / "theme")))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def text_files(folder: Path) -> dict[Path, str]:
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        try:
            files[path] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # images: their names are checked below
            continue
    return files


def test_every_page_family_is_built_for_the_other_currency(peche_site: Path) -> None:
    expected = [
        "index.html", "404.html", "pros/index.html", "pros/fournil-du-puy-saint-front/index.html",
        "pros/categorie/alimentation/index.html", "pros/commune/perigueux/index.html",
        "carte/index.html", "carte/carte-embed.html", "carte/crise-embed.html",
        "comptoirs/index.html", "ouverts-pendant-la-crise/index.html", "paniers/index.html",
        "peche-numerique/index.html", "peche-numerique/fiche/index.html",
        "peche-numerique/charte/index.html", "peche-numerique/inscription/index.html",
        "reserve/index.html", "agenda/index.html", "agenda.ics", "recherche/index.html",
        "pros.json", "pros.geojson", "pros.csv", "categorie/billet-peche/index.html",
        "articles/pourquoi-la-peche/index.html", "professionnels/mettre-a-jour/index.html",
        "a-propos/index.html", "images/la-peche-og.png",
    ]
    assert [name for name in expected if not (peche_site / name).is_file()] == []


def test_no_identity_of_la_bulle_in_the_other_currencys_output(peche_site: Path) -> None:
    found = []
    for path, text in text_files(peche_site).items():
        rest = TECHNICAL.sub(" ", text)
        for match in FORBIDDEN.finditer(rest):
            start = max(0, match.start() - 60)
            found.append(f"{path.relative_to(peche_site)}: …{rest[start:match.end() + 30]}…")
    names = [str(p.relative_to(peche_site)) for p in peche_site.rglob("*")
             if FORBIDDEN.search(TECHNICAL.sub("", str(p.relative_to(peche_site))))]
    assert found == []
    assert names == []


def test_the_other_currencys_identity_is_where_la_bulles_was(peche_site: Path) -> None:
    home = (peche_site / "index.html").read_text(encoding="utf-8")
    assert "<title>La Pêche, la monnaie locale du Périgord</title>" in home
    assert "La monnaie locale complémentaire et citoyenne du Périgord, portée par " \
           "l'association Les Amis de la Pêche." in home
    assert '<meta property="og:image" content="/images/la-peche-og.png">' in home
    assert '<a href="/categorie/billet-peche/">Billets</a>' in home
    assert "Le dernier Billet Pêche" in home
    assert '<path d="M33 15c6-8 16-8 20-4-6 5-13 6-20 4z" fill="#4c8c3a"/>' in home  # its logo
    digital = (peche_site / "peche-numerique/index.html").read_text(encoding="utf-8")
    assert "<h1>La Pêche numérique</h1>" in digital
    assert "réserve de l’association au Crédit Coopératif" in digital
    assert "<code>PECHE votre-identifiant</code>" in digital
    pro = (peche_site / "pros/fournil-du-puy-saint-front/index.html").read_text(encoding="utf-8")
    assert "?subject=" + quote("[La Pêche] Mise à jour : fournil-du-puy-saint-front", safe="") \
        in pro
    assert '"currenciesAccepted":"EUR, La Pêche"' in pro
    assert '"paymentAccepted":"euros, Pêches papier, Pêches numériques"' in pro
    geojson = json.loads((peche_site / "pros.geojson").read_text(encoding="utf-8"))
    tags = geojson["features"][0]["properties"]
    assert tags["currency:XLT-PECH"] == "yes"
    embed = (peche_site / "carte/carte-embed.html").read_text(encoding="utf-8")
    assert "center: [45.18, 0.72]," in embed and '"zoom": 10,' in embed
    feed = (peche_site / "agenda.ics").read_text(encoding="utf-8")
    assert "PRODID:-//La Pêche//Agenda public//FR" in feed
    assert "X-WR-CALNAME:Agenda de la Pêche" in feed
    assert re.search(r"UID:[0-9a-f]{32}@agenda\.peche\.example", feed)


def test_the_other_currencys_private_values_stay_out(peche_site: Path) -> None:
    for path, text in text_files(peche_site).items():
        assert "fournil@example.org" not in text, path
        assert "06 12 34 56 78" not in text and "+33 6 12 34 56 78" not in text, path


def test_intake_reads_the_other_currencys_subjects(peche_site: Path, tmp_path: Path) -> None:
    """The reply a pro sends from the site's "Proposer une modification" link is recognised;
    a message with another subject is refused with the currency's own subjects as examples."""
    page = (peche_site / "pros/fournil-du-puy-saint-front/index.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="(mailto:[^"]+)">Proposer une modification</a>', page)
    assert link is not None
    fields = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    project = shutil.copytree(PROJECT, tmp_path / "peche")
    messages = []
    for name, subject, body in (("reponse.eml", fields["subject"][0], fields["body"][0]),
                                ("autre.eml", "Bonjour", "Une question.")):
        message = EmailMessage()
        message["From"] = "Le Fournil <fournil@example.org>"
        message["To"] = "bonjour@peche.example"
        message["Date"] = "Tue, 24 Mar 2020 09:12:00 +0100"
        message["Subject"] = subject
        message.set_content(body)
        messages.append(tmp_path / name)
        messages[-1].write_bytes(bytes(message))
    labulle = Path(sys.executable).parent / "labulle"
    result = subprocess.run([str(labulle), "intake", "--today", "2020-03-25", *map(str, messages)],
                            cwd=project, capture_output=True, text=True, env=strict_env(),
                            check=False)
    assert result.returncode == 1, result.stderr  # one message refused
    report = result.stdout
    assert "reponse.eml — mise à jour : fournil-du-puy-saint-front" in report
    assert ("objet non reconnu « Bonjour » : « [La Pêche] Mise à jour : <identifiant> » ou "
            "« [La Pêche] Nouveau pro » attendu") in report


def test_a_new_pro_of_the_other_currency_is_written_in_its_words(tmp_path: Path) -> None:
    project = shutil.copytree(PROJECT, tmp_path / "peche")
    labulle = Path(sys.executable).parent / "labulle"
    result = subprocess.run([str(labulle), "new-pro", "La Cave de la Clautre"], cwd=project,
                            capture_output=True, text=True, env=strict_env(), check=False)
    assert result.returncode == 0, result.stderr
    text = (project / "pros" / "la-cave-de-la-clautre.yml").read_text(encoding="utf-8")
    assert text.startswith("# Fiche d'un pro qui accepte la Pêche.")
    assert 'code_postal: "24000"\n  commune: Périgueux\n  position: [45.1845, 0.7214]' in text
    assert FORBIDDEN.findall(TECHNICAL.sub(" ", text)) == []


def test_the_other_currencys_letters_are_in_its_words(tmp_path: Path) -> None:
    project = shutil.copytree(PROJECT, tmp_path / "peche")
    labulle = Path(sys.executable).parent / "labulle"
    result = subprocess.run([str(labulle), "letters", "--out", str(tmp_path / "lettres")],
                            cwd=project, capture_output=True, text=True, env=strict_env(),
                            check=False)
    assert result.returncode == 0, result.stderr
    [letter] = sorted((tmp_path / "lettres").glob("*.eml"))  # the only pro with an email
    message = message_from_bytes(letter.read_bytes(), policy=policy.default)
    assert message["Subject"] == "[La Pêche] Mise à jour : fournil-du-puy-saint-front"
    body = message.get_content()
    assert "Vous acceptez la Pêche, la monnaie locale complémentaire du Périgord" in body
    assert "Association Les Amis de la Pêche – La Pêche" in body
    assert FORBIDDEN.findall(TECHNICAL.sub(" ", body + str(message["Message-ID"]))) == []


def test_the_other_currencys_social_post_is_in_its_words(tmp_path: Path) -> None:
    project = shutil.copytree(PROJECT, tmp_path / "peche")
    labulle = Path(sys.executable).parent / "labulle"
    result = subprocess.run([str(labulle), "social", "--date", "2020-03-24"], cwd=project,
                            capture_output=True, text=True, env=strict_env(), check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Ce mardi 24 mars, les pros de la Pêche qui vous nourrissent restent là !")
    assert "Payer en Pêches, c'est faire vivre nos commerces d'ici." in result.stdout
    assert FORBIDDEN.findall(TECHNICAL.sub(" ", result.stdout)) == []


def test_a_sign_up_records_the_other_currencys_consent_wording(peche_site: Path,
                                                               tmp_path: Path) -> None:
    """The sign-up page's subject and the email it composes, as the intake records them."""
    page = (peche_site / "peche-numerique/inscription/index.html").read_text(encoding="utf-8")
    subject = re.search(r'mailto:bonjour@peche\.example\?subject=([^"&]+)', page)
    assert subject is not None
    message = EmailMessage()
    message["From"] = "Anne Delpech <anne@example.org>"
    message["To"] = "bonjour@peche.example"
    message["Date"] = "Tue, 24 Mar 2020 09:12:00 +0100"
    message["Subject"] = parse_qs(f"s={subject.group(1)}")["s"][0]
    message.set_content("type : particulier\nnom : Anne Delpech\ncourriel : anne@example.org\n"
                        "commune : Périgueux\ncharte : oui\nconsentement : oui\n"
                        "consentement_version : 2020-03\n")
    (tmp_path / "inscription.eml").write_bytes(bytes(message))
    project = shutil.copytree(PROJECT, tmp_path / "peche")
    db = tmp_path / "donnees" / "ledger.sqlite3"
    open_ledger(db, create=True).close()
    labulle = Path(sys.executable).parent / "labulle"
    result = subprocess.run([str(labulle), "intake", str(tmp_path / "inscription.eml"), "--apply",
                             "--ledger-db", str(db)], cwd=project, capture_output=True,
                            text=True, env=strict_env(), check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    connection = open_ledger(db)
    connection.row_factory = sqlite3.Row
    [row] = connection.execute("SELECT * FROM signups").fetchall()
    connection.close()
    assert message["Subject"] == "[La Pêche] Inscription au test"
    assert "organiser le test de la Pêche numérique" in row["consent_text"]
    assert "J'ai lu la charte du test de la Pêche numérique et je l'accepte." in row["consent_text"]


def test_positions_are_checked_against_the_other_currencys_area(tmp_path: Path) -> None:
    project = shutil.copytree(PROJECT, tmp_path / "peche")
    pro = project / "pros" / "atelier-du-vesone.yml"
    pro.write_text(pro.read_text(encoding="utf-8").replace("[45.1817, 0.7110]", "[45.6506, 0.16]"),
                   encoding="utf-8")
    labulle = Path(sys.executable).parent / "labulle"
    inside = subprocess.run([str(labulle), "check"], cwd=project, capture_output=True, text=True,
                            env=strict_env(), check=False)
    assert inside.returncode == 0, inside.stdout + inside.stderr  # Angoulême is near enough
    pro.write_text(pro.read_text(encoding="utf-8").replace("[45.6506, 0.16]", "[48.8566, 2.3522]"),
                   encoding="utf-8")
    outside = subprocess.run([str(labulle), "check"], cwd=project, capture_output=True,
                             text=True, env=strict_env(), check=False)
    assert outside.returncode == 1
    assert ("pros/atelier-du-vesone.yml:8: adresse.position: [48.8566, 2.3522] est hors du "
            "Périgord ; vérifiez la position (latitude vers 45, longitude vers 0)") \
        in outside.stdout + outside.stderr
