"""The map documents and their data without a browser: only the site's own files, no CDN, same
bytes twice, one marker per place with escaped popup values."""

from __future__ import annotations

import re
import textwrap
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

from labulle.model.directory import Directory
from labulle.pages import mapdata
from labulle.pages import mapdoc as carte
from labulle.source.check import load_or_raise

STATIC = ROOT / "theme" / "static"
TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
SETTINGS: dict = {}

FILES = {
    "pros/categories.yml": """\
        alimentation: {label: Alimentation}
        epicerie: {label: "Épicerie, vrac", parent: alimentation}
        culture: {label: Culture et loisirs}
        """,
    "pros/vrac.yml": """\
        nom: Le <b>Vrac</b> & Cie
        categories: [epicerie]
        resume: Une épicerie.
        adresse:
          rue: 1 rue Haute
          commune: Angoulême
          position: [45.65, 0.15]
        horaires: "Mo-Sa 09:00-12:30"
        bulle:
          numerique: true
        marches:
          - nom: Marché des Halles
            commune: Angoulême
            position: [45.649, 0.156]
            horaires: "Sa 08:00-13:00"
          - nom: Marché sans position
            commune: Ruelle-sur-Touvre
        """,
    "pros/librairie.yml": """\
        nom: Librairie Ouverte
        categories: [culture]
        resume: Des livres.
        adresse:
          commune: Cognac
          position: [45.69, -0.33]
        bulle:
          comptoir: true
        """,
    "pros/itinerant.yml": """\
        nom: Sans adresse
        categories: [culture]
        resume: Partout.
        zone: Charente
        """,
}


@pytest.fixture
def directory(tmp_path: Path) -> Directory:
    (tmp_path / "content").mkdir()
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    data = load_or_raise(tmp_path)
    return Directory(data.categories, data.pros, date(2020, 3, 23))


@pytest.fixture
def document(directory: Directory) -> str:
    return carte.build_document(directory, SETTINGS, "../theme/")


@pytest.fixture
def data(directory: Directory) -> dict:
    return mapdata.network_data(directory.published, directory, SETTINGS)


def urls(document: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]*)"', document)


def test_every_resource_name_is_a_file_the_site_serves() -> None:
    for name, path in carte.RESOURCES.items():
        assert (STATIC / path).is_file(), f"{name} → theme/static/{path} missing"


def test_a_resource_folium_asks_for_and_we_do_not_serve_is_an_error() -> None:
    with pytest.raises(carte.UnknownResource, match="nouveau_plugin"):
        carte.served([("nouveau_plugin", "https://cdn.example/x.js")], "../theme/")
    assert carte.served([("jquery", "https://code.jquery.com/j.js")], "../theme/") == []


def test_every_link_of_the_document_is_a_served_file(document: str) -> None:
    links = [u for u in urls(document) if not u.startswith("#")]
    assert len(links) >= 10
    for url in links:
        assert url.startswith("../theme/"), url
        assert (STATIC / url.removeprefix("../theme/")).is_file(), url


def test_no_url_to_another_host_but_the_tiles(document: str) -> None:
    assert not [u for u in urls(document) if u.startswith(("http:", "https:", "//"))]
    hosts = set(re.findall(r"https?://[^/\"'\\ ]+", document))
    # The tiles template, and the attribution's link to the copyright page (a link, no request).
    assert hosts == {"https://tile.openstreetmap.org", "https://www.openstreetmap.org"}
    assert TILES in document
    assert "jquery" not in document.lower() and "bootstrap" not in document.lower()


def test_tiles_url_and_attribution_come_from_the_settings(directory: Directory) -> None:
    settings = {"LABULLE_TILES_URL": "https://tuiles.example.org/{z}/{x}/{y}.png",
                "LABULLE_TILES_ATTRIBUTION": "© Tuiles d’exemple"}
    document = carte.build_document(directory, settings, "../theme/")
    assert "https://tuiles.example.org/{z}/{x}/{y}.png" in document
    assert "Tuiles d\\u2019exemple" in document
    assert TILES not in document


def test_same_data_same_bytes(directory: Directory, document: str) -> None:
    again = carte.build_document(directory, SETTINGS, "../theme/")
    assert again == document
    crisis = carte.build_document(directory, SETTINGS, "../theme/", "crise", True)
    assert crisis == carte.build_document(directory, SETTINGS, "../theme/", "crise", True)
    assert mapdata.network_data(directory.published, directory, SETTINGS) == \
        mapdata.network_data(directory.published, directory, SETTINGS)


def test_building_leaves_folium_and_branca_as_they_were(document: str) -> None:
    import folium
    from branca.element import Element

    assert folium.Map.default_js[0] == ("leaflet",
                                        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
    assert len({Element()._id for _ in range(3)}) == 3
    assert len(Element()._id) == 32  # random ids again outside the map builder


def features(data: dict) -> list[dict]:
    """The markers of the data: the pro's values plus the place's, as carte.js makes them."""
    keys = ("lat", "lon", "layer", "slug", "commune", "lieu", "jour")
    found = []
    for spot in data["spots"]:
        place = dict(zip(keys, spot, strict=True))
        place["layer"] = data["layers"][place["layer"]]["key"]
        found.append({**data["pros"][place["slug"]], **place})
    return found


def test_one_marker_per_place(data: dict) -> None:
    places = [(f["slug"], f["lieu"], f["layer"]) for f in features(data)]
    # The shop and the market with a position; the market without one, and the pro without an
    # address, are not on the map; the exchange office is in its own layer.
    assert sorted(places) == [("librairie", "Cognac", "comptoir-de-change"),
                              ("vrac", "1 rue Haute, Angoulême", "alimentation"),
                              ("vrac", "Marché des Halles, Angoulême", "alimentation")]


def test_the_places_carry_what_the_filters_read(data: dict) -> None:
    communes = {(f["slug"], f["commune"]) for f in features(data)}
    assert communes == {("vrac", "angouleme"), ("librairie", "cognac")}
    assert data["pros"]["vrac"]["cats"] == ["epicerie", "alimentation"]  # and the one above
    assert data["communes"] == {"angouleme": "Angoulême", "cognac": "Cognac",
                                "ruelle-sur-touvre": "Ruelle-sur-Touvre"}
    assert data["categories"] == {"alimentation": "Alimentation",
                                  "epicerie": "Épicerie, vrac", "culture": "Culture et loisirs"}


def test_popup_values_are_escaped_and_the_link_opens_the_top_window(data: dict) -> None:
    vrac = next(f for f in features(data) if f["slug"] == "vrac")
    assert vrac["nom"] == "Le <b>Vrac</b> & Cie"  # searched and used as text only
    assert vrac["titre"] == "Le &lt;b&gt;Vrac&lt;/b&gt; &amp; Cie"  # shown as HTML
    assert vrac["fiche"] == '<a href="../pros/vrac/" target="_top">Voir la fiche</a>'
    assert (vrac["change"], vrac["num"], vrac["categorie"]) == ("non", "oui", "Épicerie, vrac")


def test_popup_says_the_hours_of_the_reference_day_at_each_place(data: dict) -> None:
    hours = {f["lieu"]: f["jour"] for f in features(data)}
    assert hours == {"1 rue Haute, Angoulême": "9 h–12 h 30",  # Monday 23 March 2020
                     "Marché des Halles, Angoulême": "fermé",  # a Saturday market
                     "Cognac": "non précisés"}
    assert ["jour", "Lundi 23 mars"] in data["popup"]  # the popup's label for that row


def test_the_document_holds_no_pro_and_says_where_the_data_are(document: str) -> None:
    assert "Vrac" not in document and "Librairie" not in document
    assert '"data":{"carte":"carte-donnees.json","crise":null}' in document
    assert '"chunkedLoading": true' in document and '"chunkInterval": 10' in document


def test_the_document_is_french_and_zoomable(document: str) -> None:
    assert document.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert "user-scalable=no" not in document
    assert "<title>Carte des pros de la Bulle</title>" in document


CRISIS_FILES = {
    "pros/hote.yml": """\
        nom: Épicerie hôte
        categories: [epicerie]
        resume: Une épicerie.
        adresse: {commune: Angoulême, position: [45.65, 0.15]}
        crise: {statut: ouvert, livraison: uniquement, verifie_le: 2020-03-20}
        """,
    "pros/ferme.yml": """\
        nom: Ferme fermée
        categories: [epicerie]
        resume: Des légumes.
        adresse: {commune: Fléac, position: [45.67, 0.09]}
        crise: {statut: ferme, vendu_chez: [hote], verifie_le: 2020-03-01}
        """,
    "pros/close.yml": """\
        nom: Fermée sans dépôt
        categories: [culture]
        resume: Rien.
        adresse: {commune: Cognac, position: [45.69, -0.33]}
        crise: {statut: ferme, verifie_le: 2020-03-20}
        """,
}


def test_crisis_map_shows_the_crisis_list_by_status(tmp_path: Path) -> None:
    from labulle.pages.crisis import CrisisList

    (tmp_path / "content").mkdir()
    files = {"pros/categories.yml": FILES["pros/categories.yml"], **CRISIS_FILES}
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    data = load_or_raise(tmp_path)
    directory = Directory(data.categories, data.pros, date(2020, 3, 23))
    entries = CrisisList(directory, {}).listed
    data = mapdata.crisis_data(entries, directory, SETTINGS)
    document = carte.build_document(directory, SETTINGS, "../theme/", "crise", True)
    found = {f["slug"]: f for f in features(data)}
    assert set(found) == {"hote", "ferme"}  # closed with nothing sold elsewhere: not listed
    assert found["hote"]["services"] == "Livraison uniquement"
    assert found["hote"]["stale"] == "non"
    assert found["ferme"]["vendu"] == '<a href="../pros/hote/" target="_top">Épicerie hôte</a>'
    assert found["ferme"]["stale"] == "oui"  # checked 22 days before the reference date
    assert (found["hote"]["layer"], found["ferme"]["layer"]) == ("crise-ouvert", "crise-ferme")
    # Colour, shape and letter per status (not colour alone), and a legend.
    assert '.lb-pin.lb-k-crise-ferme b::before{content:"F"}' in document
    assert '.lb-pin.lb-k-crise-partiel{border-radius:3px;transform:rotate(45deg)' in document
    assert data["legend"]["title"] == "Situation pendant la crise"
    assert "<title>Carte des pros ouverts pendant la crise</title>" in document
    assert '"view":"crise","data":{"carte":"carte-donnees.json",' \
           '"crise":"crise-donnees.json"}' in document


def test_embed_codes_use_the_sites_absolute_address(directory: Directory) -> None:
    from labulle.pages.mapembed import embed_code, embed_context, site_base

    assert site_base({"SITEURL": "https://exemple.org/monnaie"}) == "https://exemple.org/monnaie/"
    assert site_base({"SITEURL": ""}) == "https://labulle16.fr/"  # the currency's domain
    values = embed_context(directory, {"SITEURL": "https://exemple.org"}, False,
                           "carte/carte-embed.html")
    assert [v.value for v in values["embed_views"]] == ["", "comptoirs"]  # no crisis mode
    assert [(c.value, c.count) for c in values["embed_communes"]] == [("angouleme", 1),
                                                                      ("cognac", 1)]
    (choice, code), _cognac = values["embed_commune_codes"]
    assert code == (
        '<iframe src="https://exemple.org/carte/carte-embed.html?commune=angouleme" '
        'title="Carte des pros de la Bulle : Angoulême" width="600" height="450" '
        'loading="lazy" style="width:100%;max-width:100%;border:0"></iframe>\n'
        '<p>Sans carte : <a href="https://exemple.org/pros/commune/angouleme/">la liste des '
        "pros de la Bulle à Angoulême</a>.</p>")
    assert embed_code("a?b=1&c=2", "<T>", "l", "x").startswith('<iframe src="a?b=1&amp;c=2" '
                                                                 'title="&lt;T&gt;"')


def test_every_source_map_a_vendored_script_names_is_shipped() -> None:
    named = []
    for script in (STATIC / "vendor").rglob("*.js"):
        for name in re.findall(r"//# sourceMappingURL=(\S+)", script.read_text(encoding="utf-8")):
            named.append(script.parent / name)
    assert named  # leaflet.js names its map
    assert [str(p) for p in named if not p.is_file()] == []


def test_the_document_opens_fitted_to_the_places_of_its_view(directory: Directory,
                                                             data: dict) -> None:
    assert mapdata.bounds(data) == [[45.649, -0.33], [45.69, 0.156]]
    document = carte.build_document(directory, SETTINGS, bounds=mapdata.bounds(data))
    assert '"bounds":[[45.649,-0.33],[45.69,0.156]]' in document
    assert mapdata.bounds({"spots": []}) is None
