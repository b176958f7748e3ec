"""Build the production site: the checker, Pelican with publish.py, then the search index.

Pelican runs in a subprocess (its signals are global, and publish.py imports pelicanconf from
the working directory), with warnings fatal: a production build is strict.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from labulle.publish.errors import PublishError
from labulle.publish.sitemap import strip_build_time

SETTINGS_FILE = "publish.py"


def check_data(root: Path) -> None:
    """Run every rule of `invoke check`; any problem stops the publication."""
    from labulle.source.check import load

    _data, problems = load(root)
    if problems:
        lines = "\n".join(str(problem) for problem in problems)
        raise PublishError(f"{lines}\nPublication annulée : {len(problems)} erreur(s) dans les "
                           "données (voir ci-dessus). Le site en ligne n'a pas changé.")


def read_settings(root: Path) -> dict[str, Any]:
    """The production settings (publish.py, which imports pelicanconf.py from `root`)."""
    path = root / SETTINGS_FILE
    if not path.exists():
        raise PublishError(f"{path} est absent : c'est le fichier des réglages de production.")
    saved_cwd, saved_path = os.getcwd(), list(sys.path)
    sys.modules.pop("pelicanconf", None)
    try:
        os.chdir(root)
        sys.path.insert(0, str(root))
        return runpy.run_path(str(path))
    except Exception as error:  # the settings file is the webmaster's Python: say where
        raise PublishError(f"{path} : erreur dans les réglages : {error}") from None
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        sys.modules.pop("pelicanconf", None)


def run_pelican(root: Path, out: Path) -> None:
    """Pelican with publish.py into `out` (absolute URLs, feeds); warnings are errors."""
    cmd = [sys.executable, "-m", "labulle.build.pelicanrun", "-s", SETTINGS_FILE, "-o", str(out),
           "--fatal", "warnings", "--ignore-cache"]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        output = (result.stderr + result.stdout).strip()
        raise PublishError(f"{output}\nPublication annulée : la construction du site a échoué "
                           "(voir ci-dessus). Le site en ligne n'a pas changé.")


def build(root: Path, out: Path) -> None:
    """Check, build with publish.py, then index the result for the search page."""
    from labulle.pages.search import SearchIndexError, build_index

    check_data(root)
    started = datetime.now()
    run_pelican(root, out)
    strip_build_time(out, started)
    try:
        build_index(out)
    except SearchIndexError as error:
        raise PublishError(str(error)) from None
