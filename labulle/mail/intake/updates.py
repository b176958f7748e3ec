"""The two kinds of listing messages: an update of a pro's listing, and a new pro.

Each handler reads the message's `clé : valeur` lines, computes the new file, validates it with
the checker's reader and returns an `Outcome` (summary, diff, and what may be written).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

from labulle.mail import listing
from labulle.mail.intake import names
from labulle.mail.intake.apply import DELETE, new_file, patch
from labulle.mail.intake.extract import Body, Found, find_values, message_body
from labulle.mail.intake.project import Project
from labulle.mail.intake.sender import Sender
from labulle.mail.intake.sender import check as check_sender
from labulle.model.directory import slugify
from labulle.source.schema import SLUG_PATTERN, Pro
from labulle.source.settings import DEFAULTS
from labulle.text import control_char, escaped

PARIS = ZoneInfo("Europe/Paris")
SLUG = rf"(?P<slug>{SLUG_PATTERN})"

# Statuses of a message, and whether the webmaster can take it as it is ("usable").
APPLIED, TO_APPLY, UP_TO_DATE, REFUSED, UNVERIFIED, OLDER = (
    "appliqué", "à appliquer", "déjà à jour", "refusé", "expéditeur non vérifié",
    "plus ancien que la fiche")
USABLE = {APPLIED, TO_APPLY, UP_TO_DATE}
#: A resident's report (feedback.py): listed for the webmaster to read, never written.
TO_READ = "signalement à lire"


@dataclass
class Outcome:
    """What one message gives."""

    label: str
    kind: str = "?"
    slug: str | None = None
    status: str = REFUSED
    reasons: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # attachments, ignored lines, free text
    diff: str = ""
    # what --apply writes: (slug, new text, create) ; None when nothing is to be written
    write: tuple[str, str, bool] | None = None

    @property
    def usable(self) -> bool:
        return self.status in USABLE


@dataclass
class Options:
    project: Project
    apply: bool = False
    force: bool = False
    today: date = field(default_factory=date.today)
    ledger_db: str | None = None  # the ledger's database, for the pilot's sign-ups (signup.py)
    # the association's receiving server, as it names itself in Authentication-Results
    authserv_id: str | None = DEFAULTS["LABULLE_INTAKE_AUTHSERV_ID"]
    # the site's LABULLE_IDENTITY: the tag of its subjects, the wording of its sign-up form
    currency: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS["LABULLE_IDENTITY"]))


# --- message facts ----------------------------------------------------------------------------

def shown_sender(message: EmailMessage) -> str:
    """The From header as displayed, on one line ("" when absent)."""
    return " ".join(str(message["From"] or "").split())


def sent_on(message: EmailMessage, today: date | None = None) -> date | None:
    """The day the message was sent, in Paris; None without a readable date or when the date is
    after `today` (a wrong clock, or a date set to keep crisis information fresh for ever)."""
    try:
        when: datetime = parsedate_to_datetime(str(message["Date"]))
        if when.tzinfo is None:
            when = when.replace(tzinfo=ZoneInfo("UTC"))
        day = when.astimezone(PARIS).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return None if today is not None and day > today else day


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} Mo".replace(".", ",")
    return f"{max(1, round(n / 1000))} ko"


def _common_summary(outcome: Outcome, message: EmailMessage, body: Body, found: Found,
                    today: date) -> None:
    future = sent_on(message)
    if future is not None and future > today:
        outcome.notes.append(f"Remarque : message daté du {future.isoformat()}, après "
                             "aujourd'hui : la date du jour est retenue")
    outcome.notes += [f"Remarque : {note}" for note in body.notes]
    outcome.notes += [f"Pièce jointe ignorée : {name} ({_size(size)}) — à traiter à la main"
                      for name, size in body.attachments]
    outcome.notes += _capped([f"Ligne ignorée : {note}" for note in found.unknown])
    outcome.notes += _capped([f"Attention : {note}" for note in found.conflicts])
    if found.remarks:
        outcome.notes.append("Texte libre du message (à lire) :")
        outcome.notes += [f"  | {line}" for line in found.remarks]


def _capped(notes: list[str], most: int = 20) -> list[str]:
    """At most `most` notes of a kind, then how many more (a message of 3,000 lines)."""
    if len(notes) <= most:
        return notes
    return [*notes[:most], f"… et {len(notes) - most} autre(s) du même genre"]


def _typed(found: Found, outcome: Outcome, project: Project) -> dict[str, Any]:
    """The values of the message, typed (the pros and categories of a list of references may
    be named: `names`); unparsable ones become refusal reasons."""
    values = {}
    outcome.reasons += found.errors
    for key, text in found.values.items():
        if listing.UNCHANGED_RE.fullmatch(text.strip()):
            continue
        control = control_char(text)
        if control:
            outcome.reasons.append(f"{key} : caractère de contrôle {control} interdit "
                                   "dans une fiche")
            continue
        rule = names.rule_of(key)
        try:
            if rule is not None:
                text = names.as_identifiers(text, project.names_of(rule), rule)
            values[key] = listing.parse_value(key, text)
        except listing.ValueProblem as problem:
            outcome.reasons.append(f"{key} : {problem}")
    return values


def _diff(slug: str, old: str, new: str) -> str:
    name = f"pros/{slug}.yml"
    return "".join(difflib.unified_diff(old.splitlines(keepends=True),
                                        new.splitlines(keepends=True),
                                        f"a/{name}", f"b/{name}"))


def _show(value: Any) -> str:
    return "(retiré)" if value is None else (listing.value_text(value) or "(vide)")


# --- update of a listing ----------------------------------------------------------------------

def update(label: str, message: EmailMessage, match: Any, options: Options) -> Outcome:
    outcome = Outcome(label, "mise à jour", match.group("slug"))
    current = current_listing(outcome, options)
    if current is None:
        return outcome
    pro, old_text = current
    sender = check_sender(message, pro_emails(pro), options.authserv_id)
    when = sent_on(message, options.today)
    body = message_body(message)
    found = find_values(body.text)
    sender_summary(outcome, pro, sender, when)
    _common_summary(outcome, message, body, found, options.today)
    if not found.values and not found.errors:
        return refuse(outcome, "aucune ligne « clé : valeur » reconnue dans le message")
    values = _typed(found, outcome, options.project)
    if outcome.reasons:
        return refuse(outcome, *outcome.reasons)
    changes = _changes(pro, values)
    edits = _edits(pro, changes) + _confirmations(pro, found, changes, when or options.today)
    _changes_summary(outcome, pro, changes)
    if not edits:
        outcome.status = UP_TO_DATE
        return outcome
    if patched(outcome, options.project, old_text, edits):
        judge(outcome, sender, pro, when, bool(changes))
    return outcome


def current_listing(outcome: Outcome, options: Options,
                    expected: str | None = None) -> tuple[Pro, str] | None:
    """The listing the subject names, and its text; None (the outcome refused) when the subject
    names none, when there is no such file, or when the file has errors. `expected` is the
    subject to show when there is no slug (default: the update's)."""
    if not named_listing(outcome, options, expected):
        return None
    slug, project = str(outcome.slug), options.project
    old_text = project.path(slug).read_text(encoding="utf-8")
    pro, problems = project.read(slug, old_text)
    if pro is None or problems:
        refuse(outcome, "la fiche actuelle a des erreurs, corrigez-la d'abord "
                         "(invoke check) :", *problems)
        return None
    return pro, old_text


def named_listing(outcome: Outcome, options: Options, expected: str | None = None) -> bool:
    """Whether the subject names a pro file that exists (else the outcome is refused)."""
    slug, project = outcome.slug, options.project
    if not slug:
        expected = expected or listing.update_subject("<identifiant>",
                                                      options.currency["mail_tag"])
        refuse(outcome, f"pas d'identifiant de fiche dans l'objet (« {expected} » attendu)")
        return False
    if not project.path(slug).exists():
        close = project.close_slugs(slug)
        hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
        refuse(outcome, f"aucune fiche « {slug} » dans pros/ : rien n'est modifié{hint}")
        return False
    return True


def sender_summary(outcome: Outcome, pro: Pro, sender: Sender, when: date | None) -> None:
    outcome.summary.append(f"Fiche : {pro.nom} (pros/{outcome.slug}.yml)")
    outcome.summary.append(f"De : {sender.shown or '(inconnu)'} — "
                           + (f"expéditeur vérifié ({sender.reason})" if sender.verified else
                              f"EXPÉDITEUR NON VÉRIFIÉ : {sender.reason}")
                           + (f" — envoyé le {when.isoformat()}" if when else " — sans date"))


def _changes(pro: Pro, values: dict[str, Any]) -> dict[str, Any]:
    """The message's values that differ from the listing (removing an absent value is none)."""
    return {key: value for key, value in values.items()
            if not listing.same_value(listing.current_value(pro, key), value)
            and not (value is DELETE and listing.current_value(pro, key) in (None, []))}


def _confirmations(pro: Pro, found: Found, changes: dict[str, Any],
                   confirmed: date) -> list[tuple[list, Any]]:
    """The listing's verifie_le, and its crisis block's when the message speaks of the crisis,
    moved forward to the message's day."""
    edits: list[tuple[list, Any]] = []
    if pro.verifie_le is None or confirmed > pro.verifie_le:
        edits.append((["verifie_le"], confirmed))
    crisis_told = any(key.startswith("crise.") for key in found.values)
    if crisis_told and (pro.crise or any(k.startswith("crise.") for k in changes)):
        previous = pro.crise.verifie_le if pro.crise else None
        if previous is None or confirmed > previous:
            edits.append((["crise", "verifie_le"], confirmed))
    return edits


def _changes_summary(outcome: Outcome, pro: Pro, changes: dict[str, Any]) -> None:
    outcome.summary.append(f"Modifications : {len(changes)}" + (" (confirmation sans changement)"
                                                               if not changes else ""))
    for key, value in changes.items():
        before = _show(listing.current_value(pro, key))
        outcome.summary.append(f"  {key} : {before} → {_show(value)}")


def patched(outcome: Outcome, project: Project, old_text: str,
             edits: list[tuple[list, Any]]) -> bool:
    """Apply the edits to the file's text and check the result: the diff and what to write, or
    the outcome refused (False)."""
    slug = str(outcome.slug)
    patched = patch(old_text, edits)
    if patched.rewritten:
        outcome.summary.append("Attention : la mise en forme du fichier a dû être réécrite "
                               "(relisez le diff en entier)")
    _, problems = project.read(slug, patched.text)
    if problems:
        refuse(outcome, "les nouvelles valeurs ne passent pas la vérification :", *problems)
        return False
    outcome.diff = _diff(slug, old_text, patched.text)
    outcome.write = (slug, patched.text, False)
    return True


def judge(outcome: Outcome, sender: Sender, pro: Pro, when: date | None, changed: bool) -> None:
    """Whether the webmaster can take the change as it is: not from an unverified sender, nor
    changes older than the listing's last check."""
    if not sender.verified:
        outcome.status = UNVERIFIED
        outcome.reasons.append(f"expéditeur non vérifié : {sender.reason}")
    elif changed and when is not None and pro.verifie_le is not None and when < pro.verifie_le:
        outcome.status = OLDER
        outcome.reasons.append(f"message du {when}, la fiche a été vérifiée depuis "
                               f"(verifie_le : {pro.verifie_le})")
    else:
        outcome.status = TO_APPLY


def pro_emails(pro: Pro) -> set[str]:
    return {pro.contact.email.lower()} if pro.contact and pro.contact.email else set()


def _edits(pro: Pro, changes: dict[str, Any]) -> list[tuple[list, Any]]:
    """YAML edits for the changes; the lines of a new list item make one edit (the whole item)."""
    edits: list[tuple[list, Any]] = []
    new_items: dict[tuple, dict[str, Any]] = {}
    for key, value in changes.items():
        path = listing.yaml_path(key)
        index = next((i for i, part in enumerate(path) if isinstance(part, int)), None)
        if index is not None and value is not DELETE:
            items = listing.current_value(pro, ".".join(str(p) for p in path[:index])) or []
            if path[index] >= len(items):
                item = new_items.setdefault(tuple(path[:index + 1]), {})
                _put(item, path[index + 1:], value)
                continue
        edits.append((path, value))
    base = {}
    for item_path in sorted(new_items, key=lambda p: p[-1]):
        head = item_path[:-1]
        base.setdefault(head, len(listing.current_value(pro, ".".join(map(str, head))) or []))
        edits.append(([*head, base[head]], new_items[item_path]))
        base[head] += 1
    return edits


def _put(tree: dict, path: list, value: Any) -> None:
    for part in path[:-1]:
        tree = tree.setdefault(part, {})
    tree[path[-1]] = value


def refuse(outcome: Outcome, *reasons: str) -> Outcome:
    outcome.status = REFUSED
    outcome.reasons = list(dict.fromkeys(reasons))
    outcome.write = None
    return outcome


# --- new pro ----------------------------------------------------------------------------------

def new_pro(label: str, message: EmailMessage, match: Any, options: Options) -> Outcome:
    outcome = Outcome(label, "nouveau pro")
    project = options.project
    shown = escaped(shown_sender(message))  # it goes into the file's header comment
    when = sent_on(message, options.today) or options.today
    body = message_body(message)
    found = find_values(body.text)
    outcome.summary.append(f"De : {shown or '(inconnu)'} — envoyé le {when.isoformat()}")
    _common_summary(outcome, message, body, found, options.today)
    values = {k: v for k, v in _typed(found, outcome, options.project).items()
              if v is not DELETE}
    if outcome.reasons:
        return refuse(outcome, *outcome.reasons)
    if not values.get("nom"):
        return refuse(outcome, "pas de nom : la ligne « nom : … » est obligatoire")
    slug = outcome.slug = slugify(str(values["nom"]))
    if not slug:
        return refuse(outcome, f"« {values['nom']} » : impossible d'en tirer un identifiant")
    if project.path(slug).exists():
        return refuse(outcome, f"pros/{slug}.yml existe déjà : s'il s'agit du même pro, "
                                "reportez les valeurs à la main")
    tree: dict[str, Any] = {}
    for key, value in values.items():
        _put(tree, listing.yaml_path(key), value)
    tree = _lists_of_items(tree)
    tree["verifie_le"] = when
    tree["brouillon"] = True
    header = (f"Fiche créée par « invoke intake » depuis le courriel de {shown or 'inconnu'} "
              f"du {when.isoformat()}.\nBrouillon : vérifiez-la avec le pro, puis passez "
              "brouillon à false pour la publier.")
    text = new_file(tree, header)
    _, problems = project.read(slug, text)
    if problems:
        return refuse(outcome, "les valeurs ne passent pas la vérification :", *problems)
    outcome.summary.insert(0, f"Nouvelle fiche : {values['nom']} (pros/{slug}.yml, en brouillon)")
    outcome.diff = _diff(slug, "", text)
    outcome.write = (slug, text, True)
    outcome.status = TO_APPLY
    return outcome


def _lists_of_items(tree: Any) -> Any:
    """{0: {...}, 1: {...}} (numbered items) → [{...}, {...}]."""
    if not isinstance(tree, dict):
        return tree
    if tree and all(isinstance(k, int) for k in tree):
        return [_lists_of_items(tree[k]) for k in sorted(tree)]
    return {k: _lists_of_items(v) for k, v in tree.items()}
