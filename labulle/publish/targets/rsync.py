"""The association's host over SSH: rsync into `releases/<time>/`, then swap `current`.

rsync sends only what differs (`--checksum`) and hard-links unchanged files to the live
release (`--link-dest`), into `releases/.<time>.partial/`. Only when it has succeeded does one
SSH command rename it and switch the `current` symlink (`ln -sfn` + `mv -T`, an atomic
rename). The web server serves `<dest>/current`. A `dest` without `host:` is a local folder
(a mounted share, or the tests), with the very same commands run by `sh` instead of `ssh`.
The partial folders of publications that were killed are removed by the next one, in its
first command (publications are one at a time: the CI's concurrency group).
"""

from __future__ import annotations

import shlex
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labulle.publish.errors import PublishError
from labulle.publish.manifest import MANIFEST_NAME, parse_manifest
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
class RsyncTarget:
    host: str | None  # "user@host", or None for a local folder
    path: str
    ssh: list[str] = field(default_factory=list)  # extra ssh options, e.g. ["-p", "2222"]
    keep: int = KEEP_RELEASES

    @classmethod
    def from_settings(cls, options: dict[str, Any], root: Path) -> RsyncTarget:
        dest = str(options.pop("dest", ""))
        host, sep, path = dest.partition(":")
        if not sep or "/" in host:
            host, path = None, dest
        if not path.startswith("/"):
            raise PublishError('LABULLE_DEPLOY (rsync) : "dest" doit être "utilisateur@hôte:'
                               f'/chemin/absolu" (reçu : « {dest} »).')
        return cls(host or None, path.rstrip("/"), **options)

    def label(self) -> str:
        where = f"{self.host}:{self.path}" if self.host else self.path
        return f"rsync vers {where} (lien current)"

    def remote(self, script: str) -> subprocess.CompletedProcess[str]:
        cmd = ["ssh", *self.ssh, self.host, script] if self.host else ["sh", "-c", script]
        return subprocess.run(cmd, capture_output=True, text=True, check=False)

    def remote_or_fail(self, script: str, what: str) -> str:
        result = self.remote(script)
        if result.returncode != 0:
            raise PublishError(f"{what} : {result.stderr.strip() or result.returncode}. "
                               "Le site en ligne n'a pas changé.")
        return result.stdout

    def close(self) -> None:
        """Nothing to clean up."""

    def live_manifest(self) -> dict[str, str] | None:
        result = self.remote(f"cat {shlex.quote(f'{self.path}/current/{MANIFEST_NAME}')}")
        return parse_manifest(result.stdout) if result.returncode == 0 else None

    def upload(self, site: Path, manifest: dict[str, str]) -> str:
        releases = f"{self.path}/releases"
        q = shlex.quote
        listing = self.remote_or_fail(f"mkdir -p {q(releases)} && cd {q(releases)} && "
                                      f"rm -rf ./{PARTIAL_GLOB} && ls -1a",
                                      f"Connexion à {self.label()}")
        name = release_name(set(listing.split()))
        partial = f"{releases}/{partial_name(name)}"
        limit = fail_after()
        try:
            self.rsync(site, partial, limit)
            if limit is not None:
                raise simulated_failure(limit)
        except PublishError:
            self.remote(f"rm -rf {shlex.quote(partial)}")
            raise
        self.remote_or_fail(swap_script(self.path, name), "Bascule du lien current impossible")
        self.prune(name)
        return name

    def rsync(self, site: Path, partial: str, limit: int | None) -> None:
        cmd = ["rsync", "-rl", "--checksum", "--chmod=D755,F644",
               f"--link-dest={self.path}/current/"]
        if self.host:
            cmd += ["-e", shlex.join(["ssh", *self.ssh])]
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
            if limit is not None:  # failure drill: send only the first files
                files = sorted(p.relative_to(site).as_posix()
                               for p in site.rglob("*") if p.is_file())
                listing.write("\n".join(files[:limit]) + "\n")
                listing.flush()
                cmd += ["--files-from", listing.name]
            dest = f"{self.host}:{partial}/" if self.host else f"{partial}/"
            result = subprocess.run([*cmd, f"{site}/", dest], capture_output=True, text=True,
                                    check=False)
        if result.returncode != 0:
            raise PublishError(f"rsync a échoué ({result.returncode}) : {result.stderr.strip()}\n"
                               "Le site en ligne n'a pas changé.")

    def prune(self, live: str) -> None:
        releases = f"{self.path}/releases"
        listing = self.remote(f"ls -1 {shlex.quote(releases)}").stdout.split()
        old = to_prune(listing, live, self.keep)
        if old:
            self.remote("rm -rf " + " ".join(shlex.quote(f"{releases}/{r}") for r in old))


def swap_script(path: str, name: str) -> str:
    """Shell: complete the release, then switch `current` with one atomic rename."""
    q = shlex.quote
    return (f"cd {q(path)} && mv -T {q(f'releases/{partial_name(name)}')} {q(f'releases/{name}')} "
            f"&& ln -sfn {q(f'releases/{name}')} .current.tmp && mv -T .current.tmp current")
