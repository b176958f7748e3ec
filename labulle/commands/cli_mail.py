"""`labulle` commands of the mail side: letters to the pros, intake of their emails, sign-ups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from labulle.commands.cli_base import Date, FrenchCommand, root_option

LEDGER_HELP = "base du grand livre (sinon $BULLE_LEDGER_DB), hors du dossier du site"


@click.command(cls=FrenchCommand)
@root_option
@click.option("--out", type=click.Path(path_type=Path), required=True, metavar="DOSSIER",
              help="dossier où écrire les lettres (.eml)")
@click.option("--send", is_flag=True, help="envoie vraiment (SMTP)")
@click.option("--log", type=click.Path(path_type=Path), default=None, metavar="FICHIER",
              help="journal des envois (défaut : .labulle/letters-sent.jsonl)")
@click.option("--only", default=None, metavar="IDENTIFIANTS",
              help="identifiants des pros, séparés par des virgules")
def letters(root: Path, out: Path, send: bool, log: Path | None, only: str | None) -> int:
    """Écrit la lettre de l'association à chaque pro publié ; --send l'envoie (jamais deux fois)."""
    from labulle.mail.letters import command

    return command(root, out, send, log, only)


@click.command(cls=FrenchCommand)
@root_option
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path), metavar="[FICHIER]...")
@click.option("--apply", is_flag=True,
              help="écrit les modifications utilisables (sinon : aperçu seulement)")
@click.option("--force", is_flag=True,
              help="avec --apply : écrit aussi les messages d'un expéditeur non vérifié")
@click.option("--today", type=Date(), default=None,
              help="date du jour (AAAA-MM-JJ) pour un message sans date")
@click.option("--ledger-db", default=None, metavar="FICHIER", help=LEDGER_HELP)
@click.option("--signups-csv", type=click.Path(path_type=Path), multiple=True, metavar="FICHIER",
              help="export CSV d'un service de formulaires : inscriptions au test")
def intake(root: Path, sources: tuple[Path, ...], apply: bool, force: bool, today: date | None,
           ledger_db: str | None, signups_csv: tuple[Path, ...]) -> int:
    """Lit les courriels des pros et montre (ou applique) les modifications de leurs fiches.

    FICHIER : message .eml, mbox ou dossier Maildir (plusieurs possibles). Code 1 si un
    message est à revoir.
    """
    from labulle.mail.intake.run import command

    return command(root, list(sources), apply, force, today, ledger_db, list(signups_csv))


@click.command("intake-signups", cls=FrenchCommand)
@root_option
@click.argument("fichier", type=click.Path(path_type=Path))
@click.option("--apply", is_flag=True,
              help="enregistre les inscriptions utilisables dans le grand livre")
@click.option("--ledger-db", default=None, metavar="FICHIER", help=LEDGER_HELP)
def intake_signups(root: Path, fichier: Path, apply: bool, ledger_db: str | None) -> int:
    """Lit les inscriptions au test de la Bulle numérique d'un export CSV.

    FICHIER : l'export CSV du service de formulaires. Sans --apply : aperçu seulement.
    """
    from labulle.mail.intake.signup_csv import import_csv

    return import_csv(fichier, root, ledger_db, apply)


COMMANDS = (intake, intake_signups, letters)
