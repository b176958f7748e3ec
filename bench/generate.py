#!/usr/bin/env python3
"""Generate a large, realistic copy of the project: La Bulle at the size of the largest French
local currency (default 1,500 pros across Charente and 500 articles), deterministic (seeded).

    python bench/generate.py DEST [--pros 1500] [--articles 500] [--seed 2020]

DEST receives a full project: pelicanconf.py, publish.py, theme/, pros/ (categories.yml and one
file per pro with every field of the spec: addresses, markets, hours, contacts, Bulle, crisis
data with baskets and dépôt-vente links), content/ (the sample's pages and data files, plus the
generated articles). Every pro file passes `invoke check`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import textwrap
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# (commune, postcode, latitude, longitude), spread over the département.
COMMUNES = [
    ("Angoulême", "16000", 45.6484, 0.1562),
    ("Cognac", "16100", 45.6958, -0.3287),
    ("Soyaux", "16800", 45.6411, 0.2003),
    ("La Couronne", "16400", 45.6081, 0.0997),
    ("Ruelle-sur-Touvre", "16600", 45.6797, 0.2297),
    ("Gond-Pontouvre", "16160", 45.6711, 0.1661),
    ("Saint-Yrieix-sur-Charente", "16710", 45.6836, 0.1197),
    ("L'Isle-d'Espagnac", "16340", 45.6633, 0.1986),
    ("Champniers", "16430", 45.7147, 0.2056),
    ("Fléac", "16730", 45.6678, 0.0958),
    ("Ruffec", "16700", 46.0289, 0.1986),
    ("Confolens", "16500", 46.0136, 0.6717),
    ("Barbezieux-Saint-Hilaire", "16300", 45.4728, -0.1539),
    ("Jarnac", "16200", 45.6808, -0.1747),
    ("Châteauneuf-sur-Charente", "16120", 45.6000, -0.0531),
    ("La Rochefoucauld-en-Angoumois", "16110", 45.7408, 0.3853),
    ("Chabanais", "16150", 45.8736, 0.7175),
    ("Montbron", "16220", 45.6681, 0.5003),
    ("Chasseneuil-sur-Bonnieure", "16260", 45.8219, 0.4489),
    ("Rouillac", "16170", 45.7761, -0.0631),
    ("Segonzac", "16130", 45.6175, -0.2239),
    ("Aigre", "16140", 45.8939, -0.0097),
    ("Mansle", "16230", 45.8758, 0.1789),
    ("Villebois-Lavalette", "16320", 45.4806, 0.2803),
    ("Blanzac-Porcheresse", "16250", 45.4819, 0.0311),
    ("Chalais", "16210", 45.2742, 0.0394),
    ("Montmoreau", "16190", 45.4000, 0.1306),
    ("Baignes-Sainte-Radegonde", "16360", 45.3828, -0.2331),
    ("Brossac", "16480", 45.3317, -0.0519),
    ("Aubeterre-sur-Dronne", "16390", 45.2700, 0.1736),
    ("Saint-Claud", "16450", 45.8950, 0.4639),
    ("Champagne-Mouton", "16350", 45.9903, 0.4122),
    ("Villefagnan", "16240", 46.0114, 0.0794),
    ("Nersac", "16440", 45.6275, 0.0489),
    ("Magnac-sur-Touvre", "16600", 45.6647, 0.2386),
    ("Puymoyen", "16400", 45.6203, 0.1853),
    ("Dirac", "16410", 45.6033, 0.2442),
    ("Linars", "16730", 45.6514, 0.0806),
    ("Saint-Michel", "16470", 45.6297, 0.1036),
    ("Marthon", "16380", 45.6131, 0.4456),
    ("Brie", "16590", 45.7375, 0.2539),
    ("Vars", "16330", 45.7639, 0.1256),
    ("Hiersac", "16290", 45.6711, 0.0086),
    ("Saint-Amant-de-Boixe", "16330", 45.7983, 0.1342),
    ("Exideuil-sur-Vienne", "16150", 45.8858, 0.6717),
    ("Terres-de-Haute-Charente", "16270", 45.8883, 0.5836),
]
MARKETS = [("Marché des Halles", 0), ("Marché de Victor-Hugo", 0), ("Marché couvert", 1),
           ("Marché du samedi", 10), ("Marché de Confolens", 11), ("Marché de Jarnac", 13),
           ("Marché de Barbezieux", 12), ("Marché de Ruffec", 10), ("Marché de Montbron", 17)]
HOURS = ["Tu-Sa 09:00-12:30,14:30-19:00; PH off", "Mo-Fr 08:00-18:00", "We,Sa 08:00-13:00",
         "Mo-Sa 07:00-13:00,15:30-19:30; Su 07:30-12:30", "Th 16:00-19:00; Sa 09:00-12:00",
         "Tu-Fr 10:00-19:00; Sa 10:00-18:00", "Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00",
         "Tu-Su 12:00-14:00,19:00-22:00", "Mo-Fr 08:30-12:30,13:30-17:30"]
CRISIS_HOURS = ["Tu,Th,Sa 09:00-12:00", "Mo-Fr 09:00-12:00", "Sa 08:00-12:00", "same", "off",
                "We,Fr 16:00-19:00"]
SHOPS = {
    "epicerie": ["Épicerie", "Le Vrac", "Épicerie fine", "Comptoir"],
    "boulangerie": ["Boulangerie", "Fournil", "Pâtisserie", "Au Pain"],
    "maraichage": ["Jardins", "Ferme maraîchère", "Potager", "Vergers"],
    "boucherie": ["Boucherie", "Charcuterie", "Volailles"],
    "fromagerie": ["Fromagerie", "Chèvrerie", "Laiterie"],
    "apiculture": ["Ruchers", "Miellerie"], "boissons": ["Cave", "Brasserie", "Distillerie"],
    "restaurant": ["Restaurant", "Bistrot", "Auberge"], "cafe_bar": ["Café", "Bar", "Guinguette"],
    "traiteur": ["Traiteur"], "librairie": ["Librairie", "Papeterie"],
    "spectacle": ["Compagnie", "Théâtre"], "ceramique": ["Atelier céramique", "Poterie"],
    "bois": ["Menuiserie", "Ébénisterie"], "friperie": ["Friperie", "Ressourcerie"],
    "couture": ["Atelier couture", "Retouches"], "quincaillerie": ["Quincaillerie"],
    "jardinerie": ["Pépinière", "Jardinerie"], "coiffure": ["Salon de coiffure", "Coiffure"],
    "herboristerie": ["Herboristerie"], "yoga": ["Studio de yoga", "Massages"],
}
NAMES = ["Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Roux",
         "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
         "Chevalier", "Blanc", "Guérin", "Faure", "André", "Mercier", "Garnier", "Boyer"]
PLACES = ["du Marché", "des Remparts", "de la Touvre", "du Lavoir", "des Trois Chênes", "du Coin",
          "de la Charente", "du Moulin", "des Halles", "de la Tardoire", "du Pont", "d'à Côté"]
WORDS = [
    "produits locaux", "circuits courts", "agriculture biologique", "savoir-faire artisanal",
    "vente directe", "saison", "vrac", "zéro déchet", "accueil chaleureux", "conseils",
    "réparation", "fabrication maison", "producteurs charentais", "cognac", "pineau",
    "pain au levain", "fromages de chèvre", "légumes anciens", "miel de châtaignier",
    "bières artisanales", "livres d'occasion", "céramiques", "tisanes",
    "vêtements de seconde main", "ateliers", "dégustations",
]
SENTENCES = [
    "La Bulle circule entre les habitants, les commerçants et les producteurs de Charente.",
    "Chaque euro changé en Bulles reste dans l'économie locale et fait travailler des gens d'ici.",
    "Le fonds de garantie est placé à la Nef, une banque éthique, et finance des projets locaux.",
    "Les bénévoles de l'association tiennent un stand au marché le premier samedi du mois.",
    "Un pro qui reçoit des Bulles peut les dépenser chez ses fournisseurs du réseau.",
    "Pendant la crise, beaucoup de pros ont adapté leurs horaires et proposent des paniers.",
    "La reconversion en euros reste possible, avec une commission qui finance l'association.",
    "Les comptoirs de change accueillent les adhérents qui veulent se procurer des Bulles.",
    "Une monnaie locale n'est pas une monnaie de plus : c'est un choix de consommation.",
    "Le conseil d'administration se réunit chaque mois ; les adhérents y sont les bienvenus.",
]


def pick_categories(rng: random.Random, mains: list[str], subs: dict[str, list[str]]) -> list[str]:
    main = rng.choice(mains)
    children = subs.get(main, [])
    if children and rng.random() < 0.85:
        sub = rng.choice(children)
        return [sub, main] if rng.random() < 0.5 else [sub]
    return [main]


def pro_name(rng: random.Random, categories: list[str], n: int) -> str:
    kinds = SHOPS.get(categories[0], ["Atelier", "Maison", "Collectif"])
    kind = rng.choice(kinds)
    return f"{kind} {rng.choice(NAMES) if rng.random() < 0.5 else rng.choice(PLACES)} {n}"


def phone(rng: random.Random, mobile: bool = False) -> str:
    prefix = f"06 {rng.randint(10, 30)}" if mobile else "05 45"  # 06 39, 06 9x: overseas
    return " ".join([prefix, *(f"{rng.randint(10, 99)}" for _ in range(3))])


def crisis(rng: random.Random, food: bool) -> dict:
    statut = rng.choice(["ouvert", "horaires_adaptes", "partiel", "ferme", "inconnu", None])
    data: dict = {}
    if statut:
        data["statut"] = statut
    if statut != "ferme":
        data["horaires"] = rng.choice([h for h in CRISIS_HOURS if h != "off"])
        data["sur_place"] = rng.choice(["oui", "non"])
        for key in ("livraison", "a_emporter", "retrait", "drive"):
            data[key] = rng.choice(["oui", "non", "non", "uniquement"])
        data["commande"] = rng.sample(["telephone", "sms", "email", "site", "facebook"], 2)
        if rng.random() < 0.3:
            data["telephone_commande"] = phone(rng, mobile=True)
        data["modalites"] = "Commande la veille avant 18 h, retrait le lendemain matin."
        if food and rng.random() < 0.4:
            data["paniers"] = [{"nom": f"Panier {name}", "contenu": "Légumes de saison, œufs, pain",
                                "prix": rng.choice([12, 15, 20, "12,50"]),
                                "commande_avant": "jeudi 18 h", "retrait": "samedi 9 h–12 h"}
                               for name in rng.sample(["de saison", "familial", "solo"], 2)]
    else:
        data["horaires"] = "off"
    start = date(2020, 3, 16) + timedelta(days=rng.randint(0, 4))
    data["depuis"] = start
    if rng.random() < 0.3:
        data["jusqu_au"] = date(2020, 5, 11)
    data["verifie_le"] = date(2020, 3, 23) - timedelta(days=rng.randint(0, 25))
    return data


def make_pro(rng: random.Random, n: int, mains: list[str], subs: dict[str, list[str]]) -> dict:
    categories = pick_categories(rng, mains, subs)
    name = pro_name(rng, categories, n)
    commune, postcode, lat, lon = rng.choice(COMMUNES)
    words = rng.sample(WORDS, 4)
    pro: dict = {"nom": name, "categories": categories,
                 "resume": f"{words[0].capitalize()}, {words[1]} et {words[2]} à {commune}."}
    pro["description"] = "\n\n".join([
        f"{name} vous accueille à {commune} depuis {rng.randint(1985, 2019)}. "
        f"On y trouve {words[0]}, {words[1]} et {words[3]}.",
        "Sur place :\n\n" + "\n".join(f"- {w} ;" for w in rng.sample(WORDS, 3)),
        rng.choice(SENTENCES)])
    itinerant = rng.random() < 0.08
    if not itinerant:
        pro["adresse"] = {"rue": f"{rng.randint(1, 120)} rue {rng.choice(PLACES)}",
                          "code_postal": postcode, "commune": commune,
                          "position": [round(lat + rng.uniform(-0.012, 0.012), 5),
                                       round(lon + rng.uniform(-0.012, 0.012), 5)]}
    if itinerant or rng.random() < 0.12:
        market, index = rng.choice(MARKETS)
        _c, _p, mlat, mlon = COMMUNES[index]
        pro["marches"] = [{"nom": market, "commune": COMMUNES[index][0],
                           "position": [mlat, mlon], "horaires": "Sa 08:00-13:00"}]
        if itinerant:
            pro["zone"] = f"Marchés et livraisons autour de {COMMUNES[index][0]}"
    pro["horaires"] = rng.choice(HOURS)
    if rng.random() < 0.2:
        pro["horaires_precisions"] = "Fermé la dernière semaine d'août."
    slug_hint = f"pro{n}"
    contact = {"telephone": phone(rng), "email": f"{slug_hint}@example.org"}
    if rng.random() < 0.5:
        contact["site"] = f"https://{slug_hint}.example.org"
    if rng.random() < 0.4:
        contact["facebook"] = f"https://www.facebook.com/{slug_hint}"
    if rng.random() < 0.2:
        contact["instagram"] = f"https://www.instagram.com/{slug_hint}"
    if rng.random() < 0.15:
        contact["prive"] = ["telephone"]
    pro["contact"] = contact
    pro["bulle"] = {"billets": True, "numerique": rng.random() < 0.2,
                    "comptoir": rng.random() < 0.05}
    if rng.random() < 0.3:
        pro["bulle"]["avantage"] = "5 % de remise pour un paiement en Bulles"
    if rng.random() < 0.3:
        pro["bulle"]["pourquoi"] = "Parce que l'argent dépensé ici reste ici."
    pro["adhesion"] = rng.choice([2019, 2020])
    pro["verifie_le"] = date(2020, 1, 1) + timedelta(days=rng.randint(0, 80))
    pro["brouillon"] = rng.random() < 0.01
    if rng.random() < 0.01:
        pro["quitte_le"] = date(2019, 12, 31)
    if rng.random() < 0.6:
        pro["crise"] = crisis(rng, "alimentation" in categories or categories[0] in subs.get(
            "alimentation", []))
    return pro


def link_consignments(rng: random.Random, pros: dict[str, dict]) -> None:
    """Dépôt-vente: some producers sell at open shops (never at a closed one nor at themselves)."""
    hosts = [slug for slug, pro in pros.items()
             if pro.get("crise", {}).get("statut") == "ouvert" and not pro["brouillon"]]
    for slug, pro in pros.items():
        if "crise" in pro and rng.random() < 0.08 and pro["crise"].get("statut") != "ferme":
            choice = [h for h in rng.sample(hosts, 2) if h != slug]
            if choice:
                pro["crise"]["vendu_chez"] = choice


def link_suppliers(rng: random.Random, pros: dict[str, dict], keys: list[str]) -> None:
    """The pros' network: a third name one to three suppliers (never themselves nor a pro who
    left), a tenth say what they would buy in Bulles."""
    active = [slug for slug, pro in pros.items() if "quitte_le" not in pro]
    for slug, pro in pros.items():
        if rng.random() < 0.33:
            chosen = [s for s in rng.sample(active, rng.randint(1, 3)) if s != slug]
            if chosen:
                pro["fournisseurs"] = chosen
        if rng.random() < 0.1:
            pro["achats"] = rng.sample(keys, rng.randint(1, 2))


def article(rng: random.Random, n: int, day: date) -> tuple[str, str]:
    category = "Billet Bulle" if rng.random() < 0.6 else "Actualités"
    title = f"{rng.choice(['Bulles', 'Nouvelles', 'Carnet', 'Rencontre'])} n° {n} : " \
            f"{rng.choice(WORDS)} à {rng.choice(COMMUNES)[0]}"
    slug = f"article-{n:04d}"
    sections = []
    for heading in rng.sample(["Le contexte", "Sur le terrain", "Ce qui change", "Témoignages",
                               "Et maintenant ?", "En pratique"], 4):
        paragraphs = [" ".join(rng.choices(SENTENCES, k=6)) for _ in range(2)]
        items = "\n".join(f"- {w}" for w in rng.sample(WORDS, 4))
        quote = f"> {rng.choice(SENTENCES)}"
        sections.append(f"## {heading}\n\n{paragraphs[0]}\n\n{items}\n\n{quote}\n\n{paragraphs[1]}")
    header = textwrap.dedent(f"""\
        Title: {title}
        Date: {day.isoformat()} 10:00
        Category: {category}
        Slug: {slug}
        Summary: {rng.choice(SENTENCES)}
        Authors: {rng.choice(['Mathilde Ferrand', 'Paul Giraud', 'Inès Morel'])}
        """)
    folder = "billets" if category == "Billet Bulle" else "actualites"
    return f"{folder}/{day:%Y-%m}-{slug}.md", header + "\n" + "\n\n".join(sections) + "\n"


def generate(dest: Path, n_pros: int = 1500, n_articles: int = 500, seed: int = 2020) -> Path:
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("pelicanconf.py", "publish.py"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "theme", dest / "theme")
    shutil.copytree(ROOT / "content", dest / "content")
    (dest / "pros").mkdir()
    shutil.copy(ROOT / "pros" / "categories.yml", dest / "pros" / "categories.yml")
    categories = yaml.safe_load((ROOT / "pros" / "categories.yml").read_text(encoding="utf-8"))
    mains = [k for k, v in categories.items() if not v.get("parent")]
    subs: dict[str, list[str]] = {}
    for key, value in categories.items():
        if value.get("parent"):
            subs.setdefault(value["parent"], []).append(key)
    pros = {f"pro-{n:04d}": make_pro(rng, n, mains, subs) for n in range(1, n_pros + 1)}
    link_consignments(rng, pros)
    link_suppliers(random.Random(seed + 1), pros, list(categories))  # its own draws: the
    for slug, pro in pros.items():  # rest of the content stays what it was before the network
        text = yaml.safe_dump(pro, allow_unicode=True, sort_keys=False, width=100)
        (dest / "pros" / f"{slug}.yml").write_text(text, encoding="utf-8")
    start = date(2016, 1, 4)
    for n in range(1, n_articles + 1):
        path, text = article(rng, n, start + timedelta(days=n * 3))
        target = dest / "content" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--pros", type=int, default=1500)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    generate(args.dest, args.pros, args.articles, args.seed)
    print(f"{args.dest}: {args.pros} pros, {args.articles} articles")


if __name__ == "__main__":
    main()
