"""Build speed helpers: pages written on every core, livereload's incremental rebuild."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from conftest import copy_project, strict_env

from labulle.build.parallel import split_run


def test_split_run_writes_every_item_across_processes(tmp_path):
    items = list(range(450))

    def write(n: int) -> None:
        (tmp_path / f"{n}.txt").write_text(f"{n} {os.getpid()}")

    children = split_run(items, write, processes=3)
    assert sorted(n for share in children for n in share) == sorted(set(items) - set(items[0::3]))
    texts = [(tmp_path / f"{n}.txt").read_text().split() for n in items]
    assert [int(n) for n, _pid in texts] == items
    assert len({pid for _n, pid in texts}) == 3  # really three processes


def test_split_run_fails_when_a_child_fails(tmp_path, capfd):
    def write(n: int) -> None:
        if n == 301:  # in the second process's share
            raise ValueError("fiche impossible")
        (tmp_path / f"{n}.txt").write_text("ok")

    with pytest.raises(RuntimeError, match="un processus de rendu a échoué"):
        split_run(list(range(400)), write, processes=2)
    assert "fiche impossible" in capfd.readouterr().err


LIVERELOAD = """
import json, pathlib, re, sys
from labulle.build.incremental import BuildMemory
from labulle.build.pelicanrun import run
args = ["-s", "pelicanconf.py", "-o", "out", "-q", "-e", "CACHE_CONTENT=true",
        "LOAD_CONTENT_CACHE=true"]
memory = BuildMemory()  # livereload's process keeps one from build to build
def main(args):
    run(args, memory)
main(args)
pages = sorted(p for p in pathlib.Path("out/pros").glob("*/index.html")
               if p.parent.name != "le-zinc-du-marche")  # a pro who left: not in the sitemap
before = {p: p.stat().st_mtime_ns for p in pages}
pro = pathlib.Path("pros/la-drole-d-epicerie.yml")
pro.write_text(pro.read_text().replace("resume: ", "resume: Nouveau résumé. ", 1))
main(args)
sitemap = pathlib.Path("out/sitemap.xml").read_text()
edited = pathlib.Path("out/pros/la-drole-d-epicerie/index.html").read_text()
print(json.dumps({
    "rewritten": sorted(p.parent.name for p in pages if p.stat().st_mtime_ns != before[p]),
    "pages": len(pages),
    "edited": "Nouveau résumé." in edited,
    "in_sitemap": len(re.findall(r"/pros/[a-z0-9-]+/</loc>", sitemap)),
}))
"""


@pytest.mark.slow
def test_livereload_renders_again_only_the_edited_pro_and_the_pros_it_shows(tmp_path):
    project = copy_project(tmp_path / "projet")
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(LIVERELOAD)], cwd=project,
                            capture_output=True, text=True, check=False,
                            env=strict_env())
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["edited"]
    # The edited pro, and the producers whose goods it sells (their pages name it).
    assert "la-drole-d-epicerie" in report["rewritten"]
    assert len(report["rewritten"]) < report["pages"] / 3
    assert report["in_sitemap"] == report["pages"]  # skipped pages stay in the sitemap
