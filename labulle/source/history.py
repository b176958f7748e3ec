"""The committed versions of the pro files, read from git (for the directory's feeds).

Two git calls for the whole folder, whatever its size: one `git log --name-only` lists the
commits that touched `pros/` (newest first) and the files each changed (the folder's own
`<slug>.yml`, not its subfolders), one
`git cat-file --batch` gives the texts of the versions wanted. Each call has a timeout. No git,
not a repository, a timeout, an unreadable answer: `None` (the caller falls back on
`verifie_le`), never an error.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

TIMEOUT = 20  # seconds, per git call
MAX_COMMITS = 5000  # the walk's bound (a folder's whole history for years of a busy directory)
_SEP = "\x1e"  # starts each commit's header line in our log format


@dataclass(frozen=True)
class Version:
    """One committed state of a pro file (`text` None: the file was deleted in that commit)."""

    slug: str
    sha: str
    when: datetime
    text: str | None


def _git(pros_dir: Path, args: list[str], stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(pros_dir), *args], input=stdin,
                              capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _changes(log: str) -> list[tuple[str, datetime, str]]:
    """(sha, commit date, file name) of every pro file of the folder in the log."""
    found = []
    for block in log.split(_SEP)[1:]:
        header, _, names = block.partition("\n")
        sha, _, stamp = header.strip().partition(" ")
        when = datetime.fromisoformat(stamp)
        for name in names.splitlines():
            path = PurePosixPath(name.strip())
            if len(path.parts) == 1 and path.suffix == ".yml" and path.stem != "categories":
                found.append((sha, when, path.name))
    return found


def _wanted(changes: list[tuple[str, datetime, str]], since: datetime) -> list[tuple]:
    """Per file, its versions since `since` and the one before them (to compare with)."""
    per_file: dict[str, list[tuple]] = defaultdict(list)
    for change in changes:  # newest first
        versions = per_file[change[2]]
        if not versions or versions[-1][1] >= since:
            versions.append(change)
    return [change for versions in per_file.values() for change in versions]


def _texts(pros_dir: Path, wanted: list[tuple]) -> list[str | None] | None:
    """The file texts at those commits, in order, with one `git cat-file --batch`."""
    query = "".join(f"{sha}:./{name}\n" for sha, _when, name in wanted).encode()
    out = _git(pros_dir, ["cat-file", "--batch"], query)
    if out is None:
        return None
    texts: list[str | None] = []
    at = 0
    for _ in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) != 3:  # "<name> missing": the file was deleted in that commit
            texts.append(None)
            at = end + 1
            continue
        size = int(header[2])
        texts.append(out[end + 1:end + 1 + size].decode("utf-8", errors="replace"))
        at = end + 1 + size + 1
    return texts


def pro_versions(pros_dir: Path, since: datetime) -> dict[str, list[Version]] | None:
    """Slug → its committed versions, oldest first: those since `since` and the one before
    (None when the history cannot be read: no git, not a repository, timeout)."""
    log = _git(pros_dir, ["log", f"--max-count={MAX_COMMITS}", "--no-renames", "--relative",
                          f"--format={_SEP}%H %cI", "--name-only", "--", "."])
    if log is None:
        return None
    try:
        wanted = _wanted(_changes(log.decode("utf-8", errors="replace")), since)
        texts = _texts(pros_dir, wanted) if wanted else []
    except ValueError:  # an answer of git we cannot read
        return None
    if texts is None:
        return None
    versions: dict[str, list[Version]] = defaultdict(list)
    for (sha, when, path), text in zip(wanted, texts, strict=True):
        slug = PurePosixPath(path).stem
        versions[slug].append(Version(slug, sha, when, text))
    return {slug: found[::-1] for slug, found in versions.items()}  # git log: newest first
