"""`labulle` commands on the site's data: check, schema, new-pro, members, social, events,
affichettes.

Each command declares its options once and calls the module that does the work; the help
texts are the French the webmaster reads (`labulle COMMANDE --help`, `invoke --help TÂCHE`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from labulle.commands.cli_base import Date, FrenchCommand, root_option


@click.command(cls=FrenchCommand)
@root_option
@click.option("--pros", type=click.Path(path_type=Path), default=None, metavar="DOSSIER",
              help="dossier des fiches à vérifier (défaut : pros/)")
@click.option("--json", is_flag=True, help="sortie JSON")
@click.option("--github", is_flag=True, help="annotations ::error pour GitHub Actions")
@click.option("--codequality", type=click.Path(path_type=Path), default=None, metavar="FICHIER",
              help="écrit le rapport Code Quality de GitLab dans ce fichier")
def check(root: Path, pros: Path | None, json: bool, github: bool,
          codequality: Path | None) -> int:
    """Vérifie toutes les fiches, les catégories et les articles ; code 1 s'il y a une erreur."""
    from labulle.source.check import report

    return report(root, pros, json, github, codequality)


@click.command(cls=FrenchCommand)
@root_option
def schema(root: Path) -> int:
    """Écrit pros/schema.json, le schéma JSON des fiches (complétion dans l'éditeur)."""
    from labulle.source.jsonschema import write_schema
    from labulle.source.settings import identity
    from labulle.source.site import project_settings

    path = write_schema(root / "pros" / "schema.json", identity(project_settings(root)))
    print(f"Schéma écrit : {path.relative_to(root)}")
    return 0


@click.command("new-pro", cls=FrenchCommand)
@root_option
@click.argument("nom")
def new_pro(root: Path, nom: str) -> int:
    """Crée pros/<identifiant>.yml à partir du modèle commenté (sans jamais écraser)."""
    from labulle.commands.newpro import new_pro as create
    from labulle.source.settings import identity
    from labulle.source.site import project_settings, today_or_none

    settings = project_settings(root)  # verifie_le: the site's reference date (one clock)
    path = create(nom, root / "pros", today_or_none(settings), currency=identity(settings))
    print(f"Fiche créée : {path.relative_to(root)} "
          "(brouillon : passez brouillon à false pour publier)")
    return 0


@click.command(cls=FrenchCommand)
@root_option
@click.option("--csv", type=click.Path(path_type=Path), default=None, metavar="FICHIER",
              help="écrit aussi la liste dans ce fichier CSV (hors du site)")
@click.option("--date", "day", type=Date(), default=None,
              help="date de référence AAAA-MM-JJ (défaut : celle du site)")
def members(root: Path, csv: Path | None, day: date | None) -> int:
    """Liste les pros dont la cotisation de l'année n'est pas payée (données personnelles)."""
    from labulle.commands.members import command

    return command(root, csv, day)


@click.command(cls=FrenchCommand)
@root_option
@click.option("--csv", type=click.Path(path_type=Path), default=None, metavar="FICHIER",
              help="écrit aussi la liste dans ce fichier CSV (hors du site)")
@click.option("--letters", type=click.Path(path_type=Path), default=None, metavar="DOSSIER",
              help="écrit la lettre de l'association à ces pros dans ce dossier (hors du site)")
@click.option("--date", "day", type=Date(), default=None,
              help="date de référence AAAA-MM-JJ (défaut : celle du site)")
def revue(root: Path, csv: Path | None, letters: Path | None, day: date | None) -> int:
    """Liste les fiches à vérifier, la plus urgente d'abord, et comment joindre chaque pro.

    Anciennes, jamais vérifiées, crise à confirmer, bientôt anciennes, incomplètes (données
    personnelles : téléphones et courriels privés compris).
    """
    from labulle.commands.revue import command

    return command(root, csv, letters, day)


@click.command(cls=FrenchCommand)
@root_option
@click.option("--date", "day", type=Date(), default=None,
              help="jour du message, AAAA-MM-JJ (défaut : date de référence du site)")
@click.option("--settings", default="pelicanconf.py", metavar="FICHIER",
              help="fichier de réglages (défaut : pelicanconf.py)")
def social(root: Path, day: date | None, settings: str) -> int:
    """Affiche le message de 11 h pour la page Facebook.

    Les pros de l'alimentation ouverts ce jour-là, les paniers encore à commander, le lien.
    """
    from labulle.commands.social import command

    return command(root, day, settings)


@click.command(cls=FrenchCommand)
@root_option
@click.argument("url")
def events(root: Path, url: str) -> int:
    """Met à jour content/data/agenda.ics depuis l'export iCalendar de Dolibarr.

    URL : le lien d'export iCalendar de l'agenda de Dolibarr.
    """
    from labulle.commands.events_fetch import command

    return command(root, url)


@click.command(cls=FrenchCommand)
@root_option
@click.option("--out", type=click.Path(path_type=Path), required=True, metavar="DOSSIER",
              help="dossier où écrire les affichettes (.html)")
@click.option("--pro", "slugs", multiple=True, metavar="IDENTIFIANT",
              help="seulement ce pro (répétez l'option pour plusieurs ; défaut : tous)")
def affichettes(root: Path, out: Path, slugs: tuple[str, ...]) -> int:
    """Écrit l'affichette A5 de chaque pro publié, pour l'impression.

    Dans DOSSIER : affichettes.html (toutes, une page A5 chacune) et
    affichette-<identifiant>.html pour chaque pro ; ces fichiers marchent hors ligne.
    """
    from labulle.commands.stickers import command

    return command(root, out, slugs)


COMMANDS = (check, schema, new_pro, members, revue, social, events, affichettes)
