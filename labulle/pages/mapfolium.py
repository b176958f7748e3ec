"""folium plumbing of the map documents (`labulle.pages.mapdoc`): our closing element, ids
numbered instead of random, and the fix-ups of folium's HTML.

- `start_element(m, cluster, control, searchable, config)`: the element that loads carte.js /
  carte.css (and the sub-group plugin carte.js uses) and calls `laBulle.start` with the map's
  objects, after everything else.
- `stable_ids()`: while a map is built, branca's element ids come from a counter, so the same
  data give the same bytes.
- `tidy(document, currency)`: French document, a description, `<body>` closed after the
  scripts, zoomable by the reader.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from labulle.pages.filters import script_json


@functools.cache
def _start_class() -> type:
    from branca.element import MacroElement
    from folium.elements import JSCSSMixin
    from folium.template import Template

    class Start(JSCSSMixin, MacroElement):
        """Loads carte.js / carte.css and hands it the map's objects, after everything else."""

        _template = Template(
            "{% macro script(this, kwargs) %}\n"
            "laBulle.start({map: {{ this.map }}, cluster: {{ this.cluster }}, "
            "layers: {{ this.control }}, search: {{ this.search }}}, "
            "{{ this.config }});\n"
            "{% endmacro %}"
        )
        # The sub-groups (one per layer) are made by carte.js once the data are in.
        default_js = [("featuregroupsubgroupjs", ""), ("labulle_carte_js", "")]
        default_css = [("labulle_carte_css", "")]

        def __init__(self, m: Any, cluster: Any, control: Any, searchable: bool,
                     config: dict[str, Any]) -> None:
            super().__init__()
            self._name = "LaBulleStart"
            self.map = m.get_name()
            self.cluster = cluster.get_name()
            self.control = control.get_name()
            self.search = f"{self.cluster}searchControl" if searchable else "null"
            # the view and where its data are, as JSON for the <script>
            self.config = script_json(config)

    return Start


def start_element(m: Any, cluster: Any, control: Any, searchable: bool,
                  config: dict[str, Any]) -> Any:
    """The `laBulle.start` element (its class is built once folium is imported)."""
    return _start_class()(m, cluster, control, searchable, config)


@contextmanager
def stable_ids() -> Iterator[None]:
    """branca names elements with random ids; number them instead while a map is built."""
    from branca.element import Element

    original = Element.__dict__["_generate_id"]
    counter = itertools.count(1)
    Element._generate_id = classmethod(lambda cls: f"{next(counter):x}")  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


_VIEWPORT = re.compile(r'<meta name="viewport" content="width=device-width,\s*initial-scale=1\.0,'
                       r'\s*maximum-scale=1\.0, user-scalable=no" />')


def tidy(document: str, currency: dict[str, Any]) -> str:
    """French document, zoomable by the reader (folium forbids pinch-zoom of the page)."""
    document = document.replace("<html>", '<html lang="fr">', 1)
    document = document.replace("<head>", '<head>\n    <meta name="description" content="Carte des '
                                f"professionnels qui acceptent {currency['the']}, la monnaie "
                                f'locale {currency["region_of"]}.">', 1)
    # folium closes <body> before its <script>: a "stray script" for the HTML checker.
    head, body_end, tail = document.rpartition("</body>")
    if body_end and "<script" in tail:
        document = head + tail.replace("</html>", "</body>\n</html>", 1)
    return _VIEWPORT.sub('<meta name="viewport" content="width=device-width, initial-scale=1">',
                         document, count=1)
