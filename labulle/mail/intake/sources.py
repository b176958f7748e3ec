"""Where messages come from: .eml files, mbox files and Maildir folders (read-only).

Every source yields `Incoming` items; a message that cannot be read at all still yields one,
with `problem` set, so that the batch goes on and the webmaster sees the reason. A source that
cannot be read (a folder without permission, a file that vanished) yields one too.

Headers are read as the sender meant them (`Lenient`): raw 8-bit bytes (Outlook 2000 and some
phones write `Subject:` and From's display name in latin-1, not RFC 2047) are decoded like the
same text in RFC 2047, and a header the standard parser refuses (an encoded CR/LF in an address)
becomes a plain text header instead of an exception at every later access.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.headerregistry import BaseHeader, UnstructuredHeader
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import EmailPolicy
from pathlib import Path
from typing import Any

from labulle.text import decode_8bit


class _UnreadableHeader(UnstructuredHeader, BaseHeader):
    """A header the registry refused: its text only (an address header has no `addresses`)."""


class Lenient(EmailPolicy):
    """policy.default, but raw 8-bit header bytes are decoded (`decode_8bit`) and no header
    access ever raises."""

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        name, value = super().header_source_parse(sourcelines)
        if any("\udc80" <= char <= "\udcff" for char in value):
            value = decode_8bit(value.encode("utf-8", "surrogateescape"))
        return name, value

    def header_fetch_parse(self, name: str, value: Any) -> Any:
        try:
            return super().header_fetch_parse(name, value)
        except Exception:  # noqa: BLE001 - the registry may raise almost anything
            return _UnreadableHeader(name, str(value))

    def fold_binary(self, name: str, value: Any) -> bytes:
        if isinstance(value, str) and not value.isascii():
            value = self.header_fetch_parse(name, value)  # encoded words, as RFC 2047 says
        return super().fold_binary(name, value)


_PARSER = BytesParser(policy=Lenient())


@dataclass
class Incoming:
    """One message as read from a source."""

    label: str  # where it was read: file path, or "mbox[3]", or "Maildir/<key>"
    message: EmailMessage | None
    size: int = 0
    problem: str | None = None


def parse_bytes(data: bytes, label: str) -> Incoming:
    if not data.strip():
        return Incoming(label, None, len(data), "message vide")
    try:
        message = _PARSER.parsebytes(data)
    except Exception as exc:  # noqa: BLE001 - the stdlib parser may raise almost anything
        return Incoming(label, None, len(data), f"message illisible ({exc.__class__.__name__})")
    if not any(message.get(name) for name in ("From", "Subject", "Date", "Message-ID")):
        return Incoming(label, None, len(data), "ce fichier n'est pas un courriel "
                                                "(aucun en-tête From, Subject ou Date)")
    return Incoming(label, message, len(data))


def is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def read_sources(paths: Iterable[Path]) -> Iterator[Incoming]:
    """Every message of every source, in order (files of a folder sorted by name)."""
    for path in paths:
        try:
            yield from _read_source(path)
        except OSError as exc:
            yield Incoming(str(path), None, 0, f"lecture impossible ({_os_reason(exc)})")


def _read_source(path: Path) -> Iterator[Incoming]:
    if not path.exists():
        yield Incoming(str(path), None, 0, "fichier ou dossier introuvable")
    elif is_maildir(path):
        yield from _read_maildir(path)
    elif path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix == ".eml")
        if not files:
            yield Incoming(str(path), None, 0, "aucun fichier .eml dans ce dossier")
        yield from read_sources(files)
    elif not path.is_file():  # a FIFO or a device would block or never end
        yield Incoming(str(path), None, 0, "ni un fichier ni un dossier : ignoré")
    elif is_mbox(path):
        yield from _read_mbox(path)
    else:
        yield parse_bytes(path.read_bytes(), str(path))


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission refusée"
    if isinstance(exc, FileNotFoundError):
        return "fichier disparu pendant la lecture"
    return exc.strerror or exc.__class__.__name__


def _read_maildir(path: Path) -> Iterator[Incoming]:
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.keys()):
        yield _read_one(box, key, f"{path}/{key}")


def _read_mbox(path: Path) -> Iterator[Incoming]:
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for number, key in enumerate(box.keys(), 1):
            yield _read_one(box, key, f"{path}[{number}]")
    finally:
        box.close()


def _read_one(box: mailbox.Mailbox, key: str, label: str) -> Incoming:
    """One message of a mailbox; a message that cannot be read is reported, the box goes on."""
    try:
        data = box.get_bytes(key)
    except (OSError, KeyError) as exc:
        reason = _os_reason(exc) if isinstance(exc, OSError) else "message disparu"
        return Incoming(label, None, 0, f"lecture impossible ({reason})")
    return parse_bytes(data, label)
