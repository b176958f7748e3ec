"""Where ``bulle-ledger`` writes the details of an unexpected error (never on the terminal).

The log is ``erreurs.log`` in the user's log folder (``~/.local/state/bulle-ledger/log/`` on
Linux, ``$XDG_STATE_HOME`` when set), or in the system's temporary folder when that one
cannot be written. It keeps about ``MAX_BYTES``: a full log is moved to ``erreurs.log.1``.
"""

import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

LOG_NAME = "erreurs.log"
MAX_BYTES = 1_000_000


def candidates() -> list[Path]:
    import platformdirs

    return [
        Path(platformdirs.user_log_dir("bulle-ledger")) / LOG_NAME,
        Path(tempfile.gettempdir()) / "bulle-ledger" / LOG_NAME,
    ]


def record(error: BaseException, doing: str) -> Path | None:
    """Append the traceback of ``error`` to the log; its path, or None when none is writable."""
    when = datetime.now(UTC).isoformat(timespec="seconds")
    details = "".join(traceback.format_exception(error))
    text = f"--- {when} : {doing}\ncommande : {' '.join(sys.argv)}\n{details}\n"
    for path in candidates():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size > MAX_BYTES:
                path.replace(path.with_name(LOG_NAME + ".1"))
            with path.open("a", encoding="utf-8", errors="backslashreplace") as log:
                log.write(text)
            return path
        except OSError:
            continue
    return None
