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
    invoke events URL   refresh content/data/agenda.ics from Dolibarr's iCalendar export
    invoke social       print the 11 o'clock Facebook post (food pros open today, baskets)

`invoke --list` shows every task; `invoke --help TASK` its options.
"""

from __future__ import annotations

import errno
import os
import shlex
import sys
import threading
from pathlib import Path

from invoke import Exit

from labulle.commands.guard import (  # invoke's @task; errors: one French line, no traceback
    failure,
    task,
)

ROOT = Path(__file__).parent
SETTINGS = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publish.py",
    "deploy_path": "output",
    "host": "localhost",
    "port": 8000,
}


def pelican_run(args: str, memory=None) -> None:
    """Run Pelican in this process; extra arguments after `--` are passed through. `memory`
    (labulle.build.incremental.BuildMemory): what the previous build left, for livereload."""
    from labulle.build.pelicanrun import run

    run(shlex.split(args), memory)


@task(help={"pros": "dossier des fiches à vérifier (défaut : pros/)", "json": "sortie JSON",
            "github": "annotations ::error pour GitHub Actions",
            "codequality": "écrit le rapport Code Quality de GitLab dans ce fichier"})
def check(c, pros=None, json=False, github=False, codequality=None):
    """Vérifie toutes les fiches, les catégories et les articles ; code 1 s'il y a une erreur."""
    from labulle.source.check import main as check_main

    argv = ["--root", str(ROOT)] + (["--pros", pros] if pros else []) + (["--json"] if json else [])
    argv += ["--github"] if github else []
    argv += ["--codequality", codequality] if codequality else []
    code = check_main(argv)
    if code:
        raise Exit(code=code)


def _build(settings_file: str, extra: str = "", index: bool = True, memory=None) -> None:
    """Build (the plugin loads and checks the data once, and stops on any problem)."""
    fatal = "--fatal warnings " if os.environ.get("CI") else ""
    pelican_run(f"-s {settings_file} {fatal}{extra}", memory)
    if index:
        _search_index()


def _search_index() -> None:
    """Index output/ for /recherche/ (Pagefind, about half a second)."""
    from labulle.pages.search import SearchIndexError, build_index

    try:
        build_index(ROOT / SETTINGS["deploy_path"])
    except SearchIndexError as error:
        raise Exit(f"Erreur : {error}", code=1) from None


@task(help={"fatal": "les avertissements de Pelican font échouer la construction"})
def build(c, fatal=False):
    """Vérifie les données puis construit le site dans output/."""
    if fatal:
        os.environ["CI"] = os.environ.get("CI", "1")
    _build(SETTINGS["settings_base"])


@task
def rebuild(c):
    """Comme build, en effaçant d'abord output/."""
    _build(SETTINGS["settings_base"], "-d")


def _port(value: str) -> int:
    """The --port option as a number (a string for invoke: its own int() would traceback)."""
    if not (value.isascii() and value.isdigit() and 0 < int(value) < 65536):
        raise Exit(f"Erreur : port « {value} » invalide : un nombre de 1 à 65535 est attendu.",
                   code=2)
    return int(value)


@task(help={"port": "port du serveur (défaut 8000)"})
def serve(c, port=str(SETTINGS["port"])):
    """Sert output/ sur http://localhost:8000 (Ctrl-C pour arrêter)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    try:
        server = RootedHTTPServer(SETTINGS["deploy_path"], (SETTINGS["host"], _port(port)),
                                  ComplexHTTPRequestHandler)
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise
        raise Exit(f"Erreur : le port {port} est déjà utilisé par un autre programme ; "
                   "essayez --port 8001.", code=1) from None
    sys.stderr.write(f"Site servi sur http://{SETTINGS['host']}:{port}/ (Ctrl-C pour arrêter)\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


def _index_quietly() -> None:
    try:
        _search_index()
    except Exit as stop:
        sys.stderr.write(f"{stop}\n")


@task(help={"port": "port du serveur (défaut 8000)"})
def livereload(c, port=str(SETTINGS["port"])):
    """Construit, sert le site et le reconstruit à chaque modification (pros, articles, thème)."""
    from livereload import Server

    from labulle.build.incremental import BuildMemory

    memory = BuildMemory()  # this process's: what each rebuild leaves for the next

    def rebuild_quietly() -> None:
        try:
            _build(SETTINGS["settings_base"], "-e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true",
                   index=False, memory=memory)
        except (Exit, SystemExit) as stop:  # keep serving: the errors were printed
            sys.stderr.write(f"{stop}\n")
            return
        except Exception as error:  # keep serving: one French line, the details in the log
            sys.stderr.write(f"{failure(error, 'la reconstruction du site', ROOT)[0]}\n")
            return
        # The search index follows in the background: the page reloads without waiting.
        threading.Thread(target=_index_quietly, daemon=True).start()

    rebuild_quietly()
    server = Server()
    watched = ("pelicanconf.py", "pros/*.yml", "content/**/*", "theme/**/*", "labulle/**/*.py")
    for pattern in watched:
        server.watch(pattern, rebuild_quietly)
    server.serve(host=SETTINGS["host"], port=_port(port), root=SETTINGS["deploy_path"])


@task(help={"dry_run": "tout faire sauf l'envoi : montre ce qui changerait"})
def publish(c, dry_run=False):
    """Vérifie, construit (publish.py), indexe, précompresse et met en ligne d'un seul coup."""
    from labulle.publish import PublishError
    from labulle.publish import publish as run_publish

    try:
        run_publish(ROOT, dry_run=dry_run)
    except PublishError as error:
        raise Exit(f"{error}", code=1) from None


@task(name="intake-signups",
      help={"fichier": "export CSV du service de formulaires",
            "apply": "enregistre les inscriptions utilisables dans le grand livre",
            "ledger_db": "base du grand livre (sinon $BULLE_LEDGER_DB), hors du dossier du site"})
def intake_signups(c, fichier, apply=False, ledger_db=None):
    """Lit les inscriptions au test de la Bulle numérique d'un export CSV.

    Sans --apply : aperçu seulement.
    """
    from labulle.mail.intake.signup_csv import import_csv

    code = import_csv(Path(fichier), ROOT, ledger_db, apply)
    if code:
        raise Exit(code=code)


@task(name="new-pro", help={"nom": "nom du pro, entre guillemets"})
def new_pro(c, nom):
    """Crée pros/<identifiant>.yml à partir du modèle commenté (sans jamais écraser)."""
    from labulle.commands.newpro import NewProError
    from labulle.commands.newpro import new_pro as create

    try:
        path = create(nom, ROOT / "pros")
    except NewProError as error:
        raise Exit(f"Erreur : {error}", code=1) from None
    print(f"Fiche créée : {path.relative_to(ROOT)} "
          "(brouillon : passez brouillon à false pour publier)")


@task
def schema(c):
    """Écrit pros/schema.json, le schéma JSON des fiches (complétion dans l'éditeur)."""
    from labulle.source.jsonschema import write_schema

    path = write_schema(ROOT / "pros" / "schema.json")
    print(f"Schéma écrit : {path.relative_to(ROOT)}")


@task(help={"date": "jour du message, AAAA-MM-JJ (défaut : date de référence du site)"})
def social(c, date=None):
    """Affiche le message de 11 h pour la page Facebook.

    Les pros de l'alimentation ouverts ce jour-là, les paniers encore à commander, le lien.
    """
    from labulle.commands.social import main as social_main

    code = social_main(["--root", str(ROOT)] + (["--date", date] if date else []))
    if code:
        raise Exit(code=code)


@task(iterable=["source"], help={
    "source": "fichier .eml, mbox ou dossier Maildir (plusieurs : répétez, ou donnez-les après --)",
    "apply": "écrit les modifications utilisables (sinon : aperçu seulement)",
    "force": "avec --apply : écrit aussi les messages d'un expéditeur non vérifié"})
def intake(c, source, apply=False, force=False):
    """Lit les courriels des pros et montre (ou applique) les modifications de leurs fiches.

    Exemples : invoke intake --source ~/Mail/bulle ; invoke intake --apply -- a.eml b.mbox
    Code 1 si un message est à revoir.
    """
    from labulle.mail.intake.run import main as intake_main

    sources = list(source) + shlex.split(getattr(c, "remainder", "") or "")
    if not sources:
        raise Exit("Donnez au moins un message : invoke intake --source FICHIER "
                   "(ou invoke intake -- FICHIER...)", code=2)
    argv = ["--root", str(ROOT), *sources] + (["--apply"] if apply else []) + (
        ["--force"] if force else [])
    code = intake_main(argv)
    if code:
        raise Exit(code=code)


@task(help={"out": "dossier où écrire les lettres (.eml)", "send": "envoie vraiment (SMTP)",
            "log": "journal des envois (défaut : .labulle/letters-sent.jsonl)",
            "only": "identifiants des pros, séparés par des virgules"})
def letters(c, out, send=False, log=None, only=None):
    """Écrit la lettre de l'association à chaque pro publié ; --send l'envoie (jamais deux fois)."""
    from labulle.mail.letters import main as letters_main

    argv = ["--root", str(ROOT), "--out", out] + (["--send"] if send else []) + (
        ["--log", log] if log else []) + (["--only", only] if only else [])
    code = letters_main(argv)
    if code:
        raise Exit(code=code)


@task(help={"csv": "écrit aussi la liste dans ce fichier CSV (hors du site)",
            "date": "date de référence AAAA-MM-JJ (défaut : celle du site)"})
def members(c, csv=None, date=None):
    """Liste les pros dont la cotisation de l'année n'est pas payée (données personnelles)."""
    from labulle.commands.members import main as members_main

    code = members_main(["--root", str(ROOT)] + (["--csv", csv] if csv else []) + (
        ["--date", date] if date else []))
    if code:
        raise Exit(code=code)


@task(help={"url": "lien d'export iCalendar de l'agenda de Dolibarr"})
def events(c, url):
    """Met à jour content/data/agenda.ics depuis l'export iCalendar de Dolibarr."""
    from labulle.commands.events_fetch import main as events_main

    code = events_main([url, "--root", str(ROOT)])
    if code:
        raise Exit(code=code)
