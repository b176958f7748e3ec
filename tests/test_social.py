"""`invoke social`: the 11 o'clock post, for fixed dates of the sample and a crowded project."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

from conftest import ROOT

from labulle.commands import social


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = social.main(["--root", str(ROOT), *args])
    out, err = capsys.readouterr()
    return code, out.rstrip("\n"), err


def test_monday_post_of_the_sample(capsys):
    code, post, err = run(capsys, "--date", "2020-03-23")
    assert code == 0
    assert post.startswith(
        "Ce lundi 23 mars, les pros de la Bulle qui vous nourrissent restent là !")
    # Food pros open on Monday (most shops close on Mondays), with hours and how to order
    assert ("• Maison Soulat (Angoulême) : 7 h–19 h 30. Sur place, à emporter, retrait (click & "
            "collect). Commande sur place ou par téléphone (05 45 95 30 71).") in post
    assert ("• Ferme de la Bonnieure (Chasseneuil-sur-Bonnieure) : Livraison uniquement. Commande "
            "par téléphone (06 12 58 47 30) ou par courriel.") in post
    assert "La Drôle d'Épicerie (Angoulême) :" not in post  # closed on Mondays
    assert "L'Isle aux Images" not in post.split("Paniers")[0]  # not a food pro
    assert "Les Ruches du Ruffécois" not in post  # stale information
    # Baskets whose deadline has not passed at 11:00, food first; unreadable deadline kept
    assert "• Petit panier chez Le Potager de Fléac, 12 €, à commander avant lundi 20 h." in post
    assert ("• Panier légumes de saison chez La Drôle d'Épicerie, 15 €, à commander avant mercredi "
            "18 h.") in post
    assert post.index("Plateau de fromages") < post.index("Kit potager")
    assert "• Kit potager chez Pépinière du Gond, à commander avant la veille du retrait." in post
    assert ("Tous les pros ouverts pendant la crise, leurs horaires et les paniers : "
            "https://labulle16.fr/ouverts-pendant-la-crise/") in post
    assert len(post) <= 2000
    assert f"({len(post)} caractères)" in err


def test_thursday_post_drops_past_deadlines(capsys):
    code, post, _ = run(capsys, "--date", "2020-03-26")
    assert code == 0
    assert post.startswith("Ce jeudi 26 mars,")
    assert "• La Drôle d'Épicerie (Angoulême) : 9 h–12 h." in post
    assert "Cagette fermière" in post  # jeudi midi: still open at 11:00
    assert "Panier épicerie de base" in post  # vendredi 18 h
    for past in ("Panier légumes de saison", "Petit panier", "Plateau de fromages"):
        assert past not in post  # lundi 20 h, mercredi 18 h, mercredi midi
    assert len(post) <= 2000


def test_default_date_is_the_reference_date(capsys):
    assert run(capsys)[1] == run(capsys, "--date", "2020-03-23")[1]


def test_bad_date_is_a_french_error(capsys):
    code, post, err = run(capsys, "--date", "23/03/2020")
    assert code == 2 and post == ""
    assert "date invalide « 23/03/2020 »" in err


def test_long_post_is_trimmed_with_a_count(tmp_path):
    (tmp_path / "pros").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "pros" / "categories.yml").write_text(
        "alimentation: {label: Alimentation}\nepicerie: {label: Épicerie, parent: alimentation}\n",
        encoding="utf-8")
    for i in range(40):
        (tmp_path / "pros" / f"epicerie-{i:02d}.yml").write_text(dedent(f"""\
            nom: Épicerie numéro {i:02d} du centre-ville
            categories: [epicerie]
            resume: Une épicerie.
            adresse: {{commune: Angoulême}}
            crise:
              horaires: "Mo-Sa 09:00-12:30,14:30-19:00"
              sur_place: oui
              livraison: oui
              commande: [telephone, email]
              telephone_commande: "06 00 00 00 {i:02d}"
              paniers:
                - nom: Panier du jour
                  prix: 10
                  commande_avant: samedi midi
              verifie_le: 2020-03-22
            """), encoding="utf-8")
    settings = {"LABULLE_CRISIS_MODE": True}
    crisis_list = social.build_list(tmp_path, settings, date(2020, 3, 23))
    post = social.post(crisis_list, "https://example.org")
    assert len(post) <= 2000
    assert "• Épicerie numéro 00 du centre-ville (Angoulême) : 9 h–12 h 30, 14 h 30–19 h." in post
    shown = post.count("• Épicerie numéro")
    baskets = post.count("• Panier du jour")
    assert f"… et {40 - shown} autres sur le site" in post
    assert f"… et {40 - baskets} autres sur le site" in post
    assert post.endswith("Payer en Bulles, c'est faire vivre nos commerces d'ici.")
    assert "https://example.org/ouverts-pendant-la-crise/" in post
