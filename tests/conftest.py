"""Shared fixtures: the sample site built once per run, served locally, and a real browser.

- `built_site`: Path of the sample site built by Pelican (pelicanconf.py) into a temp folder.
- `site_url`: base URL of that site served on 127.0.0.1 (a real HTTP server in a thread).
- `browser`: Debian's Chromium driven by Playwright (session-scoped).
- `page`: a fresh page; `page.errors` collects console errors and page errors,
  `page.foreign_requests` every request to a host other than the local server (map tiles are
  blocked and recorded apart in `page.tile_requests`).
- `axe_violations(page)`: axe-core violations of the current page (list of dicts).
- `build_site(root, out, settings="pelicanconf.py", extra=())`: build any project folder
  (used by tests that copy the project with `copy_project(dest)` and break something).
- `ROOT`: the project's folder; `copy_project(dest, names=PROJECT)`: a copy of the project (or of
  only `names`) to break freely; `strict_env()`: the environment of every subprocess under test,
  where a warning raised by our code (labulle, the settings, tasks.py) is an error.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]


def build_site(root: Path, out: Path, settings: str = "pelicanconf.py",
               extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """Run Pelican as the webmaster does (a subprocess: Pelican's signals are global)."""
    cmd = [sys.executable, "-m", "pelican", "-s", settings, "-o", str(out),
           "--fatal", "warnings", *extra]
    return subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=strict_env(),
                          check=False)


def _our_modules() -> list[str]:
    """Dotted names of every module of ours: labulle's, and the files Pelican or invoke load."""
    packages = (path.relative_to(ROOT).with_suffix("").parts
                for path in (ROOT / "labulle").rglob("*.py"))
    names = [".".join(parts[:-1] if parts[-1] == "__init__" else parts) for parts in packages]
    return [*names, "pelicanconf", "publish", "tasks"]


# PYTHONWARNINGS matches a module by its exact name: one filter per module of ours, after an
# `ignore` that keeps third-party import-time warnings (pkg_resources, folium, branca) quiet.
STRICT_WARNINGS = ",".join(["ignore", *(f"error:::{name}" for name in _our_modules())])


def strict_env(**extra: str) -> dict[str, str]:
    """os.environ plus `extra`, where a warning raised by our code stops the process."""
    return {**os.environ, "PYTHONWARNINGS": STRICT_WARNINGS, **extra}


PROJECT = ("pelicanconf.py", "publish.py", "tasks.py", "pros", "content", "theme")


def copy_project(dest: Path, names: Iterable[str] = PROJECT) -> Path:
    """A copy of the project's `names` (files or folders) at `dest`, to break freely."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy(source, dest / name)
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "output"
    result = build_site(ROOT, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    server, url = serve(built_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: run the README's test command "
                    "(it installs it) or `sudo apt-get install chromium`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


TILE_HOSTS = ("tile.openstreetmap.org",)


@pytest.fixture
def page(browser, site_url: str):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR",
                                  timezone_id="Europe/Paris")
    page = context.new_page()
    page.errors = []
    page.foreign_requests = []
    page.tile_requests = []
    local_host = urlsplit(site_url).netloc

    def on_console(message):  # type: ignore[no-untyped-def]
        source = (message.location or {}).get("url", "")
        from_tiles = urlsplit(source).netloc.endswith(TILE_HOSTS)
        failed_elsewhere = "net::ERR_FAILED" in message.text and local_host not in source
        if message.type == "error" and not from_tiles and not failed_elsewhere:
            page.errors.append(message.text)

    def route(route):  # type: ignore[no-untyped-def]
        host = urlsplit(route.request.url).netloc
        if host == local_host or route.request.url.startswith("data:"):
            route.continue_()
        elif host.endswith(TILE_HOSTS):
            page.tile_requests.append(route.request.url)
            route.abort()
        else:
            page.foreign_requests.append(route.request.url)
            route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    context.route("**/*", route)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.response["violations"]


@pytest.fixture
def axe():
    """`axe(page)` → the axe-core violations of the page currently loaded."""
    return axe_violations
