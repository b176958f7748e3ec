"""`invoke members`: the pros whose membership fee is not paid for the current year.

For the volunteer who phones them: name, public and private phone, email, last year paid. This
is personal data (private phone numbers): it goes to the terminal or to a CSV file chosen by the
webmaster, never into the site's output or content folders. It is the one command that reads
the full record of a pro (private values included) on purpose; whether a phone is public is
asked of the public view (`labulle.model.public`), where the privacy rule lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from labulle import csvsafe
from labulle.atomic import write_file as write_atomically
from labulle.errors import LabulleError
from labulle.model.directory import is_published, sort_key
from labulle.model.public import public_contact
from labulle.pages.filters import phone_fr
from labulle.source.schema import Pro

HEADERS = ("Nom", "Identifiant", "Téléphone public", "Téléphone privé", "Tél. commande (crise)",
           "Courriel", "Dernière adhésion")


class MembersError(LabulleError):
    """A French message for the webmaster."""


@dataclass(frozen=True)
class Member:
    nom: str
    slug: str
    public_phone: str
    private_phone: str
    order_phone: str
    email: str
    last_year: int | None

    def row(self) -> tuple[str, ...]:
        year = str(self.last_year) if self.last_year else "jamais"
        return (self.nom, self.slug, self.public_phone, self.private_phone, self.order_phone,
                self.email, year)


def unpaid(pros: list[Pro], today: date) -> list[Member]:
    """Published pros whose `adhesion` is before today's year (or missing), by name."""
    members = []
    for pro in sorted(pros, key=lambda p: sort_key(p.nom)):
        if not is_published(pro, today) or (pro.adhesion or 0) >= today.year:
            continue
        contact = pro.contact
        shown = "telephone" in public_contact(pro)
        phone = phone_fr(contact.telephone) if contact and contact.telephone else ""
        members.append(Member(
            pro.nom, pro.slug,
            phone if shown else "",
            "" if shown else phone,
            phone_fr(pro.crise.telephone_commande) if pro.crise and pro.crise.telephone_commande
            else "",
            contact.email if contact and contact.email else "",
            pro.adhesion))
    return members


def table(members: list[Member]) -> str:
    """A plain-text table for the terminal."""
    rows = [HEADERS, *(m.row() for m in members)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


def to_csv(members: list[Member]) -> str:
    return csvsafe.to_csv(HEADERS, (m.row() for m in members), lineterminator="\n")


def site_folders(root: Path, settings: dict[str, Any]) -> list[Path]:
    """The folders that are published or versioned: no personal data may be written there."""
    output = Path(settings.get("OUTPUT_PATH") or root / "output")
    return [root / "output", output if output.is_absolute() else root / output,
            root / "content", root / "theme", root / "pros"]


def refuse_inside(path: Path, forbidden: list[Path], what: str = "un fichier") -> Path:
    """`path` resolved, or a French refusal when it lies inside a `forbidden` folder."""
    target = path.resolve()
    for folder in forbidden:
        if target.is_relative_to(folder.resolve()):
            raise MembersError(f"{path} est dans {folder} : ces données personnelles ne doivent "
                               f"pas être publiées ; choisissez {what} hors du site")
    return target


def write_csv(members: list[Member], path: Path, forbidden: list[Path]) -> None:
    """Write the CSV (UTF-8 with BOM, for spreadsheets), never inside a `forbidden` folder."""
    write_private_csv(to_csv(members), path, forbidden)


def write_private_csv(text: str, path: Path, forbidden: list[Path]) -> None:
    """Write a CSV of personal data (UTF-8 with BOM, for spreadsheets) outside the site."""
    target = refuse_inside(path, forbidden)
    if not target.parent.is_dir():
        raise MembersError(f"dossier introuvable : {target.parent}")
    write_atomically(target, "\ufeff" + text)


def command(root: Path, csv: Path | None = None, day: date | None = None) -> int:
    """`labulle members [--csv FICHIER] [--date AAAA-MM-JJ]`: the table, and the CSV if asked."""
    import sys

    from labulle.source import sitesettings
    from labulle.source.check import load_or_raise
    from labulle.source.problems import DataError
    from labulle.source.settings import reference_date

    root = root.resolve()
    settings = sitesettings.read(root)
    today = day or reference_date(settings)
    try:
        data = load_or_raise(root, settings)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    members = unpaid(data.pros, today)
    print(f"Cotisation {today.year} non payée : {len(members)} pro(s) publié(s).\n")
    if members:
        print(table(members))
    if csv:
        write_csv(members, csv, site_folders(root, settings))
        print(f"CSV écrit : {csv} (données personnelles : ne le partagez qu'avec le bénévole "
              "qui appelle, supprimez-le ensuite).")
    return 0


def main(argv: list[str] | None = None) -> int:
    """The same as `labulle members ARGS`."""
    from labulle.commands.cli import main as labulle

    return labulle(argv, command="members")
