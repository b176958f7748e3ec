"""Change values in a pro file and keep every other line byte for byte.

ruamel.yaml (round-trip mode) reads the file and tells where each key and value is; the change
itself is made on the text: only the lines of the changed keys are rewritten, new keys are
inserted in the order of the schema, with the indentation, quoting style and end-of-line comment
of their neighbours. The result is read back and compared with the intended data; if the text
patch ever disagrees, the whole file is dumped by ruamel instead (comments and order kept) and
the caller is told (`Patched.rewritten`).

Values are written so that the checker's reader (PyYAML, YAML 1.1) reads them back unchanged:
a string that plain YAML would read as something else (`16000`, `09:30`, `off`, `oui: non`)
is double-quoted.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from labulle.mail.listing import schema_order

Path_ = list[str | int]
DELETE = None

_PyLoader = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)


class _Fallback(Exception):
    """The text patch cannot handle this layout (flow mappings, ...): dump the whole file."""


@dataclass
class Patched:
    text: str
    rewritten: bool = False  # True when the file had to be dumped whole by ruamel


def _yaml() -> YAML:
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def load_rt(text: str) -> Any:
    return _yaml().load(text)


def plain(value: Any) -> Any:
    """Round-trip data as plain Python, for comparisons."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, Decimal | float):
        return float(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    return value


# --- scalars ----------------------------------------------------------------------------------

def _plain_is_safe(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or " #" in text or "\t" in text:
        return False
    try:
        read_11 = pyyaml.load(f"k: {text}\n", Loader=_PyLoader)
        read_12 = _yaml().load(f"k: {text}\n")
    except Exception:  # noqa: BLE001 - any parse error means "quote it"
        return False
    return read_11 == {"k": text} and isinstance(read_12, dict) and read_12.get("k") == text


def scalar(value: Any, old: Any = None) -> str:
    """One value as YAML text; quoted like the old value when it was quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if isinstance(old, SingleQuotedScalarString) and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    if isinstance(old, DoubleQuotedScalarString) or not _plain_is_safe(text):
        return json.dumps(text, ensure_ascii=False)
    return text


def _flow(values: list | tuple) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def render(key: str, value: Any, prefix: str, col: int, old: Any, parent: Path_) -> list[str]:
    """The lines of `key: value`; `prefix` starts the first line, `col` is the key's column."""
    head = f"{prefix}{key}:"
    if isinstance(value, dict):
        lines = [head]
        for sub in _ordered(value, [*parent, key]):
            lines += render(sub, value[sub], " " * (col + 2), col + 2, None, [*parent, key])
        return lines
    if isinstance(value, list) and value and isinstance(value[0], dict):
        lines = [head]
        for index, item in enumerate(value):
            first = True
            for sub in _ordered(item, [*parent, key, index]):
                lead = " " * (col + 2) + "- " if first else " " * (col + 4)
                lines += render(sub, item[sub], lead, col + 4, None, [*parent, key, index])
                first = False
        return lines
    if isinstance(value, list) and isinstance(old, CommentedSeq) and old and \
            not old.fa.flow_style():
        dash = " " * max(old.lc.item(0)[1] - 2, col + 2)
        return [head] + [f"{dash}- {scalar(item)}" for item in value]
    if isinstance(value, list | tuple):
        return [f"{head} {_flow(value)}"]
    return [f"{head} {scalar(value, old)}"]


def _ordered(mapping: dict, path: Path_) -> list[str]:
    order = schema_order(path)
    return sorted(mapping, key=lambda k: order.index(k) if k in order else len(order))


# --- where things are in the text -------------------------------------------------------------

def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], start: int, col: int, seq_at_col: bool = False) -> int:
    """The line after the block that starts at `start` with its key at column `col`."""
    end = start + 1
    while end < len(lines):
        line = lines[end]
        item_of_seq = seq_at_col and _indent(line) == col and line.lstrip().startswith("-")
        if line.strip() and _indent(line) <= col and not item_of_seq:
            break
        end += 1
    while end - 1 > start and not lines[end - 1].strip():
        end -= 1
    return end


def _comment_start(line: str) -> int | None:
    """Column of the end-of-line comment of a one-line `key: value`, if any."""
    quote: str | None = None
    for i, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'" and (i == 0 or line[i - 1] in " [,{:"):
            quote = char
        elif char == "#" and i > 0 and line[i - 1] in " \t":
            return i
    return None


def _key_range(lines: list[str], node: CommentedMap, key: str) -> tuple[int, int, int]:
    line, col = node.lc.key(key)
    value = node[key]
    return line, _block_end(lines, line, col, isinstance(value, CommentedSeq)), col


# --- edits ------------------------------------------------------------------------------------

def _get(node: Any, part: str | int) -> Any:
    if isinstance(node, CommentedMap):
        return node.get(part)
    if isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _nested(parts: Path_, value: Any) -> Any:
    """The value to write at parts[0]'s parent so that `parts` ends up set to `value`."""
    if not parts:
        return value
    inner = _nested(parts[1:], value)
    if isinstance(parts[0], int):
        return [inner]
    return {parts[0]: inner}


def _set(lines: list[str], data: Any, path: Path_, value: Any) -> list[str]:
    node, depth = data, 0
    while depth < len(path) - 1:
        child = _get(node, path[depth])
        if not isinstance(child, CommentedMap | CommentedSeq):
            break
        node, depth = child, depth + 1
    if depth < len(path) - 1:  # a missing block: write it whole
        key, value = path[depth], _nested(path[depth + 1:], value)
    else:
        key = path[-1]
    parent = path[:depth]
    if isinstance(node, CommentedSeq):
        if not isinstance(value, dict):
            raise _Fallback("list item")
        return _append_item(lines, node, value, parent)
    if not isinstance(node, CommentedMap) or node.fa.flow_style():
        raise _Fallback("flow mapping")
    if key in node:
        return _replace(lines, node, key, value, parent)
    return _insert(lines, node, key, value, parent)


def _replace(lines: list[str], node: CommentedMap, key: str, value: Any, parent: Path_,
             ) -> list[str]:
    start, end, col = _key_range(lines, node, key)
    first = lines[start]
    new = render(key, value, first[:col], col, node[key], parent)
    if end - start == 1 and len(new) == 1:
        comment = _comment_start(first.rstrip("\n"))
        if comment is not None:
            text = first.rstrip("\n")
            gap = text[:comment][len(text[:comment].rstrip()):]
            new[0] = new[0] + (gap or " ") + text[comment:]
    return lines[:start] + [line + "\n" for line in new] + lines[end:]


def _insert(lines: list[str], node: CommentedMap, key: str, value: Any, parent: Path_) -> list[str]:
    order = schema_order(parent)
    rank = order.index(key) if key in order else len(order)
    later = [k for k in node if (order.index(k) if k in order else len(order)) > rank]
    if later:
        line, col = node.lc.key(later[0])
        if lines[line][:col].strip() == "":
            new = render(key, value, " " * col, col, None, parent)
            return lines[:line] + [text + "\n" for text in new] + lines[line:]
    if not node:
        raise _Fallback("empty mapping")
    last = max(node, key=lambda k: node.lc.key(k)[0])
    _, end, col = _key_range(lines, node, last)
    if end > 0 and not lines[end - 1].endswith("\n"):
        lines = lines[:end - 1] + [lines[end - 1] + "\n"] + lines[end:]
    new = render(key, value, " " * col, col, None, parent)
    return lines[:end] + [text + "\n" for text in new] + lines[end:]


def _append_item(lines: list[str], seq: CommentedSeq, item: dict, parent: Path_) -> list[str]:
    if not seq or seq.fa.flow_style():
        raise _Fallback("empty or flow list")
    line, col = seq.lc.item(len(seq) - 1)
    end = _block_end(lines, line, col - 2)
    rendered = render(str(parent[-1]), [item], "", col - 4, None, parent[:-1])[1:]
    return lines[:end] + [text + "\n" for text in rendered] + lines[end:]


def _delete(lines: list[str], data: Any, path: Path_) -> list[str]:
    nodes = [data]
    for part in path[:-1]:
        child = _get(nodes[-1], part)
        if not isinstance(child, CommentedMap | CommentedSeq):
            return lines  # nothing there
        nodes.append(child)
    # an emptied block goes with its last key
    while len(path) > 1 and len(nodes[-1]) == 1:
        path, nodes = path[:-1], nodes[:-1]
    node, key = nodes[-1], path[-1]
    if isinstance(node, CommentedMap):
        if key not in node:
            return lines
        start, end, _ = _key_range(lines, node, key)
    elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
        start, col = node.lc.item(key)
        end = _block_end(lines, start, col - 2)
    else:
        return lines
    return lines[:start] + lines[end:]


def _apply_plain(data: Any, path: Path_, value: Any) -> Any:
    """The same edit on plain data (what the patched text must read as)."""
    if not path:
        return value
    key, rest = path[0], path[1:]
    if isinstance(data, list):
        data = list(data)
        if value is DELETE and not rest:
            if isinstance(key, int) and key < len(data):
                del data[key]
            return data
        if isinstance(key, int) and key < len(data):
            data[key] = _apply_plain(data[key], rest, value)
        else:
            data.append(_apply_plain({}, rest, value))
        return data
    data = dict(data or {})
    if value is DELETE and not rest:
        data.pop(key, None)
        return data
    child = data.get(key)
    if value is DELETE and not isinstance(child, dict | list):
        return data
    data[key] = _apply_plain(child if isinstance(child, dict | list) else
                             ([] if rest and isinstance(rest[0], int) else {}), rest, value)
    if value is DELETE and not data[key]:
        del data[key]
    return data


def patch(text: str, edits: list[tuple[Path_, Any]]) -> Patched:
    """Apply `edits` ((YAML path, value or DELETE), in order) to the YAML text."""
    expected = plain(load_rt(text))
    for path, value in edits:
        expected = _apply_plain(expected, path, plain(value))
    try:
        result = text
        for path, value in edits:
            lines = result.splitlines(keepends=True)
            data = load_rt(result)
            if value is DELETE:
                lines = _delete(lines, data, path)
            else:
                lines = _set(lines, data, path, value)
            result = "".join(lines)
        if plain(load_rt(result)) == expected:
            return Patched(result)
    except _Fallback:
        pass
    return Patched(_dump_whole(text, edits), rewritten=True)


def _dump_whole(text: str, edits: list[tuple[Path_, Any]]) -> str:
    data = load_rt(text)
    for path, value in edits:
        node = data
        for i, part in enumerate(path[:-1]):
            child = _get(node, part)
            if not isinstance(child, dict | list):
                child = [] if isinstance(path[i + 1], int) else CommentedMap()
                if isinstance(node, list):
                    node.append(child)
                else:
                    node[part] = child
            node = child
        last = path[-1]
        if value is DELETE:
            if isinstance(node, dict):
                node.pop(last, None)
            elif isinstance(last, int) and last < len(node):
                del node[last]
        elif isinstance(node, list) and (not isinstance(last, int) or last >= len(node)):
            node.append(_dumpable(value))
        else:
            node[last] = _dumpable(value)
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _dumpable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tuple | list):
        return [_dumpable(v) for v in value]
    if isinstance(value, dict):
        return {k: _dumpable(v) for k, v in value.items()}
    return value


def new_file(values: dict[str, Any], header: str) -> str:
    """The text of a new pro file: a comment header, then the keys in the schema's order."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    for key in _ordered(values, []):
        lines += render(key, values[key], "", 0, None, [])
    return "\n".join(lines) + "\n"
