"""« Entre pros » (`/entre-pros/`): where the pros of the network spend what they receive.

The model is `labulle.model.network`; `context` shares it with every template as `network`
(the pro page's « Achète … chez », « Fournit aussi », « Cherche à acheter … » lines read
`network.entry(pro)`, which the incremental build also compares: labulle.build.incremental).
"""

from __future__ import annotations

from typing import Any

from labulle.model.network import Network

#: The page's address, below the site's root (the templates link to /entre-pros/).
PAGE_PATH = "entre-pros/"


def context(gen: Any) -> dict[str, Any]:
    return {"network": Network(gen.directory)}


def write_network_page(gen: Any, writer: Any) -> None:
    """`/entre-pros/`: per category, the pros other pros buy from and who; then what pros
    would buy and no one of the network sells, and who is looking."""
    network: Network = gen.context["network"]
    gen.write_page(writer, f"{PAGE_PATH}index.html", "entre_pros.html",
                   sellers=network.sellers, looking=network.looking)
