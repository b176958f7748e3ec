"""The publication, stage by stage: nothing reaches the target unless every stage succeeded."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from labulle.publish.build import build, read_settings
from labulle.publish.manifest import Changes, build_manifest, describe, diff, write_manifest
from labulle.publish.precompress import precompress
from labulle.publish.targets import Target, make_target
from labulle.source.settings import setting


def publish(root: Path, dry_run: bool = False, echo: Callable[[str], None] = print) -> Changes:
    """Check, build, index, precompress, compare with the live site, then upload atomically.

    Returns what changed (compared with the live release). Raises PublishError, the live site
    untouched, when any stage fails.
    """
    root = Path(root).resolve()
    settings = read_settings(root)
    target = make_target(setting(settings, "LABULLE_DEPLOY"), root)
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="labulle-publish-") as scratch:
            return _run(root, target, Path(scratch) / "site", dry_run, echo, started)
    finally:
        target.close()


def _run(root: Path, target: Target, site: Path, dry_run: bool,
         echo: Callable[[str], None], started: float) -> Changes:
    echo(f"Vérification, construction (publish.py) et index de recherche → {target.label()}")
    build(root, site)
    count = precompress(site, cache=root / "cache" / "precompress")
    echo(f"Précompression : {count} fichier(s) .gz/.br écrits")
    manifest = build_manifest(site)
    write_manifest(site, manifest)
    live = target.live_manifest()
    changes = diff(live, manifest)
    echo(describe(changes))
    if dry_run:
        echo("--dry-run : rien n'a été envoyé.")
    elif not changes:
        echo("Rien à envoyer.")
    else:
        release = target.upload(site, manifest)
        echo(f"Publié : {release} est en ligne ({time.monotonic() - started:.1f} s).")
    return changes
