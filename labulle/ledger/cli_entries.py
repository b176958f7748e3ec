"""``bulle-ledger`` commands that post entries by hand: ``pay``, ``reconvert`` and
``reverse``."""

import click

from labulle.ledger.cli_base import AMOUNT, DATE_OPTION, NUMBER, journal_of, ledger_of, say, text_of
from labulle.ledger.money import format_cents as fc


@click.command()
@click.argument("payer", metavar="FROM", callback=text_of("account"))
@click.argument("payee", metavar="TO", callback=text_of("account"))
@click.argument("amount", type=AMOUNT)
@click.option(
    "--memo", default="", metavar="TEXTE", help="Libellé de l'écriture.", callback=text_of("memo")
)
@DATE_OPTION
@click.pass_context
def pay(ctx: click.Context, payer: str, payee: str, amount: int, memo: str, day) -> None:
    """Enregistrer un paiement de AMOUNT Bulles (12,50 ou 12.50) du compte FROM au compte TO."""
    from labulle.ledger.db import transaction
    from labulle.ledger.operations import pay as do_pay

    conn = ledger_of(ctx)
    with transaction(conn):
        journal = journal_of(conn)
        entry = do_pay(journal, payer, payee, amount, memo, day)
        journal.check()
    say(
        f"Paiement enregistré (écriture {entry}) : {fc(amount)} Bulles de "
        f"« {payer.lower()} » à « {payee.lower()} »."
    )


@click.command()
@click.argument("pro", metavar="PRO", callback=text_of("account"))
@click.argument("amount", type=AMOUNT)
@DATE_OPTION
@click.pass_context
def reconvert(ctx: click.Context, pro: str, amount: int, day) -> None:
    """Reconvertir AMOUNT Bulles du pro PRO en euros, moins la commission configurée.
    Le virement à faire au pro reste dû jusqu'à ce qu'il apparaisse sur un relevé importé."""
    from labulle.ledger import config
    from labulle.ledger.db import transaction
    from labulle.ledger.operations import reconvert as do_reconvert

    conn = ledger_of(ctx)
    with transaction(conn):
        journal = journal_of(conn)
        payout, fee, net = do_reconvert(journal, pro, amount, config.fee_bp(conn), day)
        journal.check()
    say(
        f"Reconversion {payout} : {fc(amount)} Bulles, commission {fc(fee)} €, "
        f"virement à faire : {fc(net)} € avec le libellé « BULLE {pro.lower()} »."
    )


@click.command()
@click.argument("entry_id", metavar="ENTRY_ID", type=NUMBER)
@click.option(
    "--memo", default="", metavar="TEXTE", help="Raison de l'annulation.", callback=text_of("memo")
)
@DATE_OPTION
@click.pass_context
def reverse(ctx: click.Context, entry_id: int, memo: str, day) -> None:
    """Annuler l'écriture ENTRY_ID par une écriture inverse (l'historique n'est jamais modifié)."""
    from labulle.ledger.db import transaction
    from labulle.ledger.operations import reverse as do_reverse

    conn = ledger_of(ctx)
    with transaction(conn):
        journal = journal_of(conn)
        new = do_reverse(journal, entry_id, memo, day)
        journal.check()
    say(f"Écriture {entry_id} annulée par l'écriture {new}.")
