"""`labulle …`: the one command line of the webmaster's commands, with French help.

Every command is declared once, here and in the three modules it gathers (cli_data: the data
and the pros; cli_mail: letters and intake; cli_site: build, serve, publish). `tasks.py` keeps
Pelican's conventional `invoke` tasks as thin calls into `run`. A refusal (a
`labulle.errors.LabulleError`, a usage error) prints its French message alone and gives its exit
code; `main`, the `labulle` script, also guards against bugs: one French sentence, the traceback
in `.labulle/erreurs.log`, exit 3 (labulle.commands.guard).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from labulle.commands import cli_data, cli_mail, cli_site
from labulle.commands.cli_base import ROOT_KEY, FrenchGroup, no_args_help, usage_message
from labulle.commands.guard import describe, failure
from labulle.errors import LabulleError


@click.group(cls=FrenchGroup, subcommand_metavar="COMMANDE ...",
             context_settings={"max_content_width": 100})
def group() -> None:
    """Les commandes du webmestre du site de la Bulle.

    « labulle COMMANDE --help » donne les options d'une commande.
    """


for _module in (cli_data, cli_site, cli_mail):
    for _command in _module.COMMANDS:
        group.add_command(_command)


def run(argv: Sequence[str], prog: str = "labulle", guard: bool = False) -> int:
    """Run one command line; its exit status. A refusal is printed here (French, on stderr);
    a bug propagates, or with `guard` is reported as the guard does (exit 3)."""
    ctx = None
    try:
        ctx = group.make_context(prog, list(argv))
        with ctx:
            return group.invoke(ctx) or 0
    except click.exceptions.Exit as done:  # --help
        return done.exit_code
    except click.UsageError as error:
        if no_args_help(error):
            click.echo(group.get_help(error.ctx or ctx))
            return 0
        return _refused(LabulleError(usage_message(error), exit_code=2))
    except LabulleError as error:
        return _refused(error)
    except Exception as error:
        if not guard:
            raise
        message, code = failure(error, _doing(ctx, prog), _root(ctx))
        print(message, file=sys.stderr)
        return code


def main(argv: Sequence[str] | None = None, command: str | None = None) -> int:
    """The `labulle` script (every bug guarded); with `command`, that command's own line."""
    args = list(sys.argv[1:] if argv is None else argv)
    return run([command, *args] if command else args, guard=True)


def _refused(error: LabulleError) -> int:
    message, code = failure(error, "", Path.cwd())
    print(message, file=sys.stderr)
    return code


def _doing(ctx: click.Context | None, prog: str) -> str:
    name = ctx.invoked_subcommand if ctx is not None else None
    command = group.get_command(ctx, name) if ctx is not None and name else None
    return describe(f"{prog} {name or ''}".strip(), command.help if command else None)


def _root(ctx: click.Context | None) -> Path:
    return ctx.meta.get(ROOT_KEY, Path.cwd()) if ctx is not None else Path.cwd()


if __name__ == "__main__":
    sys.exit(main())
