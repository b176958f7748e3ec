"""`labulle` commands that build and serve the site: build, rebuild, serve, livereload, publish.

Pelican's conventional tasks, run in this process on the site of `--root` (the current folder
by default: Pelican reads `pelicanconf.py` there, as `pelican -s pelicanconf.py` does); the
data are checked first and nothing is built when a file is wrong. `--fatal` (or a CI
environment) makes Pelican's warnings errors; it is passed to Pelican as an argument, never
through the environment.
"""

from __future__ import annotations

import errno
import gc
import os
import shlex
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from labulle.commands.cli_base import FrenchCommand, Port, root_option
from labulle.errors import LabulleError

if TYPE_CHECKING:
    from labulle.build.incremental import BuildMemory

SETTINGS, OUTPUT = "pelicanconf.py", "output"
HOST, PORT = "localhost", 8000
PORT_HELP = "port du serveur (défaut 8000)"


def pelican_run(args: str, memory: BuildMemory | None = None) -> None:
    """Run Pelican in this process (labulle.build.pelicanrun: errors without tracebacks);
    `memory`: what the previous build of this process left (livereload keeps one)."""
    from labulle.build.pelicanrun import run

    run(shlex.split(args), memory)


def build_site(root: Path, extra: str = "", fatal: bool = False, index: bool = True,
               memory: BuildMemory | None = None) -> None:
    """Check the data as `labulle check` does (refused: nothing is built), build with Pelican
    (the plugin takes the data so loaded: read and checked once), then index for the search.
    Pelican's warnings are errors with `fatal` and in a CI (the variable CI is set)."""
    from labulle.build.incremental import BuildMemory
    from labulle.source.check import show

    memory = memory or BuildMemory()
    if show(memory.preload(root)):
        raise LabulleError("construction annulée : corrigez les erreurs ci-dessus.")
    fatal = fatal or bool(os.environ.get("CI"))
    settings = shlex.quote(str(root / SETTINGS))  # Pelican takes its paths from there
    pelican_run(f"-s {settings} " + ("--fatal warnings " if fatal else "") + extra, memory)
    if index:
        search_index(root)


LIVE = "-e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true"  # livereload's builds: Pelican's cache


def live_rebuild(root: Path, memory: BuildMemory, extra: str = "") -> bool:
    """One rebuild of livereload: our pages alone when only pro files were edited since its
    last full build (labulle.build.fastpath: True), else a check and a build with Pelican's
    cache (False)."""
    from labulle.build import fastpath

    # What the earlier builds left (the memory: views, pages' keys, pieces) lives on: the
    # collections of the garbage this rebuild makes need not go through it (at 1,500 pros they
    # took a fifth of a one-pro rebuild). Unfrozen after, so nothing is kept from collection.
    gc.freeze()
    try:
        if fastpath.rebuild(root, memory):
            return True
        build_site(root, f"{extra} {LIVE}", index=False, memory=memory)
        return False
    finally:
        gc.unfreeze()


def search_index(root: Path) -> None:
    """Index output/ for /recherche/ (Pagefind, about half a second); SearchIndexError."""
    from labulle.pages.search import build_index

    build_index(root / OUTPUT)


@click.command(cls=FrenchCommand)
@root_option
@click.option("--fatal", is_flag=True,
              help="les avertissements de Pelican font échouer la construction")
def build(root: Path, fatal: bool) -> int:
    """Vérifie les données puis construit le site dans output/."""
    build_site(root, fatal=fatal)
    return 0


@click.command(cls=FrenchCommand)
@root_option
def rebuild(root: Path) -> int:
    """Comme build, en effaçant d'abord output/."""
    build_site(root, "-d")
    return 0


@click.command(cls=FrenchCommand)
@root_option
@click.option("--port", type=Port(), default=PORT, help=PORT_HELP)
def serve(root: Path, port: int) -> int:
    """Sert output/ sur http://localhost:8000 (Ctrl-C pour arrêter)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    try:
        server = RootedHTTPServer(str(root / OUTPUT), (HOST, port), ComplexHTTPRequestHandler)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise LabulleError(f"le port {port} est déjà utilisé par un autre programme ; "
                           "essayez --port 8001.") from None
    sys.stderr.write(f"Site servi sur http://{HOST}:{port}/ (Ctrl-C pour arrêter)\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()
    return 0


@click.command(cls=FrenchCommand)
@root_option
@click.option("--port", type=Port(), default=PORT, help=PORT_HELP)
def livereload(root: Path, port: int) -> int:
    """Construit, sert le site et le reconstruit à chaque modification (pros, articles, thème)."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    # The library drops the page reload of a change made less than 3 s after the last one (a
    # guard for slow builds): a second save soon after the first was rebuilt, but the open page
    # kept showing the first. Our rebuilds take a fraction of a second: reload after each one.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    rebuild_quietly = _quiet_rebuilder(root)
    rebuild_quietly()
    server = Server()
    watched = ("pelicanconf.py", "pros/*.yml", "content/**/*", "theme/**/*", "labulle/**/*.py")
    for pattern in watched:
        server.watch(str(root / pattern), rebuild_quietly)
    server.serve(host=HOST, port=port, root=str(root / OUTPUT))
    return 0


def _quiet_rebuilder(root: Path) -> Callable[[], None]:
    """The rebuild livereload runs on each change: it reports and keeps serving, always."""
    from labulle.build.incremental import BuildMemory
    from labulle.commands.guard import failure

    memory = BuildMemory()  # this process's: what each rebuild leaves for the next

    def index_quietly() -> None:
        try:
            search_index(root)
        except LabulleError as error:
            sys.stderr.write(f"{failure(error, '', root)[0]}\n")

    def rebuild_quietly() -> None:
        try:
            live_rebuild(root, memory)
        except Exception as error:  # noqa: BLE001 - keep serving: a refusal is printed, a bug
            sys.stderr.write(f"{failure(error, 'la reconstruction du site', root)[0]}\n")
            return  # is one French line with its traceback in the error log (guard)
        # The search index follows in the background: the page reloads without waiting.
        threading.Thread(target=index_quietly, daemon=True).start()

    return rebuild_quietly


@click.command(cls=FrenchCommand)
@root_option
@click.option("--dry-run", is_flag=True, help="tout faire sauf l'envoi : montre ce qui changerait")
def publish(root: Path, dry_run: bool) -> int:
    """Vérifie, construit (publish.py), indexe, précompresse et met en ligne d'un seul coup."""
    from labulle.publish import PublishError
    from labulle.publish import publish as run_publish

    try:
        run_publish(root, dry_run=dry_run)
    except PublishError as error:  # its message says it all (« Publication annulée : … »)
        print(error, file=sys.stderr)
        return 1
    return 0


COMMANDS = (build, rebuild, serve, livereload, publish)
