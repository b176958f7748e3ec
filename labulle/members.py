"""`invoke members`: the pros whose membership fee is not paid for the current year.

For the volunteer who phones them: name, public and private phone, email, last year paid. This
is personal data (private phone numbers): it goes to the terminal or to a CSV file chosen by the
webmaster, never into the site's output or content folders.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from labulle.directory import is_published, sort_key
from labulle.intake.project import write_atomically
from labulle.schema import Pro

HEADERS = ("Nom", "Identifiant", "Téléphone public", "Téléphone privé", "Tél. commande (crise)",
           "Courriel", "Dernière adhésion")


class MembersError(Exception):
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
        private = set(contact.prive) if contact else set()
        phone = contact.telephone if contact and contact.telephone else ""
        members.append(Member(
            pro.nom, pro.slug,
            "" if "telephone" in private else phone,
            phone if "telephone" in private else "",
            pro.crise.telephone_commande if pro.crise and pro.crise.telephone_commande else "",
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
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(m.row() for m in members)
    return out.getvalue()


def write_csv(members: list[Member], path: Path, forbidden: list[Path]) -> None:
    """Write the CSV (UTF-8 with BOM, for spreadsheets), never inside a `forbidden` folder."""
    target = path.resolve()
    for folder in forbidden:
        if target.is_relative_to(folder.resolve()):
            raise MembersError(f"{path} est dans {folder} : ces données personnelles ne doivent "
                               "pas être publiées ; choisissez un fichier hors du site")
    if not target.parent.is_dir():
        raise MembersError(f"dossier introuvable : {target.parent}")
    write_atomically(target, "\ufeff" + to_csv(members))
