"""Which handler takes a message: chosen by the subject's prefix.

A handler is registered with the pattern its subjects match (on the subject without accents,
in lower case, after any "Re:", "Fwd:", "TR :"); the first match wins. Another kind of message
(for instance the sign-ups of the digital Bulle's pilot, for `labulle.ledger.signups`) is added
with one `@handles(...)` function, without touching the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from labulle.mail.listing import ascii_key

_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|tr|aw|wg|rif|r)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class Handler:
    name: str  # French, shown in the summary: "mise à jour", "nouveau pro"
    pattern: re.Pattern[str]
    function: Callable[..., Any]


HANDLERS: list[Handler] = []


def handles(pattern: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function for subjects matching `pattern` (see the module doc)."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        HANDLERS.append(Handler(name, re.compile(pattern), function))
        return function

    return register


def normalized_subject(subject: str) -> str:
    text = " ".join(ascii_key(subject).split())
    return _REPLY_PREFIX.sub("", text)


def find_handler(subject: str) -> tuple[Handler, re.Match[str]] | None:
    import labulle.mail.intake.run  # noqa: F401 - imports (so registers) every handler

    text = normalized_subject(subject)
    for handler in HANDLERS:
        match = handler.pattern.search(text)
        if match:
            return handler, match
    return None
