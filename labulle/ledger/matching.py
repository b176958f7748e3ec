"""Find the ``BULLE <account>`` reference in a bank label (any case, spaces or hyphen)."""

import re

# The word after "bulle" is read in a look-ahead, so that "LA BULLE BULLE ALICE" yields
# both "bulle" and "alice".
_REFERENCE = re.compile(r"(?i)\bbulle(?=[\s-]+([a-z0-9][a-z0-9-]*))")


def candidates(label: str) -> list[str]:
    """Account ids a label may name, in order of appearance (lower case)."""
    found = []
    for match in _REFERENCE.finditer(label):
        word = match.group(1).lower().strip("-")
        if word and word not in found:
            found.append(word)
    return found


def match_account(label: str, known: dict[str, str]) -> str | None:
    """The first candidate that is a participant account in ``known`` (id -> kind)."""
    for match in _REFERENCE.finditer(label):  # candidates(), without building the list
        word = match.group(1).lower().strip("-")
        if word in known:
            return word
    return None
