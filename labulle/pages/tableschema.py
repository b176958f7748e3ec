"""The CSV files of the open data, each declared once as a `Table` of `Column`s.

A table gives both the header (and order) of its CSV and its Frictionless Table Schema
(https://specs.frictionlessdata.io/table-schema/), published beside it as
`/donnees/<name>.schema.json`: there is no second list of columns to keep in sync. Every text
cell goes through the one CSV writer (`labulle.csvsafe`), which puts a quote before a cell that a
spreadsheet would run as a formula (`'=1+1`): the patterns below accept that form.

The hours columns are declared as the national schemas of schema.data.gouv.fr that carry hours
do (IRVE's `horaires`): the OpenStreetMap `opening_hours` syntax, a link to its specification
and a pattern that only checks the outline (the build checks the syntax itself).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from labulle import csvsafe
from labulle.source.schema import SLUG_PATTERN

OSM_HOURS_WIKI = "https://wiki.openstreetmap.org/wiki/FR:Key:opening_hours"
#: One line with a time range, 24/7, or a day or rule said closed (off / closed): what every
#: OSM opening_hours value we publish has (the build parses each with opening-hours-py).
OSM_HOURS_PATTERN = (r"(24/7|[^\r\n]*(\d{1,2}:\d{2}-\d{1,2}:\d{2}|\boff\b|\bclosed\b"
                     r"|sunrise|sunset)[^\r\n]*)")
#: The values a yes/no column takes (the open data are in French).
YES, NO = "oui", "non"


@dataclass(frozen=True)
class Column:
    """One column: its name (the CSV header), French title and description, Table Schema type
    and constraints; `extra` holds other Table Schema keys (format, trueValues…)."""

    name: str
    title: str
    description: str
    type: str = "string"
    constraints: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def descriptor(self, words: Mapping[str, Any]) -> dict[str, Any]:
        """Its Table Schema field; `{name}`-style words in the title and description are the
        currency's (LABULLE_IDENTITY: `{plural}`, `{of_the}`, `{osm_currency}`…)."""
        found: dict[str, Any] = {"name": self.name, "title": self.title.format_map(words),
                                 "description": self.description.format_map(words),
                                 "type": self.type, **self.extra}
        if self.constraints:
            found["constraints"] = dict(self.constraints)
        return found


def slug(name: str, title: str, description: str, required: bool = False) -> Column:
    constraints = {"pattern": SLUG_PATTERN, **({"required": True} if required else {})}
    return Column(name, title, description, constraints=constraints)


def slugs(name: str, title: str, description: str) -> Column:
    """A column of pros' identifiers, separated by spaces (empty when there is none)."""
    return Column(name, title, f"{description} Identifiants séparés par des espaces.",
                  constraints={"pattern": f"{SLUG_PATTERN}( {SLUG_PATTERN})*"})


def hours(name: str, title: str, description: str, specials: Iterable[str] = ()) -> Column:
    """A column of OSM opening_hours values (`specials`: other words it may hold, e.g. same)."""
    words = "|".join(specials)
    pattern = f"({words}|{OSM_HOURS_PATTERN})" if words else OSM_HOURS_PATTERN
    text = (f"{description} Syntaxe OpenStreetMap opening_hours ({OSM_HOURS_WIKI}), par exemple "
            "« Mo-Fr 09:00-12:00,14:00-19:00; Sa 09:00-12:00; PH off ».")
    return Column(name, title, text, constraints={"pattern": pattern},
                  extra={"example": "Mo-Fr 09:00-12:00,14:00-19:00; Sa 09:00-12:00"})


def yes_no(name: str, title: str, description: str) -> Column:
    return Column(name, title, f"{description} « {YES} » ou « {NO} ».", "boolean",
                  extra={"trueValues": [YES], "falseValues": [NO]})


def choice(name: str, title: str, description: str, values: Iterable[str]) -> Column:
    values = list(values)
    said = ", ".join(f"« {v} »" for v in values)
    return Column(name, title, f"{description} Valeurs : {said}.", constraints={"enum": values})


def date_column(name: str, title: str, description: str) -> Column:
    return Column(name, title, f"{description} Date AAAA-MM-JJ.", "date",
                  extra={"format": "default"})


def coordinate(name: str, title: str, bound: int) -> Column:
    return Column(name, title, f"{title} (WGS84, en degrés décimaux).", "number",
                  constraints={"minimum": -bound, "maximum": bound})


def web_address(name: str, title: str, description: str) -> Column:
    return Column(name, title, description, extra={"format": "uri"})


@dataclass(frozen=True)
class Table:
    """A CSV of the open data and its Table Schema, from one list of columns."""

    name: str  # the file is /<name>.csv (or /donnees/<name>.csv), its schema <name>.schema.json
    title: str
    columns: tuple[Column, ...]
    primary_key: str | None = "slug"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def schema_name(self) -> str:
        return f"{self.name}.schema.json"

    def schema(self, licence: Mapping[str, str], words: Mapping[str, Any]) -> dict[str, Any]:
        """The Table Schema (JSON), with the French title and the data's licence; `words`: the
        currency's identity."""
        found: dict[str, Any] = {
            "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
            "name": self.name, "title": self.title.format_map(words),
            "licenses": [{"title": licence["title"], "path": licence["url"]}],
            "fields": [c.descriptor(words) for c in self.columns],
            "missingValues": [""],
        }
        if self.primary_key:
            found["primaryKey"] = self.primary_key
        return found

    def csv(self, rows: Iterable[Mapping[str, Any]]) -> str:
        """The CSV text: the header, then each row's values in the columns' order."""
        return self.joined(self.line(row) for row in rows)

    def line(self, row: Mapping[str, Any]) -> str:
        """One row's line of the CSV (made once per pro by the build's memo)."""
        return csvsafe.line([_cell(row.get(n)) for n in self.names])

    def joined(self, lines: Iterable[str]) -> str:
        """The CSV text from its rows' lines."""
        return csvsafe.line(self.names) + "".join(lines)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return YES if value else NO
    return value


#: The columns every table of pros starts with: who the pro is and where its page is.
PRO_COLUMNS = (
    slug("slug", "Identifiant", "Identifiant du pro (nom de sa fiche), stable.", True),
    Column("nom", "Nom", "Nom du pro.", constraints={"required": True}),
    Column("url", "Fiche", "Adresse de la fiche du pro sur le site."),
)
#: Where a place is (WGS 84), in the tables that place pros on a map.
POSITION_COLUMNS = (coordinate("latitude", "Latitude", 90),
                    coordinate("longitude", "Longitude", 180))
