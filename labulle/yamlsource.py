"""Read a YAML file into located nodes: every value remembers its line and how it was typed.

PyYAML (YAML 1.1, C loader) is used for parsing; we keep its nodes instead of plain Python
objects so that the checker can point at the line of any value and can tell `9:30` (read as the
number 570) or `no` (read as false) from what the volunteer meant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


@dataclass
class Node:
    """A YAML value with where it was written and how it was typed."""

    value: Any  # scalar Python value, list[Node] or dict[str, Node]
    line: int  # 1-based line of the value
    tag: str = STR_TAG
    raw: str | None = None  # the scalar as typed, for scalars
    plain: bool = True  # an unquoted scalar
    key_lines: dict[str, int] = field(default_factory=dict)  # for mappings
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # for mappings
    bad: str | None = None  # the loader could not build the scalar (e.g. 2020-02-30)

    @property
    def kind(self) -> str:
        if isinstance(self.value, dict):
            return "mapping"
        if isinstance(self.value, list):
            return "sequence"
        return "scalar"


class YamlSyntaxError(Exception):
    """The file is not valid YAML; carries the parser's line and column and a French reason."""

    def __init__(self, line: int, column: int, reason: str):
        super().__init__(reason)
        self.line = line
        self.column = column
        self.reason = reason


_PROBLEMS_FR = (
    ("cannot start any token",
     "caractère interdit ici (une tabulation ? indentez avec des espaces)"),
    ("mapping values are not allowed here",
     "« : » inattendu (valeur à mettre entre guillemets, ou indentation décalée)"),
    ("could not find expected ':'", "il manque « : » après une clé, ou l'indentation est décalée"),
    ("did not find expected key", "indentation incohérente (alignez les clés du même bloc)"),
    ("did not find expected '-' indicator", "indentation incohérente dans une liste"),
    ("found unexpected end of stream", "guillemet non refermé"),
    ("while scanning a quoted scalar", "guillemet non refermé"),
    ("did not find expected ',' or ']'", "liste entre crochets mal fermée"),
    ("did not find expected ',' or '}'", "bloc entre accolades mal fermé"),
    ("found undefined alias", "alias « * » inconnu"),
    ("expected a single document", "un seul document par fichier (retirez « --- »)"),
)


def _french_problem(problem: str) -> str:
    for needle, french in _PROBLEMS_FR:
        if needle in problem:
            return french
    return f"syntaxe YAML invalide ({problem})"


def parse(text: str) -> Node | None:
    """Parse YAML text into located nodes; `None` for an empty document."""
    if "\t" in text:
        _reject_tab_indent(text)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        return None if root is None else _convert(root, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(line, col, _french_problem(str(exc.problem or exc.context))) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, 1, _french_problem(str(exc))) from None
    finally:
        loader.dispose()


def _reject_tab_indent(text: str) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            column = len(line) - len(stripped) + 1
            raise YamlSyntaxError(
                number, column, "tabulation dans l'indentation : indentez avec des espaces"
            )


def load(path: Path) -> Node | None:
    """Read and parse one file; raises YamlSyntaxError or UnicodeDecodeError."""
    return parse(path.read_text(encoding="utf-8"))


def _convert(node: yaml.Node, loader: Any) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, loader, line)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, loader) for item in node.value], line, node.tag)
    plain = node.style in (None, "")
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError) as exc:
        return Node(node.value, line, node.tag, node.value, plain, bad=str(exc))
    return Node(value, line, node.tag, node.value, plain)


def _convert_mapping(node: yaml.MappingNode, loader: Any, line: int) -> Node:
    result = Node({}, line, node.tag)
    for key_node, value_node in node.value:
        key = str(loader.construct_object(key_node, deep=True))
        key_line = key_node.start_mark.line + 1
        if key in result.value:
            result.duplicates.append((key, key_line))
            continue
        result.value[key] = _convert(value_node, loader)
        result.key_lines[key] = key_line
    return result


def plain_python(node: Node | None) -> Any:
    """The node tree as plain Python values (for places that need no lines)."""
    if node is None:
        return None
    if isinstance(node.value, dict):
        return {k: plain_python(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [plain_python(v) for v in node.value]
    return node.value
