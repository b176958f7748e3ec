"""What every ``bulle-ledger`` command shares: the French group that turns every failure
into one sentence and an exit status, the types of its arguments, how a command prints a
line (``say``) and reaches the books (``ledger_of``, ``journal_of``).

Exit status: 0 success, 1 refusal (nothing changed), 2 usage error, 3 unexpected error
(one sentence on the terminal, the traceback in the log named by that sentence).
"""

import os
import re
import sqlite3
import sys
from contextlib import suppress
from pathlib import Path

import click

from labulle.ledger.cli_french import first_upper, french
from labulle.ledger.errors import AmountError, LedgerError, StatementError, file_error
from labulle.text import escaped

# What each command does, for the sentence printed when it fails unexpectedly.
DOING = {
    "init": "la création du grand livre",
    "config": "la modification de la configuration",
    "account": "l'ouverture d'un compte",
    "signups": "le traitement des inscriptions",
    "import": "l'import des relevés",
    "unmatched": "la liste des lignes à rapprocher",
    "assign": "le rapprochement d'une ligne bancaire",
    "pay": "l'enregistrement d'un paiement",
    "reconvert": "la reconversion",
    "reverse": "l'annulation d'une écriture",
    "balance": "le calcul des soldes",
    "report": "le rapport du trésorier",
    "stats": "le calcul des chiffres publics",
    "verify": "la vérification du grand livre",
    "export": "l'export beancount",
    "backup": "la sauvegarde",
}


class Unexpected(click.ClickException):
    """A bug or an unforeseen failure: one sentence, exit status 3."""

    exit_code = 3


def db_path(ctx: click.Context) -> Path | None:
    """The ledger's path for messages (None when even that cannot be worked out)."""
    from labulle.ledger.db import resolve_path

    try:
        return resolve_path(ctx.obj)
    except Exception:  # noqa: BLE001 - only used to word a message
        return None


def unexpected(ctx: click.Context, error: Exception) -> Unexpected:
    """Log ``error``'s traceback and word the one sentence the treasurer reads."""
    from labulle.ledger.crashlog import record

    name = ctx.invoked_subcommand or ""
    doing = DOING.get(name, "la commande")
    log = record(error, f"{doing} (bulle-ledger {name})")
    where = f"le détail est dans {log}" if log else "le détail n'a pu être écrit nulle part"
    return Unexpected(
        f"Échec inattendu pendant {doing} (bulle-ledger {name}, base {db_path(ctx)}, "
        f"{type(error).__name__}) : la commande est annulée, rien n'a été enregistré ; {where}"
    )


class FrenchGroup(click.Group):
    """A group that speaks French and turns every failure into one sentence:
    refusals exit 1, storage failures (disk full, read-only…) exit 1 with their cause,
    anything else exits 3 with the log's path."""

    def main(self, *args, **kwargs):
        with french():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.ClickException as error:
            error.message = escaped(error.message)  # a typed value is never echoed raw
            raise
        except (click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # The reader of our output went away (``… | head``): stop quietly, as cat does.
            with suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(1) from None
        except StatementError as error:  # starts with the file's name: keep its case
            raise click.ClickException(escaped(str(error))) from None
        except LedgerError as error:
            raise click.ClickException(escaped(first_upper(str(error)))) from None
        except sqlite3.Error as error:
            raise self._storage(ctx, error) from None
        except OSError as error:
            known = file_error(error, "d'accéder à")
            if known is None:
                raise unexpected(ctx, error) from None
            raise click.ClickException(escaped(first_upper(str(known)))) from None
        except Exception as error:  # noqa: BLE001 - the one place where bugs are caught
            raise unexpected(ctx, error) from None

    @staticmethod
    def _storage(ctx: click.Context, error: sqlite3.Error) -> click.ClickException:
        from labulle.ledger.db import explain

        path = db_path(ctx)
        message = explain(error, path) if path else None
        if message is None:
            return unexpected(ctx, error)
        return click.ClickException(escaped(first_upper(message)))


class Amount(click.ParamType):
    """An amount written ``12,50`` or ``12.50``, converted to integer cents."""

    name = "montant"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        from labulle.ledger.money import parse_amount

        try:
            return parse_amount(value)
        except AmountError as error:
            self.fail(str(error), param, ctx)


class Number(click.ParamType):
    """A record number (bank line, entry, sign-up): 1 to 18 digits 0-9, nothing else."""

    name = "numéro"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip()
        shown = text if len(text) <= 30 else text[:30] + "…"
        if not re.fullmatch(r"[0-9]+", text):
            self.fail(
                f"numéro invalide « {shown} » : un nombre écrit avec les chiffres 0 à 9", param, ctx
            )
        if len(text.lstrip("0")) > 18:
            self.fail(f"numéro invalide « {shown} » : 18 chiffres au plus", param, ctx)
        return int(text)


class Day(click.ParamType):
    """A date ``AAAA-MM-JJ`` (or ``JJ/MM/AAAA``) that passes the ledger's one date rule."""

    name = "date"

    def convert(self, value, param, ctx):
        from labulle.ledger.dates import DateProblem, parse_iso

        text = str(value).strip()
        french_day = re.fullmatch(r"([0-9]{2})/([0-9]{2})/([0-9]{4})", text)
        if french_day:
            text = f"{french_day[3]}-{french_day[2]}-{french_day[1]}"
        try:
            return parse_iso(text)
        except DateProblem as error:
            self.fail(str(error), param, ctx)


def text_of(field: str):
    """A click callback checking a free-text option with the ledger's one text rule."""

    def check(ctx, param, value):
        from labulle.ledger.fields import check_email, check_text

        if value is None:
            return None
        try:
            return check_email(value) if field == "email" else check_text(value, field)
        except LedgerError as error:
            raise click.BadParameter(str(error), ctx, param) from None

    return check


AMOUNT, NUMBER = Amount(), Number()
DATE_OPTION = click.option(
    "--date",
    "day",
    type=Day(),
    metavar="AAAA-MM-JJ",
    help="Date de l'opération (par défaut : aujourd'hui).",
)
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def say(line: str, err: bool = False) -> None:
    """Print one line; a control character stored in the books (a bank label, a file name)
    is shown escaped (``\\x1b``), never sent raw to the terminal."""
    click.echo(escaped(line), err=err)


def ledger_of(ctx: click.Context) -> sqlite3.Connection:
    """The open ledger named by ``--db`` (or its defaults)."""
    from labulle.ledger.db import open_ledger, resolve_path

    return open_ledger(resolve_path(ctx.obj))


def journal_of(conn: sqlite3.Connection):
    """The journal that posts entries in the name of the operator ($BULLE_LEDGER_OPERATOR,
    else the configured one)."""
    from labulle.ledger import config
    from labulle.ledger.fields import check_text
    from labulle.ledger.journal import Journal

    operator = os.environ.get("BULLE_LEDGER_OPERATOR") or config.get(conn, "operator")
    return Journal(conn, check_text(operator, "operator"))
