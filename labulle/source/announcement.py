"""The site-wide announcement banner, read from `content/data/annonce.yml`.

Keys: `texte` (required), `lien` (optional URL or site path), `du` and `au` (first and last day
shown, inclusive), `actif` (false turns it off). No file, or `actif: false`, means no banner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from labulle.source.problems import Problem
from labulle.source.readers import display_path, parse_file
from labulle.source.schema import Text, doc
from labulle.source.validate import MISSING, Context, build


@dataclass(frozen=True)
class Annonce:
    """Le bandeau d'annonce affiché en haut de toutes les pages."""

    texte: Text = doc("Texte du bandeau, une ou deux phrases.", required=True)
    lien: Text | None = doc(
        "Lien du bandeau : adresse complète ou chemin du site (/ouverts-pendant-la-crise/)."
    )
    du: date | None = doc("Premier jour d'affichage.")
    au: date | None = doc("Dernier jour d'affichage.")
    actif: bool = doc("false : le bandeau n'est pas affiché.", True)

    def shown_on(self, day: date) -> bool:
        if not self.actif:
            return False
        return (self.du is None or self.du <= day) and (self.au is None or day <= self.au)




def read(path: Path, root: Path | None = None) -> tuple[Annonce | None, list[Problem]]:
    if not path.exists():
        return None, []
    shown = display_path(path, root)
    node, problems = parse_file(path, shown)
    if node is None:
        return None, problems
    ctx = Context(shown)
    annonce = build(Annonce, node, ctx)
    problems += ctx.problems
    if annonce is MISSING:
        return None, problems
    if annonce.du and annonce.au and annonce.au < annonce.du:
        problems.append(Problem(shown, node.value["au"].line, "au", "« au » est avant « du »"))
    return annonce, problems


def check(path: Path, root: Path | None = None) -> list[Problem]:
    return read(path, root)[1]
