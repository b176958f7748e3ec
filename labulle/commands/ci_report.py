"""The checker's problems in the formats of the forges' CI, so that a pull / merge request shows
each one on the offending line.

- GitHub Actions: workflow commands `::error file=…,line=…,title=…::message`, printed on stdout
  (https://docs.github.com/actions/reference/workflow-commands-for-github-actions);
- GitLab CI: a Code Quality report (JSON list of issues), declared as
  `artifacts:reports:codequality` in .gitlab-ci.yml.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from labulle.source.problems import Problem
from labulle.text import escaped

_BREAKS = {"\r": "%0D", "\n": "%0A"}


def escape_data(text: str) -> str:
    """A workflow command's message, per GitHub's rules (`%`, CR and LF encoded) and with every
    other control character written as `\\x1b`: nothing in it can end the line and start a
    command of its own (`::add-mask::`, `::stop-commands::`) nor drive the log's terminal."""
    parts = re.split("([\r\n])", text.replace("%", "%25"))
    return "".join(_BREAKS.get(part) or escaped(part) for part in parts)


def escape_property(text: str) -> str:
    """A property value (`file=`, `title=`): also `:` and `,`, which end a value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(problems: list[Problem]) -> list[str]:
    """One `::error` workflow command per problem."""
    return [f"::error file={escape_property(p.path)},line={int(p.line)},"
            f"title={escape_property(p.key)}::{escape_data(f'{p.key} : {p.message}')}"
            for p in problems]


def codequality(problems: list[Problem]) -> list[dict]:
    """GitLab Code Quality issues (a subset of the Code Climate format)."""
    issues = []
    for p in problems:
        fingerprint = hashlib.sha256(f"{p.path}|{p.key}|{p.message}".encode()).hexdigest()
        issues.append({"description": f"{p.key} : {p.message}", "check_name": "labulle-check",
                       "fingerprint": fingerprint, "severity": "major",
                       "location": {"path": p.path, "lines": {"begin": p.line}}})
    return issues


def write_codequality(problems: list[Problem], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(codequality(problems), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
