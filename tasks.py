"""The webmaster's commands (invoke), following Pelican's conventions.

    invoke check        check every pro file, the taxonomy and the articles (exit 1 on any error)
    invoke build        check, then build the site into output/
    invoke rebuild      same, deleting output/ first
    invoke serve        serve output/ at http://localhost:8000
    invoke livereload   build, serve, and rebuild on every change (pros/, content/, theme/)
    invoke publish      check, build with publish.py, index, precompress, deploy atomically
    invoke new-pro "Nom du pro"   create pros/<slug>.yml from the commented template
    invoke intake-signups FILE.csv [--apply]   pilot sign-ups from a form service's CSV → ledger
    invoke schema       write pros/schema.json (for editors with the YAML language server)
    invoke intake MAIL... [--apply [--force]]   pros' emails → reviewed changes of pros/*.yml
    invoke letters --out DIR [--send]   the association's letter to each pro (.eml, SMTP)
    invoke members [--csv FILE]   pros whose membership fee is unpaid this year (personal data)
    invoke revue [--csv FILE] [--letters DIR]   the pros to check, most urgent first (personal data)
    invoke affichettes --out DIR [--pro SLUG]...   the pros' A5 window stickers, ready to print
    invoke events URL   refresh content/data/agenda.ics from Dolibarr's iCalendar export
    invoke social       print the 11 o'clock Facebook post (food pros open today, baskets)

Each task is a thin call into the same command of `labulle …` (labulle/commands/cli.py), where
its options, its help and its work are declared once; `invoke --list` shows every task,
`invoke --help TASK` its options (the help comes from that declaration).
"""

from __future__ import annotations

import inspect
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

from invoke import Exit

from labulle.commands.guard import task  # errors: one French line, no traceback

ROOT = Path(__file__).parent


def labulle_task(name: str | None = None, arguments: dict[str, str] | None = None,
                 **options: Any) -> Callable[[Callable], Any]:
    """invoke's task for the `labulle` command of the same name, with that command's help
    (`arguments`: the help of what invoke shows as options and `labulle` as arguments)."""
    from labulle.commands.cli import group

    def decorate(body: Callable[..., Any]) -> Any:
        command_name = name or body.__name__.replace("_", "-")
        command = group.commands[command_name]
        body.__doc__ = command.help
        parameters = inspect.signature(body).parameters
        helps = {param.opts[0].lstrip("-").replace("-", "_"): param.help
                 for param in command.params if getattr(param, "help", None)}
        helps = {key: text for key, text in {**helps, **(arguments or {})}.items()
                 if key in parameters}
        return task(name=command_name, help=helps, **options)(body)

    return decorate


def labulle(command: str, *arguments: str, **options: Any) -> None:
    """Run `labulle COMMAND --root ROOT --option value … -- ARGUMENTS` (exit status as invoke's)."""
    from labulle.commands.cli import run

    argv = [command, "--root", str(ROOT)]
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            argv.append(flag)
        elif isinstance(value, list | tuple):  # a repeatable option (invoke's iterable)
            for item in value:
                argv += [flag, str(item)]
        elif value not in (None, False):
            argv += [flag, str(value)]
    code = run(argv + (["--", *arguments] if arguments else []), prog="invoke")
    if code:
        raise Exit(code=code)


@labulle_task()
def check(c, pros=None, json=False, github=False, codequality=None):
    labulle("check", pros=pros, json=json, github=github, codequality=codequality)


@labulle_task()
def build(c, fatal=False):
    labulle("build", fatal=fatal)


@labulle_task()
def rebuild(c):
    labulle("rebuild")


@labulle_task()
def serve(c, port="8000"):  # a string for invoke: its own int() would traceback on "abc"
    labulle("serve", port=port)


@labulle_task()
def livereload(c, port="8000"):
    labulle("livereload", port=port)


@labulle_task()
def publish(c, dry_run=False):
    labulle("publish", dry_run=dry_run)


@labulle_task(arguments={"fichier": "export CSV du service de formulaires"})
def intake_signups(c, fichier, apply=False, ledger_db=None):
    labulle("intake-signups", fichier, apply=apply, ledger_db=ledger_db)


@labulle_task(arguments={"nom": "nom du pro, entre guillemets"})
def new_pro(c, nom):
    labulle("new-pro", nom)


@labulle_task()
def schema(c):
    labulle("schema")


@labulle_task()
def social(c, date=None):
    labulle("social", date=date)


@labulle_task(iterable=["source"], arguments={
    "source": "fichier .eml, mbox ou dossier Maildir "
              "(plusieurs : répétez, ou donnez-les après --)"})
def intake(c, source, apply=False, force=False):
    sources = list(source) + shlex.split(getattr(c, "remainder", "") or "")
    if not sources:
        raise Exit("Donnez au moins un message : invoke intake --source FICHIER "
                   "(ou invoke intake -- FICHIER...)", code=2)
    labulle("intake", *sources, apply=apply, force=force)


@labulle_task()
def letters(c, out, send=False, log=None, only=None):
    labulle("letters", out=out, send=send, log=log, only=only)


@labulle_task()
def members(c, csv=None, date=None):
    labulle("members", csv=csv, date=date)


@labulle_task()
def revue(c, csv=None, letters=None, date=None):
    labulle("revue", csv=csv, letters=letters, date=date)


@labulle_task(iterable=["pro"])
def affichettes(c, out, pro=None):
    labulle("affichettes", out=out, pro=pro)


@labulle_task(arguments={"url": "lien d'export iCalendar de l'agenda de Dolibarr"})
def events(c, url):
    labulle("events", url)
