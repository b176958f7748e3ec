"""What every target shares: release names, keeping a few releases, the failure drill hook.

A release is uploaded as `releases/.<name>.partial/` and renamed `releases/<name>/` once
complete; a publication killed before the rename leaves the partial folder behind, and the
next publication removes every one it finds (`PARTIAL_GLOB`) before it uploads.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from labulle.publish.errors import PublishError

# Failure drill (tests, or a webmaster checking the host): the upload stops after N files.
FAIL_AFTER_ENV = "LABULLE_PUBLISH_FAIL_AFTER"
KEEP_RELEASES = 5
#: Shell pattern of the unfinished releases in `releases/` (see `partial_name`).
PARTIAL_GLOB = ".*.partial"


def partial_name(name: str) -> str:
    """The folder a release is uploaded into before it is complete."""
    return f".{name}.partial"


def release_name(existing: set[str] = frozenset()) -> str:
    """A sortable UTC timestamp, unique among `existing`."""
    base = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name, n = base, 1
    while name in existing:
        n += 1
        name = f"{base}-{n}"
    return name


def fail_after() -> int | None:
    value = os.environ.get(FAIL_AFTER_ENV)
    return int(value) if value and value.isdigit() else None


def simulated_failure(count: int) -> PublishError:
    return PublishError(f"Envoi interrompu après {count} fichier(s) ({FAIL_AFTER_ENV}) : "
                        "le site en ligne n'a pas changé.")


def to_prune(releases: list[str], live: str, keep: int) -> list[str]:
    """The oldest releases beyond `keep`, never the live one."""
    ordered = sorted(r for r in releases if not r.startswith("."))
    return [r for r in ordered[:-keep] if r != live] if keep > 0 else []
