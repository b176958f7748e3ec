"""The whole loop on a copy of the sample site, as the webmaster and a pro live it.

The association writes its letters (`invoke letters`); the pro replies from Thunderbird, editing
two values inside the quoted letter; the webmaster runs `invoke intake`, reads the diff,
applies it; `git diff` shows the two lines plus verifie_le; the rebuilt pro page shows the change.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from conftest import build_site, copy_project

INVOKE = str(Path(sys.executable).parent / "invoke")
SLUG = "la-drole-d-epicerie"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                          text=True).stdout


def _invoke(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([INVOKE, *args], cwd=root, capture_output=True, text=True, check=False)


def thunderbird_reply(letter_path: Path, edits: dict[str, str]) -> bytes:
    """Reply to a letter as Thunderbird does: every line quoted with "> ", wrapped at 72."""
    letter = BytesParser(policy=policy.default).parsebytes(letter_path.read_bytes())
    quoted = []
    for line in letter.get_content().splitlines():
        for old, new in edits.items():
            if line.startswith(old + " : "):
                line = f"{old} : {new}"
        quoted += [("> " + part).rstrip() for part in (textwrap.wrap(line, 70) or [""])]
    reply = EmailMessage()
    # added on top by the association's server when it receives the reply (RFC 8601)
    reply["Authentication-Results"] = ("mx.labulle16.fr; dkim=pass header.d=example.org "
                                       "header.s=mail; dmarc=pass (p=none) header.from=example.org")
    reply["From"] = "Marie Martin <ladroledepicerie@example.org>"
    reply["To"] = str(letter["Reply-To"])
    reply["Subject"] = "Re: " + str(letter["Subject"])
    reply["Date"] = "Mon, 23 Mar 2020 18:42:10 +0100"  # the sample's LABULLE_TODAY
    reply["In-Reply-To"] = str(letter["Message-ID"])
    reply.set_content("Bonjour,\n\nC'est corrigé ci-dessous.\n\nMarie\n\n"
                      "Le 23/03/2020 à 10:00, La Bulle a écrit :\n" + "\n".join(quoted) + "\n")
    return reply.as_bytes()


@pytest.mark.slow
def test_reply_to_a_letter_goes_through_intake_into_the_site(tmp_path: Path):
    site = copy_project(tmp_path / "site")
    _git(site, "init", "-q")
    _git(site, "add", "-A")
    _git(site, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "sample")

    result = _invoke(site, "letters", "--out", str(tmp_path / "lettres"), "--only", SLUG)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Rien n'est parti" in result.stdout
    reply = tmp_path / "reponse.eml"
    reply.write_bytes(thunderbird_reply(tmp_path / "lettres" / f"{SLUG}.eml", {
        "horaires": "Tu-Sa 09:00-12:30,14:30-18:30; PH off",
        "crise.telephone_commande": "06 31 48 72 99"}))

    preview = _invoke(site, "intake", "--", str(reply))
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert "expéditeur vérifié" in preview.stdout
    assert '+horaires: "Tu-Sa 09:00-12:30,14:30-18:30; PH off"' in preview.stdout
    assert '+  telephone_commande: "06 31 48 72 99"' in preview.stdout
    assert _git(site, "status", "--porcelain") == ""  # a preview writes nothing

    applied = _invoke(site, "intake", "--apply", "--", str(reply))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    changed = [line for line in _git(site, "diff", "-U0").splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        '-horaires: "Tu-Sa 09:00-12:30,14:30-19:00; PH off"',
        '+horaires: "Tu-Sa 09:00-12:30,14:30-18:30; PH off"',
        "-verifie_le: 2020-03-21",
        "+verifie_le: 2020-03-23",
        '-  telephone_commande: "06 31 48 72 05"',
        '+  telephone_commande: "06 31 48 72 99"',
        "-  verifie_le: 2020-03-21",
        "+  verifie_le: 2020-03-23",
    ]

    again = _invoke(site, "intake", "--apply", "--", str(reply))
    assert again.returncode == 0 and "Déjà à jour" in again.stdout

    out = tmp_path / "output"
    build = build_site(site, out)
    assert build.returncode == 0, build.stdout + build.stderr
    page = (out / "pros" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "06 31 48 72 99" in page and "06 31 48 72 05" not in page
    assert "18:30" in page or "18 h 30" in page
