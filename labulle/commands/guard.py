"""No Python traceback, ever, from a command of the project.

`task` is invoke's `@task` with every body guarded: an error the project raises on purpose (a
`labulle.errors.LabulleError`, the ledger's errors included: its message is the French refusal)
prints that message alone and exits with its code (1 unless it says otherwise); anything else,
even an exception class of the project such as a `ValueError` subclass, is a bug: its traceback
goes to the error log (`.labulle/erreurs.log` in the project, never in `output/`, ignored by git)
and the webmaster reads one French sentence saying what was being done and where the details
are, exit 3. `failure` is the same rule for the other entry points (`labulle …`,
`python -m labulle.build.pelicanrun`).
"""

from __future__ import annotations

import functools
import inspect
import tempfile
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import invoke

from labulle.errors import LabulleError
from labulle.text import escaped

LOG_NAME = Path(".labulle") / "erreurs.log"
BUG = 3  # exit status of an unexpected error


def failure(error: BaseException, doing: str, root: Path) -> tuple[str, int]:
    """What to print for an error that stopped `doing`, and the exit status."""
    if isinstance(error, LabulleError):
        return escaped(f"Erreur : {error}", newlines=True), error.exit_code
    log = write_log(error, doing, root)
    where = f"le détail est écrit dans {log}" if log else "le détail n'a pas pu être écrit"
    return (f"Erreur inattendue pendant {doing} ({type(error).__name__}) : {where} ; "
            "joignez ce fichier à votre signalement."), BUG


def write_log(error: BaseException, doing: str, root: Path) -> Path | None:
    """Append the traceback to the project's error log (or the temporary folder's)."""
    text = "".join(traceback.format_exception(error))
    entry = f"--- {datetime.now().isoformat(timespec='seconds')} {doing}\n{text}\n"
    for log in (root / LOG_NAME, Path(tempfile.gettempdir()) / "labulle-erreurs.log"):
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as out:
                out.write(entry)
            return log
        except OSError:
            continue
    return None


def describe(command: str, doc: str | None) -> str:
    """« invoke build » (vérifie les données…): the command and its help's first line."""
    summary = (doc or "").split("\n")[0].rstrip(".")
    return f"« {command} »" + (f" ({summary[:1].lower()}{summary[1:]})" if summary else "")


def guarded(body: Callable[..., Any], name: str) -> Callable[..., Any]:
    """The task body, whose errors become a French message and an exit status."""
    doing = describe(f"invoke {name}", inspect.getdoc(body))
    root = Path(inspect.getfile(body)).resolve().parent

    @functools.wraps(body)
    def run(c: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return body(c, *args, **kwargs)
        except invoke.Exit:
            raise
        except Exception as error:
            message, code = failure(error, doing, root)
            raise invoke.Exit(message, code=code) from None

    return run


def task(*args: Any, **kwargs: Any) -> Any:
    """invoke's `@task` (bare or with options), the body guarded."""
    def decorate(body: Callable[..., Any]) -> Any:
        name = kwargs.get("name") or body.__name__.replace("_", "-")
        return invoke.task(*args, **kwargs)(guarded(body, name))

    if len(args) == 1 and callable(args[0]) and not isinstance(args[0], invoke.Task):
        return task()(args[0])  # bare @task
    return decorate
