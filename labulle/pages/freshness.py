"""How fresh the directory is, for residents: `/pros/a-verifier/`, the pros whose entry the
association has not checked lately (« à revérifier bientôt », « informations anciennes »,
« jamais vérifiée »), most urgent first; a plain page, so the filter works without JavaScript.

The rule itself is labulle/model/freshness.py; pages, lists and map popups call
`freshness_of(pro)` (a template global set by `context`).
"""

from __future__ import annotations

from typing import Any

from labulle.model.freshness import LABELS, URGENCY, Freshness, ago, freshness_for
from labulle.source.schema import Pro

#: Where the directory's freshness filter lives (a folder of /pros/, like categorie/).
FOLDER = "a-verifier"


def context(gen: Any) -> dict[str, Any]:
    return {"freshness_of": freshness_for(gen.settings, gen.directory.today),
            "freshness_ago": ago, "freshness_folder": FOLDER}


def to_check(pros: list[Pro], freshness_of: Any) -> list[tuple[str, str, list[Pro]]]:
    """(state, its words, pros) for each state but « vérifiée », most urgent first, non-empty."""
    states: dict[str, list[Pro]] = {state: [] for state in URGENCY if state != "fresh"}
    for pro in pros:
        found: Freshness = freshness_of(pro)
        if found.state in states:
            states[found.state].append(pro)
    return [(state, LABELS[state], group) for state, group in states.items() if group]


def write_freshness_page(gen: Any, writer: Any) -> None:
    """`/pros/a-verifier/` (kept by the directory's `remove_stale_pages`)."""
    groups = to_check(gen.directory.published, gen.context["freshness_of"])
    gen.write_page(writer, f"pros/{FOLDER}/index.html", "annuaire_verification.html",
                   groups=groups, count=sum(len(g) for _s, _l, g in groups))
