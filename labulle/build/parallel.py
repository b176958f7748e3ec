"""Write many pages on every core: the pro pages of a cold build, split between forked processes.

Pelican renders one page after another on one core. A forked child inherits everything
already in memory (templates, context, the directory), renders its share of the pages and
writes their files; the parent renders its own share, then waits. Any failure in a child
(an exception, a fatal Pelican warning) fails the build. Used only where `os.fork` exists and
the batch is large enough to pay for it; otherwise the work runs here, one item at a time.
Measured worth it (bench/RESULTS.md, « Pages écrites en parallèle »): 18 % of a cold build at
1,500 pros, 13 % at 300. It keeps nothing between builds.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
MIN_BATCH = 200  # below this, forking costs more than it saves


def workers() -> int:
    """One process per core this process may use; LABULLE_PROCESSES=1 forces one."""
    if os.environ.get("LABULLE_PROCESSES", "").isdigit():
        return max(1, int(os.environ["LABULLE_PROCESSES"]))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def split_run(items: Sequence[T], work: Callable[[T], Any], processes: int | None = None,
              ) -> list[Sequence[T]]:
    """Run `work(item)` for every item, shared between `processes` processes.

    Returns the shares run by the children (the parent may need to tell Pelican's signals
    about them); raises RuntimeError when a child failed.
    """
    processes = processes or workers()
    if processes < 2 or len(items) < MIN_BATCH or not hasattr(os, "fork"):
        for item in items:
            work(item)
        return []
    shares = [items[k::processes] for k in range(processes)]
    sys.stdout.flush()
    sys.stderr.flush()
    children = []
    for share in shares[1:]:
        pid = os.fork()
        if pid == 0:  # the child: its share, then leave without running the parent's cleanup
            code = 0
            try:
                for item in share:
                    work(item)
            except BaseException:  # noqa: BLE001 - reported, then the parent fails the build
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children.append(pid)
    failed = False
    try:
        for item in shares[0]:
            work(item)
    finally:
        for pid in children:
            _pid, status = os.waitpid(pid, 0)
            failed = failed or os.waitstatus_to_exitcode(status) != 0
    if failed:
        raise RuntimeError("un processus de rendu a échoué (voir ci-dessus)")
    return shares[1:]
