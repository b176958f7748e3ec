"""`/carte/integrer/`: what a town hall needs to put the map on its own site.

`embed_context(directory, settings, crisis)` gives the template `carte_integrer.html` the choices
of its selects (communes and categories that have places on the map, the views), the pattern of
the code to copy (`embed_code`, with `{src}`, `{titre}`, `{liste}` and `{texte}` for
`theme/static/js/carte-integrer.js` to fill) and, for readers without JavaScript, the ready
code of each commune's map.

The code is an `<iframe>` of `carte/carte-embed.html` with its URL parameters (`commune`,
`categorie`, `vue`: see `labulle.pages.mapdoc`), a title for screen readers, lazy loading, the
full width of the page, then a link to the same pros as a list. Its URLs are absolute: SITEURL
when it is one, else the currency's domain (the JavaScript uses the page's own address then).
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from typing import Any

from labulle.pages.crisis import PAGE_PATH as CRISIS_PATH
from labulle.pages.mapdata import category_keys, places
from labulle.pages.mapdoc import TITLES
from labulle.source.settings import identity

CODE = ('<iframe src="{src}" title="{titre}" width="600" height="450" loading="lazy" '
        'style="width:100%;max-width:100%;border:0"></iframe>\n'
        '<p>Sans carte : <a href="{liste}">{texte}</a>.</p>')


@dataclass(frozen=True)
class Choice:
    """One option of a select: its value, its name, how many pros, its list page (its path in
    the site: the page's JavaScript and the ready codes put the site's address before it)."""

    value: str
    name: str
    count: int
    list_path: str
    depth: int = 0  # 1: a subcategory, shown under its main category


def site_base(settings: dict[str, Any]) -> str:
    """The site's absolute address, ending with a slash."""
    siteurl = str(settings.get("SITEURL") or "")
    if not siteurl.startswith(("http://", "https://")):
        siteurl = f"https://{identity(settings)['domain']}"
    return siteurl.rstrip("/") + "/"


def embed_code(src: str, title: str, list_url: str, list_text: str) -> str:
    esc = html.escape
    return CODE.format(src=esc(src), titre=esc(title), liste=esc(list_url), texte=esc(list_text))


def list_texts(settings: dict[str, Any]) -> dict[str, str]:
    """The link under the map, by what was chosen ({nom}: the commune's or category's name)."""
    of_the = identity(settings)["of_the"]
    return {"commune": f"la liste des pros {of_the} à {{nom}}",
            "categorie": f"la liste des pros {of_the} : {{nom}}",
            "crise": "la liste des pros ouverts pendant la crise",
            "comptoirs": "la liste des comptoirs de change",
            "tout": f"l’annuaire des pros {of_the}"}


def embed_context(directory: Any, settings: dict[str, Any], crisis: bool,
                  embed_path: str) -> dict[str, Any]:
    """The template's values; `embed_path` is the map document's path in the site."""
    base = site_base(settings)
    texts = list_texts(settings)
    communes, categories = _counts(directory)
    commune_choices = [Choice(slug, directory.commune_names[slug], count,
                              f"pros/commune/{slug}/")
                       for slug, count in sorted(communes.items(),
                                                 key=lambda item: directory.commune_names[item[0]])]
    category_choices = [Choice(key, c.label, categories[key], f"pros/categorie/{key}/",
                               int(bool(c.parent)))
                        for key, c in directory.categories.items() if categories[key]]
    views = [Choice("", "Tous les pros", 0, "pros/")]
    if crisis:
        views.append(Choice("crise", "Ouverts pendant la crise", 0, CRISIS_PATH))
    views.append(Choice("comptoirs", "Comptoirs de change", 0, "comptoirs/"))
    title = TITLES["carte"].format(of_the=identity(settings)["of_the"])
    src = base + embed_path
    return {
        "embed_base": base if str(settings.get("SITEURL") or "").startswith("http") else "",
        "embed_src": embed_path,
        "embed_titles": {"": title, "comptoirs": title,
                         "crise": TITLES["crise"]},
        "embed_texts": texts,
        "embed_pattern": embed_code("{src}", "{titre}", "{liste}", "{texte}"),
        "embed_whole": embed_code(src, title, f"{base}pros/", texts["tout"]),
        "embed_communes": commune_choices,
        "embed_categories": category_choices,
        "embed_views": views,
        "embed_commune_codes": [
            (c, embed_code(f"{src}?commune={c.value}", f"{title} : {c.name}", base + c.list_path,
                           texts["commune"].format(nom=c.name)))
            for c in commune_choices],
    }


def _counts(directory: Any) -> tuple[Counter[str], Counter[str]]:
    """Pros with a place on the map, by commune slug and by category key (and the keys above)."""
    communes: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    for pro in directory.published:
        found = places(pro)
        communes.update({p.commune for p in found if p.commune})
        if found:
            categories.update(category_keys(pro, directory))
    return communes, categories
