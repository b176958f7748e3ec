"""The live preview as the webmaster meets it: `invoke livereload` in a copy of the project, a
pro page open in Chromium, the pro file saved, saved again soon after, broken, then mended; the
open page follows each good save and keeps the last good page meanwhile."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_project, strict_env
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

INVOKE = Path(sys.executable).parent / "invoke"
PRO = "pros/la-drole-d-epicerie.yml"
SHOWN = 60_000  # ms: how long the page may take to show a save (a rebuild on a busy machine)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        return sock.getsockname()[1]


def wait_until_served(url: str, server: subprocess.Popen, log: Path) -> None:
    """Until the first build is served (the server answers), or the task has stopped."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"invoke livereload s'est arrêté :\n{log.read_text(encoding='utf-8')}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)  # polling the server's readiness, not waiting for a page state
    pytest.fail(f"invoke livereload ne répond pas :\n{log.read_text(encoding='utf-8')}")


@pytest.fixture
def live(tmp_path):  # type: ignore[no-untyped-def]
    project = copy_project(tmp_path / "projet")
    port, log = free_port(), tmp_path / "livereload.log"
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen([str(INVOKE), "livereload", "--port", str(port)], cwd=project,
                                  stdout=out, stderr=subprocess.STDOUT, env=strict_env(),
                                  start_new_session=True)
    url = f"http://localhost:{port}"
    try:
        wait_until_served(f"{url}/pros/la-drole-d-epicerie/", server, log)
        yield project, url, log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


# The page's livereload script has shaken hands with the server: a save now reloads it (the
# server reloads only the pages connected when its rebuild ends).
CONNECTED_JS = ("() => window.LiveReload && LiveReload.connector"
                " && LiveReload.connector.protocol > 0")


def save(project: Path, old: str, new: str) -> None:
    path = project / PRO
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_open_page_follows_every_save_and_keeps_the_last_good_one(browser, live) -> None:
    project, url, log = live
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(f"{url}/pros/la-drole-d-epicerie/")
    summary = page.locator("main")
    page.wait_for_function(CONNECTED_JS, timeout=SHOWN)
    save(project, "resume: ", "resume: Ouvert le dimanche. ")
    expect(summary).to_contain_text("Ouvert le dimanche.", timeout=SHOWN)
    page.wait_for_function(CONNECTED_JS, timeout=SHOWN)  # the reloaded page
    # Saved again at once (a typo fixed): the library used to drop this reload (3 s guard).
    save(project, "Ouvert le dimanche.", "Ouvert le dimanche matin.")
    expect(summary).to_contain_text("Ouvert le dimanche matin.", timeout=SHOWN)
    save(project, "nom: ", "nom:: ")  # a YAML mistake: refused at its line, page kept
    deadline = time.monotonic() + SHOWN / 1000
    while "nom:: clé inconnue" not in log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
        time.sleep(0.2)  # polling the task's output for its refusal
    assert "Ouvert le dimanche matin." in page.locator("main").inner_text()
    assert f"{PRO}:1: nom" in log.read_text(encoding="utf-8")
    page.wait_for_function(CONNECTED_JS, timeout=SHOWN)
    save(project, "nom:: ", "nom: ")  # mended
    save(project, "Ouvert le dimanche matin. ", "")
    expect(page.locator("main")).not_to_contain_text("Ouvert le dimanche", timeout=SHOWN)
    assert "Traceback" not in log.read_text(encoding="utf-8")
    page.close()
