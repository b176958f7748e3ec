"""Finding the `clé : valeur` lines whatever the mail client did, and reading every source."""

from __future__ import annotations

import mailbox
import textwrap
from email.message import EmailMessage
from pathlib import Path

from labulle.mail import listing
from labulle.mail.intake.dispatch import find_handler
from labulle.mail.intake.extract import find_values, html_to_text, unflow
from labulle.mail.intake.sources import read_sources


def test_least_quoted_occurrence_wins_then_the_first():
    text = textwrap.dedent("""\
        crise.livraison : non

        Le 23/03/2020, La Bulle a écrit :
        > crise.livraison : oui
        > horaires : Mo-Fr 09:00-12:00
        >> horaires : Sa 09:00-12:00
        """)
    found = find_values(text)
    assert found.values == {"crise.livraison": "non", "horaires": "Mo-Fr 09:00-12:00"}
    assert found.remarks == []


def test_rewrapped_lines_join_the_value_above_but_not_across_blank_lines():
    text = ("> crise.modalites : Commande la veille avant 18 h, retrait le\n"
            "> lendemain matin ; livraison : le jeudi\n"
            ">\n"
            "> Merci de votre aide.\n")
    found = find_values(text)
    assert found.values == {"crise.modalites": "Commande la veille avant 18 h, retrait le "
                                                "lendemain matin ; livraison : le jeudi"}


def test_crlf_nbsp_accents_and_capitals_in_keys():
    text = "Résumé\u00a0: Épicerie vrac\r\nCrise.Livraison\u202f:\u00a0non\r\nNOM: Le Coin\r\n"
    assert find_values(text).values == {"resume": "Épicerie vrac", "crise.livraison": "non",
                                        "nom": "Le Coin"}


def test_signature_is_skipped_until_the_quote():
    text = ("horaires : Mo 09:00-12:00\n\n-- \nJean\nnom : Jean Dupont\ntelephone : 06\n\n"
            "> zone : Cognac\n")
    assert find_values(text).values == {"horaires": "Mo 09:00-12:00", "zone": "Cognac"}


def test_unknown_and_internal_keys_are_reported_not_taken():
    found = find_values("horaire : Mo 09:00-12:00\nadhesion : 2021\ncrise.livraisons : oui\n"
                        "Objet : bonjour\n")
    assert found.values == {}
    notes = "\n".join(found.unknown)
    assert "« horaire » (vouliez-vous dire « horaires » ?)" in notes
    assert "« adhesion » est tenu par l'association" in notes
    assert "crise.livraisons" in notes and "objet" not in notes


def test_format_flowed_and_html():
    assert unflow("> crise.modalites : a b \n> c d\n> zone : x\n") == (
        "> crise.modalites : a b c d\n> zone : x")
    html = ("<div>zone&nbsp;: Cognac</div><blockquote><p>horaires : Mo 09:00-12:00<br>"
            "nom : X</p></blockquote><style>p{}</style>")
    assert html_to_text(html) == "zone : Cognac\n\n> horaires : Mo 09:00-12:00\n> nom : X\n"


def test_listing_round_trip_of_every_value_kind():
    pairs = {"categories": "alimentation, epicerie", "bulle.numerique": "oui",
             "adresse.position": "45.65, 0.14", "crise.paniers.1.prix": "12,50",
             "crise.depuis": "17/03/2020", "crise.commande": "Telephone, SMS"}
    parsed = {key: listing.parse_value(key, text) for key, text in pairs.items()}
    assert parsed["categories"] == ["alimentation", "epicerie"]
    assert parsed["bulle.numerique"] is True
    assert parsed["adresse.position"] == [45.65, 0.14]
    assert str(parsed["crise.paniers.1.prix"]) == "12.50"
    assert parsed["crise.depuis"].isoformat() == "2020-03-17"
    assert parsed["crise.commande"] == ["telephone", "sms"]
    assert listing.parse_value("zone", "  ") is listing.DELETE
    assert listing.field_type("crise.paniers.0.prix") is None
    assert listing.field_type("adhesion") is not None  # a key, but INTERNAL: never listed


def test_dispatch_by_subject_prefix():
    handler, match = find_handler("TR : RE: Fwd: [La Bulle] Mise à jour : le-grain-de-sel")
    assert handler.name == "mise à jour" and match.group("slug") == "le-grain-de-sel"
    assert find_handler("[La Bulle] Nouveau pro")[0].name == "nouveau pro"
    assert find_handler("Bonjour") is None


def _message(subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "a@example.org"
    message["Subject"] = subject
    message["Date"] = "Tue, 24 Mar 2020 10:00:00 +0100"
    message.set_content("zone : Cognac\n")
    return message


def test_sources_eml_folder_mbox_and_maildir(tmp_path: Path):
    (tmp_path / "eml").mkdir()
    (tmp_path / "eml" / "b.eml").write_bytes(_message("B").as_bytes())
    (tmp_path / "eml" / "a.eml").write_bytes(_message("A").as_bytes())
    box = mailbox.mbox(tmp_path / "boite.mbox")
    box.add(_message("C"))
    box.add(_message("D"))
    box.close()
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    maildir.add(_message("E"))
    found = list(read_sources([tmp_path / "eml", tmp_path / "boite.mbox", tmp_path / "Maildir",
                               tmp_path / "absent.eml"]))
    subjects = [str(m.message["Subject"]) if m.message else m.problem for m in found]
    assert subjects == ["A", "B", "C", "D", "E", "fichier ou dossier introuvable"]
    assert found[2].label.endswith("boite.mbox[1]")
