"""``bulle-ledger`` commands that read the books without changing them: ``balance``,
``report``, ``stats``, ``verify``, ``export`` and ``backup``."""

import json
from pathlib import Path

import click

from labulle.ledger.cli_base import ledger_of, say, text_of
from labulle.ledger.money import format_cents as fc


@click.command()
@click.argument("account_id", metavar="ACCOUNT", required=False, callback=text_of("account"))
@click.pass_context
def balance(ctx: click.Context, account_id: str | None) -> None:
    """Afficher le solde d'un compte, ou de tous les comptes."""
    from labulle.ledger import accounts
    from labulle.ledger.reports import balances

    conn = ledger_of(ctx)
    units = {"EUR": "€", "BULLE": "Bulles"}
    if account_id:
        found = accounts.require(conn, account_id)
        cents = accounts.balance(conn, found.id)
        say(f"{found.id} ({found.name}) : {fc(cents)} {units[found.commodity]}")
        return
    for aid, kind, name, commodity, cents in balances(conn):
        say(f"{aid:<24} {kind:<9} {fc(cents):>14} {units[commodity]:<6}  {name}")


@click.command()
@click.pass_context
def report(ctx: click.Context) -> None:
    """Rapport du trésorier : réserve et circulation, reconversions dues, lignes à
    rapprocher, derniers relevés."""
    from labulle.ledger.reports import report as build

    data = build(ledger_of(ctx))
    t = data["totals"]
    echo = say
    echo(f"Réserve en euros (grand livre) : {fc(t['reserve'])} €")
    echo(f"  commissions retenues : {fc(t['fees'])} €")
    echo(f"  reconversions à payer : {fc(t['payouts_due'])} €")
    echo(f"  disponible pour garantir les Bulles : {fc(data['available'])} €")
    echo(f"Bulles en circulation : {fc(t['circulation'])}")
    echo(f"Marge de couverture : {fc(data['available'] - t['circulation'])} €")
    echo(f"Reconversions à payer ({len(data['payouts'])}) :")
    for payout_id, pro, net, day in data["payouts"]:
        echo(f"  n°{payout_id} du {day} : {fc(net)} € à « {pro} » (libellé « BULLE {pro} »)")
    pending = data["unmatched"]
    echo(
        f"Lignes bancaires à rapprocher : {len(pending)} (total {fc(sum(r[2] for r in pending))} €)"
    )
    for line_id, day, cents, label in pending[:20]:
        echo(f"  {line_id:>6}  {day}  {fc(cents):>12} €  {label}")
    if len(pending) > 20:
        echo(f"  … et {len(pending) - 20} autre(s) : voir « bulle-ledger unmatched »")
    echo("Derniers relevés :")
    if not data["statements"]:
        echo("  aucun relevé importé")
    for bank, end, closing, kind, source in data["statements"]:
        echo(f"  compte {bank} : relevé au {end}, solde {fc(closing)} € ({kind}, {source})")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Écrire le JSON de la page transparence.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Chiffres agrégés publiables (aucun nom, courriel, IBAN ni identifiant de compte),
    avec une série mois par mois."""
    from labulle.ledger.reports import stats as build

    data = build(ledger_of(ctx))
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))  # JSON escapes controls
        return
    say(f"Bulles en circulation : {fc(data['circulation_cents'])}")
    say(f"Euros en réserve : {fc(data['reserve_cents'])} €")
    say(f"Conversions : {data['conversions']} ({fc(data['conversions_cents'])} €)")
    say(f"Reconversions : {data['reconversions']} ({fc(data['reconversions_cents'])} €)")
    say(
        f"Paiements des habitants aux pros : {data['resident_to_pro']} "
        f"({fc(data['resident_to_pro_cents'])} Bulles) ; entre pros : {data['pro_to_pro']} "
        f"({fc(data['pro_to_pro_cents'])} Bulles)"
    )
    rates = [data[key] for key in ("reuse_rate_bp", "reconversion_rate_bp")]
    if rates[0] is not None:
        say(f"Des Bulles reçues par les pros : {fc(rates[0])} % dépensées chez d'autres pros, "
            f"{fc(rates[1])} % reconverties en euros")
    if data["communes"]:
        say("Paiements reçus par commune (jamais moins de cinq pros par case) :")
    for cell in data["communes"]:
        say(f"  {cell['commune']} : {cell['pros']} pros, {cell['payments']} paiement(s), "
            f"{fc(cell['payments_cents'])} Bulles")
    say(f"Comptes : {data['accounts']['member']} membres, {data['accounts']['pro']} pros")
    say(f"Dernier relevé rapproché : {data['last_reconciled_statement'] or 'aucun'}")


@click.command()
@click.pass_context
def verify(ctx: click.Context) -> None:
    """Vérifier tous les invariants et la chaîne de hachage ; code 1 au moindre problème."""
    from labulle.ledger.verify import verify as run

    conn = ledger_of(ctx)
    problems = run(conn)
    if problems:
        for problem in problems:
            say(f"- {problem}", err=True)
        raise click.ClickException(f"Grand livre incohérent : {len(problems)} problème(s).")
    count = conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    say(f"Grand livre cohérent : {count} écriture(s), chaîne de hachage intacte.")
    say(
        "Chiffres publiés (stats --json) recalculés depuis les écritures par un second "
        "calcul : identiques."
    )


@click.command()
@click.option(
    "--beancount",
    "target",
    required=True,
    metavar="FILE",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Fichier beancount à écrire (lisible par bean-check et Fava).",
)
@click.pass_context
def export(ctx: click.Context, target: Path) -> None:
    """Exporter le grand livre au format beancount (tolérance zéro)."""
    from labulle.ledger.beancount_export import export as write

    count = write(ledger_of(ctx), target)
    say(f"{count} écriture(s) exportée(s) dans {target}.")


@click.command()
@click.argument("target", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
def backup(ctx: click.Context, target: Path) -> None:
    """Copier le grand livre dans FILE (sauvegarde en ligne de SQLite, sûre pendant l'usage)."""
    from labulle.ledger.backup import backup as copy

    copy(ledger_of(ctx), target)
    say(f"Sauvegarde écrite : {target}")
