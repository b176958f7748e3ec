"""``bulle-ledger`` commands on the bank side: ``import`` of statements, the ``unmatched``
lines and their ``assign``-ment by hand."""

from pathlib import Path

import click

from labulle.ledger.cli_base import NUMBER, journal_of, ledger_of, say, text_of
from labulle.ledger.money import format_cents as fc


@click.command("import")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="STATEMENT_FILE...",
)
@click.pass_context
def import_cmd(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Importer des relevés (CSV de La Nef, CFONB 120 ou camt.053, reconnus au contenu).

    Tout est vérifié avant d'écrire ; un relevé déjà importé est ignoré ; un relevé qui ne
    s'additionne pas ou ne suit pas le précédent est refusé, et rien n'est importé.
    """
    from labulle.ledger.db import transaction
    from labulle.ledger.importer import import_statements, read_all

    statements = read_all(list(files))
    conn = ledger_of(ctx)
    with transaction(conn):
        report = import_statements(journal_of(conn), statements)
    say(
        f"{report.statements_new} relevé(s) importé(s), {report.statements_known} déjà connu(s) ; "
        f"{report.lines} ligne(s) : {report.conversions} conversion(s), "
        f"{report.settlements} reconversion(s) payée(s), {report.unmatched} à rapprocher."
    )
    for shown in report.new_reserves:
        say(f"Compte de réserve (celui du premier relevé) : {shown}")
    if report.aside:
        kept_out = ", ".join(f"{n} {reason}" for reason, n in sorted(report.aside.items()))
        say(f"Laissé(s) hors du grand livre : {kept_out}.")


@click.command()
@click.pass_context
def unmatched(ctx: click.Context) -> None:
    """Lister les lignes bancaires non rapprochées (à traiter avec « assign »)."""
    from labulle.ledger.reports import unmatched as rows

    found = rows(ledger_of(ctx))
    if not found:
        say("Aucune ligne bancaire à rapprocher.")
    for line_id, day, cents, label in found:
        say(f"{line_id:>6}  {day}  {fc(cents):>12} €  {label}")


@click.command()
@click.argument("bank_line", type=NUMBER)
@click.argument("account_id", metavar="ACCOUNT", callback=text_of("account"))
@click.pass_context
def assign(ctx: click.Context, bank_line: int, account_id: str) -> None:
    """Rapprocher la ligne bancaire BANK_LINE : un virement reçu devient une conversion pour
    le compte ACCOUNT ; un virement émis règle la reconversion en attente du pro ACCOUNT.
    ACCOUNT peut aussi être « hors-bulle » (mouvement étranger à la Bulle : frais, dons…)
    ou « virement-interne » (entre deux comptes de réserve)."""
    from labulle.ledger.db import transaction
    from labulle.ledger.operations import assign as do_assign

    conn = ledger_of(ctx)
    with transaction(conn):
        journal = journal_of(conn)
        what = do_assign(journal, bank_line, account_id)
        journal.check()
    say(f"Ligne {bank_line} rapprochée : {what}.")
