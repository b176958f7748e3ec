"""`invoke new-pro "Nom du pro"`: a new pro file from the commented template."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from labulle.errors import LabulleError
from labulle.model.directory import slugify
from labulle.source.settings import DEFAULTS


class NewProError(LabulleError):
    """The file cannot be created (with the reason in French)."""


def new_pro(name: str, pros_dir: Path, today: date | None = None,
            currency: dict[str, Any] | None = None) -> Path:
    """Write pros/<slug>.yml for `name`; refuses to overwrite an existing file. The example
    values are those of `currency` (LABULLE_IDENTITY; La Bulle's when None)."""
    name = name.strip()
    slug = slugify(name)
    if not slug:
        raise NewProError(
            f"« {name} » : impossible d'en tirer un identifiant (lettres ou chiffres).")
    path = pros_dir / f"{slug}.yml"
    if path.exists():
        raise NewProError(f"{path} existe déjà : modifiez-le plutôt que de le recréer.")
    today = today or date.today()
    template = resources.files("labulle.data").joinpath("nouveau-pro.yml").read_text("utf-8")
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    currency = currency or DEFAULTS["LABULLE_IDENTITY"]
    lat, lon = currency["town_position"]
    text = template.format(nom=quoted, annee=today.year, aujourdhui=today.isoformat(),
                           the=currency["the"], plural=currency["plural"], town=currency["town"],
                           town_postcode=currency["town_postcode"],
                           town_position=f"[{lat}, {lon}]")
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return path
