"""``bulle-ledger`` commands that set up the books and their participants: ``init``,
``config``, ``account open`` and ``signups``."""

import sqlite3

import click

from labulle.ledger.cli_base import CONTEXT, NUMBER, ledger_of, say, text_of
from labulle.ledger.money import format_cents as fc


@click.command()
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


@click.command("config")
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

    conn = ledger_of(ctx)
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


@click.group(context_settings=CONTEXT, subcommand_metavar="COMMANDE [ARGUMENTS]...")
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
@click.option(
    "--commune",
    metavar="COMMUNE",
    help="Commune du pro, comme sur sa fiche (chiffres publiés par commune).",
    callback=text_of("commune"),
)
@click.pass_context
def account_open(ctx, account_id, name, kind, pro_slug, email, from_signup, commune) -> None:
    """Ouvrir le compte ID (lettres minuscules, chiffres, tirets), à la main ou depuis
    l'inscription N (voir « signups »)."""
    from labulle.ledger import accounts, signups
    from labulle.ledger.db import transaction
    from labulle.ledger.fields import check_email
    from labulle.ledger.journal import today_iso

    conn = ledger_of(ctx)
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
        if commune is not None:
            accounts.set_commune(conn, opened.id, commune)
    label = "pro" if opened.kind == "pro" else "membre"
    say(f"Compte {label} « {opened.id} » ouvert ({opened.name}).")


@account.command("commune")
@click.argument("account_id", metavar="ID", callback=text_of("account"))
@click.argument("commune", metavar="COMMUNE", callback=text_of("commune"))
@click.pass_context
def account_commune(ctx: click.Context, account_id: str, commune: str) -> None:
    """Enregistrer ou changer la commune du compte pro ID, comme sur sa fiche : les
    paiements reçus sont publiés par commune (jamais une commune de moins de cinq pros)."""
    from labulle.ledger import accounts
    from labulle.ledger.db import transaction

    conn = ledger_of(ctx)
    with transaction(conn):
        found, name = accounts.set_commune(conn, account_id, commune)
    say(f"Commune du compte pro « {found.id} » : {name}.")


@click.command("signups")
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

    conn = ledger_of(ctx)
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
