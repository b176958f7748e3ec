"""The one CSV writer of the project: no cell can become a live spreadsheet formula. And the
one limit of the cells the project reads (`field_limit`).

A spreadsheet (LibreOffice, Excel, Google Sheets) runs a cell that starts with `=`, `+`, `-`,
`@`, a tab or a carriage return as a formula: `=HYPERLINK(...)` typed as a pro's name would be
a link in the open data, `+cmd|' /C calc'!A0` a command. Following OWASP's rule, such a text
cell is written with a leading single quote (`'=1+1`, `'+33 5 45 …`), which spreadsheets show
as plain text. Numbers stay numbers: only text values (`str`) are changed, so a latitude or a
negative amount given as a Python number is written as it is.

A French spreadsheet opening the file directly splits lines at `;` rather than `,` (and
ignores the quoting, which is for `,`): inside a text, a `;` followed by one of those characters
would start a new cell, a formula. That character gets the same quote: `Épicerie;'=1+1`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

#: The longest cell a CSV we read may have (the csv module's default limit). Ours, not the
#: process's: a library may raise `csv.field_size_limit` for the whole process (frictionless
#: sets it to 2 147 483 646 when it reads a CSV), and what we accept must not depend on it.
MAX_FIELD = 131_072

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_AFTER_SEMICOLON = re.compile(r";(?=[=+\-@\t\r])")


def cell(value: Any) -> Any:
    """A value as written in a CSV cell: text that would be a formula gets a leading quote."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    value = _AFTER_SEMICOLON.sub(";'", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], lineterminator: str = "\r\n",
           ) -> str:
    """The whole CSV text: the header, then one line per row, every cell through `cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow([cell(name) for name in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()


def line(row: Sequence[Any], lineterminator: str = "\r\n") -> str:
    """One row's line, as `to_csv` writes it: a file can be assembled from lines made once."""
    out = io.StringIO()
    csv.writer(out, lineterminator=lineterminator).writerow([cell(value) for value in row])
    return out.getvalue()


@contextmanager
def field_limit(limit: int = MAX_FIELD) -> Iterator[None]:
    """Inside the block the csv module refuses cells longer than `limit`; the process's own
    limit is back afterwards."""
    before = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(before)
