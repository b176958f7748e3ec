"""`invoke publish` end to end on a copy of the project: real builds, real folders, real git.

Each target is published to twice (the second time nothing changed: nothing is uploaded),
then interrupted mid-upload: the previous release stays live and complete. A broken pro
file stops everything before the target is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import copy_project, strict_env

from labulle.publish import PublishError, publish
from labulle.publish.manifest import MANIFEST_NAME, build_manifest, read_manifest

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project whose publish.py deploys where the test says."""
    return copy_project(tmp_path / "projet")


def deploy_to(root: Path, config: dict) -> None:
    with (root / "publish.py").open("a", encoding="utf-8") as settings:
        settings.write(f"\nLABULLE_DEPLOY = {config!r}\n")


def edit_pro(root: Path, slug: str = "la-drole-d-epicerie") -> None:
    path = root / "pros" / f"{slug}.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("resume: ", "resume: Nouveau ! ", 1), encoding="utf-8")


def run(root: Path, **kwargs) -> tuple:
    lines: list[str] = []
    changes = publish(root, echo=lines.append, **kwargs)
    return changes, "\n".join(lines)


def assert_complete(release: Path) -> None:
    """Every file listed in the release's manifest is there with its content."""
    manifest = read_manifest(release)
    assert manifest, f"{release} has no manifest"
    actual = build_manifest(release)
    actual.pop(".nojekyll", None)
    assert actual == manifest


def test_folder_target_publishes_atomically_and_only_what_changed(project, tmp_path, monkeypatch):
    dest = tmp_path / "www"
    deploy_to(project, {"kind": "folder", "dest": str(dest)})

    first, log = run(project)
    assert first.first and "Première publication" in log
    current = dest / "current"
    assert current.is_symlink() and os.readlink(current).startswith("releases/")
    assert (current / "index.html").exists() and (current / "pros" / "index.html").exists()
    assert (current / "pagefind" / "pagefind-ui.js").exists()
    assert (current / "index.html.gz").exists() and (current / "index.html.br").exists()
    assert_complete(current)
    live = current.resolve()

    # The same sources again: nothing to upload, no new release.
    again, log = run(project)
    assert again.count == 0 and not again, log
    assert "0 changement" in log and "Rien à envoyer" in log
    assert current.resolve() == live and len(list((dest / "releases").iterdir())) == 1

    # One pro edited: its page is listed as modified; unchanged files are hard links.
    edit_pro(project)
    changed, log = run(project)
    assert "pros/la-drole-d-epicerie/index.html" in changed.modified
    assert "~ /pros/la-drole-d-epicerie/" in log
    new = current.resolve()
    assert new != live
    unchanged = "theme/vendor/leaflet/dist/leaflet.js"
    assert (new / unchanged).stat().st_ino == (live / unchanged).stat().st_ino
    assert_complete(current)

    # Interrupted after 25 files: the release that was live stays live and complete.
    edit_pro(project, "boucherie-mercier")
    monkeypatch.setenv("LABULLE_PUBLISH_FAIL_AFTER", "25")
    with pytest.raises(PublishError, match="interrompu après 25 fichier"):
        run(project)
    assert current.resolve() == new
    assert_complete(current)
    assert not [p for p in (dest / "releases").iterdir() if p.name.startswith(".")]

    # Dry run: shows the change, uploads nothing.
    monkeypatch.delenv("LABULLE_PUBLISH_FAIL_AFTER")
    dry, log = run(project, dry_run=True)
    assert "pros/boucherie-mercier/index.html" in dry.modified and "--dry-run" in log
    assert current.resolve() == new


def test_broken_pro_file_stops_before_anything_is_sent(project, tmp_path):
    dest = tmp_path / "www"
    deploy_to(project, {"kind": "folder", "dest": str(dest)})
    (project / "pros" / "boulangerie-cassee.yml").write_text(textwrap.dedent("""\
        nom: Boulangerie cassée
        categories: [boulangerie]
        resume: Une fiche avec des horaires faux.
        horaires: "lundi matin"
        """), encoding="utf-8")
    # Through the webmaster's command: a French message with file:line, exit 1, no traceback.
    invoke = Path(sys.executable).with_name("invoke")
    result = subprocess.run([str(invoke), "publish"], cwd=project, capture_output=True, text=True,
                            check=False, env=strict_env())
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "pros/boulangerie-cassee.yml:4: horaires" in output
    assert "Publication annulée" in output and "Traceback" not in output
    assert not dest.exists()


def test_missing_target_is_a_clear_error(project):
    with pytest.raises(PublishError, match="Aucune destination : réglez LABULLE_DEPLOY"):
        run(project)


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_git_target_commits_one_release_and_a_rejected_push_changes_nothing(project, tmp_path):
    remote = tmp_path / "pages.git"
    git("init", "--quiet", "--bare", str(remote))
    deploy_to(project, {"kind": "git", "repo": str(remote), "branch": "pages"})

    first, _log = run(project)
    assert first.first
    head = git("rev-parse", "pages", cwd=remote)
    files = git("ls-tree", "-r", "--name-only", "pages", cwd=remote).splitlines()
    assert {"index.html", "index.html.br", ".nojekyll", MANIFEST_NAME} <= set(files)

    again, log = run(project)
    assert not again and "0 changement" in log
    assert git("rev-parse", "pages", cwd=remote) == head

    # The server refuses the push: the branch keeps the previous release.
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'refusé par le serveur' >&2\nexit 1\n")
    hook.chmod(0o755)
    edit_pro(project)
    with pytest.raises(PublishError, match="git push a échoué"):
        run(project)
    assert git("rev-parse", "pages", cwd=remote) == head

    hook.unlink()
    changed, _log = run(project)
    assert "pros/la-drole-d-epicerie/index.html" in changed.modified
    assert git("rev-parse", "pages^", cwd=remote) == head


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync absent (./dev test l'installe)")
def test_rsync_target_swaps_current_and_survives_an_interrupted_upload(project, tmp_path,
                                                                       monkeypatch):
    dest = tmp_path / "host" / "labulle"
    deploy_to(project, {"kind": "rsync", "dest": str(dest)})  # no "host:": same commands, local
    run(project)
    current = dest / "current"
    live = current.resolve()
    assert_complete(current)

    edit_pro(project)
    monkeypatch.setenv("LABULLE_PUBLISH_FAIL_AFTER", "10")
    with pytest.raises(PublishError, match="interrompu"):
        run(project)
    assert current.resolve() == live
    assert [p.name for p in (dest / "releases").iterdir()] == [live.name]

    monkeypatch.delenv("LABULLE_PUBLISH_FAIL_AFTER")
    changed, _log = run(project)
    new = current.resolve()
    assert new != live and changed.modified
    assert_complete(current)
    unchanged = "theme/vendor/leaflet/dist/leaflet.js"
    assert (new / unchanged).stat().st_ino == (live / unchanged).stat().st_ino


def stale_partial(dest: Path) -> Path:
    """What a publication killed mid-upload leaves: an unfinished release folder."""
    stale = dest / "releases" / ".20200101T000000Z.partial"
    (stale / "pros").mkdir(parents=True)
    (stale / "pros" / "index.html").write_text("<p>moitié d'envoi</p>", encoding="utf-8")
    return stale


@pytest.mark.parametrize("kind", ["folder", "rsync"])
def test_next_publication_removes_the_partial_release_of_a_killed_one(project, tmp_path, kind):
    if kind == "rsync" and shutil.which("rsync") is None:
        pytest.skip("rsync absent (./dev test l'installe)")
    dest = tmp_path / "www"
    deploy_to(project, {"kind": kind, "dest": str(dest)})
    run(project)
    live = (dest / "current").resolve()
    stale = stale_partial(dest)

    edit_pro(project)
    changed, log = run(project)
    assert "pros/la-drole-d-epicerie/index.html" in changed.modified, log
    assert not stale.exists()
    assert not [p.name for p in (dest / "releases").iterdir() if p.name.endswith(".partial")]
    new = (dest / "current").resolve()
    assert new != live and live.is_dir()
    assert_complete(dest / "current")
    assert_complete(live)


def test_a_publication_is_refused_while_another_writes_into_the_folder(project, tmp_path):
    """The folder is locked while a publication writes into it: another one is refused in
    French and touches nothing (never removes the partial release being written)."""
    import fcntl

    dest = tmp_path / "www"
    deploy_to(project, {"kind": "folder", "dest": str(dest)})
    (dest / "releases").mkdir(parents=True)
    writing = stale_partial(dest)
    with (dest / ".publication.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(PublishError) as refused:
            run(project)
    assert str(refused.value) == (f"Une autre publication vers {dest} est en cours : "
                                  "réessayez quand elle sera finie.")
    assert writing.is_dir() and not (dest / "current").exists()
