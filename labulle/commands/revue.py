"""`invoke revue`: the webmaster's review list, the pros to check, most urgent first.

Each pro to check comes with WHY (every reason, in French) and HOW TO REACH it (phone, email,
crisis order phone). Like `invoke members`, this command reads the full records of the published
pros (`Directory.private_records`), private phone numbers and addresses included, on purpose: it
runs on the webmaster's machine and prints to the terminal, or writes a CSV or letters to places
chosen by the webmaster, never inside the site (output/, content/, theme/, pros/).

The urgency (one rank per reason, the pro taking its most urgent one): informations anciennes,
jamais vérifiée, situation de crise à confirmer (in crisis mode, crisis data older than
LABULLE_CRISIS_STALE_DAYS and not over, as the crisis pages say it), à revérifier bientôt, fiche
incomplète (no hours, no public contact, no position for a shop: a pro with an address; itinerant
pros with a `zone` or markets need none). Within a rank, the oldest `verifie_le` first, then the
name. Drafts and pros who left are not listed (`is_published`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from labulle import csvsafe
from labulle.model import crisis
from labulle.model.directory import sort_key
from labulle.model.freshness import LABELS, Freshness, freshness, thresholds
from labulle.model.public import public_contact
from labulle.pages.filters import date_fr, phone_fr
from labulle.source.schema import Pro
from labulle.source.settings import setting

#: Ranks, most urgent first: the order of the list.
RANKS: tuple[str, ...] = ("old", "never", "crisis", "soon", "incomplete")
CSV_HEADERS = ("Ordre", "Nom", "Identifiant", "Fichier", "Urgence", "Vérifiée le", "Motifs",
               "Téléphone", "Courriel", "Tél. commande (crise)", "Contacts privés")
#: The French name of each rank (the freshness states' own words, from the one rule).
RANK_LABELS = {**{state: LABELS[state] for state in ("old", "never", "soon")},
               "crisis": "situation de crise à confirmer", "incomplete": "fiche incomplète"}


@dataclass(frozen=True)
class Review:
    """One pro to check: its full record, its rank and its reasons."""

    pro: Pro
    rank: str
    reasons: tuple[str, ...]

    @property
    def key(self) -> tuple[int, date, str]:
        return RANKS.index(self.rank), self.pro.verifie_le or date.min, sort_key(self.pro.nom)


@dataclass(frozen=True)
class Rules:
    """What the reasons are measured against: the day, the freshness limits, crisis mode."""

    today: date
    limits: tuple[int, int]
    crisis_mode: bool
    crisis_days: int

    @classmethod
    def of(cls, settings: dict[str, Any], today: date) -> Rules:
        return cls(today, thresholds(settings), bool(setting(settings, "LABULLE_CRISIS_MODE")),
                   int(setting(settings, "LABULLE_CRISIS_STALE_DAYS")))


def _checked(day: date, ago: str) -> str:
    return f"le {date_fr(day, weekday=False)}, il y a {ago}"


def freshness_reason(state: Freshness) -> str | None:
    """The reason a pro's freshness gives (None when it is « vérifiée »)."""
    if state.state == "never":
        return f"{state.label} : la fiche n'a pas de date « verifie_le »"
    if state.state == "fresh" or state.checked is None:
        return None
    return f"{state.label} : vérifiée {_checked(state.checked, f'{state.months} mois')}"


def crisis_reason(pro: Pro, rules: Rules) -> str | None:
    """« situation de crise à confirmer » when the crisis data shown are stale."""
    crise = pro.crise
    if not rules.crisis_mode or crise is None or crisis.is_over(crise, rules.today):
        return None
    if not crisis.is_stale(crise, rules.today, rules.crisis_days):
        return None
    if crise.verifie_le is None:
        return f"{RANK_LABELS['crisis']} : jamais confirmée"
    days = (rules.today - crise.verifie_le).days
    return f"{RANK_LABELS['crisis']} : confirmée {_checked(crise.verifie_le, f'{days} jours')}"


def missing(pro: Pro) -> list[str]:
    """What an entry lacks: hours, a public contact, a position for a shop."""
    gaps = []
    if not (pro.horaires or pro.horaires_precisions or any(m.horaires for m in pro.marches)):
        gaps.append("pas d'horaires")
    if not public_contact(pro):
        gaps.append("pas de moyen de contact public")
    if pro.adresse is not None and pro.adresse.position is None:
        gaps.append("pas de position sur la carte (boutique)")
    return gaps


def review(pro: Pro, rules: Rules) -> Review | None:
    """The review of one published pro, or None when nothing needs checking."""
    state = freshness(pro, rules.today, rules.limits)
    found: list[tuple[str, str]] = []
    if (reason := freshness_reason(state)) is not None:
        found.append((state.state, reason))
    if (reason := crisis_reason(pro, rules)) is not None:
        found.append(("crisis", reason))
    if gaps := missing(pro):
        found.append(("incomplete", f"{RANK_LABELS['incomplete']} : " + ", ".join(gaps)))
    if not found:
        return None
    found.sort(key=lambda item: RANKS.index(item[0]))
    return Review(pro, found[0][0], tuple(reason for _, reason in found))


def reviews(records: list[Pro], rules: Rules) -> list[Review]:
    """The published pros' full records to check, most urgent first."""
    found = [r for pro in records if (r := review(pro, rules)) is not None]
    return sorted(found, key=lambda r: r.key)


@dataclass(frozen=True)
class Reach:
    """How to reach a pro: phone, email, crisis order phone, and which are private."""

    phone: str
    email: str
    order_phone: str
    private: tuple[str, ...]

    @classmethod
    def of(cls, pro: Pro) -> Reach:
        contact, shown = pro.contact, public_contact(pro)
        phone = contact.telephone if contact else None
        email = contact.email if contact else None
        order = pro.crise.telephone_commande if pro.crise else None
        private = tuple(label for key, label, value in
                        (("telephone", "Téléphone", phone), ("email", "Courriel", email))
                        if value and key not in shown)
        return cls(phone_fr(phone) if phone else "", email or "",
                   phone_fr(order) if order else "", private)

    def lines(self) -> list[str]:
        lines = [f"{label} : {value}{' (privé)' * (label in self.private)}"
                 for label, value in (("Téléphone", self.phone), ("Courriel", self.email))
                 if value]
        if self.order_phone:
            lines.append(f"Tél. commande (crise) : {self.order_phone}")
        return lines or ["aucun téléphone ni courriel dans la fiche"]


def block(number: int, item: Review) -> str:
    """One pro, readable in a terminal."""
    pro = item.pro
    lines = [f"{number}. {pro.nom} — {pro.source or pro.slug} ({RANK_LABELS[item.rank]})",
             "   Pourquoi :", *(f"     - {reason}" for reason in item.reasons),
             "   Joindre :", *(f"     - {line}" for line in Reach.of(pro).lines())]
    return "\n".join(lines)


def text(items: list[Review], today: date) -> str:
    """The whole list for the terminal."""
    head = (f"Revue des fiches au {date_fr(today, weekday=False)} : {len(items)} pro(s) à "
            "vérifier, le plus urgent d'abord.")
    if not items:
        return head + "\n"
    return head + "\n\n" + "\n\n".join(block(n, item) for n, item in enumerate(items, 1)) + "\n"


def to_csv(items: list[Review]) -> str:
    """The list as a spreadsheet (through the one CSV writer: no live formula)."""
    rows = []
    for number, item in enumerate(items, 1):
        pro, reach = item.pro, Reach.of(item.pro)
        rows.append((number, pro.nom, pro.slug, pro.source, RANK_LABELS[item.rank],
                     pro.verifie_le.isoformat() if pro.verifie_le else "",
                     " ; ".join(item.reasons), reach.phone, reach.email, reach.order_phone,
                     ", ".join(reach.private)))
    return csvsafe.to_csv(CSV_HEADERS, rows, lineterminator="\n")


def command(root: Path, csv: Path | None = None, letters: Path | None = None,
            day: date | None = None) -> int:
    """`labulle revue [--csv FICHIER] [--letters DOSSIER] [--date AAAA-MM-JJ]`."""
    import sys

    from labulle.commands.members import site_folders, write_private_csv
    from labulle.model.directory import Directory
    from labulle.source import sitesettings
    from labulle.source.check import load_or_raise
    from labulle.source.problems import DataError
    from labulle.source.settings import reference_date

    root = root.resolve()
    settings = sitesettings.read(root)
    today = day or reference_date(settings)
    forbidden = site_folders(root, settings)
    check_destinations(csv, letters, forbidden)
    try:
        data = load_or_raise(root, settings)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    records = Directory(data.categories, data.pros, today).private_records()
    items = reviews(records, Rules.of(settings, today))
    print(text(items, today), end="")
    if letters:
        write_review_letters(items, letters, root, settings)
    if csv:
        write_private_csv(to_csv(items), csv, forbidden)
        print(f"\nCSV écrit : {csv} (données personnelles : ne le partagez qu'avec le bénévole "
              "qui appelle, supprimez-le ensuite).")
    return 0


def check_destinations(csv: Path | None, letters: Path | None, forbidden: list[Path]) -> None:
    """Refuse, before anything is written, a CSV or letters folder inside the site, a CSV in a
    missing folder, a letters "folder" that is a file."""
    from labulle.commands.members import MembersError, refuse_inside

    if csv is not None and not refuse_inside(csv, forbidden).parent.is_dir():
        raise MembersError(f"dossier introuvable : {csv.resolve().parent} ; aucun fichier écrit")
    if letters is not None:
        refuse_inside(letters, forbidden, "un dossier")
        if letters.exists() and not letters.is_dir():
            raise MembersError(f"{letters} est un fichier, pas un dossier : choisissez un "
                               "dossier pour les lettres (--letters) ; rien n'est écrit")


def write_review_letters(items: list[Review], out: Path, root: Path,
                         settings: dict[str, Any]) -> None:
    """The association's letter (`labulle.mail.letters`) to exactly the pros of the list."""
    from labulle.mail.letters import letters_for, write_letters

    made = letters_for([item.pro for item in items], root, settings)
    write_letters(made, out)
    written = {letter.pro.slug for letter in made}
    without = [item.pro.slug for item in items if item.pro.slug not in written]
    print(f"\n{len(made)} lettre(s) écrite(s) dans {out}.")
    if made:
        print(f"Pour les envoyer : invoke letters --out {out} --only "
              f"{','.join(sorted(written))} --send")
    if without:
        print(f"Sans adresse de courriel, à appeler : {', '.join(without)}.")


def main(argv: list[str] | None = None) -> int:
    """The same as `labulle revue ARGS`."""
    from labulle.commands.cli import main as labulle

    return labulle(argv, command="revue")
