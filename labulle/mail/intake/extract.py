"""Find the `clé : valeur` lines a pro edited, whatever the mail client did to them.

What clients do, and what we undo:

- transfer encodings (quoted-printable, base64) and charsets: decoded by `email` (policy=default),
  with a lenient fallback for a wrong or unknown charset;
- HTML-only messages: turned into text, a `<blockquote>` becoming `> ` quoting;
- format=flowed (RFC 3676) soft line breaks: joined;
- quoting (`> `, `>> `, `> > `): removed, the depth kept; when a key appears several times, the
  least quoted occurrence wins (the pro's own text over the quoted original), then the first;
  the text below an « -----Message d'origine----- » line (Outlook quotes without `>`) counts as
  quoted once more;
- CRLF, non-breaking spaces before « : », accents and capitals typed in keys (`Résumé`);
- lines rewrapped by the client: a line that is not a `clé : valeur` line continues the value
  above it (same quoting depth, no blank line in between);
- signatures: from a `-- ` line to the end of that block (a change of quoting depth or a
  reply / forward header ends it).

Numbered items (`crise.paniers.2.nom`) are bounded: at most `MAX_ITEMS` per list, numbered in
ASCII digits; a higher number refuses the message (once per list, whatever the number of lines),
so the work stays linear in the size of the message and the number of edits stays bounded.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from html.parser import HTMLParser

from labulle.mail import listing
from labulle.source.fields import ITEM_NOUNS, LINE_KEYS
from labulle.source.schema import MAX_BLOCKS
from labulle.text import decode_8bit

_SPACE = "[ \\t\u00a0\u202f]"
_KEY_LINE = re.compile(
    rf"^(?P<key>[^\W\d][\w.]{{0,80}}){_SPACE}*:(?:{_SPACE}+(?P<value>.*)|{_SPACE}*$)")
_QUOTE = re.compile(r"^((?:[ \t]*>)+)[ \t]?")
_DOTTED = re.compile(r"[a-z_]+(?:\.[a-z0-9_]+)+")
_SEPARATOR = (r"-{2,}\s*(original message|message d'origine|forwarded message"
              r"|message transf[ée]r[ée])")
_OLDER_TEXT = re.compile(_SEPARATOR, re.IGNORECASE)
_HEADER_BREAK = re.compile(rf"^({_SEPARATOR}|(le|on)\s.+(a écrit|wrote)\s*:$|(de|from)\s*:\s)",
                           re.IGNORECASE)


MAX_ITEMS = MAX_BLOCKS  # items of a numbered list (baskets, markets) an email may name
_NUMBER = re.compile(r"\.(\d+)(?=\.|$)")


@dataclass
class Body:
    """The text of a message and what was set aside."""

    text: str
    attachments: list[tuple[str, int]] = field(default_factory=list)  # (name, bytes)
    notes: list[str] = field(default_factory=list)
    tnef: bool = False  # a winmail.dat holds (some of) the content

    @property
    def only_tnef(self) -> bool:
        """The message says nothing readable outside its winmail.dat."""
        return self.tnef and not self.text.strip()


@dataclass
class Found:
    """The listing lines found in a text."""

    values: dict[str, str] = field(default_factory=dict)  # dotted key → text
    unknown: list[str] = field(default_factory=list)  # French notes about ignored key lines
    conflicts: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # the pro's own words (unquoted text)
    errors: list[str] = field(default_factory=list)  # lines that refuse the whole message


# --- message → text ---------------------------------------------------------------------------

def decoded_text(part: Message) -> str:
    """The text of a text/* part in its declared charset; without one, or when the bytes do not
    decode in it (us-ascii declared by default, an 8-bit body from an old client), the bytes
    are read as real clients write them (`decode_8bit`)."""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeError):
            pass
    return decode_8bit(payload)


def is_tnef(part: Message) -> bool:
    """Outlook's "rich text" container: winmail.dat (application/ms-tnef)."""
    return part.get_content_type() in ("application/ms-tnef", "application/vnd.ms-tnef") or \
        (part.get_filename() or "").strip().lower() == "winmail.dat"


def message_body(message: EmailMessage, depth: int = 0) -> Body:
    """The readable text of a message (plain preferred, else HTML), quoted `depth` times.

    Messages forwarded as attachments (message/rfc822) are read too, one level more quoted;
    other attachments are listed, never read.
    """
    body = Body("", tnef=any(is_tnef(part) for part in message.walk()))
    part = message.get_body(preferencelist=("plain", "html"))
    if part is not None:
        text = decoded_text(part)
        if part.get_content_subtype() == "html":
            text = html_to_text(text)
            body.notes.append("message en HTML seulement, converti en texte")
        elif part.get_param("format", "").lower() == "flowed":
            text = unflow(text, part.get_param("delsp", "").lower() == "yes")
        body.text = quote(text, depth)
    for attachment in message.iter_attachments():
        if attachment.get_content_type() == "message/rfc822":
            inner = attachment.get_payload(0) if attachment.is_multipart() else None
            if isinstance(inner, EmailMessage):
                nested = message_body(inner, depth + 1)
                body.text += "\n\n" + nested.text
                body.attachments += nested.attachments
                continue
        payload = attachment.get_payload(decode=True) or b""
        body.attachments.append((attachment.get_filename() or attachment.get_content_type(),
                                 len(payload)))
    return body


def quote(text: str, depth: int) -> str:
    if not depth:
        return text
    return "\n".join("> " * depth + line for line in text.splitlines())


def unflow(text: str, delsp: bool = False) -> str:
    """Undo format=flowed: a line ending with a space continues on the next one (RFC 3676)."""
    out: list[str] = []
    pending: tuple[int, str] | None = None
    for raw in text.splitlines():
        match = re.match(r"^(>*)", raw)
        level = len(match.group(1))
        line = raw[level:]
        if line.startswith(" "):
            line = line[1:]  # space-stuffing
        if pending and pending[0] == level:
            line = pending[1] + line
        elif pending:
            out.append(">" * pending[0] + (" " if pending[0] else "") + pending[1])
        pending = None
        if line.endswith(" ") and line != "-- ":
            pending = (level, line[:-1] if delsp else line)
        else:
            out.append(">" * level + (" " if level else "") + line)
    if pending:
        out.append(">" * pending[0] + (" " if pending[0] else "") + pending[1])
    return "\n".join(out)


class _HtmlText(HTMLParser):
    _BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "table", "ul", "ol", "pre",
               "blockquote", "hr"}
    _SKIP = {"style", "script", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = [(0, "")]
        self.depth = 0
        self.skipping = 0

    def _newline(self) -> None:
        self.lines.append((self.depth, ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        if tag == "blockquote":
            self.depth += 1
        if tag in self._BLOCKS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        if tag == "blockquote":
            self.depth = max(0, self.depth - 1)
        if tag in self._BLOCKS and tag != "br":
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        depth, text = self.lines[-1]
        self.lines[-1] = (depth, text + " ".join(data.split("\n")).replace("\r", ""))


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    out = []
    for depth, text in parser.lines:
        text = re.sub(r"[ \t\u00a0]+", " ", text).strip()
        out.append("> " * depth + text if text else "")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


# --- text → listing lines ---------------------------------------------------------------------

def _unquote(line: str) -> tuple[int, str]:
    match = _QUOTE.match(line)
    if not match:
        return 0, line
    return match.group(1).count(">"), line[match.end():]


def find_values(text: str) -> Found:
    """The `clé : valeur` lines of a text, one value per known key (see the module's doc)."""
    found = Found()
    occurrences: list[tuple[str, int, list[str]]] = []  # (key, depth, parts), in text order
    current: tuple[str, int, list[str]] | None = None  # the value being read
    in_signature: int | None = None
    own_text = True  # before the first reply / forward header: the sender's own words
    older = 0  # separators met: Outlook's original follows one, unquoted, but it is older text
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        depth, line = _unquote(raw.rstrip())
        stripped = line.strip()
        depth += older
        older += bool(_OLDER_TEXT.match(stripped))
        if in_signature is not None:
            if depth == in_signature and not _HEADER_BREAK.match(stripped):
                continue
            in_signature = None
        if stripped == "--" or line == "-- ":
            in_signature, current = depth, None
            continue
        if not stripped or _HEADER_BREAK.match(stripped):
            own_text = own_text and not stripped
            current = None
            continue
        key, value = _key_line(stripped, found)
        if key is not None:
            current = (key, depth, [value or ""])
            occurrences.append(current)
        elif value is not None:  # an ignored key line ends the value above
            current = None
        elif current is not None and current[1] == depth:
            current[2].append(stripped)
        else:
            current = None
            if depth == 0 and own_text and len(found.remarks) < 12:
                found.remarks.append(stripped)
    _choose(occurrences, found)
    return found


def _join(parts: list[str]) -> str:
    """Undo the client's wrapping: a space between parts, none after a word cut at a hyphen
    ("chauffe-" + "eau")."""
    text = parts[0]
    for part in parts[1:]:
        cut = re.search(r"\w-$", text) and part[:1].islower()
        text += part if cut else " " + part
    return text


def _choose(occurrences: list[tuple[str, int, list[str]]], found: Found) -> None:
    """Per key, the least quoted occurrence, then the first; say so when others differ."""
    chosen: dict[str, tuple[int, str]] = {}
    for key, depth, parts in occurrences:
        value = " ".join(_join(parts).split())
        previous = chosen.get(key)
        if previous is None or depth < previous[0]:
            chosen[key] = (depth, value)
        elif depth == previous[0] and value != previous[1]:
            found.conflicts.append(f"« {key} » figure deux fois avec des valeurs différentes : "
                                   f"la première (« {previous[1]} ») est retenue")
    found.values = {key: value for key, (_, value) in chosen.items()}


def _key_line(line: str, found: Found) -> tuple[str | None, str | None]:
    """(key, value) for a listing line; (None, text) for an ignored key; (None, None) for prose."""
    match = _KEY_LINE.match(line)
    if not match:
        return None, None
    key = listing.ascii_key(match.group("key")).rstrip(".")
    value = match.group("value") or ""
    if not key.isascii():  # every key of the format is ASCII once accents are dropped
        return None, None
    if key in listing.INTERNAL or any(key.startswith(k + ".") for k in listing.INTERNAL):
        found.unknown.append(f"« {key} » est tenu par l'association : ligne ignorée")
        return None, value
    if _beyond_bounds(key, found):
        return None, value
    if listing.field_type(key) is not None:
        return key, value
    close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1, cutoff=0.85)
    if _DOTTED.fullmatch(key) or close:
        hint = f" (vouliez-vous dire « {close[0]} » ?)" if close else ""
        found.unknown.append(f"clé inconnue « {key} »{hint} : ligne ignorée")
        return None, value
    return None, None


def _beyond_bounds(key: str, found: Found) -> bool:
    """Whether `key` numbers an item past MAX_ITEMS (said once per list in `found.errors`)."""
    number = _NUMBER.search(key)
    if number is None or not number.group(1).isascii() or int(number.group(1)) <= MAX_ITEMS:
        return False
    items = key[:number.start()]
    if listing.field_type(f"{items}.1.{key[number.end() + 1:]}") is None:
        return False  # not a numbered list of the format: an unknown key
    said = f"« {items}."
    if not any(error.startswith(said) for error in found.errors):
        noun = ITEM_NOUNS.get(items, f"éléments de « {items} »")
        found.errors.append(f"« {key} » : une fiche a au plus {MAX_ITEMS} {noun} "
                            f"(numéros 1 à {MAX_ITEMS})")
    return True


_KNOWN_KEYS = LINE_KEYS
