"""French for click's own words (usage, errors, help headings), only while our CLI runs.

click translates through ``gettext``; instead of installing a global catalogue (which
would also change other programs' messages in the same process), ``french()`` swaps
click's translation functions for the duration of one ``bulle-ledger`` call.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

FRENCH = {
    "Usage:": "Utilisation :",
    "Options": "Options ",
    "Commands": "Commandes ",
    "Positional arguments": "Arguments ",
    "Error: {message}": "Erreur : {message}",
    "Aborted!": "Interrompu.",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Missing argument": "argument manquant",
    "Missing option": "option manquante",
    "Missing parameter": "paramètre manquant",
    "Missing command.": "commande manquante.",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "paramètre manquant : {param_name}",
    "No such command {name!r}.": "commande inconnue : {name!r}.",
    "No such option {name!r}.": "option inconnue : {name!r}.",
    "Option {name!r} does not take a value.": "l'option {name!r} ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "l'argument {name!r} prend {nargs} valeurs.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    # click names the kind of path in English when the command is declared: leave it out.
    "{name} {filename!r} does not exist.": "{filename!r} n'existe pas.",
    "{name} {filename!r} is a directory.": "{filename!r} est un dossier, pas un fichier.",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "default: {default}": "par défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "file": "fichier",
    "path": "chemin",
    "directory": "dossier",
    "integer": "entier",
}
PLURALS = {
    "Got unexpected extra argument ({args})": "argument en trop : {args}",
    "Got unexpected extra arguments ({args})": "arguments en trop : {args}",
    "{name!r} is not one of {choices}.": "{name!r} ne fait pas partie de {choices}.",
    "{value!r} is not one of {choices}.": "{value!r} ne fait pas partie de {choices}.",
    "Option {name!r} requires an argument.": "l'option {name!r} demande une valeur.",
    "Option {name!r} requires {nargs} arguments.": "l'option {name!r} demande {nargs} valeurs.",
    "Missing argument {param_hint}.": "argument manquant : {param_hint}.",
    "Missing option {param_hint}.": "option manquante : {param_hint}.",
    "Missing arguments {param_hint}.": "arguments manquants : {param_hint}.",
    "Missing options {param_hint}.": "options manquantes : {param_hint}.",
    "{value!r} does not match the format {format}.": "{value!r} n'est pas au format {format}.",
    "{value!r} does not match the formats {formats}.": (
        "{value!r} n'est dans aucun des formats {formats}."
    ),
    "Did you mean {possibility}?": "vouliez-vous dire {possibility} ?",
    "(Possible options: {possibilities})": "(options possibles : {possibilities})",
}
_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.types,
)


def _gettext(message: str) -> str:
    return FRENCH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return PLURALS.get(chosen, chosen)


@contextmanager
def french() -> Iterator[None]:
    saved = [(m, m.__dict__.get("_"), m.__dict__.get("ngettext")) for m in _MODULES]
    for module, gettext_fn, ngettext_fn in saved:
        if gettext_fn is not None:
            module._ = _gettext
        if ngettext_fn is not None:
            module.ngettext = _ngettext
    try:
        yield
    finally:
        for module, gettext_fn, ngettext_fn in saved:
            if gettext_fn is not None:
                module._ = gettext_fn
            if ngettext_fn is not None:
                module.ngettext = ngettext_fn


def first_upper(text: str) -> str:
    return re.sub(r"^\w", lambda m: m.group(0).upper(), text)
