"""`invoke publish`: check, build for production, index, precompress, then deploy atomically.

Stages, one module each: `build` (check + Pelican with publish.py + search index),
`precompress` (.gz and .br next to text files), `manifest` (content hashes, what changed),
`targets` (folder, rsync over SSH, git branch: each makes the new site live in one atomic step),
and `pipeline`, which runs them in order.
"""

from labulle.publish.errors import PublishError
from labulle.publish.pipeline import publish

__all__ = ["PublishError", "publish"]
