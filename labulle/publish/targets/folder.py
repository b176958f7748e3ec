"""A local folder served by a web server: `releases/<time>/` and a `current` symlink.

The new release is copied into `releases/.<time>.partial/` (unchanged files are hard links to
the live release, like rsync's --link-dest), renamed when complete, then `current` is switched
with `os.replace` of a temporary symlink: one atomic rename. Any failure before the switch
removes the partial copy and leaves `current` pointing at the previous, complete release; the
partial copy of a publication that was killed is removed by the next one. A lock on
`<dest>/.publication.lock` (released by the system when the process ends, even killed) keeps
two publications from writing into the folder at once.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labulle.publish.errors import PublishError
from labulle.publish.manifest import read_manifest
from labulle.publish.targets.common import (
    KEEP_RELEASES,
    PARTIAL_GLOB,
    fail_after,
    partial_name,
    release_name,
    simulated_failure,
    to_prune,
)


@dataclass
class FolderTarget:
    dest: Path
    keep: int = KEEP_RELEASES

    @classmethod
    def from_settings(cls, options: dict[str, Any], root: Path) -> FolderTarget:
        if "dest" not in options:
            raise PublishError('LABULLE_DEPLOY (folder) : indiquez le dossier, '
                               '"dest": "/srv/labulle".')
        dest = Path(os.path.expanduser(str(options.pop("dest"))))
        return cls(dest if dest.is_absolute() else root / dest, **options)

    def label(self) -> str:
        return f"dossier {self.dest} (lien {self.dest / 'current'})"

    @property
    def current(self) -> Path:
        return self.dest / "current"

    def close(self) -> None:
        """Nothing to clean up."""

    def live_manifest(self) -> dict[str, str] | None:
        return read_manifest(self.current) if self.current.is_dir() else None

    def upload(self, site: Path, manifest: dict[str, str]) -> str:
        releases = self.dest / "releases"
        try:
            releases.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PublishError(f"Impossible de créer {releases} : {error.strerror}.") from None
        with publication_lock(self.dest):
            for stale in releases.glob(PARTIAL_GLOB):  # left by a killed publication
                shutil.rmtree(stale, ignore_errors=True)
            return self._upload(releases, site, manifest)

    def _upload(self, releases: Path, site: Path, manifest: dict[str, str]) -> str:
        name = release_name(set(os.listdir(releases)))
        partial = releases / partial_name(name)
        previous = self.current.resolve() if self.current.is_dir() else None
        try:
            copy_release(site, partial, previous, self.live_manifest() or {}, manifest)
            os.rename(partial, releases / name)
        except OSError as error:
            shutil.rmtree(partial, ignore_errors=True)
            raise PublishError(f"Envoi interrompu ({error}) : le site en ligne n'a pas "
                               "changé.") from None
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        switch_symlink(self.current, Path("releases") / name)
        for old in to_prune(os.listdir(releases), name, self.keep):
            shutil.rmtree(releases / old, ignore_errors=True)
        return name


@contextmanager
def publication_lock(dest: Path) -> Iterator[None]:
    """Hold `<dest>/.publication.lock`, or a French error if another publication holds it."""
    path = dest / ".publication.lock"
    try:
        handle = path.open("w")
    except OSError as error:
        raise PublishError(f"Impossible d'écrire {path} : {error.strerror}.") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(f"Une autre publication vers {dest} est en cours : "
                               "réessayez quand elle sera finie.") from None
        yield


def copy_release(site: Path, into: Path, previous: Path | None, live: dict[str, str],
                 manifest: dict[str, str]) -> int:
    """Copy `site` into `into`, hard-linking the files unchanged since `previous`."""
    limit = fail_after()
    count = 0
    for source in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = source.relative_to(site).as_posix()
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        same = previous is not None and rel in live and live.get(rel) == manifest.get(rel)
        if not (same and link(previous / rel, target)):
            shutil.copy2(source, target)
        count += 1
        if limit is not None and count >= limit:
            raise simulated_failure(count)
    return count


def link(existing: Path, target: Path) -> bool:
    try:
        os.link(existing, target)
    except OSError:  # another file system, or a file removed by hand: copy instead
        return False
    return True


def switch_symlink(link_path: Path, points_to: Path) -> None:
    """Point `link_path` at `points_to` atomically (rename of a fresh symlink over it)."""
    if link_path.exists() and not link_path.is_symlink():
        raise PublishError(f"{link_path} existe et n'est pas un lien symbolique : déplacez-le "
                           "(la publication y met un lien vers la dernière version).")
    tmp = link_path.with_name(f".{link_path.name}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(points_to, tmp)
    os.replace(tmp, link_path)
