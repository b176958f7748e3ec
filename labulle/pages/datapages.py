"""Writes the open data of `labulle.pages.catalogue`'s registry that no other writer makes —
the crisis files (crisis mode), the mappers' files, each CSV's Table Schema and the DCAT
catalogue — then the pages `/donnees/` and `/donnees/openstreetmap/`.

`/pros.*` are written by `opendata.write_open_data`, `/agenda.ics` and `/paniers.ics` by their
pages' writers; every file is written whole, then renamed into place (`labulle.atomic`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from labulle.atomic import write_file
from labulle.pages import crisisdata, osmguide
from labulle.pages.catalogue import (
    CATALOGUE,
    DATASETS,
    FOLDER,
    dcat,
    published,
    schema_org,
    tables,
    words,
)
from labulle.pages.crisis import CrisisList, crisis_mode
from labulle.source.settings import identity, setting


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def data_files(gen: Any) -> dict[str, str]:
    """Path from the site's root → text, of every file this writer makes."""
    settings, directory = gen.settings, gen.directory
    siteurl, currency = settings["SITEURL"], identity(settings)
    licence = setting(settings, "LABULLE_DATA_LICENCE")
    mode = crisis_mode(settings)
    remember = gen.memory.fragments.remember
    files: dict[str, str] = {}
    if mode:
        crisis = gen.context.get("crisis") or CrisisList(directory, settings)
        files.update(crisisdata.render(crisis, siteurl, remember))
    mapping = osmguide.render(osmguide.records(directory, siteurl, currency["osm_currency"],
                                               remember), remember)
    files.update({f"{FOLDER}{name}": text for name, text in mapping.items()})
    for table in tables(mode):
        files[f"{FOLDER}{table.schema_name}"] = _json(table.schema(licence, currency))
    files[CATALOGUE] = _json(dcat(siteurl, currency, licence, directory.today, mode))
    return files


def page_datasets(settings: dict[str, Any]) -> list[dict[str, Any]]:
    """What /donnees/ shows of each dataset: words, links, and each CSV's fields."""
    currency = identity(settings)
    licence = setting(settings, "LABULLE_DATA_LICENCE")
    shown = []
    for dataset in published(crisis_mode(settings)):
        files = [{"path": d.path, "name": d.path.rsplit("/", 1)[-1], "format": d.format,
                  "format_words": d.format_words, "schema": d.schema_path,
                  "fields": d.table.schema(licence, currency)["fields"] if d.table else []}
                 for d in dataset.distributions]
        shown.append({"key": dataset.key, "title": words(dataset.title, currency),
                      "description": words(dataset.description, currency),
                      "landing": dataset.landing, "files": files})
    return shown


def remove_unpublished(output: Path, crisis_mode_on: bool) -> None:
    """Remove the files of the datasets this build does not publish (the crisis ones, mode
    off) that an earlier build left in output/ (`invoke build` keeps it)."""
    shown = published(crisis_mode_on)
    for dataset in (d for d in DATASETS if d not in shown):
        for dist in dataset.distributions:
            for path in filter(None, (dist.path, dist.schema_path)):
                (output / path).unlink(missing_ok=True)


def write_data_pages(gen: Any, writer: Any) -> None:
    output = Path(gen.output_path)
    remove_unpublished(output, crisis_mode(gen.settings))
    for path, text in data_files(gen).items():
        write_file(output / path, text)
    settings, directory = gen.settings, gen.directory
    siteurl, currency = settings["SITEURL"], identity(settings)
    licence = setting(settings, "LABULLE_DATA_LICENCE")
    jsonld = schema_org(siteurl, currency, licence, directory.today, crisis_mode(settings))
    gen.write_keyed(writer, f"{FOLDER}index.html", "donnees.html",
                    datasets=page_datasets(settings), data_licence=licence, data_jsonld=jsonld,
                    catalogue_path=CATALOGUE, guide_path=osmguide.PAGE_PATH)
    places = osmguide.records(directory, siteurl, currency["osm_currency"],
                              gen.memory.fragments.remember)
    gen.write_keyed(writer, f"{osmguide.PAGE_PATH}index.html", "donnees_osm.html",
                    guide_tags=osmguide.guide_tags(currency), places=[r for _, r in places],
                    data_licence=licence, data_folder=FOLDER, mapping_name=osmguide.NAME)
