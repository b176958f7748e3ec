"""« Signaler une erreur » and « Je confirme ces informations » (issue 14, point 3).

The links of the built pro page are decoded as a mail client decodes them (RFC 6068); the emails
a mail client then sends (Thunderbird: text/plain, format=flowed; Gmail: multipart/alternative,
quoted-printable) go through `invoke intake` on a git copy of the sample site.
"""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import axe_violations, build_site, copy_project, serve

INVOKE = str(Path(sys.executable).parent / "invoke")
SLUG = "la-drole-d-epicerie"
PRO_ADDRESS = "ladroledepicerie@example.org"
# added on top by the association's receiving server (RFC 8601)
AUTH = ("mx.labulle16.fr; dkim=pass header.d=example.org header.s=mail; "
        "dmarc=pass (p=none) header.from=example.org")
REPORT_BODY = [
    "Fiche : La Drôle d'Épicerie — https://labulle16.fr/pros/la-drole-d-epicerie/",
    "",
    "Ce qui est faux (écrivez sous cette ligne) :",
    "",
    "",
    "Comment l'avez-vous vérifié ? (gardez la bonne réponse, effacez les autres)",
    "- sur place",
    "- par téléphone",
    "- site du pro",
]


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True).stdout


def _invoke(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([INVOKE, *args], cwd=root, capture_output=True, text=True, check=False)


def _link(page: str, text: str) -> tuple[str, str, str]:
    """(address, subject, body) of the mailto link named `text`, decoded as a mail client does."""
    found = re.search(rf'<a href="(mailto:[^"]+)">{text}</a>', page)
    assert found, f"no link « {text} »"
    url = urlsplit(html.unescape(found.group(1)))
    query = parse_qs(url.query, keep_blank_values=True)
    return url.path, query["subject"][0], query["body"][0]


@pytest.fixture(scope="module")
def links(built_site: Path) -> dict[str, tuple[str, str, str]]:
    page = (built_site / "pros" / SLUG / "index.html").read_text(encoding="utf-8")
    return {"report": _link(page, "Signaler une erreur"),
            "confirm": _link(page, "Je confirme ces informations")}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A git copy of the sample site, committed."""
    root = copy_project(tmp_path / "site")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "sample")
    return root


def _flowed(text: str) -> str:
    """The body as Thunderbird sends it: lines over 72 characters cut, with a trailing space
    (RFC 3676 format=flowed)."""
    out = []
    for line in text.split("\n"):
        while len(line) > 72:
            cut = line.rfind(" ", 0, 72) + 1 or 72
            out.append(line[:cut] if line[cut - 1] == " " else line[:cut] + " ")
            line = line[cut:]
        out.append(line)
    return "\r\n".join(out)


def thunderbird(link: tuple[str, str, str], sender: str, body: str | None = None,
                auth: str | None = AUTH, date: str = "Sun, 22 Mar 2020 18:42:10 +0100") -> bytes:
    """The message Thunderbird sends from a mailto link (the body edited or not)."""
    address, subject, mailto_body = link
    text = _flowed(mailto_body if body is None else body)
    headers = ([f"Authentication-Results: {auth}"] if auth else []) + [
        f"From: {sender}", f"To: {address}", f"Subject: {_encoded(subject)}", f"Date: {date}",
        "Message-ID: <b0a5e2c4-1d1e-4c1f-9a0b-3f1d2a7c9e11@example.org>",
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:68.0) Thunderbird/68.6.0",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8; format=flowed",
        "Content-Transfer-Encoding: 8bit", "Content-Language: fr"]
    return ("\r\n".join(headers) + "\r\n\r\n" + text + "\r\n").encode("utf-8")


def _encoded(subject: str) -> str:
    from email.header import Header

    return Header(subject, "utf-8").encode() if not subject.isascii() else subject


def gmail(link: tuple[str, str, str], sender: str, body: str) -> bytes:
    """The message Gmail sends from a mailto link: plain and HTML parts, quoted-printable."""
    address, subject, _ = link
    message = EmailMessage()
    message["Authentication-Results"] = ("mx.labulle16.fr; dkim=pass header.d=gmail.com "
                                         "header.s=20161025; dmarc=pass header.from=gmail.com")
    message["From"] = sender
    message["To"] = address
    message["Subject"] = subject
    message["Date"] = "Mon, 23 Mar 2020 09:05:00 +0100"
    message.set_content(body, cte="quoted-printable")
    paragraphs = "".join(f"<div>{html.escape(line) or '<br>'}</div>" for line in body.split("\n"))
    message.add_alternative(f'<div dir="ltr">{paragraphs}</div>', subtype="html",
                            cte="quoted-printable")
    return message.as_bytes()


def _pros_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((root / "pros").rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _changed_lines(root: Path) -> list[str]:
    return [line for line in _git(root, "diff", "-U0").splitlines()
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# --- the links of the pro page ---------------------------------------------------------------

def test_pro_page_has_report_and_confirm_links(links):
    address, subject, body = links["report"]
    assert address == "bonjour@labulle16.fr"
    assert subject == "[La Bulle] Signalement : la-drole-d-epicerie"
    assert body.split("\n")[:-1] == REPORT_BODY
    address, subject, body = links["confirm"]
    assert address == "bonjour@labulle16.fr"
    assert subject == "[La Bulle] Confirmation : la-drole-d-epicerie"
    assert body.split("\n") == [
        REPORT_BODY[0], "",
        "Je confirme que les informations de ma fiche sont exactes à ce jour.", "",
        "(Envoyez ce message depuis l'adresse de votre fiche, sans rien changer.",
        "Pour corriger une information : « Proposer une modification ».)", ""]


def test_report_endpoint_adds_a_form_without_javascript(tmp_path: Path):
    out = tmp_path / "out"
    result = build_site(copy_project(tmp_path / "site"), out, extra=(
        "-e", 'LABULLE_REPORT_ENDPOINT="https://formspree.io/f/signalements"'))
    assert result.returncode == 0, result.stdout + result.stderr
    page = (out / "pros" / SLUG / "index.html").read_text(encoding="utf-8")
    start = page.index('<details class="pro-feedback-form">')
    form = page[start:page.index("</details>", start)]
    assert '<form method="post" action="https://formspree.io/f/signalements"' in form
    assert ('<input type="hidden" name="_subject" '
            'value="[La Bulle] Signalement : la-drole-d-epicerie">') in form
    assert "<legend>Comment l&#39;avez-vous vérifié ?</legend>" in form or \
        "<legend>Comment l'avez-vous vérifié ?</legend>" in form
    values = re.findall(r'name="verification" value="([^"]+)"', form)
    assert values == ["sur place", "par téléphone", "site du pro"]
    assert "Je confirme ces informations</a>" in page  # the confirmation stays an email


# --- a pro's confirmation --------------------------------------------------------------------

@pytest.mark.slow
def test_confirmation_from_thunderbird_moves_only_verifie_le(site: Path, links, tmp_path: Path):
    message = tmp_path / "confirmation.eml"
    message.write_bytes(thunderbird(links["confirm"], f"Marie Martin <{PRO_ADDRESS}>"))
    preview = _invoke(site, "intake", "--", str(message))
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert "confirmation : la-drole-d-epicerie" in preview.stdout
    assert "verifie_le : 2020-03-21 → 2020-03-22 (rien d'autre)" in preview.stdout
    assert "-verifie_le: 2020-03-21\n+verifie_le: 2020-03-22" in preview.stdout
    assert "Texte libre" not in preview.stdout  # our own lines are not taken for the pro's
    assert _git(site, "status", "--porcelain") == ""

    applied = _invoke(site, "intake", "--apply", "--", str(message))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert _changed_lines(site) == ["-verifie_le: 2020-03-21", "+verifie_le: 2020-03-22"]
    again = _invoke(site, "intake", "--apply", "--", str(message))
    assert again.returncode == 0 and "Déjà à jour" in again.stdout


@pytest.mark.slow
def test_confirmation_from_gmail_ignores_listing_lines(site: Path, links, tmp_path: Path):
    address = "epicerie.drole@gmail.com"
    pro_file = site / "pros" / f"{SLUG}.yml"
    pro_file.write_text(pro_file.read_text(encoding="utf-8").replace(PRO_ADDRESS, address),
                        encoding="utf-8")
    _git(site, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "gmail")
    body = links["confirm"][2] + "\nhoraires : Mo-Su 00:00-24:00\nMerci, Marie\n"
    message = tmp_path / "gmail.eml"
    message.write_bytes(gmail(links["confirm"], f"Marie <{address}>", body))
    applied = _invoke(site, "intake", "--apply", "--", str(message))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert ("Remarque : lignes « clé : valeur » ignorées (horaires) : une confirmation ne "
            "change que verifie_le") in applied.stdout
    assert "  | Merci, Marie" in applied.stdout
    assert _changed_lines(site) == ["-verifie_le: 2020-03-21", "+verifie_le: 2020-03-23"]


@pytest.mark.slow
def test_confirmation_from_an_unknown_address_changes_nothing(site: Path, links, tmp_path: Path):
    message = tmp_path / "autre.eml"
    message.write_bytes(thunderbird(links["confirm"], "Voisin <voisin@example.org>"))
    before = _pros_digest(site)
    for options in (["--apply"], ["--apply", "--force"]):
        result = _invoke(site, "intake", *options, "--", str(message))
        assert result.returncode == 1
        assert ("cette adresse (voisin@example.org) n'est pas celle du pro (contact.email de "
                "pros/la-drole-d-epicerie.yml) : rien n'est modifié") in result.stdout
        assert "Traceback" not in result.stdout + result.stderr
    assert _pros_digest(site) == before


@pytest.mark.slow
def test_unverified_confirmation_needs_force(site: Path, links, tmp_path: Path):
    message = tmp_path / "sans-auth.eml"
    message.write_bytes(thunderbird(links["confirm"], PRO_ADDRESS, auth=None))
    before = _pros_digest(site)
    result = _invoke(site, "intake", "--apply", "--", str(message))
    assert result.returncode == 1
    assert ("EXPÉDITEUR NON VÉRIFIÉ : aucun résultat d'authentification du serveur "
            "mx.labulle16.fr") in result.stdout
    assert _pros_digest(site) == before
    forced = _invoke(site, "intake", "--apply", "--force", "--", str(message))
    assert forced.returncode == 0, forced.stdout
    assert _changed_lines(site) == ["-verifie_le: 2020-03-21", "+verifie_le: 2020-03-22"]


# --- a resident's report ---------------------------------------------------------------------

@pytest.mark.slow
def test_report_is_listed_and_changes_nothing(site: Path, links, tmp_path: Path):
    lines = links["report"][2].split("\n")
    written = [*lines[:3], "L'épicerie ferme à 18 h le samedi maintenant,", "pas à 19 h.",
               lines[5], "- par téléphone", ""]
    message = tmp_path / "signalement.eml"
    message.write_bytes(gmail(links["report"], "Paul Durand <paul.durand@gmail.com>",
                              "\n".join(written)))
    before = _pros_digest(site)
    result = _invoke(site, "intake", "--apply", "--", str(message))
    assert result.returncode == 1  # something for the webmaster to read
    assert result.stdout.split("\n")[1:9] == [
        "   Fiche : pros/la-drole-d-epicerie.yml — page "
        "https://labulle16.fr/pros/la-drole-d-epicerie/",
        "   De : Paul Durand <paul.durand@gmail.com> — envoyé le 2020-03-23",
        "   Comment l'avez-vous vérifié ? par téléphone",
        "   Ce qui est signalé :",
        "     | L'épicerie ferme à 18 h le samedi maintenant,",
        "     | pas à 19 h.",
        "   → Signalement à lire : rien n'est modifié. Vérifiez auprès du pro avant de "
        "corriger la fiche.",
        "",
    ]
    assert "— signalement : la-drole-d-epicerie" in result.stdout.split("\n")[0]
    assert _pros_digest(site) == before
    assert _git(site, "status", "--porcelain") == ""
    assert not (site / ".labulle").exists()  # nothing of the resident is kept


@pytest.mark.slow
def test_report_with_every_answer_kept_and_hostile_text(site: Path, links, tmp_path: Path):
    body = links["report"][2] + "\n\x1b[2J\x1b]0;pwned\x07Fermé définitivement\u202e\n"
    message = tmp_path / "hostile.eml"
    message.write_bytes(thunderbird(links["report"], "=?utf-8?q?=1B[31mX?= <x@example.org>",
                                    body=body))
    before = _pros_digest(site)
    result = _invoke(site, "intake", "--", str(message))
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\u202e" not in result.stdout
    assert ("Comment l'avez-vous vérifié ? non précisé (réponses gardées : sur place, "
            "par téléphone, site du pro)") in result.stdout
    assert "Fermé définitivement" in result.stdout
    assert _pros_digest(site) == before


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["Signalement", "Confirmation"])
def test_unknown_slug_is_refused(site: Path, links, tmp_path: Path, kind: str):
    link = links["report" if kind == "Signalement" else "confirm"]
    wrong = (link[0], f"[La Bulle] {kind} : la-drole-d-epicerie-bis", link[2])
    message = tmp_path / "inconnu.eml"
    message.write_bytes(thunderbird(wrong, f"Marie <{PRO_ADDRESS}>"))
    before = _pros_digest(site)
    result = _invoke(site, "intake", "--apply", "--force", "--", str(message))
    assert result.returncode == 1
    assert ("aucune fiche « la-drole-d-epicerie-bis » dans pros/ : rien n'est modifié ; "
            "vouliez-vous dire « la-drole-d-epicerie » ?") in result.stdout
    assert _pros_digest(site) == before


def test_how_checked_reads_the_kept_answer_and_a_form_service_notification():
    from labulle.mail.intake.feedback import how_checked

    assert how_checked("\n".join(REPORT_BODY[:6] + ["[x] Site du pro"])) == "site du pro"
    assert how_checked("> Comment l'avez-vous vérifié ? Par téléphone.") == "par téléphone"
    # the email a form service (LABULLE_REPORT_ENDPOINT) sends: one `name: value` per field
    assert how_checked("message: Fermé le lundi\nverification: sur place\n") == "sur place"
    assert how_checked("sur place\n") == "non précisé"  # not under the question


@pytest.mark.slow
def test_confirmation_dated_after_the_site_clock_never_writes_the_future(site: Path, links,
                                                                           tmp_path: Path):
    """The sample is a site as of 23 March 2020 (LABULLE_TODAY): a message of the 24th
    confirms on the 23rd, and the site still builds."""
    message = tmp_path / "demain.eml"
    message.write_bytes(thunderbird(links["confirm"], PRO_ADDRESS,
                                    date="Tue, 24 Mar 2020 18:42:10 +0100"))
    applied = _invoke(site, "intake", "--apply", "--", str(message))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert _changed_lines(site) == ["-verifie_le: 2020-03-21", "+verifie_le: 2020-03-23"]
    check = _invoke(site, "check")
    assert check.returncode == 0, check.stdout + check.stderr


# --- at phone width, in Chromium -------------------------------------------------------------

@pytest.fixture(scope="module")
def endpoint_site(tmp_path_factory: pytest.TempPathFactory):
    """The sample built with LABULLE_REPORT_ENDPOINT, served locally."""
    root = tmp_path_factory.mktemp("endpoint")
    out = root / "out"
    result = build_site(copy_project(root / "site"), out, extra=(
        "-e", 'LABULLE_REPORT_ENDPOINT="https://formspree.io/f/signalements"'))
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = serve(out)
    yield url
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_links_and_form_at_phone_width_are_accessible(browser, endpoint_site: str):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR",
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{endpoint_site}/pros/{SLUG}/")
    report = page.get_by_role("link", name="Signaler une erreur", exact=True)
    confirm = page.get_by_role("link", name="Je confirme ces informations")
    assert report.is_visible() and confirm.is_visible()
    assert confirm.get_attribute("href").startswith("mailto:bonjour@labulle16.fr?subject=")
    page.get_by_text("Signaler une erreur avec le formulaire").click()  # <details>, no script
    page.get_by_label("Ce qui est faux").fill("Fermé le lundi.")
    page.get_by_label("par téléphone").check()
    assert page.get_by_role("button", name="Envoyer le signalement").is_visible()
    context.close()
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{endpoint_site}/pros/{SLUG}/")
    page.get_by_text("Signaler une erreur avec le formulaire").click()
    page.get_by_label("Ce qui est faux").wait_for()
    assert axe_violations(page) == []
    context.close()
