"""``bulle-ledger``: the treasurer's commands (spec: shared/spec/ledger.md).

Exit status: 0 success, 1 refusal (nothing changed), 2 usage error, 3 unexpected error
(see ``cli_base``).
"""

import json
import os
import sqlite3
from pathlib import Path

import click

from labulle.ledger.cli_base import AMOUNT, CONTEXT, DATE_OPTION, NUMBER, FrenchGroup, text_of
from labulle.ledger.money import format_cents as fc


def say(line: str, err: bool = False) -> None:
    """Print one line; a control character stored in the books (a bank label, a file name)
    is shown escaped (``\\x1b``), never sent raw to the terminal."""
    from labulle.text import escaped

    click.echo(escaped(line), err=err)


def _conn(ctx: click.Context) -> sqlite3.Connection:
    from labulle.ledger.db import open_ledger, resolve_path

    return open_ledger(resolve_path(ctx.obj))


def _journal(conn: sqlite3.Connection):
    from labulle.ledger import config
    from labulle.ledger.fields import check_text
    from labulle.ledger.journal import Journal

    operator = os.environ.get("BULLE_LEDGER_OPERATOR") or config.get(conn, "operator")
    return Journal(conn, check_text(operator, "operator"))


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


@cli.command()
@click.option(
    "--fee",
    default="2,0",
    show_default=True,
    metavar="POURCENT",
    help="Commission de reconversion des pros, en pourcentage.",
)
@click.option(
    "--operator",
    default="trésorerie",
    show_default=True,
    metavar="NOM",
    help="Nom de la personne qui tient le grand livre (inscrit dans chaque écriture).",
    callback=text_of("operator"),
)
@click.option(
    "--reserve",
    "reserve_ibans",
    multiple=True,
    metavar="IBAN",
    help="Compte bancaire de réserve (IBAN ou RIB), à répéter pour un Livret.",
)
@click.pass_context
def init(ctx: click.Context, fee: str, operator: str, reserve_ibans: tuple[str, ...]) -> None:
    """Créer le grand livre (base SQLite) avec ses comptes système et sa configuration.

    Un fichier existant n'est jamais remplacé, sauf s'il est vide (0 octet)."""
    from labulle.ledger import accounts, config, reserves
    from labulle.ledger.db import create_ledger, open_ledger, resolve_path
    from labulle.ledger.journal import today_iso
    from labulle.ledger.money import parse_fee_percent

    path = resolve_path(ctx.obj)
    bp = parse_fee_percent(fee)
    for iban in reserve_ibans:
        reserves.declared_form(iban)  # refuse a mistyped IBAN before creating anything

    def fill(conn: sqlite3.Connection) -> None:
        accounts.create_system_accounts(conn, today_iso())
        config.put(conn, "fee_bp", str(bp))
        config.put(conn, "operator", operator or "trésorerie")
        for iban in reserve_ibans:
            reserves.declare(conn, iban, today_iso())

    create_ledger(path, fill)
    say(f"Grand livre créé : {path} (commission de reconversion {fc(bp)} %)")
    conn = open_ledger(path)
    for shown in reserves.declared(conn):
        say(f"Compte de réserve : {shown}")


@cli.command("config")
@click.option("--fee", metavar="POURCENT", help="Nouvelle commission de reconversion (ex. 2,0).")
@click.option(
    "--operator", metavar="NOM", help="Nouveau nom de l'opérateur.", callback=text_of("operator")
)
@click.option(
    "--reserve",
    "reserve_iban",
    metavar="IBAN",
    help="Déclarer un compte bancaire de réserve (IBAN ou RIB).",
)
@click.pass_context
def config_cmd(
    ctx: click.Context, fee: str | None, operator: str | None, reserve_iban: str | None
) -> None:
    """Afficher ou modifier la configuration (commission, opérateur, comptes de réserve)."""
    from labulle.ledger import config, reserves
    from labulle.ledger.db import transaction
    from labulle.ledger.journal import today_iso
    from labulle.ledger.money import parse_fee_percent

    conn = _conn(ctx)
    with transaction(conn):
        if fee is not None:
            config.put(conn, "fee_bp", str(parse_fee_percent(fee)))
        if operator is not None:
            config.put(conn, "operator", operator or "trésorerie")
        if reserve_iban is not None:
            reserves.declare(conn, reserve_iban, today_iso())
    say(f"Commission de reconversion : {fc(config.fee_bp(conn))} %")
    say(f"Opérateur : {config.get(conn, 'operator')}")
    for shown in reserves.declared(conn) or ["aucun (le premier relevé importé le sera)"]:
        say(f"Compte de réserve : {shown}")


@cli.group(context_settings=CONTEXT, subcommand_metavar="COMMANDE [ARGUMENTS]...")
def account() -> None:
    """Comptes des participants (membres et pros)."""


@account.command("open")
@click.argument("account_id", metavar="ID", callback=text_of("account"))
@click.option("--name", metavar="NOM", help="Nom affiché du compte.", callback=text_of("name"))
@click.option("--kind", type=click.Choice(["member", "pro"]), help="member (membre) ou pro.")
@click.option(
    "--pro",
    "pro_slug",
    metavar="SLUG",
    help="Fiche du pro dans pros/ (sans .yml).",
    callback=text_of("pro_slug"),
)
@click.option(
    "--email",
    metavar="COURRIEL",
    help="Adresse électronique du titulaire.",
    callback=text_of("email"),
)
@click.option("--from-signup", type=NUMBER, metavar="N", help="Ouvrir le compte d'une inscription.")
@click.pass_context
def account_open(ctx, account_id, name, kind, pro_slug, email, from_signup) -> None:
    """Ouvrir le compte ID (lettres minuscules, chiffres, tirets), à la main ou depuis
    l'inscription N (voir « signups »)."""
    from labulle.ledger import accounts, signups
    from labulle.ledger.db import transaction
    from labulle.ledger.fields import check_email
    from labulle.ledger.journal import today_iso

    conn = _conn(ctx)
    with transaction(conn):
        if from_signup is not None:
            signup = signups.get_pending(conn, from_signup)
            name = name or signup["name"]
            email = email or (signup["email"] and check_email(signup["email"]))
            pro_slug = pro_slug or signup["pro_slug"]
            kind = kind or ("pro" if signup["kind"] == "pro" or pro_slug else "member")
        elif not name or not kind:
            raise click.UsageError("--name et --kind sont obligatoires (ou --from-signup N)")
        opened = accounts.open_participant(
            conn,
            account_id,
            name=name,
            kind=kind,
            pro_slug=pro_slug,
            email=email,
            signup_id=from_signup,
            today=today_iso(),
        )
    label = "pro" if opened.kind == "pro" else "membre"
    say(f"Compte {label} « {opened.id} » ouvert ({opened.name}).")


@cli.command("signups")
@click.option(
    "--discard",
    type=NUMBER,
    metavar="N",
    help="Écarter l'inscription N : ses données personnelles sont effacées.",
)
@click.pass_context
def signups_cmd(ctx: click.Context, discard: int | None) -> None:
    """Lister les inscriptions au pilote en attente, ou en écarter une."""
    from labulle.ledger import signups
    from labulle.ledger.db import transaction

    conn = _conn(ctx)
    if discard is not None:
        with transaction(conn):
            signups.discard(conn, discard)
        say(f"Inscription {discard} écartée : ses données personnelles sont effacées.")
        return
    rows = signups.pending(conn)
    if not rows:
        say("Aucune inscription en attente.")
    for row in rows:
        monthly = (
            f", {fc(row['expected_monthly_cents'])} €/mois" if row["expected_monthly_cents"] else ""
        )
        slug = f" [{row['pro_slug']}]" if row["pro_slug"] else ""
        say(
            f"{row['id']:>4}  {row['received_at'][:10]}  {row['kind']}{slug}  {row['name']}"
            f" <{row['email'] or '-'}> {row['commune'] or ''}{monthly}"
            f" (consentement {row['consent_version'] or '?'} du {row['consent_at'] or '?'},"
            f" source {row['source']})"
        )


@cli.command("import")
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
    conn = _conn(ctx)
    with transaction(conn):
        report = import_statements(_journal(conn), statements)
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


@cli.command()
@click.pass_context
def unmatched(ctx: click.Context) -> None:
    """Lister les lignes bancaires non rapprochées (à traiter avec « assign »)."""
    from labulle.ledger.reports import unmatched as rows

    found = rows(_conn(ctx))
    if not found:
        say("Aucune ligne bancaire à rapprocher.")
    for line_id, day, cents, label in found:
        say(f"{line_id:>6}  {day}  {fc(cents):>12} €  {label}")


@cli.command()
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

    conn = _conn(ctx)
    with transaction(conn):
        journal = _journal(conn)
        what = do_assign(journal, bank_line, account_id)
        journal.check()
    say(f"Ligne {bank_line} rapprochée : {what}.")


@cli.command()
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

    conn = _conn(ctx)
    with transaction(conn):
        journal = _journal(conn)
        entry = do_pay(journal, payer, payee, amount, memo, day)
        journal.check()
    say(
        f"Paiement enregistré (écriture {entry}) : {fc(amount)} Bulles de "
        f"« {payer.lower()} » à « {payee.lower()} »."
    )


@cli.command()
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

    conn = _conn(ctx)
    with transaction(conn):
        journal = _journal(conn)
        payout, fee, net = do_reconvert(journal, pro, amount, config.fee_bp(conn), day)
        journal.check()
    say(
        f"Reconversion {payout} : {fc(amount)} Bulles, commission {fc(fee)} €, "
        f"virement à faire : {fc(net)} € avec le libellé « BULLE {pro.lower()} »."
    )


@cli.command()
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

    conn = _conn(ctx)
    with transaction(conn):
        journal = _journal(conn)
        new = do_reverse(journal, entry_id, memo, day)
        journal.check()
    say(f"Écriture {entry_id} annulée par l'écriture {new}.")


@cli.command()
@click.argument(
    "account_id", metavar="ACCOUNT", required=False, callback=text_of("account")
)
@click.pass_context
def balance(ctx: click.Context, account_id: str | None) -> None:
    """Afficher le solde d'un compte, ou de tous les comptes."""
    from labulle.ledger import accounts
    from labulle.ledger.reports import balances

    conn = _conn(ctx)
    units = {"EUR": "€", "BULLE": "Bulles"}
    if account_id:
        found = accounts.require(conn, account_id)
        cents = accounts.balance(conn, found.id)
        say(f"{found.id} ({found.name}) : {fc(cents)} {units[found.commodity]}")
        return
    for aid, kind, name, commodity, cents in balances(conn):
        say(f"{aid:<24} {kind:<9} {fc(cents):>14} {units[commodity]:<6}  {name}")


@cli.command()
@click.pass_context
def report(ctx: click.Context) -> None:
    """Rapport du trésorier : réserve et circulation, reconversions dues, lignes à
    rapprocher, derniers relevés."""
    from labulle.ledger.reports import report as build

    data = build(_conn(ctx))
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


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Écrire le JSON de la page transparence.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Chiffres agrégés publiables (aucun nom, courriel, IBAN ni identifiant de compte),
    avec une série mois par mois."""
    from labulle.ledger.reports import stats as build

    data = build(_conn(ctx))
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))  # JSON escapes controls
        return
    say(f"Bulles en circulation : {fc(data['circulation_cents'])}")
    say(f"Euros en réserve : {fc(data['reserve_cents'])} €")
    say(f"Conversions : {data['conversions']} ({fc(data['conversions_cents'])} €)")
    say(f"Reconversions : {data['reconversions']} ({fc(data['reconversions_cents'])} €)")
    say(f"Comptes : {data['accounts']['member']} membres, {data['accounts']['pro']} pros")
    say(f"Dernier relevé rapproché : {data['last_reconciled_statement'] or 'aucun'}")


@cli.command()
@click.pass_context
def verify(ctx: click.Context) -> None:
    """Vérifier tous les invariants et la chaîne de hachage ; code 1 au moindre problème."""
    from labulle.ledger.verify import verify as run

    conn = _conn(ctx)
    problems = run(conn)
    if problems:
        for problem in problems:
            say(f"- {problem}", err=True)
        raise click.ClickException(f"Grand livre incohérent : {len(problems)} problème(s).")
    count = conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    say(f"Grand livre cohérent : {count} écriture(s), chaîne de hachage intacte.")


@cli.command()
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

    count = write(_conn(ctx), target)
    say(f"{count} écriture(s) exportée(s) dans {target}.")


@cli.command()
@click.argument("target", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
def backup(ctx: click.Context, target: Path) -> None:
    """Copier le grand livre dans FILE (sauvegarde en ligne de SQLite, sûre pendant l'usage)."""
    from labulle.ledger.backup import backup as copy

    copy(_conn(ctx), target)
    say(f"Sauvegarde écrite : {target}")


def main() -> None:
    """Console entry point (``bulle-ledger``)."""
    cli(prog_name="bulle-ledger")
