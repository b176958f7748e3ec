"""The Authentication-Results header field (RFC 8601), as a receiving server writes it.

    Authentication-Results: mx.labulle16.fr 1; spf=pass (sender IP is 192.0.2.1)
        smtp.mailfrom=example.org; dkim=pass (2048-bit key) header.d=example.org
        header.i=@example.org header.b="kQ3vF/x+"; dmarc = pass (p=NONE) header.from=example.org

Comments (nested parentheses, with `\\` escapes) and quoted strings are honoured, spaces may
surround `=`, `.` and `/`, keywords are case-insensitive, and `none` says that nothing was
checked. Parsing is one pass over the text (linear). A field whose results do not follow the
grammar is kept as unreadable (`readable` False), so that it still hides any field below it
that claims the same server; a value the grammar does not describe but servers write (a
property value with `/` or `=`, such as a truncated `header.b`) is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_QUOTED = r'"(?:[^"\\]|\\.)*"'
_TOKEN = re.compile(rf'\s*({_QUOTED}|[^\s";=]+)')
_METHOD = re.compile(r"\s*([A-Za-z0-9][\w-]*)(?:\s*/\s*\d+)?\s*=\s*([A-Za-z0-9][\w-]*)")
_PROPERTY = re.compile(
    rf'\s*([A-Za-z0-9][\w-]*(?:\s*\.\s*[A-Za-z0-9][\w-]*)?)\s*=\s*({_QUOTED}|[^\s";]+)')


@dataclass(frozen=True)
class Result:
    """One resinfo: `dkim=pass header.d=example.org` → method "dkim", result "pass",
    properties {"header.d": "example.org"} (names and method in lower case)."""

    method: str
    result: str
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AuthResults:
    authserv_id: str
    results: tuple[Result, ...]
    readable: bool = True  # False: the server is named, but what follows breaks the grammar


def parse(value: str) -> AuthResults | None:
    """One Authentication-Results field value (unfolded or not); None when not even the
    authserv-id can be read; `readable` False when only the authserv-id can."""
    parts = _split(_without_comments(value.replace("\r", " ").replace("\n", " ")))
    head = _TOKEN.findall(parts[0]) if parts[0].strip() else []
    if not head or len(head) > 2 or (len(head) == 2 and not head[1].isdigit()):
        return None
    authserv_id = _unquote(head[0]).lower()
    if [p.strip().lower() for p in parts[1:]] in ([], ["none"]):
        return AuthResults(authserv_id, ())
    results = []
    for part in filter(str.strip, parts[1:]):  # a trailing ";" is harmless
        result = _resinfo(part)
        if result is None:
            return AuthResults(authserv_id, (), readable=False)
        results.append(result)
    return AuthResults(authserv_id, tuple(results))


def _resinfo(text: str) -> Result | None:
    match = _METHOD.match(text)
    if match is None:
        return None
    properties: dict[str, str] = {}
    position = match.end()
    while text[position:].strip():
        prop = _PROPERTY.match(text, position)
        if prop is None:
            return None
        name = re.sub(r"\s+", "", prop.group(1)).lower()
        properties.setdefault(name, _unquote(prop.group(2)))
        position = prop.end()
    return Result(match.group(1).lower(), match.group(2).lower(), properties)


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return re.sub(r"\\(.)", r"\1", text[1:-1])
    return text


def _without_comments(text: str) -> str:
    """CFWS comments replaced by a space; quoted strings kept as they are."""
    out: list[str] = []
    depth, quoted, escaped = 0, False, False
    for char in text:
        if escaped:
            escaped = False
            if not depth:
                out.append(char)
        elif char == "\\":
            escaped = True
            if not depth:
                out.append(char)
        elif quoted:
            quoted = char != '"'
            out.append(char)
        elif char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if not depth:
                out.append(" ")
        elif not depth:
            quoted = char == '"'
            out.append(char)
    return "".join(out)


def _split(text: str) -> list[str]:
    """The text cut at every `;` outside quoted strings."""
    parts, current, quoted, escaped = [], [], False, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts
