"""Hostile and broken YAML (issue 12, points 12–14): refused at its line, in one French line,
with every other error of the run, never a traceback nor an expansion.

The files are written the way their producers write them: the classic "billion laughs"
(nested anchors and aliases), YAML's own tags and merge key, a second document, a NUL byte
pasted from a PDF, an editor's tab and byte order mark, a file saved in Latin-1.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_check_rules import BASE, project

from labulle.source import yamlsource
from labulle.source.check import load, main

ALIAS = "les alias YAML (&ancre / *alias) ne sont pas acceptés dans une fiche"


def billion_laughs(levels: int = 9) -> str:
    """The classic: each level is nine aliases of the one before (9**9 "lol" once expanded)."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijklmnopqrstuvwxyz"
    for prev, cur in zip(names[:levels - 1], names[1:levels], strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def lines_of(root: Path) -> list[str]:
    return [str(p) for p in load(root)[1]]


# Point 12: aliases and anchors are refused when the parser meets them, never expanded.

def test_billion_laughs_pro_file_is_refused_at_its_lines(tmp_path):
    root = project(tmp_path, {"pros/essai.yml": BASE + billion_laughs()})
    found = lines_of(root)
    aliases = [line for line in found if line.endswith(ALIAS)]
    assert aliases == [f"pros/essai.yml:{n}: {key}: {ALIAS}"
                       for n, key in zip(range(4, 13), "abcdefghi", strict=True)]
    others = [line for line in found if not line.endswith(ALIAS)]
    assert all("clé inconnue" in line for line in others) and len(others) == 9


def test_aliases_are_never_expanded():
    """Twenty-six levels would be 9**26 values: the tree holds one placeholder per alias."""
    node, issues = yamlsource.parse(billion_laughs(26))
    assert [i.line for i in issues] == list(range(1, 27))
    last = node.value["z"]
    assert [(item.value, item.bad) for item in last.value] == [(None, ALIAS)] * 9


def test_alias_used_for_a_real_key_is_refused(tmp_path):
    text = "nom: &n Épicerie\ncategories: [epicerie]\nresume: *n\n"
    assert lines_of(project(tmp_path, {"pros/essai.yml": text})) == [
        f"pros/essai.yml:1: nom: {ALIAS}",
        f"pros/essai.yml:3: resume: {ALIAS}",
    ]


def test_every_yaml_the_site_reads_refuses_aliases(tmp_path):
    root = project(tmp_path, {
        "pros/categories.yml": "epicerie: &e {label: Épicerie}\nculture: *e\n",
        "content/data/annonce.yml": "texte: &t Bonjour\nlien: *t\n",
    })
    found = lines_of(root)
    assert f"pros/categories.yml:1: epicerie: {ALIAS}" in found
    assert f"pros/categories.yml:2: culture: {ALIAS}" in found
    assert f"content/data/annonce.yml:1: texte: {ALIAS}" in found
    assert f"content/data/annonce.yml:2: lien: {ALIAS}" in found


# Point 13: what YAML types but cannot build is reported at its line, with everything else.

def test_unbuildable_keys_values_and_recursive_alias_are_reported_with_the_rest(tmp_path, capsys):
    broken = BASE + textwrap.dedent("""\
        2020-02-30: x
        !!int abc: 1
        !!float nope: 1
        verifie_le: 2020-02-30
        adhesion: !!int abc
        zone: !!binary aGVsbG8=
        horaires: !!python/object:os.system x
        horaires_precisions: !truc Angoulême
        boucle: &b [*b]
        contact:
          email: pas-un-mail
        """)
    root = project(tmp_path, {"pros/essai.yml": broken,
                              "pros/autre.yml": BASE + "horaire: x\n"})
    assert main(["--root", str(root)]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        "pros/autre.yml:4: horaire: clé inconnue ; vouliez-vous dire « horaires » ?",
        "pros/essai.yml:4: 2020-02-30: clé inconnue ; clés possibles : nom, categories, resume, "
        "description, adresse, marches, zone, horaires, horaires_precisions, contact, bulle, "
        "fournisseurs, achats, adhesion, verifie_le, brouillon, quitte_le, crise",
        "pros/essai.yml:5: abc: étiquette YAML « !!int » non acceptée dans une fiche : "
        "retirez-la (une clé est un simple mot)",
        "pros/essai.yml:6: nope: étiquette YAML « !!float » non acceptée dans une fiche : "
        "retirez-la (une clé est un simple mot)",
        "pros/essai.yml:7: verifie_le: « 2020-02-30 » n'est pas une date qui existe",
        "pros/essai.yml:8: adhesion: « abc » n'est pas un nombre entier : retirez l'étiquette "
        "« !!int » ou mettez la valeur entre guillemets",
        "pros/essai.yml:9: zone: étiquette YAML « !!binary » non acceptée dans une fiche : "
        "retirez-la",
        "pros/essai.yml:10: horaires: étiquette YAML « !!python/object:os.system » non acceptée "
        "dans une fiche : retirez-la",
        "pros/essai.yml:11: horaires_precisions: étiquette YAML « !truc » non acceptée dans une "
        "fiche : retirez-la",
        "pros/essai.yml:12: boucle: clé inconnue ; vouliez-vous dire « bulle » ?",
        f"pros/essai.yml:12: boucle: {ALIAS}",
        "pros/essai.yml:14: contact.email: « pas-un-mail » n'est pas une adresse électronique "
        "valide (nom@domaine.fr)",
    ]
    assert "Traceback" not in out.err


@pytest.mark.parametrize("value, expected", [
    ("!!float nope", "« nope » n'est pas un nombre : retirez l'étiquette « !!float » ou mettez "
                     "la valeur entre guillemets"),
    ("!!bool peut-etre", "« peut-etre » n'est pas un booléen (true / false) : retirez "
                         "l'étiquette « !!bool » ou mettez la valeur entre guillemets"),
    ("!!timestamp demain", "« demain » n'est pas une date qui existe"),
    ("!!set {a, b}", "étiquette YAML « !!set » non acceptée dans une fiche : retirez-la"),
    ("1" * 5000, "« 1111111111111111111111111111111111111111… » est lu comme un nombre entier "
                 "par YAML, sans en être un : mettez-le entre guillemets"),
], ids=["float", "bool", "timestamp", "set", "huge-int"])
def test_scalars_yaml_cannot_build(tmp_path, value, expected):
    found = lines_of(project(tmp_path, {"pros/essai.yml": BASE + f"zone: {value}\n"}))
    assert f"pros/essai.yml:4: zone: {expected}" in found
    assert all(line.startswith("pros/essai.yml:4: zone: ") for line in found)


# Point 14: one French line at file:line, whatever the parser said.

ENGLISH = ("found", "expected", "while", "could not", "constructor", "character", "stream",
           "<unicode string>", "another document", "tag:yaml.org")

BROKEN = {
    "second document": (BASE + "---\nnom: Autre\n", 4,
                        "(syntaxe YAML): un seul document par fichier : retirez la ligne « --- » "
                        "et ce qui la suit, ou faites-en une autre fiche"),
    "merge key": (BASE + "crise:\n  <<: {statut: ouvert}\n", 5,
                             "crise.<<: la fusion YAML « << » n'est pas acceptée dans une fiche : "
                             "écrivez les clés elles-mêmes"),
    "NUL byte": (BASE + "zone: Angou\x00lême\n", 4,
                 "(syntaxe YAML): colonne 12 : caractère de contrôle U+0000 interdit, souvent "
                 "invisible dans l'éditeur : retirez-le"),
    "ESC byte": (BASE + "zone: \x1b[31mrouge\n", 4,
                 "(syntaxe YAML): colonne 7 : caractère de contrôle U+001B interdit, souvent "
                 "invisible dans l'éditeur : retirez-le"),
    "tab in the indentation": (BASE + "adresse:\n\tcommune: Cognac\n", 5,
                               "(syntaxe YAML): colonne 1 : tabulation dans l'indentation : "
                               "indentez avec des espaces"),
    "tab after a key's indentation": (BASE + "adresse:\n  commune:\tCognac\n  \true: x\n", 6,
                                      "(syntaxe YAML): colonne 3 : tabulation dans "
                                      "l'indentation : indentez avec des espaces"),
    "byte order mark inside": (BASE + "\ufeffzone: Cognac\n", 4,
                               "(syntaxe YAML): colonne 1 : marque d'ordre des octets (BOM) "
                               "U+FEFF interdite ailleurs qu'au début du fichier, souvent "
                               "invisible dans l'éditeur : retirez-le"),
    "unclosed quote": (BASE + "zone: 'Cognac\n", 5,
                       "(syntaxe YAML): colonne 1 : guillemet non refermé"),
    "unknown escape": (BASE + 'zone: "C:\\dossier"\n', 4,
                       "(syntaxe YAML): colonne 10 : « \\ » suivi d'une lettre inconnue entre "
                       "guillemets doubles : doublez-le (\\\\) ou utilisez des guillemets simples"),
    "block nested too deep": (BASE + "zone: " + "[" * 30 + "]" * 30 + "\n", 4,
                              "(syntaxe YAML): colonne 26 : imbrication trop profonde (plus de "
                              "20 niveaux de blocs et de listes)"),
    "list used as a key": (BASE + "[a, b]: c\n", 4,
                           "(syntaxe YAML): une clé est un simple mot suivi de « : », pas un "
                           "bloc ni une liste"),
}


@pytest.mark.parametrize("text, line, expected", BROKEN.values(), ids=list(BROKEN))
def test_parser_problems_are_one_french_line(tmp_path, text, line, expected):
    assert lines_of(project(tmp_path, {"pros/essai.yml": text})) == [
        f"pros/essai.yml:{line}: {expected}"]


def test_no_parser_message_is_english_or_on_several_lines(tmp_path):
    """Every broken snippet of this list (and of BROKEN) gives French lines, one per problem."""
    snippets = ["a: [1, 2", "a: {b: 1", "a: 'x' y", "- a\nb: c", "a:\n  - b\n c: d", "a: b: c",
                "%YAML 2.0\n---\na: 1", "a: !<tag:x> b", "a: &", "a: *", "a: |0\n  x",
                "? a\n? b\n: c\n", "a: @b", "a: `b`", "...\na: 1", 'a: "\\x4"', "a:\n- b\n-c: d",
                "{a: 1, b}: c", "a: !!map x", "&a a: b", "a: 1\n...\nb: 2",
                "x: &x {a: 1}\ncrise:\n  <<: *x"]
    snippets += [text for text, _line, _message in BROKEN.values()]
    for number, snippet in enumerate(snippets):
        folder = tmp_path / str(number)
        folder.mkdir()
        for line in lines_of(project(folder, {"pros/essai.yml": BASE + snippet + "\n"})):
            assert line.startswith("pros/essai.yml:"), line
            assert "\n" not in line and not any(word in line for word in ENGLISH), line


def test_control_characters_written_as_escapes_are_refused(tmp_path):
    """`"\\e[31m"` between double quotes is an ESC once read: refused like a raw one."""
    text = BASE + 'zone: "Cognac\\e[31m"\n"cle\\x00": 1\nhoraires_precisions: "A\\tB"\n'
    assert lines_of(project(tmp_path, {"pros/essai.yml": text})) == [
        "pros/essai.yml:4: zone: caractère de contrôle \\x1b interdit dans une valeur : retirez-le",
        "pros/essai.yml:5: cle\\x00: caractère de contrôle \\x00 interdit dans une valeur : "
        "retirez-le",
    ]


def test_leading_byte_order_mark_is_accepted(tmp_path):
    """Windows' Notepad saves UTF-8 with a BOM: the file is fine."""
    root = project(tmp_path, {"pros/essai.yml": "\ufeff" + BASE})
    assert lines_of(root) == []


def test_latin1_file_is_refused_at_the_line_of_its_first_accent(tmp_path):
    root = project(tmp_path, {})
    (root / "pros" / "essai.yml").write_bytes((BASE + "zone: Angoulême\n").encode("latin-1"))
    assert lines_of(root) == [
        "pros/essai.yml:4: (fichier): octet 0xEA invalide en UTF-8 (fichier enregistré en "
        "Latin-1 ou Windows-1252 ?) : réenregistrez-le en UTF-8"]


def test_utf16_file_is_named_as_such(tmp_path):
    root = project(tmp_path, {})
    (root / "pros" / "essai.yml").write_bytes(BASE.encode("utf-16"))
    assert lines_of(root) == [
        "pros/essai.yml:1: (fichier): le fichier est en UTF-16 : réenregistrez-le en UTF-8"]


def test_broken_link_and_folder_named_like_pro_files(tmp_path):
    root = project(tmp_path, {})
    (root / "pros" / "lien.yml").symlink_to(root / "pros" / "disparu.yml")
    (root / "pros" / "dossier.yml").mkdir()
    assert lines_of(root) == [
        "pros/dossier.yml:1: (fichier): c'est un dossier, pas un fichier",
        "pros/lien.yml:1: (fichier): fichier introuvable (lien cassé ?)",
    ]


def test_yaml_and_uppercase_extensions_are_reported(tmp_path):
    root = project(tmp_path, {"pros/x.yaml": BASE, "pros/y.YML": BASE, "pros/z.Yml": BASE,
                              "pros/notes.txt": "pas une fiche"})
    assert lines_of(root) == [
        "pros/x.yaml:1: (nom du fichier): renommez en x.yml ; seuls les fichiers .yml sont lus",
        "pros/y.YML:1: (nom du fichier): renommez en y.yml ; seuls les fichiers .yml sont lus",
        "pros/z.Yml:1: (nom du fichier): renommez en z.yml ; seuls les fichiers .yml sont lus",
    ]
