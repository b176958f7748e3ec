"""The treasurer's section of README.md runs exactly as written, and names every command."""

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

from labulle.ledger.cli import cli

README = ROOT / "README.md"
SKIP = "<!-- pas exécuté par les tests"


def treasurer_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- tresorier:debut")
    return text[start:text.index("<!-- tresorier:fin -->", start)]


def runnable_blocks(text: str) -> list[str]:
    blocks = []
    for match in re.finditer(r"(?P<before>[^\n]*)\n```bash\n(?P<code>.*?)```", text, re.S):
        if not match["before"].startswith(SKIP):
            blocks.append(match["code"])
    return blocks


def test_walkthrough_runs_as_written(tmp_path: Path) -> None:
    script = "set -euo pipefail\n" + "\n".join(runnable_blocks(treasurer_section()))
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    }
    env.pop("BULLE_LEDGER_DB", None)
    done = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Grand livre cohérent : 12 écriture(s), chaîne de hachage intacte." in done.stdout
    assert "1 reconversion(s) payée(s)" in done.stdout
    assert (tmp_path / "bulle-pilote" / "stats.json").exists()


def test_every_command_is_documented() -> None:
    text = treasurer_section()
    for name in cli.commands:
        assert f"bulle-ledger {name}" in text or f"`{name}" in text, name
