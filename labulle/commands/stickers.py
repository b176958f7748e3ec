"""`invoke affichettes --out DOSSIER [--pro IDENTIFIANT]...`: the window stickers of the published
pros for the association's print run, written outside Pelican.

In DOSSIER: `affichettes.html`, every sticker asked for in one file (one A5 page each, a page
break between them: print it once), and `affichette-<slug>.html` for each pro. The sheets are
the site's (labulle/pages/sticker.py, theme/templates/partials/affichettes.html) in a standalone
page (affichettes_impression.html) that inlines their stylesheet: the files need nothing else
and work offline. The QR codes give the
public address of each pro page (SITEURL, else publish.py's). Everything is rendered, then
written in a hidden folder of DOSSIER, before the first file takes its place; an unknown slug,
a draft or a pro who left is refused in French and nothing is written.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from labulle.atomic import write_file
from labulle.errors import LabulleError
from labulle.model.directory import Directory, has_left
from labulle.pages import sticker
from labulle.pages.filters import date_fr
from labulle.source.schema import Pro

#: The file holding every sticker; each pro's own file is `affichette-<slug>.html`.
ALL = "affichettes.html"


class StickerError(LabulleError):
    """A refusal of `invoke affichettes`, in French."""


def command(root: Path, out: Path, slugs: Sequence[str] = ()) -> int:
    """`labulle affichettes --out DOSSIER [--pro IDENTIFIANT]...`."""
    from labulle.source import sitesettings
    from labulle.source.check import load_for
    from labulle.source.settings import identity, reference_date

    root = root.resolve()
    settings = sitesettings.read(root)
    data = load_for(root, settings, "Affichettes")
    if data is None:
        return 1
    directory = Directory(data.categories, data.pros, reference_date(settings))
    pros = chosen(directory, slugs)
    base, domain = sitesettings.public_url(root, settings), identity(settings)["domain"]
    stickers = [sticker.sticker(pro, base, domain) for pro in pros]
    files = render_files(stickers, environment(root, settings), settings,
                         stylesheet(root, settings))
    write_all(out, files)
    print(f"{len(stickers)} affichette(s) écrite(s) dans {out} : {ALL} (toutes, une page A5 "
          "chacune) et affichette-<identifiant>.html pour chaque pro.")
    return 0


def chosen(directory: Directory, slugs: Sequence[str]) -> list[Pro]:
    """The published pros named by `slugs` (all of them without), in the directory's order;
    StickerError naming each slug that is unknown, a draft or a pro who left."""
    if not slugs:
        return directory.published
    files = {pro.slug: pro for pro in directory.all_pros}
    problems = []
    for slug in dict.fromkeys(slugs):
        if slug not in files:
            near = difflib.get_close_matches(slug, list(files), n=1)
            hint = f" ; vouliez-vous dire « {near[0]} » ?" if near else ""
            problems.append(f"pro inconnu : « {slug} » (aucune fiche pros/{slug}.yml){hint}")
        elif slug not in directory.by_slug:
            problems.append(_why_not(files[slug], directory.today))
    if problems:
        raise StickerError("\n".join([*problems, "Aucune affichette n'a été écrite."]))
    return [pro for pro in directory.published if pro.slug in set(slugs)]


def _why_not(pro: Pro, today: date) -> str:
    """Why a pro that has a file gets no sticker: it left, or it is a draft."""
    if has_left(pro, today):
        return (f"« {pro.slug} » a quitté le réseau le {date_fr(pro.quitte_le, False)} "
                f"(quitte_le dans pros/{pro.slug}.yml) : pas d'affichette")
    return (f"« {pro.slug} » est un brouillon (brouillon: true dans pros/{pro.slug}.yml) : "
            "pas d'affichette avant sa publication")


def environment(root: Path, settings: dict[str, Any]) -> jinja2.Environment:
    """The theme's templates as the build sees them (overrides first, our filters, the
    `identity` global), outside Pelican."""
    from labulle.build.plugin import template_identity
    from labulle.pages.filters import FILTERS

    folders = [*settings.get("THEME_TEMPLATES_OVERRIDES", []), theme(root, settings) / "templates"]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([root / f for f in folders]),
                             **settings.get("JINJA_ENVIRONMENT", {}))
    env.filters.update(FILTERS)
    env.globals["identity"] = template_identity(settings)
    return env


def theme(root: Path, settings: dict[str, Any]) -> Path:
    return root / settings.get("THEME", "theme")


def stylesheet(root: Path, settings: dict[str, Any]) -> str:
    """The stickers' stylesheet, to inline; StickerError when the theme has none."""
    path = theme(root, settings) / sticker.STYLESHEET
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StickerError(f"feuille de style des affichettes illisible : {path} ({error}) ; "
                           "le thème doit la fournir (theme/static/css/affichette.css).") from None


def render_files(stickers: list[sticker.Sticker], env: jinja2.Environment,
                 settings: dict[str, Any], css: str) -> dict[str, str]:
    """File name → HTML: every sticker in ALL, then one file per pro."""
    template = env.get_template(sticker.PRINT_TEMPLATE)
    context = {"SITENAME": settings.get("SITENAME", ""), "SITEURL": settings.get("SITEURL", "")}
    files = {ALL: sticker.render(template, context, stickers, css)}
    for one in stickers:
        files[f"affichette-{one.pro.slug}.html"] = sticker.render(template, context, [one], css)
    return files


def write_all(out: Path, files: dict[str, str]) -> None:
    """Write every file in a hidden folder of `out` first, then move each into place (one
    rename each): a full disk or a refused write leaves `out` as it was. French refusals."""
    if out.exists() and not out.is_dir():
        raise StickerError(f"{out} est un fichier, pas un dossier : choisissez un dossier pour "
                           "les affichettes.")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out, prefix=".affichettes-") as temp:
            for name, text in files.items():
                write_file(Path(temp) / name, text)
            for name in files:
                os.replace(Path(temp) / name, out / name)
    except OSError as error:
        raise StickerError(f"impossible d'écrire dans {out} ({error.strerror or error}) : "
                           "choisissez un dossier où vous pouvez écrire.") from None
