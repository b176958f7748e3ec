"""Where messages come from: .eml files, mbox files and Maildir folders (read-only).

Every source yields `Incoming` items; a message that cannot be read at all still yields one,
with `problem` set, so that the batch goes on and the webmaster sees the reason.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

_PARSER = BytesParser(policy=policy.default)


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
        if not path.exists():
            yield Incoming(str(path), None, 0, "fichier ou dossier introuvable")
        elif is_maildir(path):
            yield from _read_maildir(path)
        elif path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix == ".eml")
            if not files:
                yield Incoming(str(path), None, 0, "aucun fichier .eml dans ce dossier")
            yield from read_sources(files)
        elif is_mbox(path):
            yield from _read_mbox(path)
        else:
            yield parse_bytes(path.read_bytes(), str(path))


def _read_maildir(path: Path) -> Iterator[Incoming]:
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.keys()):
        yield parse_bytes(box.get_bytes(key), f"{path}/{key}")


def _read_mbox(path: Path) -> Iterator[Incoming]:
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        for number, key in enumerate(box.keys(), 1):
            yield parse_bytes(box.get_bytes(key), f"{path}[{number}]")
    finally:
        box.close()
