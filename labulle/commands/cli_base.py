"""The French face of click for `labulle …`: help headings, usage errors, shared options and types.

Click writes its help and its usage errors in English; these classes give the same things in
French. `FrenchCommand` and `FrenchGroup` are the classes of every command of `labulle`;
`root_option` is the `--root` every command takes (the site's folder, the current one by
default, kept in the context's `meta` for the error log); `Date` and `Port` are the typed
options whose bad values are French usage errors (exit 2).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
from click import exceptions as click_errors

HELP = "Affiche cette aide et s'arrête."
ROOT_KEY = "labulle.root"


class FrenchCommand(click.Command):
    """A command whose help reads in French."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = " ".join(self.collect_usage_pieces(ctx))
        formatter.write_usage(ctx.command_path, pieces, "Utilisation : ")


class FrenchGroup(FrenchCommand, click.Group):
    """The `labulle` group: French help, French refusal of an unknown command."""

    command_class = FrenchCommand

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=200)))
        if rows:
            with formatter.section("Commandes"):
                formatter.write_dl(rows)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise click.UsageError(f"commande inconnue « {name} » : « labulle --help » les "
                                   "donne toutes", ctx)
        return super().resolve_command(ctx, args)


def usage_message(error: click.UsageError) -> str:
    """A click usage error in one French sentence."""
    if isinstance(error, click.NoSuchOption):
        near = f" (vouliez-vous dire {', '.join(sorted(error.possibilities))} ?)" \
            if error.possibilities else ""
        return f"option inconnue : {error.option_name}{near}"
    if isinstance(error, click.MissingParameter) and error.param is not None:
        return f"il manque {_shown(error.param)}"
    if isinstance(error, click.BadOptionUsage):
        return f"l'option {error.option_name} attend une valeur"
    if isinstance(error, click.BadParameter):
        return error.message  # our types' messages are French and name the value
    if error.message.startswith("Got unexpected extra argument"):
        extra = error.message.partition("(")[2].rstrip(")")
        return f"argument en trop : {extra}"
    return error.message


def no_args_help(error: click.UsageError) -> bool:
    """`labulle` alone: click shows the help (an error since click 8.2, not for us)."""
    return isinstance(error, getattr(click_errors, "NoArgsIsHelpError", ()))


def _shown(param: click.Parameter) -> str:
    if isinstance(param, click.Option):
        return f"l'option {param.opts[0]}" + (f" : {param.help}" if param.help else "")
    return f"l'argument {param.human_readable_name}"


class Date(click.ParamType):
    """A day written AAAA-MM-JJ."""

    name = "AAAA-MM-JJ"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None,
                ) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"date invalide « {value} » ; écrivez-la AAAA-MM-JJ, par exemple "
                      "2020-03-23.", param, ctx)


class Port(click.ParamType):
    """A TCP port, 1 to 65535."""

    name = "PORT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None,
                ) -> int:
        text = str(value)
        if not (text.isascii() and text.isdigit() and 0 < int(text) < 65536):
            self.fail(f"port « {text} » invalide : un nombre de 1 à 65535 est attendu.", param, ctx)
        return int(text)


def _remember_root(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    root = value or Path.cwd()
    ctx.meta[ROOT_KEY] = root
    return root


def root_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--root DOSSIER`: the site's folder (default: the current folder)."""
    return click.option("--root", type=click.Path(path_type=Path), default=None,
                        metavar="DOSSIER", callback=_remember_root, is_eager=True,
                        help="dossier du site (défaut : le dossier courant)")(command)
