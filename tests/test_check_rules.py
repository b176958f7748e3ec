"""One test per checker rule: the exact line the webmaster reads (file, line, key, message)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import ROOT

from labulle.source.check import load, main

CATEGORIES = """\
alimentation: {label: Alimentation}
epicerie: {label: Épicerie, parent: alimentation}
boulangerie: {label: Boulangerie, parent: alimentation}
culture: Culture
"""

HOST = """\
nom: Épicerie hôte
categories: [epicerie]
resume: Une épicerie.
"""


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    """A project folder with pros/categories.yml, an open host pro and the given files."""
    (tmp_path / "pros").mkdir()
    (tmp_path / "content").mkdir()
    all_files = {"pros/categories.yml": CATEGORIES, "pros/hote.yml": HOST, **files}
    for name, text in all_files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    root = project(tmp_path, {"pros/essai.yml": text})
    return [str(p) for p in load(root)[1]]


BASE = "nom: Essai\ncategories: [epicerie]\nresume: Un essai.\n"

CASES = {
    "misspelt key": (
        BASE + "horaire: \"Mo 09:00-12:00\"\n",
        "pros/essai.yml:4: horaire: clé inconnue ; vouliez-vous dire « horaires » ?",
    ),
    "unknown nested key": (
        BASE + "adresse:\n  ville: Angoulême\n",
        "pros/essai.yml:5: adresse.ville: clé inconnue ; clés possibles : rue, code_postal, "
        "commune, position",
    ),
    "missing required key": (
        "nom: Essai\ncategories: [epicerie]\n",
        "pros/essai.yml:1: resume: clé obligatoire manquante",
    ),
    "postcode read as a number": (
        BASE + "adresse:\n  code_postal: 16000\n",
        "pros/essai.yml:5: adresse.code_postal: le code postal est lu comme un nombre : "
        "écrivez-le entre guillemets, \"16000\"",
    ),
    "postcode not five digits": (
        BASE + "adresse:\n  code_postal: \"1600\"\n",
        "pros/essai.yml:5: adresse.code_postal: « 1600 » : un code postal est fait de 5 chiffres, "
        "entre guillemets : \"16000\"",
    ),
    "swapped latitude and longitude": (
        BASE + "adresse:\n  position: [0.1467, 45.6513]\n",
        "pros/essai.yml:5: adresse.position: [0.1467, 45.6513] : latitude et longitude semblent "
        "inversées ; écrivez [45.6513, 0.1467] (la latitude, vers 45, d'abord)",
    ),
    "position outside the area": (
        BASE + "adresse:\n  position: [48.85, 2.35]\n",
        "pros/essai.yml:5: adresse.position: [48.85, 2.35] est hors de la Charente et des "
        "départements voisins ; vérifiez la position (latitude vers 45, longitude vers 0)",
    ),
    "position not two numbers": (
        BASE + "adresse:\n  position: 45.65\n",
        "pros/essai.yml:5: adresse.position: deux nombres sont attendus : [latitude, longitude]",
    ),
    "hours in French instead of OSM": (
        BASE + "horaires: \"9h-12h\"\n",
        "pros/essai.yml:4: horaires: « 9h-12h » : horaires illisibles ; les heures s'écrivent "
        "09:00-12:00, pas 9h-12h ; syntaxe OpenStreetMap attendue, par exemple "
        "\"Tu-Sa 09:00-12:30,14:30-19:00; PH off\"",
    ),
    "sexagesimal trap": (
        BASE + "crise:\n  horaires: 9:30\n",
        "pros/essai.yml:5: crise.horaires: « 9:30 » est lu comme le nombre 570 (base 60) par "
        "YAML ; écrivez-le entre guillemets : \"9:30\"",
    ),
    "market hours checked": (
        BASE + "marches:\n  - nom: Halles\n    horaires: \"samedi matin\"\n",
        "pros/essai.yml:6: marches.0.horaires: « samedi matin » : horaires illisibles ; syntaxe "
        "OpenStreetMap attendue, par exemple \"Tu-Sa 09:00-12:30,14:30-19:00; PH off\"",
    ),
    "exchange office hours checked": (
        BASE + "bulle:\n  comptoir: true\n  comptoir_horaires: \"10h-12h\"\n",
        "pros/essai.yml:6: bulle.comptoir_horaires: « 10h-12h » : horaires illisibles ; les "
        "heures s'écrivent 09:00-12:00, pas 9h-12h ; syntaxe OpenStreetMap attendue, par exemple "
        "\"Tu-Sa 09:00-12:30,14:30-19:00; PH off\"",
    ),
    "boolean trap in an enumeration": (
        BASE + "crise:\n  livraison: no\n",
        "pros/essai.yml:5: crise.livraison: « no » est lu comme un booléen par YAML : écrivez non",
    ),
    "unknown enumeration value": (
        BASE + "crise:\n  statut: ouverte\n",
        "pros/essai.yml:5: crise.statut: valeur « ouverte » inconnue : ouvert, horaires_adaptes, "
        "partiel, ferme, inconnu ; vouliez-vous dire « ouvert » ?",
    ),
    "octal trap in a phone number": (
        BASE + "contact:\n  telephone: 0545000000\n",
        "pros/essai.yml:5: contact.telephone: « 0545000000 » est lu comme un nombre (octal, "
        "93585408) par YAML ; écrivez-le entre guillemets : \"0545000000\"",
    ),
    "invalid phone number": (
        BASE + "contact:\n  telephone: \"05 45\"\n",
        "pros/essai.yml:5: contact.telephone: « 05 45 » n'est pas un numéro de téléphone valide ; "
        "écrivez-le comme \"05 45 00 00 00\", ou avec + pour l'étranger",
    ),
    "malformed email": (
        BASE + "contact:\n  email: bonjour@\n",
        "pros/essai.yml:5: contact.email: « bonjour@ » n'est pas une adresse électronique valide "
        "(nom@domaine.fr)",
    ),
    "javascript URL refused": (
        BASE + "contact:\n  site: \"javascript:alert(1)\"\n",
        "pros/essai.yml:5: contact.site: « javascript:alert(1) » : une adresse web complète est "
        "attendue, commençant par https://",
    ),
    "unknown category with suggestion": (
        "nom: Essai\ncategories: [boulangrie]\nresume: Un essai.\n",
        "pros/essai.yml:2: categories.0: catégorie « boulangrie » inconnue (voir "
        "pros/categories.yml) ; vouliez-vous dire « boulangerie » ?",
    ),
    "categories not a list": (
        "nom: Essai\ncategories: epicerie\nresume: Un essai.\n",
        "pros/essai.yml:2: categories: une liste est attendue, par exemple [epicerie]",
    ),
    "resume too long": (
        "nom: Essai\ncategories: [epicerie]\nresume: " + "a" * 201 + "\n",
        "pros/essai.yml:3: resume: 201 caractères, 200 au plus",
    ),
    "vendu_chez naming nobody": (
        BASE + "crise:\n  vendu_chez: [personne]\n",
        "pros/essai.yml:5: crise.vendu_chez.0: « personne » : aucun pro n'a cet identifiant "
        "(nom du fichier dans pros/, sans .yml)",
    ),
    "vendu_chez naming itself": (
        BASE + "crise:\n  vendu_chez: [essai]\n",
        "pros/essai.yml:5: crise.vendu_chez.0: un pro ne peut pas être vendu chez lui-même",
    ),
    "prive naming an unknown contact key": (
        BASE + "contact:\n  telephone: \"05 45 00 00 00\"\n  prive: [fax]\n",
        "pros/essai.yml:6: contact.prive.0: « fax » n'est pas une clé de contact : telephone, "
        "email, site, facebook, instagram",
    ),
    "prive naming an absent contact": (
        BASE + "contact:\n  telephone: \"05 45 00 00 00\"\n  prive: [email]\n",
        "pros/essai.yml:6: contact.prive.0: « email » est déclaré privé mais n'est pas renseigné",
    ),
    "date that does not exist": (
        BASE + "verifie_le: 2020-02-30\n",
        "pros/essai.yml:4: verifie_le: « 2020-02-30 » n'est pas une date qui existe",
    ),
    "date in French format": (
        BASE + "verifie_le: 21/03/2020\n",
        "pros/essai.yml:4: verifie_le: « 21/03/2020 » : une date AAAA-MM-JJ est attendue, par "
        "exemple 2020-03-21",
    ),
    "end before start": (
        BASE + "crise:\n  depuis: 2020-03-17\n  jusqu_au: 2020-03-01\n",
        "pros/essai.yml:6: crise.jusqu_au: 2020-03-01 est avant depuis (2020-03-17)",
    ),
    "duplicate key": (
        BASE + "zone: Angoulême\nzone: Cognac\n",
        "pros/essai.yml:5: zone: clé en double : gardez-en une seule",
    ),
    "tab in the indentation": (
        BASE + "adresse:\n\tcommune: Angoulême\n",
        "pros/essai.yml:5: (syntaxe YAML): colonne 1 : tabulation dans l'indentation : "
        "indentez avec des espaces",
    ),
    "YAML syntax error keeps the parser's line and column": (
        BASE + "zone: \"Angoulême\n",
        "pros/essai.yml:5: (syntaxe YAML): colonne 1 : guillemet non refermé",
    ),
    "year of membership": (
        BASE + "adhesion: vingt\n",
        "pros/essai.yml:4: adhesion: « vingt » : un nombre entier est attendu, par exemple 2020",
    ),
    "basket price": (
        BASE + "crise:\n  paniers:\n    - nom: Légumes\n      prix: quinze\n",
        "pros/essai.yml:7: crise.paniers.0.prix: « quinze » : un montant en euros est attendu, "
        "par exemple 12,50",
    ),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=list(CASES))
def test_rule(tmp_path, text, expected):
    assert problems_of(tmp_path, text) == [expected]


def test_closed_host_is_flagged(tmp_path):
    root = project(tmp_path, {
        "pros/producteur.yml": BASE + "crise:\n  statut: ferme\n  vendu_chez: [ferme-aussi]\n",
        "pros/ferme-aussi.yml": BASE + "crise:\n  horaires: \"off\"\n",
    })
    assert [str(p) for p in load(root)[1]] == [
        "pros/producteur.yml:6: crise.vendu_chez.0: « ferme-aussi » est lui-même fermé pendant "
        "la crise : ses produits ne peuvent pas y être vendus"
    ]


def test_valid_file_has_no_problem(tmp_path):
    text = """\
        nom: "La Drôle d'Épicerie"
        categories: [epicerie]
        resume: Épicerie vrac.
        adresse: {rue: 12 rue de Saintes, code_postal: "16000", commune: Angoulême,
                  position: [45.6513, 0.1467]}
        horaires: "Tu-Sa 09:00-12:30,14:30-19:00; PH off"
        contact: {telephone: "05 45 00 00 00", email: a@example.org, prive: [email]}
        bulle: {billets: yes, comptoir: true}
        crise: {statut: ouvert, horaires: "off", livraison: uniquement, vendu_chez: [hote]}
        """
    assert problems_of(tmp_path, text) == []


def test_all_errors_of_all_files_in_one_run(tmp_path, capsys):
    root = project(tmp_path, {
        "pros/un.yml": BASE + "horaire: x\nadresse:\n  code_postal: 16000\n",
        "pros/deux.yml": "nom: Deux\ncategories: [inconnue]\nresume: r\nzone: \"a\n",
        "pros/trois.yml": BASE + "contact:\n  email: pas-un-mail\n",
    })
    code = main(["--root", str(root)])
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert code == 1
    assert lines == [
        "pros/deux.yml:5: (syntaxe YAML): colonne 1 : guillemet non refermé",
        "pros/trois.yml:5: contact.email: « pas-un-mail » n'est pas une adresse électronique "
        "valide (nom@domaine.fr)",
        "pros/un.yml:4: horaire: clé inconnue ; vouliez-vous dire « horaires » ?",
        "pros/un.yml:6: adresse.code_postal: le code postal est lu comme un nombre : écrivez-le "
        "entre guillemets, \"16000\"",
    ]
    assert "4 erreur(s) dans 3 fichier(s)." in out.err


def test_clean_project_exits_zero(tmp_path, capsys):
    assert main(["--root", str(project(tmp_path, {}))]) == 0


def test_categories_file_is_checked(tmp_path):
    root = project(tmp_path, {"pros/categories.yml": "epicerie: {label: Épicerie, parent: bouffe}\n"
                                                    "culture: {titre: Culture}\n"})
    assert [str(p) for p in load(root)[1]][:2] == [
        "pros/categories.yml:1: epicerie.parent: catégorie parente « bouffe » inconnue",
        "pros/categories.yml:2: culture: un libellé est attendu : « cle: {label: Libellé, "
        "parent: ..., icon: ...} »",
    ]


def test_article_metadata_is_checked(tmp_path):
    root = project(tmp_path, {"content/billets/mars.md": "Titel: Mars\nDate: 21/03/2020\n"
                                                          "Category: Billet\n\nTexte.\n"})
    assert [str(p) for p in load(root)[1]] == [
        "content/billets/mars.md:1: Titel: métadonnée inconnue ; vouliez-vous dire « Title » ?",
        "content/billets/mars.md:1: Title: titre manquant : première ligne « Title: ... »",
        "content/billets/mars.md:2: Date: « 21/03/2020 » : date attendue au format "
        "2020-03-21 10:00",
        "content/billets/mars.md:3: Category: catégorie « Billet » inconnue : Billet Bulle, "
        "Actualités",
    ]


def test_sample_project_is_valid():
    data, problems = load(ROOT)
    assert problems == []
    assert len(data.pros) >= 30
