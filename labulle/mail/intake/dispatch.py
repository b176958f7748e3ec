"""Which handler takes a message: chosen by the subject's prefix, from one explicit table.

`HANDLERS` lists every kind of message the intake knows, with the pattern its subjects match
(on the subject without accents, in lower case, after any "Re:", "Fwd:", "TR :"); the first
match wins. Another kind of message is one more row here: its handler is a function
`(label, message, match, options) -> Outcome` in its own module, which does not import this one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from labulle.mail.intake import feedback, signup, updates
from labulle.mail.listing import ascii_key

_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|tr|aw|wg|rif|r)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class Handler:
    name: str  # French, shown in the summary: "mise à jour", "nouveau pro"
    pattern: re.Pattern[str]
    function: Callable[..., Any]


HANDLERS: tuple[Handler, ...] = (
    Handler("mise à jour", re.compile(rf"mise a jour\s*:?\s*{updates.SLUG}?\s*$"), updates.update),
    Handler("nouveau pro", re.compile(r"nouveau pro\b"), updates.new_pro),
    Handler("signalement", re.compile(rf"signalement\s*:\s*{updates.SLUG}?\s*$"), feedback.report),
    Handler("confirmation", re.compile(rf"confirmation\s*:\s*{updates.SLUG}?\s*$"),
            feedback.confirmation),
    Handler("inscription au test", re.compile(r"inscription au test\b"), signup.signup_message),
)


def normalized_subject(subject: str) -> str:
    text = " ".join(ascii_key(subject).split())
    return _REPLY_PREFIX.sub("", text)


def find_handler(subject: str, handlers: Sequence[Handler] = HANDLERS,
                 ) -> tuple[Handler, re.Match[str]] | None:
    """The first handler whose pattern matches the normalized subject, with its match."""
    text = normalized_subject(subject)
    for handler in handlers:
        match = handler.pattern.search(text)
        if match:
            return handler, match
    return None
