"""The page families written by the plugin, one writer function each (see WRITERS)."""

from __future__ import annotations

from typing import Any


def context(gen: Any) -> dict[str, Any]:
    """Extra template variables shared by every page."""
    return {}


def write_pro_pages(gen: Any, writer: Any) -> None:
    for pro in gen.directory.published:
        gen.write_page(writer, f"pros/{pro.slug}/index.html", "pro.html", pro=pro)


def write_directory(gen: Any, writer: Any) -> None:
    gen.write_page(writer, "pros/index.html", "annuaire.html")


WRITERS = (write_pro_pages, write_directory)
