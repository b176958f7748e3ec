"""Issue 13, points 1 and 2: one declaration of the pro format, and public data by construction.

The public view (`labulle.model.public`) is what every page, the open data, the maps, the search
index, the letters' listing and the social post receive. Here every private value of the sample
(each contact value a pro listed in `prive`, each `adhesion` year), plus those of a pro added the
way a volunteer writes one (every contact private) and of a draft, is looked for in every public
view and in every file of a real build.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ROOT, build_site, copy_project

from labulle.mail import listing
from labulle.mail.intake import extract
from labulle.mail.letters import make_letters
from labulle.mail.mailto import update_mailto
from labulle.model import crisis
from labulle.model.directory import Directory
from labulle.model.public import public_contact, public_view
from labulle.pages import opendata
from labulle.source import fields, schema
from labulle.source.check import load
from labulle.source.readers import SLUG_RE

TODAY = date(2020, 3, 23)

# A pro written as a volunteer writes one: every contact value private, a membership year, and a
# basket sold at a draft's shop (the draft itself never published).
SECRET_PRO = """\
nom: La Ruche Discrète
categories: [alimentation]
resume: Miel de Charente, vendu à la ferme sur rendez-vous.
contact:
  telephone: "06 71 23 45 98"
  email: ruche.discrete.perso@example.net
  site: https://ruche-discrete-secret.example.net
  facebook: https://www.facebook.com/ruche.discrete.secret
  instagram: https://www.instagram.com/ruche_discrete_secret
  prive: [telephone, email, site, facebook, instagram]
adhesion: 2019
verifie_le: 2020-03-01
crise:
  statut: ouvert
  vendu_chez: [epicerie-cachee]
  verifie_le: 2020-03-20
"""
DRAFT_PRO = """\
nom: Épicerie Cachée
categories: [alimentation]
resume: Pas encore ouverte.
contact:
  telephone: "05 45 91 82 73"
  email: epicerie.cachee@example.net
brouillon: true
"""
DRAFT_SECRETS = ("Épicerie Cachée", "05 45 91 82 73", "epicerie.cachee@example.net",
                 "epicerie-cachee")


def _project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "projet")
    (project / "pros" / "la-ruche-discrete.yml").write_text(SECRET_PRO, encoding="utf-8")
    (project / "pros" / "epicerie-cachee.yml").write_text(DRAFT_PRO, encoding="utf-8")
    return project


def _directory(root: Path) -> Directory:
    data, problems = load(root)
    assert problems == []
    return Directory(data.categories, data.pros, TODAY)


def private_values(directory: Directory) -> list[str]:
    """Every contact value listed in a `prive` of a published pro, in the forms a page writes."""
    found = []
    for pro in directory.all_pros:
        if pro.contact is None:
            continue
        for key in pro.contact.prive:
            found.append(getattr(pro.contact, key))
    return found


def spellings(value: str) -> set[str]:
    """The forms a value could take in a page: as typed, URL-quoted, a phone's digits."""
    forms = {value, quote(value, safe=""), quote(value)}
    digits = re.sub(r"\D", "", value)
    if value.startswith("0") and len(digits) == 10:  # a French phone number
        forms |= {digits, f"+33{digits[1:]}", f"+33 {digits[1]} {digits[2:4]} {digits[4:6]} "
                  f"{digits[6:8]} {digits[8:]}", " ".join(re.findall("..", digits))}
    return forms


def strings_in(obj: object) -> list[str]:
    """Every str (and number) anywhere in a schema object."""
    if dataclasses.is_dataclass(obj):
        return [s for f in dataclasses.fields(obj) if f.name not in ("source", "lines")
                for s in strings_in(getattr(obj, f.name))]
    if isinstance(obj, list | tuple):
        return [s for item in obj for s in strings_in(item)]
    return [] if obj is None else [str(obj)]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("public"))


def test_the_sample_has_private_values_to_hide(project: Path):
    directory = _directory(project)
    secrets = private_values(directory)
    assert "perso.velotoque@example.org" in secrets  # velo-toque: prive [email]
    assert "06 71 23 45 98" in secrets and len(secrets) >= 12
    assert {p.adhesion for p in directory.all_pros} >= {2018, 2019, 2020}


def test_no_public_view_holds_a_private_value(project: Path):
    directory = _directory(project)
    secrets = {form for value in private_values(directory) for form in spellings(value)}
    published = {p.slug for p in directory.published}
    assert "la-ruche-discrete" in published and "epicerie-cachee" not in published
    for pro in directory.published:
        values = strings_in(pro)
        assert not secrets.intersection(values), pro.slug
        assert not set(DRAFT_SECRETS).intersection(values), pro.slug
        assert pro.adhesion is None and pro.brouillon is False and pro.quitte_le is None
        assert pro.contact is None or pro.contact.prive == []
        assert public_view(pro) == pro  # a public view is its own public view
    ruche = directory.by_slug["la-ruche-discrete"]
    assert public_contact(ruche) == {} and ruche.crise.vendu_chez == []
    velo = directory.by_slug["velo-toque"]
    assert public_contact(velo) == {"telephone": "07 82 45 19 60",
                                    "site": "https://velotoque.example.org",
                                    "instagram": "https://www.instagram.com/velotoque16"}


def test_full_records_keep_private_values_for_the_association_only(project: Path):
    directory = _directory(project)
    records = {p.slug: p for p in directory.private_records()}
    assert list(records) == [p.slug for p in directory.published]
    ruche = records["la-ruche-discrete"]
    assert ruche.contact.email == "ruche.discrete.perso@example.net" and ruche.adhesion == 2019
    assert ruche.crise.vendu_chez == []  # still names only published pros
    letters = make_letters(list(records.values()), "bonjour@labulle16.fr",
                           "https://labulle16.fr", datetime_now())
    letter = next(x for x in letters if x.pro.slug == "la-ruche-discrete")
    assert letter.to == "ruche.discrete.perso@example.net"
    text = letter.message.get_content()
    for secret in ("06 71 23 45 98", "ruche.discrete.perso", "ruche-discrete-secret",
                   "adhesion", "2019", "contact.prive"):
        assert secret not in text
    mailto = update_mailto(ruche, "bonjour@labulle16.fr")
    for secret in ("ruche.discrete.perso", "ruche-discrete-secret", "adhesion"):
        assert secret not in mailto and quote(secret) not in mailto


def datetime_now():
    from datetime import UTC, datetime

    return datetime(2020, 3, 23, 9, 0, tzinfo=UTC)


@pytest.mark.slow
def test_no_private_value_in_any_file_of_the_built_site(project: Path, tmp_path: Path):
    out = tmp_path / "output"
    result = build_site(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    directory = _directory(project)
    secrets = {form for value in private_values(directory) for form in spellings(value)}
    secrets |= set(DRAFT_SECRETS)
    adhesion = re.compile(r"adh[eé]sion\W{0,4}(?:19|20)\d\d|\"adhesion\"", re.IGNORECASE)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert (out / "pros" / "la-ruche-discrete" / "index.html") in files
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        found = [s for s in secrets if s in text]
        assert found == [], (path, found)
        assert adhesion.search(text) is None, path


# --- point 1: every list of keys comes from the schema -----------------------------------------

def test_internal_and_new_pro_keys_come_from_the_schema_flags():
    assert frozenset({"adhesion", "verifie_le", "brouillon", "quitte_le",
                                          "contact.prive", "crise.verifie_le"}) == listing.INTERNAL
    assert listing.NEW_PRO_KEYS == (
        "nom", "categories", "resume", "description", "adresse.rue", "adresse.code_postal",
        "adresse.commune", "zone", "horaires", "horaires_precisions", "contact.telephone",
        "contact.email", "contact.site", "contact.facebook", "contact.instagram",
        "bulle.billets", "bulle.numerique", "bulle.avantage", "bulle.pourquoi")
    assert schema.CONTACT_KEYS == ("telephone", "email", "site", "facebook", "instagram")


def test_statuses_and_services_come_from_the_literals():
    assert typing.get_args(schema.Statut) == crisis.STATUSES
    assert crisis.OPEN_STATUSES == ("ouvert", "horaires_adaptes", "partiel")
    assert crisis.SERVICES == ("livraison", "a_emporter", "retrait", "drive")
    assert tuple(crisis.STATUS_LABELS) == crisis.STATUSES
    assert tuple(crisis.CHANNEL_LABELS) == typing.get_args(schema.Channel)
    assert crisis.SERVICE_LABELS["retrait"] == "Retrait (click & collect)"


def test_open_data_columns_and_osm_tags_come_from_the_schema():
    assert opendata.CSV_COLUMNS[15:] == (
        "telephone", "email", "site", "facebook", "instagram", "billets", "numerique",
        "comptoir", "comptoir_horaires", "avantage", "pourquoi", "fournisseurs", "achats",
        "verifie_le", "verification")
    assert opendata.CONTACT_TAGS == {"telephone": "phone", "email": "email", "site": "website"}
    assert opendata.PRO_TAGS == {"nom": "name", "horaires": "opening_hours",
                                 "verifie_le": "check_date"}
    assert fields.LABELS["contact.telephone"] == "Téléphone"


def test_email_bounds_and_slugs_are_the_schemas():
    assert extract.MAX_ITEMS == schema.MAX_BLOCKS == 20
    found = extract.find_values("crise.paniers.21.nom : Panier\nmarches.25.nom : Halles\n")
    assert found.errors == [
        "« crise.paniers.21.nom » : une fiche a au plus 20 paniers (numéros 1 à 20)",
        "« marches.25.nom » : une fiche a au plus 20 marchés (numéros 1 à 20)"]
    assert SLUG_RE.pattern == schema.SLUG_PATTERN
    assert SLUG_RE.fullmatch("velo-toque") and not SLUG_RE.fullmatch("Velo_toque")
    unknown = extract.find_values("crise.vendu_chex : a\n").unknown
    assert unknown == ["clé inconnue « crise.vendu_chex » (vouliez-vous dire "
                       "« crise.vendu_chez » ?) : ligne ignorée"]


def test_one_walker_describes_every_key():
    keys = dict(fields.walk())
    assert keys["crise.paniers"].many and keys["crise.paniers"].block is schema.Panier
    assert "crise.paniers.N.prix" in keys and keys["adresse.position"].rule.name == "position"
    assert keys["categories"].many and keys["categories"].rule.name == "category"
    assert listing.field_type("crise.paniers.2.prix") is keys["crise.paniers.N.prix"].base
    with pytest.raises(TypeError, match="unknown field flags"):
        schema.doc("x", publik=False)


def test_schema_json_is_unchanged_by_the_walker():
    from labulle.source.jsonschema import render
    from labulle.source.readers import read_categories

    categories, _ = read_categories(ROOT / "pros" / "categories.yml")
    assert render(list(categories)) == (ROOT / "pros" / "schema.json").read_text(encoding="utf-8")
