"""Text as a sender meant it, and as it may safely be shown.

- `decode_8bit`: bytes without a (trustworthy) charset, as real clients send them: UTF-8 when
  they are valid UTF-8 (RFC 6532 headers, modern phones), else Windows-1252 (Outlook, which
  calls it latin-1), else latin-1 for the five bytes Windows-1252 leaves undefined;
- `control_char`: the first control character of a text (C0 but tab and line ends, DEL, C1),
  which no value of a pro file or of a sign-up may contain;
- `escaped`: a text with every control character, line separator and bidirectional override
  written as `\\x1b` / `\\u202e`, so that nothing a message says can drive the terminal (colours,
  cursor moves, a fake prompt, reversed text) or start a new line in a report or a file.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, line / paragraph separators, bidirectional embeddings and isolates.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c"
                     r"\u202a-\u202e\u2066-\u2069]")
# What no value may contain: every control character but tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_UNDEFINED = re.compile(r"[\udc80-\udcff]")  # bytes Windows-1252 leaves undefined


def decode_8bit(data: bytes) -> str:
    """Bytes in an unknown charset → text (see the module doc); never raises."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="surrogateescape")
    return _UNDEFINED.sub(lambda m: chr(ord(m.group()) - 0xDC00), text)


def shown_char(char: str) -> str:
    """One character as an escape: `\\x1b`, `\\u202e`."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def control_char(text: str) -> str | None:
    """The first control character of `text`, escaped (tab and line ends are allowed)."""
    match = _CONTROL.search(text)
    return shown_char(match.group()) if match else None


def escaped(text: str, newlines: bool = False) -> str:
    """`text` safe for a terminal or a one-line report; `newlines` keeps its line ends
    (a diff), everything else unsafe is escaped. A tab is kept."""
    def one(match: re.Match[str]) -> str:
        char = match.group()
        if char == "\t" or (newlines and char == "\n"):
            return char
        return shown_char(char)

    return _UNSAFE.sub(one, text)
