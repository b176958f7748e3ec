"""What the site publishes when pros are hostile (issue 12, points 4 to 7).

One copy of the sample project gets hostile pro files written the way a volunteer (or an
attacker) would type them, is built by Pelican and indexed by Pagefind, then every output is
read back: the CSV files as a spreadsheet would read them, every page through Chromium's own
HTML parser (DOMParser: the parser that swallowed the crisis page), the whole output folder
for the slug and name of a draft.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import textwrap
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from conftest import build_site, copy_project

from labulle import csvsafe
from labulle.commands import members
from labulle.mail.letters import main as letters_main
from labulle.source.check import load
from labulle.source.schema import MAX_BLOCKS, MAX_FILE_BYTES

pytestmark = pytest.mark.slow

#: Names a spreadsheet would run as formulas (OWASP's examples and the issue's; the last one
#: only where the spreadsheet splits lines at `;`, as French ones do).
FORMULAS = ['=HYPERLINK("http://x","clic")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "=1+1", "-2+3",
            "Épicerie;=1+1"]
NEUTRALISED = ["'" + v for v in FORMULAS[:5]] + ["Épicerie;'=1+1"]
#: The value that blanked the crisis page: ends the JSON-LD <script> and opens a comment.
BREAKER = "</script><!--<script>"
DRAFT = ("brouillon-tres-secret", "Le Brouillon Très Secret")
LEFT = ("parti-en-douce", "La Boutique Partie en Douce")
SAMPLE_UNPUBLISHED = ("le-vrac-des-remparts", "le-zinc-du-marche")  # a draft, a pro who left


def formula_pro(name: str) -> str:
    return textwrap.dedent(f"""\
        nom: {json.dumps(name)}
        categories: [epicerie]
        resume: {json.dumps(name + " au marché")}
        adresse:
          commune: Cognac
          position: [45.6950, -0.3290]
        contact:
          telephone: "+44 20 7946 0958"
        """)


BREAKER_PRO = textwrap.dedent(f"""\
    nom: "{BREAKER}"
    categories: [epicerie]
    resume: "{BREAKER} résumé"
    description: "{BREAKER} **description**"
    zone: "{BREAKER}"
    adresse:
      rue: "{BREAKER}"
      commune: "{BREAKER}"
      position: [45.6500, 0.1600]
    marches:
      - nom: "{BREAKER}"
        commune: "{BREAKER}"
        position: [45.6480, 0.1550]
        horaires: "Sa 08:00-13:00"
    horaires: "Mo-Sa 09:00-19:00"
    contact:
      email: casse@example.org
      site: "https://example.org/{BREAKER}"
    bulle:
      comptoir: true
      avantage: "{BREAKER}"
    crise:
      statut: ouvert
      horaires: same
      livraison: oui
      commande: [telephone]
      modalites: "{BREAKER}"
      paniers:
        - nom: "{BREAKER}"
          contenu: "{BREAKER}"
          prix: 12
      vendu_chez: [{DRAFT[0]}, {LEFT[0]}, {", ".join(SAMPLE_UNPUBLISHED)}, la-drole-d-epicerie]
    """)


def unpublished_pro(name: str, extra: str) -> str:
    return (f"nom: {name}\ncategories: [epicerie]\nresume: {name}, pas sur le site.\n"
            f"adresse:\n  commune: Angoulême\n  position: [45.65, 0.15]\n{extra}\n")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(project, output) of the sample site with the hostile pros, built and indexed."""
    root = copy_project(tmp_path_factory.mktemp("hostile") / "projet")
    pros = root / "pros"
    for number, name in enumerate(FORMULAS, 1):
        (pros / f"formule-{number}.yml").write_text(formula_pro(name), encoding="utf-8")
    (pros / "casse-script.yml").write_text(BREAKER_PRO, encoding="utf-8")
    (pros / f"{DRAFT[0]}.yml").write_text(unpublished_pro(DRAFT[1], "brouillon: true"),
                                          encoding="utf-8")
    (pros / f"{LEFT[0]}.yml").write_text(unpublished_pro(LEFT[1], "quitte_le: 2020-03-01"),
                                         encoding="utf-8")
    out = root / "output"
    result = build_site(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    from labulle.pages.search import build_index

    build_index(out)
    return root, out


# --- 4. CSV formula injection ----------------------------------------------------------------

def spreadsheet_formulas(text: str) -> list[str]:
    """The cells a spreadsheet would run as formulas: text starting with = + - @ tab or CR
    (a plain number such as -0.329 is read as a number, not run), whether it splits the lines
    at `,` or, as French spreadsheets do, at `;`."""
    found = []
    lines = [*csv.reader(io.StringIO(text.removeprefix("\ufeff"))),
             *csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";")]
    for row in lines:
        for value in row:
            if not value.startswith(csvsafe.FORMULA_START):
                continue
            try:
                float(value)
            except ValueError:
                found.append(value)
    return found


def test_cell_rule():
    assert [csvsafe.cell(v) for v in FORMULAS] == NEUTRALISED
    assert csvsafe.cell("\t=1+1") == "'\t=1+1" and csvsafe.cell("\r=1") == "'\r=1"
    assert csvsafe.cell("+33 5 45 00 00 00") == "'+33 5 45 00 00 00"
    assert csvsafe.cell(-0.329) == -0.329 and csvsafe.cell(None) == ""
    assert csvsafe.cell("Le Fournil") == "Le Fournil" and csvsafe.cell(" =1") == " =1"
    assert csvsafe.cell("-1;@A1;=B2") == "'-1;'@A1;'=B2"
    assert csvsafe.cell("Tu-Sa 09:00-12:30; PH off") == "Tu-Sa 09:00-12:30; PH off"


def test_open_data_csv_has_no_live_formula(hostile):
    _root, out = hostile
    text = (out / "pros.csv").read_text(encoding="utf-8")
    assert spreadsheet_formulas(text) == []
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}
    assert [rows[f"formule-{n}"]["nom"] for n in range(1, 7)] == NEUTRALISED
    assert rows["formule-1"]["resume"] == "'" + FORMULAS[0] + " au marché"
    assert rows["formule-1"]["telephone"] == "'+44 20 7946 0958"
    assert rows["formule-1"]["longitude"] == "-0.329"  # a number column stays a number


def test_members_csv_has_no_live_formula(hostile, tmp_path, capsys):
    root, _out = hostile
    target = tmp_path / "appels.csv"
    assert members.main(["--root", str(root), "--csv", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert spreadsheet_formulas(text) == []
    rows = {row["Identifiant"]: row for row in csv.DictReader(io.StringIO(text[1:]))}
    assert [rows[f"formule-{n}"]["Nom"] for n in range(1, 7)] == NEUTRALISED
    assert rows["formule-3"]["Téléphone public"] == "'+44 20 7946 0958"
    assert "=HYPERLINK" in capsys.readouterr().out  # the terminal table shows it as it is


# --- 5. JSON inside <script> -----------------------------------------------------------------

#: One page of every family that shows the hostile pro (its name, commune, market, basket).
PAGES = ["index.html", "pros/index.html", "pros/categorie/epicerie/index.html",
         "pros/commune/script-script/index.html", "pros/casse-script/index.html",
         "ouverts-pendant-la-crise/index.html", "paniers/index.html", "carte/index.html",
         "comptoirs/index.html", "recherche/index.html", "pros/casse-script/affichette/index.html"]
WITHOUT_PROS = ("index.html", "recherche/index.html", "carte/index.html")  # no pro named
EMBEDDED_MAPS = ["carte/carte-embed.html", "carte/crise-embed.html"]

PARSE = """html => {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const scripts = [...doc.querySelectorAll("script")].map(s => [s.type, s.textContent]);
  return {footer: doc.querySelectorAll("footer.site-footer").length, scripts,
          main: doc.querySelectorAll("main").length, text: doc.body.textContent};
}"""


@pytest.fixture(scope="module")
def parse(browser):
    page = browser.new_page()
    yield lambda path: page.evaluate(PARSE, path.read_text(encoding="utf-8"))
    page.close()


def test_every_page_family_survives_a_script_breaking_name(hostile, parse):
    _root, out = hostile
    for name in PAGES:
        doc = parse(out / name)
        assert doc["footer"] == 1 and doc["main"] == 1, name
        assert BREAKER in doc["text"] or name in WITHOUT_PROS, name
        for kind, text in doc["scripts"]:
            assert BREAKER not in text, name  # escaped: never the raw markup
            if kind == "application/ld+json":
                json.loads(text)  # the whole JSON-LD is one element and parses


def test_script_json_escapes_every_breaking_character():
    from labulle.pages.filters import script_json

    value = {"nom": f"{BREAKER} & \u2028\u2029 ]]> <!-- -->"}
    text = str(script_json(value))
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


def test_json_ld_carries_the_name_intact(hostile, parse):
    _root, out = hostile
    pro = parse(out / "pros/casse-script/index.html")
    (ld,) = [json.loads(t) for kind, t in pro["scripts"] if kind == "application/ld+json"]
    assert ld["name"] == BREAKER and ld["address"]["addressLocality"] == BREAKER
    assert ld["sameAs"] == [f"https://example.org/{BREAKER}"]
    crisis = parse(out / "ouverts-pendant-la-crise/index.html")
    (ld,) = [json.loads(t) for kind, t in crisis["scripts"] if kind == "application/ld+json"]
    names = {p["name"]: p for p in ld["announcementLocation"]}
    assert names[BREAKER]["address"]["addressLocality"] == BREAKER


def test_embedded_maps_keep_their_start_script(hostile, parse):
    _root, out = hostile
    for name in EMBEDDED_MAPS:
        doc = parse(out / name)
        scripts = [text for _kind, text in doc["scripts"]]
        assert all(BREAKER not in text for text in scripts), name
        assert any("laBulle.start(" in text for text in scripts), name
    # The markers' data are fetched apart (JSON, never in a <script>): the name intact, and
    # escaped where the popup shows it as HTML.
    data = json.loads((out / "carte/carte-donnees.json").read_text(encoding="utf-8"))
    assert data["pros"]["casse-script"]["nom"] == BREAKER
    assert data["pros"]["casse-script"]["titre"] == "&lt;/script&gt;&lt;!--&lt;script&gt;"


def test_open_data_and_search_index_carry_the_name(hostile):
    _root, out = hostile
    records = json.loads((out / "pros.json").read_text(encoding="utf-8"))["pros"]
    assert next(p for p in records if p["slug"] == "casse-script")["nom"] == BREAKER
    geo = json.loads((out / "pros.geojson").read_text(encoding="utf-8"))
    assert BREAKER in {f["properties"]["nom"] for f in geo["features"]}
    fragments = [read_indexed(p) for p in (out / "pagefind" / "fragment").iterdir()]
    page = next(f for f in fragments if f and '"/pros/casse-script/"' in f)
    assert json.loads(page)["meta"]["title"].startswith(BREAKER)
    assert "description" in json.loads(page)["content"]  # the text after the name is indexed


# --- 6. Drafts and pros who left -------------------------------------------------------------

def read_indexed(path: Path) -> str:
    """A file of the output as text; Pagefind's gzipped files decompressed."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data).removeprefix(b"pagefind_dcd")
    return data.decode("utf-8", errors="replace")


#: The pros who left keep their own page (issue 14, point 4), and nothing else names them.
DEPARTED = {LEFT[0]: LEFT[1], "le-zinc-du-marche": "Le Zinc du Marché"}


def test_no_output_names_a_draft_or_a_pro_who_left(hostile):
    root, out = hostile
    draft = next(p for p in load(root)[0].pros if p.slug == DRAFT[0])
    assert draft.brouillon  # it is in the data, only the output must not know it
    names = {DRAFT[0], DRAFT[1], LEFT[0], LEFT[1], *SAMPLE_UNPUBLISHED, "Le Vrac des Remparts"}
    own_pages = {out / "pros" / slug / "index.html": {slug, name}
                 for slug, name in DEPARTED.items()}
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 100 and set(own_pages) <= set(files)
    for path in files:
        text = read_indexed(path)
        found = [n for n in names - own_pages.get(path, set()) if n in text]
        assert not found, f"{path.relative_to(out)}: {found}"


def test_the_page_of_a_pro_who_left_shows_only_its_name_and_date(hostile):
    _root, out = hostile
    text = (out / "pros" / LEFT[0] / "index.html").read_text(encoding="utf-8")
    assert "Ce pro n'accepte plus la Bulle depuis le 1er mars 2020." in text
    assert "pas sur le site" not in text  # its resume: nothing of its record but name and date
    assert "application/ld+json" not in text and "data-pagefind-body" not in text


def test_update_link_lists_only_published_hosts(hostile, parse):
    _root, out = hostile
    html = (out / "pros/casse-script/index.html").read_text(encoding="utf-8")
    assert "crise.vendu_chez%20%3A%20la-drole-d-epicerie%0A" in html


def test_letters_name_only_published_hosts(hostile, tmp_path, capsys):
    root, _out = hostile
    assert letters_main(["--root", str(root), "--out", str(tmp_path),
                         "--only", "casse-script"]) == 0
    (letter,) = tmp_path.glob("*.eml")
    body = message_from_bytes(letter.read_bytes(), policy=policy.default).get_body()
    text = body.get_content()
    assert "crise.vendu_chez : la-drole-d-epicerie\n" in text
    assert not [n for n in (DRAFT[0], LEFT[0], *SAMPLE_UNPUBLISHED) if n in text]


# --- 7. Lengths --------------------------------------------------------------------------------

def check_lines(root: Path) -> list[str]:
    return [str(problem) for problem in load(root)[1]]


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    (tmp_path / "pros").mkdir()
    (tmp_path / "pros" / "categories.yml").write_text("epicerie: {label: Épicerie}\n",
                                                      encoding="utf-8")
    return tmp_path


def write_pro(root: Path, text: str, slug: str = "essai") -> None:
    (root / "pros" / f"{slug}.yml").write_text(text, encoding="utf-8")


def test_a_huge_file_is_refused_before_it_is_parsed(small_project):
    nom = "a" * 10_000_000
    write_pro(small_project, f"nom: {nom}\ncategories: [epicerie]\nresume: Énorme.\n")
    size = len(nom) + len("nom: \ncategories: [epicerie]\nresume: Énorme.\n".encode())
    assert check_lines(small_project) == [
        f"pros/essai.yml:1: (fichier): fichier trop gros : {size:_} octets, "
        f"{MAX_FILE_BYTES:_} au plus (64 Ko)".replace("_", " ")]


def test_a_huge_file_is_refused_by_invoke_check(small_project, capsys):
    from labulle.source.check import main

    write_pro(small_project, "nom: " + "é" * 5_000_000 + "\ncategories: [epicerie]\n")
    assert main(["--root", str(small_project)]) == 1
    output = capsys.readouterr()
    assert "pros/essai.yml:1: (fichier): fichier trop gros : 10 000 029 octets, 65 536 au plus " \
           "(64 Ko)" in output.out + output.err


@pytest.mark.parametrize(("key", "yaml", "message"), [
    ("nom", "nom: {v}\ncategories: [epicerie]\nresume: Essai.\n",
     "pros/essai.yml:1: nom: 60 000 caractères, 120 au plus"),
    ("description", "nom: Essai\ncategories: [epicerie]\nresume: Essai.\ndescription: {v}\n",
     "pros/essai.yml:4: description: 60 000 caractères, 10 000 au plus"),
    ("adresse.commune", "nom: Essai\ncategories: [epicerie]\nresume: Essai.\n"
     "adresse:\n  commune: {v}\n", "pros/essai.yml:5: adresse.commune: 60 000 caractères, "
     "120 au plus"),
    ("horaires", "nom: Essai\ncategories: [epicerie]\nresume: Essai.\nhoraires: \"{v}\"\n",
     "pros/essai.yml:4: horaires: 60 000 caractères, 500 au plus"),
    ("contact.email", "nom: Essai\ncategories: [epicerie]\nresume: Essai.\n"
     "contact:\n  email: {v}\n", "pros/essai.yml:5: contact.email: 60 000 caractères, "
     "254 au plus"),
])
def test_a_long_text_is_refused_with_its_limit(small_project, key, yaml, message):
    write_pro(small_project, yaml.format(v="a" * 60_000))
    assert check_lines(small_project) == [message]


def test_a_long_list_is_refused_with_its_limit(small_project):
    baskets = "".join(f"    - nom: Panier {n}\n" for n in range(MAX_BLOCKS + 1))
    write_pro(small_project, "nom: Essai\ncategories: [epicerie]\nresume: Essai.\n"
              f"crise:\n  statut: ouvert\n  paniers:\n{baskets}")
    assert check_lines(small_project) == [
        f"pros/essai.yml:7: crise.paniers: {MAX_BLOCKS + 1} éléments, {MAX_BLOCKS} au plus"]


def test_every_text_and_list_of_the_schema_has_a_limit():
    import dataclasses
    import typing

    from labulle.source.schema import Pro, Rule, yaml_fields

    def walk(cls: type) -> list[str]:
        missing = []
        hints = typing.get_type_hints(cls, include_extras=True)
        for fdef in yaml_fields(cls):
            hint = hints[fdef.name]
            text = repr(hint)
            if "list[" in text and fdef.metadata.get("max_items") is None:
                missing.append(f"{cls.__name__}.{fdef.name} (liste)")
            for arg in [hint, *typing.get_args(hint)]:
                for inner in [arg, *typing.get_args(arg)]:
                    for extra in getattr(inner, "__metadata__", ()):
                        if (isinstance(extra, Rule) and typing.get_args(inner)[0] is str
                                and extra.max_len is None):
                            missing.append(f"{cls.__name__}.{fdef.name}")
                    if dataclasses.is_dataclass(inner) and inner is not cls:
                        missing += walk(inner)
        return missing

    assert walk(Pro) == []


def test_a_pro_turned_draft_leaves_no_page_from_an_earlier_build(tmp_path):
    """`invoke build` keeps output/: the pages of a pro published last time, then made a draft
    (or gone), and of the commune only it had, are removed by the next build."""
    root = copy_project(tmp_path / "projet")
    out = root / "output"
    assert build_site(root, out).returncode == 0
    assert (out / "pros" / "boucherie-mercier" / "index.html").exists()
    assert (out / "pros" / "commune" / "jarnac" / "index.html").exists()
    path = root / "pros" / "boucherie-mercier.yml"
    path.write_text(path.read_text(encoding="utf-8") + "brouillon: true\n", encoding="utf-8")
    result = build_site(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (out / "pros" / "boucherie-mercier").exists()
    assert not (out / "pros" / "commune" / "jarnac").exists()
    assert (out / "pros" / "la-drole-d-epicerie" / "index.html").exists()
    for page in out.rglob("*"):
        if page.is_file():
            text = read_indexed(page)
            assert "boucherie-mercier" not in text and "Boucherie Mercier" not in text, page
