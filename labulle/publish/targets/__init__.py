"""Where the site goes. Each target makes a new release live in one atomic step, so visitors
never see half an old and half a new site, and a failed upload leaves the previous one served.

`LABULLE_DEPLOY` (publish.py) picks one:
- `{"kind": "folder", "dest": "/srv/labulle"}`: releases/<time>/ + a `current` symlink, locally;
- `{"kind": "rsync", "dest": "user@host:/var/www/labulle", "ssh": ["-p", "2222"]}`: the same
  scheme on the association's host, over SSH (the web server serves `current`);
- `{"kind": "git", "repo": "<url or path>", "branch": "pages"}`: one commit on a branch
  (GitHub/GitLab Pages), pushed in one go.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from labulle.publish.errors import PublishError


class Target(Protocol):
    def label(self) -> str: ...

    def live_manifest(self) -> dict[str, str] | None: ...

    def upload(self, site: Path, manifest: dict[str, str]) -> str: ...

    def close(self) -> None: ...


def make_target(config: Any, root: Path) -> Target:
    """The target described by `LABULLE_DEPLOY`, with a French error for a bad setting."""
    from labulle.publish.targets.folder import FolderTarget
    from labulle.publish.targets.git import GitTarget
    from labulle.publish.targets.rsync import RsyncTarget

    kinds = {"folder": FolderTarget, "rsync": RsyncTarget, "git": GitTarget}
    if not config:
        raise PublishError("Aucune destination : réglez LABULLE_DEPLOY dans publish.py (ou la "
                           "variable d'environnement LABULLE_DEPLOY, en JSON), par exemple "
                           '{"kind": "folder", "dest": "/srv/labulle"}.')
    if not isinstance(config, dict) or config.get("kind") not in kinds:
        raise PublishError(f"LABULLE_DEPLOY : « kind » doit valoir {', '.join(kinds)} "
                           f"(reçu : {config!r}).")
    options = {k: v for k, v in config.items() if k != "kind"}
    try:
        return kinds[config["kind"]].from_settings(options, root)
    except TypeError as error:
        raise PublishError(f"LABULLE_DEPLOY ({config['kind']}) : réglage incorrect : "
                           f"{error}") from None
