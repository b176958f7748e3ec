"""Pelican's command line, without its tracebacks.

Pelican's own `main` logs any error with its traceback (rich prints it on the terminal). `run`
does what `main` does for a plain build but lets errors through, so that `invoke build` (in
process) and `python -m labulle.build.pelicanrun ARGS` (the publish build, in a subprocess) say what
failed in one French line: a template error with its file and line, a warning made fatal by
`--fatal warnings`, or an unexpected error whose traceback goes to the error log (see guard).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from labulle.build.incremental import BuildMemory
from labulle.commands.guard import failure
from labulle.errors import LabulleError


class BuildFailed(LabulleError):
    """Pelican stopped for a reason the webmaster can fix; the message says which and where."""


def run(argv: list[str], memory: BuildMemory | None = None) -> None:
    """Build as `pelican ARGS` does; raises BuildFailed or the unexpected error. `memory` is
    what the previous build of this process left (livereload keeps one); None: a cold build."""
    import jinja2
    from pelican import LOG_HANDLERS, get_instance, init_logging, parse_arguments

    args = parse_arguments(argv)
    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican",
                 handler=LOG_HANDLERS[args.log_handler],
                 logs_dedup_min_level=getattr(logging, args.logs_dedup_min_level))
    try:
        pelican, _settings = get_instance(args)
        pelican.labulle_memory = memory  # read by the plugin (labulle.build.plugin)
        if memory is not None:
            memory.full_build = memory.candidate = None
        pelican.run()
        if memory is not None:  # finished: livereload's fast path may start from it
            memory.full_build = memory.candidate
    except jinja2.TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}"
        raise BuildFailed(f"{where} : erreur de syntaxe dans le gabarit ({error.message})"
                          ) from None
    except RuntimeError as error:
        if str(error) != "Warning or error encountered":  # pelican.log.FatalLogger's
            raise
        raise BuildFailed("construction arrêtée : Pelican a signalé le problème ci-dessus et "
                          "les avertissements sont des erreurs ici (--fatal)") from None


def main(argv: list[str] | None = None) -> int:
    try:
        run(sys.argv[1:] if argv is None else argv)
    except Exception as error:
        message, code = failure(error, "la construction du site par Pelican", Path.cwd())
        print(message, file=sys.stderr)
        return code
    return 0


if __name__ == "__main__":  # run the importable module, whose BuildFailed the guard knows
    from labulle.build.pelicanrun import main as module_main

    sys.exit(module_main())
