"""Data errors, printed as `path:line: key.path: message` (clickable in an editor)."""

from __future__ import annotations

from dataclasses import dataclass

from labulle.errors import LabulleError
from labulle.text import escaped


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule in one file."""

    path: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        """One line, control characters escaped (a file name or a value may contain any)."""
        return escaped(f"{self.path}:{self.line}: {self.key}: {self.message}")

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "key": self.key, "message": self.message}


class DataError(LabulleError):
    """Raised when data files are invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
