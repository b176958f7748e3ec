"""``bulle-ledger``: the treasurer's commands (spec: shared/spec/ledger.md).

The group and its entry point; the commands live by theme in ``cli_accounts`` (books and
participants), ``cli_bank`` (statements and matching), ``cli_entries`` (entries by hand) and
``cli_reports`` (reading the books). Exit status: 0 success, 1 refusal (nothing changed),
2 usage error, 3 unexpected error (see ``cli_base``).
"""

import click

from labulle.ledger import cli_accounts, cli_bank, cli_entries, cli_reports
from labulle.ledger.cli_base import CONTEXT, FrenchGroup


@click.group(
    cls=FrenchGroup, context_settings=CONTEXT, subcommand_metavar="COMMANDE [ARGUMENTS]..."
)
@click.option(
    "--db",
    metavar="FICHIER",
    help="Base du grand livre (sinon $BULLE_LEDGER_DB, "
    "sinon le dossier de données de l'utilisateur).",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Grand livre de la Bulle numérique (pilote) : conversions, paiements, reconversions,
    relevés de La Nef, rapports publics.

    Codes de sortie : 0 réussite, 1 refus (rien n'est modifié), 2 erreur d'utilisation,
    3 erreur inattendue (détail dans le journal d'erreurs nommé à l'écran).
    """
    ctx.obj = db


COMMANDS = (
    cli_accounts.init,
    cli_accounts.config_cmd,
    cli_accounts.account,
    cli_accounts.signups_cmd,
    cli_bank.import_cmd,
    cli_bank.unmatched,
    cli_bank.assign,
    cli_entries.pay,
    cli_entries.reconvert,
    cli_entries.reverse,
    cli_reports.balance,
    cli_reports.report,
    cli_reports.stats,
    cli_reports.verify,
    cli_reports.export,
    cli_reports.backup,
)
for command in COMMANDS:
    cli.add_command(command)


def main() -> None:
    """Console entry point (``bulle-ledger``)."""
    cli(prog_name="bulle-ledger")
