"""One intake run: every message of every source, a French summary and a diff for each.

Without `--apply` nothing is written. With it, each usable message's file is written whole and
atomically (a temporary file, then a rename); a message whose sender is not verified
(labulle/mail/intake/sender.py) is written only with `--force`. Each message is read, refused or
applied on its own: a broken one is reported and the batch goes on, and the summary counts them
all. Everything printed goes through `escaped`: no control character of a message reaches the
terminal. Exit status: 0 when every message was usable, 1 otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from labulle.atomic import write_file as write_atomically
from labulle.errors import LabulleError, UsageError
from labulle.mail.intake.dispatch import find_handler
from labulle.mail.intake.extract import message_body
from labulle.mail.intake.project import Project
from labulle.mail.intake.signup_csv import import_csv
from labulle.mail.intake.sources import Incoming, read_sources
from labulle.mail.intake.updates import (
    APPLIED,
    OLDER,
    REFUSED,
    TO_APPLY,
    TO_READ,
    UNVERIFIED,
    Options,
    Outcome,
)
from labulle.mail.listing import new_pro_subject, update_subject
from labulle.text import escaped


def handle(incoming: Incoming, options: Options) -> Outcome:
    """The outcome of one message (never raises on a bad message)."""
    if incoming.message is None:
        return Outcome(incoming.label, status=REFUSED, reasons=[incoming.problem or "illisible"])
    try:
        subject = str(incoming.message["Subject"] or "")
    except Exception as exc:  # noqa: BLE001 - re-raised unless the email parser failed
        if not message_fault(exc):
            raise
        subject = ""
    found = find_handler(subject)
    if found is None:
        tag = options.currency["mail_tag"]
        cut = subject[:200] + ("…" if len(subject) > 200 else "")
        shown = f"« {cut} »" if subject.strip() else "(aucun objet)"
        return Outcome(incoming.label, status=REFUSED, reasons=[
            f"objet non reconnu {shown} : « {update_subject('<identifiant>', tag)} » ou "
            f"« {new_pro_subject(tag)} » attendu"])
    handler, match = found
    try:
        if message_body(incoming.message).only_tnef:
            return Outcome(incoming.label, handler.name, match.groupdict().get("slug"),
                           status=REFUSED, reasons=[TNEF])
        return handler.function(incoming.label, incoming.message, match, options)
    except LabulleError as exc:
        return Outcome(incoming.label, handler.name, status=REFUSED, reasons=[str(exc)])
    except Exception as exc:  # noqa: BLE001 - one broken message must not stop the batch,
        if not message_fault(exc):  # but a bug of ours must reach the guard (exit 3, log)
            raise
        return Outcome(incoming.label, handler.name, status=REFUSED,
                       reasons=[f"message inexploitable ({exc.__class__.__name__} : {exc})"])


# Where a malformed message makes the standard library fail: its email package (headers,
# MIME structure), its codecs and its transfer decoders.
_PARSER_MODULES = {"email", "encodings", "codecs", "quopri", "base64", "binascii", "uu"}


def message_fault(error: BaseException) -> bool:
    """Whether `error` comes from reading a malformed message, not from a bug of ours.

    An unknown or wrong charset (LookupError, UnicodeError) is the message's, wherever it is
    raised; any other exception is the message's only when the innermost frame of its
    traceback is in one of the parser modules above.
    """
    if type(error) is LookupError or isinstance(error, UnicodeError):  # codecs.lookup, decode
        return True
    frame, tb = None, error.__traceback__
    while tb is not None:
        frame, tb = tb.tb_frame, tb.tb_next
    module = frame.f_globals.get("__name__", "") if frame is not None else ""
    return module.split(".")[0] in _PARSER_MODULES


TNEF = ("message Outlook au format winmail.dat (TNEF) : demandez au pro de renvoyer en "
        "texte simple")


def commit(outcome: Outcome, options: Options) -> None:
    """Write the outcome's file when it is allowed to; updates the status."""
    if not options.apply or outcome.write is None:
        return
    forced = options.force and outcome.status in (UNVERIFIED, OLDER)
    allowed = outcome.status == TO_APPLY or forced
    if not allowed:
        return
    slug, text, create = outcome.write
    path = options.project.path(slug)
    try:
        write_atomically(path, text, create=create)
    except FileExistsError:
        outcome.status = REFUSED
        outcome.reasons.append(f"pros/{slug}.yml a été créé entre-temps : rien n'a été écrit")
        return
    except OSError as exc:
        outcome.status = REFUSED
        outcome.reasons.append(f"pros/{slug}.yml : écriture impossible "
                               f"({exc.strerror or exc.__class__.__name__}) : rien n'a été écrit")
        return
    outcome.status = APPLIED


def report(outcome: Outcome, options: Options, out: TextIO) -> None:
    """The outcome in French, every line escaped (see the module doc)."""
    title = f"== {outcome.label}"
    if outcome.kind != "?":
        title += f" — {outcome.kind}" + (f" : {outcome.slug}" if outcome.slug else "")
    lines = [title] + [f"   {line}" for line in outcome.summary + outcome.notes]
    lines += outcome.diff.rstrip("\n").split("\n") if outcome.diff else []
    lines.append(f"   → {_verdict(outcome, options)}")
    lines += [f"     {reason}" for reason in outcome.reasons]
    for line in lines:
        print(escaped(line), file=out)
    print(file=out)


def _verdict(outcome: Outcome, options: Options) -> str:
    if outcome.status == APPLIED:
        return "Appliqué" + (" (forcé)" if options.force else "") + "."
    if outcome.status == TO_APPLY:
        return "Utilisable : relancez avec --apply pour l'écrire."
    if outcome.status == UNVERIFIED:
        return ("Non appliqué : expéditeur non vérifié. Vérifiez auprès du pro (téléphone), "
                "puis relancez avec --apply --force.")
    if outcome.status == OLDER:
        return ("Non appliqué : message plus ancien que la dernière vérification "
                "(--force pour l'appliquer).")
    if outcome.status == REFUSED:
        return "Inutilisable :"
    if outcome.status == TO_READ:
        return ("Signalement à lire : rien n'est modifié. Vérifiez auprès du pro avant de "
                "corriger la fiche.")
    return "Déjà à jour : rien à changer."


def run(paths: Iterable[Path], options: Options, out: TextIO = sys.stdout) -> int:
    outcomes = []
    for incoming in read_sources(paths):
        outcome = handle(incoming, options)
        commit(outcome, options)
        report(outcome, options, out)
        outcomes.append(outcome)
    usable = sum(o.usable for o in outcomes)
    applied = sum(o.status == APPLIED for o in outcomes)
    print(f"{len(outcomes)} message(s) : {usable} utilisable(s), {len(outcomes) - usable} à revoir"
          + (f", {applied} fiche(s) écrite(s)." if options.apply else " (rien n'a été écrit)."),
          file=out)
    return 0 if outcomes and usable == len(outcomes) else 1


def command(root: Path, sources: list[Path], apply: bool = False, force: bool = False,
            today: date | None = None, ledger_db: str | None = None,
            signups_csv: list[Path] | None = None) -> int:
    """`labulle intake FICHIER... [--apply [--force]] [--signups-csv FICHIER]`."""
    if not sources and not signups_csv:
        raise UsageError("donnez des courriels à lire ou --signups-csv FICHIER")
    site = _site_options(root)
    site_today = site.pop("today")
    options = Options(Project(root), apply, force, today or site_today, ledger_db=ledger_db,
                      **site)
    code = run(sources, options) if sources else 0
    for csv_file in signups_csv or []:
        code = max(code, import_csv(csv_file, root, ledger_db, apply))
    return code


def main(argv: list[str] | None = None) -> int:
    """The same as `labulle intake ARGS`."""
    from labulle.commands.cli import main as labulle

    return labulle(argv, command="intake")


def _site_options(root: Path) -> dict[str, Any]:
    """From the site's pelicanconf.py (the defaults without one): LABULLE_INTAKE_AUTHSERV_ID,
    LABULLE_IDENTITY and the site's one clock, LABULLE_TODAY (no date written by the intake is
    after it); reading it leaves no __pycache__ in the site."""
    from labulle.source import sitesettings
    from labulle.source.settings import identity, reference_date, setting

    settings: dict[str, Any] = {}
    if (root / "pelicanconf.py").is_file():
        quiet = sys.dont_write_bytecode
        sys.dont_write_bytecode = True
        try:
            settings = sitesettings.read(root)
        finally:
            sys.dont_write_bytecode = quiet
    try:
        today = reference_date(settings)
    except (TypeError, ValueError) as exc:
        raise LabulleError(f"pelicanconf.py : LABULLE_TODAY = {settings.get('LABULLE_TODAY')!r} "
                           "n'est pas une date (AAAA-MM-JJ) : aucun courriel n'a été lu") from exc
    return {"authserv_id": setting(settings, "LABULLE_INTAKE_AUTHSERV_ID"),
            "currency": identity(settings), "today": today}


if __name__ == "__main__":
    sys.exit(main())
