"""A branch of a git repository (GitHub Pages, GitLab Pages): one commit, one push.

The build is committed with git plumbing in a scratch bare repository (a temporary index,
`write-tree`, `commit-tree` on top of the branch's last commit), never touching the project's
checkout; then `git push` updates the branch, which is atomic on the server. Same tree as the
live commit: nothing is pushed. A rejected push (someone published meanwhile, no rights)
leaves the branch as it was.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labulle.publish.errors import PublishError
from labulle.publish.manifest import MANIFEST_NAME, parse_manifest
from labulle.publish.targets.common import fail_after, simulated_failure

IDENTITY = {"GIT_AUTHOR_NAME": "Publication du site", "GIT_AUTHOR_EMAIL": "publication@localhost",
            "GIT_COMMITTER_NAME": "Publication du site",
            "GIT_COMMITTER_EMAIL": "publication@localhost"}


@dataclass
class GitTarget:
    repo: str
    branch: str = "pages"
    message: str = "Publication du site"
    nojekyll: bool = True  # GitHub Pages: serve the files as they are
    _scratch: Any = field(default=None, repr=False)
    _parent: str | None = field(default=None, repr=False)
    _fetched: bool = field(default=False, repr=False)

    @classmethod
    def from_settings(cls, options: dict[str, Any], root: Path) -> GitTarget:
        repo = str(options.pop("repo", ""))
        if not repo:
            raise PublishError('LABULLE_DEPLOY (git) : indiquez le dépôt, "repo": "<url>".')
        local = Path(os.path.expanduser(repo))
        if "://" not in repo and ":" not in repo.split("/")[0]:  # a path, not user@host:repo
            repo = (local if local.is_absolute() else root / local).resolve().as_uri()
        return cls(repo, **options)

    def label(self) -> str:
        return f"branche {self.branch} de {self.repo}"

    @property
    def git_dir(self) -> Path:
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="labulle-git-")
            self.git("init", "--quiet", "--bare", self._scratch.name, git_dir=False)
        return Path(self._scratch.name)

    def git(self, *args: str, git_dir: bool = True, env: dict[str, str] | None = None) -> str:
        base = ["git", "-c", "core.autocrlf=false", "-c", "core.excludesFile=/dev/null"]
        if git_dir:
            base += ["--git-dir", str(self.git_dir)]
        result = subprocess.run([*base, *args], capture_output=True, text=True, check=False,
                                env={**IDENTITY, **os.environ, **(env or {})})
        if result.returncode != 0:
            raise PublishError(f"git {args[0]} a échoué : {result.stderr.strip()}\n"
                               "Le site en ligne n'a pas changé.")
        return result.stdout.strip()

    def close(self) -> None:
        """Remove the scratch repository."""
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def live_manifest(self) -> dict[str, str] | None:
        ref = f"refs/heads/{self.branch}"
        self._fetched = True
        if not self.git("ls-remote", "--heads", self.repo, ref):
            return None
        self.git("fetch", "--quiet", "--depth=1", self.repo, f"+{ref}:refs/live")
        self._parent = self.git("rev-parse", "refs/live")
        text = subprocess.run(["git", "--git-dir", str(self.git_dir), "show",
                               f"{self._parent}:{MANIFEST_NAME}"],
                              capture_output=True, text=True, check=False).stdout
        return parse_manifest(text)

    def upload(self, site: Path, manifest: dict[str, str]) -> str:
        if not self._fetched:
            self.live_manifest()
        if self.nojekyll:
            (site / ".nojekyll").touch()
        env = {"GIT_INDEX_FILE": str(self.git_dir / "publish-index")}
        self.git("--work-tree", str(site), "add", "--all", "--force", ".", env=env)
        tree = self.git("write-tree", env=env)
        if self._parent and tree == self.git("rev-parse", f"{self._parent}^{{tree}}"):
            return self._parent[:12]
        parents = ["-p", self._parent] if self._parent else []
        commit = self.git("commit-tree", tree, *parents, "-m", self.message)
        if fail_after() is not None:
            raise simulated_failure(0)
        self.git("push", "--quiet", self.repo, f"{commit}:refs/heads/{self.branch}")
        return commit[:12]
