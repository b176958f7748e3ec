"""Write a whole file or nothing: through a temporary file in the same folder, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_file(path: Path, content: str | bytes, *, create: bool = False) -> None:
    """Replace `path` atomically (a reader sees the old or the new file, never half of one).

    `create=True` refuses to replace an existing file (FileExistsError), even in a race.
    A new file is world-readable (the web server reads the output); a replaced file keeps its mode.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mode = 0o644
        with contextlib.suppress(OSError):
            mode = path.stat().st_mode & 0o777
        os.chmod(temp, mode)
        if create:
            os.link(temp, path)  # fails if the file appeared meanwhile
        else:
            os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
