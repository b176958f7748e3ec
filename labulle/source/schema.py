"""The pro file (`pros/<slug>.yml`), declared once.

Every key of `shared/spec/fiche-pro.md` is a field of one of the frozen dataclasses below, with
its type and a French description (``doc``) for the webmaster. From these declarations come:

- the validation (`labulle.source.validate` walks the dataclasses and their annotations),
- the JSON Schema written to `pros/schema.json` (`labulle.source.jsonschema`),
- the objects the templates receive (instances of `Pro`, as public views: `labulle.model.public`),
- every list of keys the other modules need (`labulle.source.fields`: internal keys, private-able
  contact keys, the lines of the letters and mailto links, the open data and its OpenStreetMap
  tags, French labels), from the field metadata given to `doc(...)`:

  ``internal``   kept by the association: never in a letter or mailto, never taken from a message;
  ``public``     False for a value never published (the public view drops it);
  ``privatable`` a contact key the pro may list in ``prive`` (hidden from the public view then);
  ``private_list`` the list (``prive``) naming the hidden keys of its block;
  ``new_pro``    offered to a new pro (the "Rejoindre l'annuaire" form);
  ``osm``        the OpenStreetMap tag of the value in the open data (GeoJSON);
  ``label``      its French label where the site names the key;
  ``itself``     for a list of pros (Rule "pro_slug"): the refusal when it names the pro itself;
  ``active``     for a list of pros: a pro who left is refused there (elsewhere only hidden).

Constrained strings are ``Annotated[str, Rule(...)]``; the rule names are checked by
`labulle.source.rules`. Keys are French, ASCII, snake_case: they are the contract with the
volunteers.

Sizes are bounded so that a hostile or broken file cannot make the checker or the build slow:
every text type has a maximum length (`Rule.max_len`, in characters), every list a maximum
number of items (`doc(..., max_items=N)`), and a pro file itself at most `MAX_FILE_BYTES`
(checked before YAML is parsed). The limits are many times what real listings need (the
longest real description has about 550 characters, the longest name 40).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal


@dataclass(frozen=True)
class Rule:
    """A constraint on a scalar, checked by `labulle.source.rules.check_rule`."""

    name: str
    max_len: int | None = None  # characters, for text values


#: Largest pro file, in bytes (real ones are under 3 KB).
MAX_FILE_BYTES = 64 * 1024
#: Metadata a field may carry besides its description (see the module docstring).
FLAGS = frozenset({"internal", "public", "privatable", "private_list", "new_pro", "osm", "label",
                   "itself", "active"})
#: An identifier (file name of a pro, slug of an article): lowercase ASCII words joined by dashes.
SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
#: Most items of a list of blocks (`marches`, `crise.paniers`; real pros list one to three).
MAX_BLOCKS = 20


def doc(text: str, default: Any = None, *, required: bool = False, factory: Any = None,
        max_items: int | None = None, **flags: Any) -> Any:
    """Declare a field with its French description (and, for a list, its largest length).

    `flags` are the field metadata listed in the module docstring (internal, public, ...).
    """
    unknown = set(flags) - FLAGS
    if unknown:
        raise TypeError(f"unknown field flags: {sorted(unknown)}")
    meta = {"doc": text, "required": required, "max_items": max_items, **flags}
    if required:
        return dataclasses.field(metadata=meta)
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


Name = Annotated[str, Rule("text", max_len=120)]
Line = Annotated[str, Rule("line", max_len=200)]
Text = Annotated[str, Rule("text", max_len=500)]
LongText = Annotated[str, Rule("text", max_len=2000)]
Markdown = Annotated[str, Rule("markdown", max_len=10000)]
PostalCode = Annotated[str, Rule("postcode", max_len=20)]
Position = Annotated[tuple[float, float], Rule("position")]
Hours = Annotated[str, Rule("hours", max_len=500)]
CrisisHours = Annotated[str, Rule("crisis_hours", max_len=500)]
Email = Annotated[str, Rule("email", max_len=254)]
Url = Annotated[str, Rule("url", max_len=2000)]
Phone = Annotated[str, Rule("phone", max_len=40)]
ProSlug = Annotated[str, Rule("pro_slug", max_len=100)]
CategoryKey = Annotated[str, Rule("category", max_len=100)]
ContactKey = Annotated[str, Rule("contact_key", max_len=100)]
Year = Annotated[int, Rule("year")]
Price = Annotated[Decimal, Rule("price")]
CheckDate = Annotated[date, Rule("not_future")]  # a date something was checked: not after today

YesNo = Literal["oui", "non"]
Service = Literal["oui", "non", "uniquement"]
Statut = Literal["ouvert", "horaires_adaptes", "partiel", "ferme", "inconnu"]
Channel = Literal["telephone", "sms", "email", "site", "facebook", "sur_place"]
#: The crisis services (the `Service` keys of `Crise`) a pro may keep after the crisis.
Lasting = Literal["livraison", "a_emporter", "retrait", "drive"]

#: French label of each crisis status (every value of `Statut`, in its order).
STATUT_LABELS = {
    "ouvert": "Ouvert",
    "horaires_adaptes": "Ouvert, horaires adaptés",
    "partiel": "Ouvert en partie",
    "ferme": "Fermé",
    "inconnu": "Pas de nouvelles",
}
#: The statuses in which a pro cannot be visited or reached (the others are "open").
CLOSED_STATUTS = ("ferme", "inconnu")
#: French label of each way to order (every value of `Channel`), as written in a sentence.
CHANNEL_LABELS = {
    "telephone": "téléphone",
    "sms": "SMS",
    "email": "courriel",
    "site": "site web",
    "facebook": "Facebook",
    "sur_place": "sur place",
}


@dataclass(frozen=True)
class Adresse:
    """Adresse du lieu de vente (facultative pour les pros itinérants ou en ligne)."""

    rue: Text | None = doc("Numéro et nom de la rue, par exemple « 12 rue de Saintes ».",
                           new_pro=True)
    code_postal: PostalCode | None = doc(
        "Code postal à 5 chiffres, entre guillemets : \"16000\".", new_pro=True
    )
    commune: Name | None = doc("Commune, avec ses accents : « Angoulême ».", new_pro=True)
    position: Position | None = doc(
        "Latitude puis longitude (WGS84), par exemple [45.6513, 0.1467]."
    )

    @property
    def one_line(self) -> str:
        """"12 rue de Saintes, 16000 Angoulême" (the parts given; "" when none)."""
        town = " ".join(filter(None, (self.code_postal, self.commune)))
        return ", ".join(filter(None, (self.rue, town)))


@dataclass(frozen=True)
class Marche:
    """Un marché où le pro vend."""

    nom: Name = doc("Nom du marché, par exemple « Marché des Halles ».", required=True)
    commune: Name | None = doc("Commune du marché.")
    position: Position | None = doc("Latitude puis longitude du marché.")
    horaires: Hours | None = doc(
        "Jours et heures du marché, syntaxe OpenStreetMap : \"Sa 08:00-13:00\"."
    )


#: Flags of a contact key: offered to a new pro, hidden when listed in `prive`.
_CONTACT = {"new_pro": True, "privatable": True}


@dataclass(frozen=True)
class Contact:
    """Moyens de contact ; ceux nommés dans `prive` ne sont jamais publiés."""

    telephone: Phone | None = doc("Téléphone, par exemple \"05 45 00 00 00\".", **_CONTACT,
                                  osm="phone", label="Téléphone")
    email: Email | None = doc("Adresse électronique.", **_CONTACT, osm="email", label="Courriel")
    site: Url | None = doc("Site web, commençant par https:// ou http://.", **_CONTACT,
                           osm="website", label="Site web")
    facebook: Url | None = doc("Page Facebook (adresse complète).", **_CONTACT, label="Facebook")
    instagram: Url | None = doc("Compte Instagram (adresse complète).", **_CONTACT,
                                label="Instagram")
    prive: list[ContactKey] = doc(
        "Clés de contact à ne jamais publier, par exemple [telephone].", factory=list,
        max_items=10, internal=True, public=False, private_list=True,
    )


@dataclass(frozen=True)
class Bulle:
    """Ce que le pro fait avec la Bulle."""

    billets: bool = doc("Accepte les Bulles papier (oui par défaut).", True, new_pro=True)
    numerique: bool = doc("Accepte les Bulles numériques (test pilote).", False, new_pro=True)
    comptoir: bool = doc(
        "Comptoir de change : on peut y échanger des euros contre des Bulles.", False
    )
    comptoir_horaires: Hours | None = doc(
        "Horaires du comptoir de change s'ils diffèrent des horaires du pro "
        "(syntaxe OpenStreetMap)."
    )
    avantage: Line | None = doc("Avantage offert pour un paiement en Bulles.", new_pro=True)
    pourquoi: Line | None = doc("Pourquoi j'ai choisi la Bulle, en une phrase.", new_pro=True)


@dataclass(frozen=True)
class Panier:
    """Un panier proposé pendant la crise."""

    nom: Name = doc("Nom du panier.", required=True)
    contenu: LongText | None = doc("Ce que contient le panier.")
    prix: Price | None = doc("Prix en euros (payable en Bulles), par exemple 15 ou 12,50.")
    commande_avant: Text | None = doc("Date limite de commande, par exemple « jeudi 18 h ».")
    retrait: Text | None = doc("Où et quand retirer ou se faire livrer le panier.")
    retrait_horaires: Hours | None = doc(
        "Jours et heures de retrait du panier, syntaxe OpenStreetMap : \"Sa 09:00-12:00\" "
        "(ils font les rendez-vous de /paniers.ics)."
    )


@dataclass(frozen=True)
class Crise:
    """La situation du pro pendant la crise (confinement)."""

    statut: Statut | None = doc(
        "ouvert, horaires_adaptes, partiel, ferme ou inconnu ; déduit des horaires et services "
        "s'il est absent."
    )
    horaires: CrisisHours | None = doc(
        "Horaires pendant la crise (syntaxe OpenStreetMap), \"same\" s'ils ne changent pas, "
        "\"off\" si fermé."
    )
    sur_place: YesNo | None = doc("Les clients peuvent entrer : oui ou non.", label="Sur place")
    livraison: Service | None = doc("Livraison : oui, non ou uniquement.", label="Livraison")
    a_emporter: Service | None = doc("Vente à emporter : oui, non ou uniquement.",
                                     label="À emporter")
    retrait: Service | None = doc("Retrait de commande (click & collect) : oui, non ou uniquement.",
                                  label="Retrait (click & collect)")
    drive: Service | None = doc("Drive : oui, non ou uniquement.", label="Drive")
    apres_la_crise: list[Lasting] = doc(
        "Services que le pro garde après la crise, s'il le dit : livraison, a_emporter, retrait, "
        "drive.", factory=list, max_items=4, label="Après la crise",
    )
    commande: list[Channel] = doc(
        "Comment commander : telephone, sms, email, site, facebook, sur_place.", factory=list,
        max_items=10,
    )
    telephone_commande: Phone | None = doc("Numéro temporaire pour les commandes.")
    modalites: LongText | None = doc("Modalités pratiques, en une ou deux phrases.")
    paniers: list[Panier] = doc("Paniers proposés.", factory=list, max_items=MAX_BLOCKS,
                                label="Paniers")
    vendu_chez: list[ProSlug] = doc(
        "Identifiants des pros chez qui ses produits sont en vente (dépôt-vente).", factory=list,
        max_items=50, itself="un pro ne peut pas être vendu chez lui-même",
    )
    depuis: date | None = doc("Début de cette situation, AAAA-MM-JJ.")
    jusqu_au: date | None = doc("Fin prévue de cette situation, AAAA-MM-JJ.")
    verifie_le: CheckDate | None = doc(
        "Date à laquelle ces informations de crise ont été confirmées.", internal=True)


@dataclass(frozen=True)
class Pro:
    """Un professionnel qui accepte la Bulle (fichier `pros/<identifiant>.yml`)."""

    nom: Name = doc("Nom du pro, tel qu'il s'affiche.", required=True, new_pro=True, osm="name")
    categories: list[CategoryKey] = doc(
        "Catégories (clés de pros/categories.yml) ; la première est la principale.", required=True,
        max_items=10, new_pro=True,
    )
    resume: Line = doc("Une ligne de présentation, 200 caractères au plus.", required=True,
                       new_pro=True)
    description: Markdown | None = doc("Présentation détaillée en Markdown (le HTML est retiré).",
                                       new_pro=True)
    adresse: Adresse | None = doc("Adresse du lieu de vente.")
    marches: list[Marche] = doc("Marchés où le pro vend.", factory=list, max_items=MAX_BLOCKS,
                                label="Marchés")
    zone: Text | None = doc("Zone desservie, pour les pros sans boutique.", new_pro=True)
    horaires: Hours | None = doc(
        "Horaires habituels, syntaxe OpenStreetMap : \"Tu-Sa 09:00-12:30,14:30-19:00; PH off\".",
        new_pro=True, osm="opening_hours",
    )
    horaires_precisions: Text | None = doc("Précisions sur les horaires que la syntaxe ne dit pas.",
                                           new_pro=True)
    contact: Contact | None = doc("Moyens de contact.")
    bulle: Bulle = doc("Ce que le pro fait avec la Bulle.", factory=Bulle)
    fournisseurs: list[ProSlug] = doc(
        "Les pros du réseau chez qui ce pro achète déjà (identifiants, noms des fichiers de "
        "pros/), par exemple [moulin-de-la-touvre] ; publié sur sa page et sur « Entre pros ».",
        factory=list, max_items=50, itself="un pro ne peut pas être son propre fournisseur",
        active=True,
    )
    achats: list[CategoryKey] = doc(
        "Ce que ce pro achèterait en monnaie locale (clés de pros/categories.yml), par exemple "
        "[boulangerie, boissons] ; publié sur sa page et sur « Entre pros ».", factory=list,
        max_items=20,
    )
    adhesion: Year | None = doc("Dernière année de cotisation payée (interne, jamais publiée).",
                                internal=True, public=False)
    verifie_le: CheckDate | None = doc(
        "Date à laquelle l'association a confirmé ces informations.", internal=True,
        osm="check_date")
    brouillon: bool = doc("true : gardé dans pros/ mais pas encore publié.", False, internal=True,
                          public=False)
    quitte_le: date | None = doc(
        "Date à laquelle le pro a quitté le réseau (il n'est plus affiché).", internal=True,
        public=False,
    )
    crise: Crise | None = doc("Situation pendant la crise.")

    # Not YAML keys: filled by the loader from the file name and position.
    slug: str = dataclasses.field(default="", metadata={"yaml": False})
    source: str = dataclasses.field(default="", metadata={"yaml": False}, compare=False)
    lines: dict[str, int] = dataclasses.field(
        default_factory=dict, metadata={"yaml": False}, compare=False, repr=False
    )


def yaml_fields(cls: type) -> list[dataclasses.Field[Any]]:
    """The fields of a schema dataclass that are YAML keys, in declaration order."""
    return [f for f in dataclasses.fields(cls) if f.metadata.get("yaml", True)]


#: Contact keys a pro may mark private.
CONTACT_KEYS = tuple(f.name for f in yaml_fields(Contact) if f.metadata.get("privatable"))
