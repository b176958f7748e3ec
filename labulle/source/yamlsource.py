"""Read a YAML file into located nodes: every value remembers its line and how it was typed.

PyYAML's C parser gives the stream of events; the tree is built here from those events, never by
PyYAML's composer or constructor. So the checker can point at the line of any value and tell
`9:30` (read as the number 570) or `no` (read as false) from what the volunteer meant, and a
hostile file costs time linear in its size: anchors and aliases (`&a` / `*a`, the "billion
laughs") are refused when their event is seen, before anything could be expanded; tags other
than the plain YAML types, a second document, a key that is not a simple word, a scalar that
its type cannot build (`2020-02-30`, `!!int abc`) are reported at their line with the rest.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from labulle.errors import LabulleError
from labulle.source.yamlmessages import french_problem
from labulle.text import control_char

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
MERGE_TAG = "tag:yaml.org,2002:merge"

# The types a scalar may have, and what each is called in a message.
_SCALAR_TYPES = {STR_TAG: "du texte", INT_TAG: "un nombre entier", FLOAT_TAG: "un nombre",
                 BOOL_TAG: "un booléen (true / false)", NULL_TAG: "une valeur vide",
                 TIMESTAMP_TAG: "une date qui existe"}
MAX_DEPTH = 20  # a pro file needs four levels; deeper is a mistake or an attack
ALIAS_MESSAGE = "les alias YAML (&ancre / *alias) ne sont pas acceptés dans une fiche"
# Characters YAML 1.1 forbids (C0/C1 controls but tab and line breaks, DEL, surrogates, U+FFFE/F)
# plus a byte order mark anywhere but at the very start (where editors on Windows put one).
_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                        "\U00010000-\U0010ffff]")


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
    bad: str | None = None  # why the value could not be read (already reported as an Issue)

    @property
    def kind(self) -> str:
        if isinstance(self.value, dict):
            return "mapping"
        if isinstance(self.value, list):
            return "sequence"
        return "scalar"


@dataclass(frozen=True)
class Issue:
    """A problem of the file that does not stop the reading of the rest of it."""

    line: int
    key: str  # dotted path of the value ("" at the top of the file)
    reason: str


class YamlSyntaxError(LabulleError):
    """The file cannot be read at all; carries the line, the column and a French reason."""

    def __init__(self, line: int, column: int, reason: str, key: str = "(syntaxe YAML)"):
        super().__init__(reason)
        self.line = line
        self.column = column
        self.reason = reason
        self.key = key

    @property
    def message(self) -> str:
        return f"colonne {self.column} : {self.reason}" if self.column else self.reason


def load(path: Path) -> tuple[Node | None, list[Issue]]:
    """Read and parse one file; raises YamlSyntaxError when it cannot be read at all."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise YamlSyntaxError(1, 0, _unreadable(exc), "(fichier)") from None
    return parse(decode(data))


def decode(data: bytes) -> str:
    """The bytes as UTF-8 text, or a YamlSyntaxError naming the line of the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlSyntaxError(1, 0, "le fichier est en UTF-16 : réenregistrez-le en UTF-8",
                              "(fichier)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        raise YamlSyntaxError(line, 0, f"octet 0x{byte:02X} invalide en UTF-8 (fichier enregistré "
                              "en Latin-1 ou Windows-1252 ?) : réenregistrez-le en UTF-8",
                              "(fichier)") from None


def _unreadable(exc: OSError) -> str:
    reasons = {errno.ENOENT: "fichier introuvable (lien cassé ?)",
               errno.EACCES: "lecture refusée (droits du fichier)",
               errno.EPERM: "lecture refusée (droits du fichier)",
               errno.EISDIR: "c'est un dossier, pas un fichier"}
    code = errno.errorcode.get(exc.errno or 0, "inconnue")
    return reasons.get(exc.errno or 0, f"fichier illisible (erreur système {code})")


def parse(text: str) -> tuple[Node | None, list[Issue]]:
    """Parse YAML text into located nodes (`None` for an empty document) and its issues."""
    text = text.removeprefix("\ufeff")
    _reject_characters(text)
    _reject_tab_indent(text)
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if builder.feed(event):
                break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(line, col, french_problem(exc.problem, exc.context)) from None
    except yaml.YAMLError:
        raise YamlSyntaxError(1, 1, french_problem(None, None)) from None
    return builder.root, list(builder.issues.values())


def _reject_characters(text: str) -> None:
    found = _FORBIDDEN.search(text)
    if found:
        start = found.start()
        line = text.count("\n", 0, start) + 1
        column = start - text.rfind("\n", 0, start)
        code = f"U+{ord(found.group()):04X}"
        what = ("marque d'ordre des octets (BOM) U+FEFF interdite ailleurs qu'au début du fichier"
                if code == "U+FEFF" else f"caractère de contrôle {code} interdit")
        raise YamlSyntaxError(line, column, f"{what}, souvent invisible dans l'éditeur : "
                              "retirez-le")


def _reject_tab_indent(text: str) -> None:
    if "\t" not in text:
        return
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            column = len(line) - len(stripped) + 1
            raise YamlSyntaxError(
                number, column, "tabulation dans l'indentation : indentez avec des espaces"
            )


_DROP = object()  # a mapping key that could not be read: its value is dropped


@dataclass
class _Frame:
    node: Node
    path: str
    key: Any = None  # in a mapping: the key waiting for its value (None: waiting for a key)
    key_line: int = 0


class _Builder:
    """Turns the parser's events into a Node tree, one event at a time (no recursion)."""

    def __init__(self) -> None:
        self.root: Node | None = None
        self.stack: list[_Frame] = []
        self.issues: dict[int, Issue] = {}  # the first issue of each line
        self.documents = 0

    def issue(self, event: Any, key: str, reason: str) -> None:
        line = event.start_mark.line + 1
        self.issues.setdefault(line, Issue(line, key, reason))

    def feed(self, event: Any) -> bool:
        """Take one event; True when the rest of the stream is to be ignored."""
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.issue(event, "", "un seul document par fichier : retirez la ligne « --- » "
                           "et ce qui la suit, ou faites-en une autre fiche")
                return True
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.add(self.stack.pop().node)
        elif isinstance(event, yaml.NodeEvent):
            self.node_event(event)
        return False

    def node_event(self, event: Any) -> None:
        path = self.child_path()
        if event.anchor is not None or isinstance(event, yaml.AliasEvent):
            self.issue(event, path, ALIAS_MESSAGE)
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            self.add(Node(None, line, NULL_TAG, f"*{event.anchor}", bad=ALIAS_MESSAGE))
        elif isinstance(event, yaml.ScalarEvent):
            self.scalar(event, path, line)
        else:
            self.collection(event, path, line)

    def child_path(self) -> str:
        if not self.stack:
            return ""
        top = self.stack[-1]
        if isinstance(top.node.value, list):
            name = str(len(top.node.value))
        elif top.key is None or top.key is _DROP:
            return top.path
        else:
            name = top.key
        return f"{top.path}.{name}" if top.path else name

    def awaiting_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].node.value, dict) and \
            self.stack[-1].key is None

    def collection(self, event: Any, path: str, line: int) -> None:
        mapping = isinstance(event, yaml.MappingStartEvent)
        if self.awaiting_key():
            self.issue(event, path, "une clé est un simple mot suivi de « : », pas un bloc "
                       "ni une liste")
        if event.tag not in (None, "!", MAP_TAG if mapping else SEQ_TAG):
            self.issue(event, path, _tag_message(event.tag))
        if len(self.stack) >= MAX_DEPTH:
            raise YamlSyntaxError(line, event.start_mark.column + 1, "imbrication trop profonde "
                                  f"(plus de {MAX_DEPTH} niveaux de blocs et de listes)")
        tag = MAP_TAG if mapping else SEQ_TAG
        self.stack.append(_Frame(Node({} if mapping else [], line, tag), path))

    def scalar(self, event: Any, path: str, line: int) -> None:
        if self.awaiting_key():
            self.take_key(event, path, line)
            return
        node, reason = _scalar_node(event, line)
        if reason:
            self.issue(event, path, reason)
        self.add(node)

    def take_key(self, event: Any, path: str, line: int) -> None:
        top = self.stack[-1]
        top.key, top.key_line = event.value, line
        name = f"{path}.{event.value}" if path else event.value
        if event.tag not in (None, "!"):
            self.issue(event, name, f"{_tag_message(event.tag)} (une clé est un simple mot)")
            top.key = _DROP
        elif control_char(event.value):
            self.issue(event, name, _control_message(control_char(event.value)))
            top.key = _DROP
        elif event.style == "" and event.value == "<<":
            self.issue(event, name, "la fusion YAML « << » n'est pas acceptée dans une fiche : "
                       "écrivez les clés elles-mêmes")
            top.key = _DROP

    def add(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        top = self.stack[-1]
        if isinstance(top.node.value, list):
            top.node.value.append(node)
        elif top.key is None:  # a block or a list used as a key: reported, then dropped
            top.key = _DROP
        elif top.key is _DROP:
            top.key = None
        else:
            mapping = top.node
            if top.key in mapping.value:
                mapping.duplicates.append((top.key, top.key_line))
            else:
                mapping.value[top.key] = node
                mapping.key_lines[top.key] = top.key_line
            top.key = None


def _scalar_node(event: Any, line: int) -> tuple[Node, str | None]:
    """The scalar's node, and why it could not be read (None when it could)."""
    raw, plain, tag = event.value, event.style == "", event.tag
    explicit = tag not in (None, "!")
    control = control_char(raw)  # written as an escape between double quotes: "\e", "\x00"
    if control:
        reason = _control_message(control)
        return Node(raw, line, STR_TAG, raw, plain, bad=reason), reason
    if not explicit:
        tag = _RESOLVER.resolve(yaml.ScalarNode, raw, event.implicit)
        tag = tag if tag in _SCALAR_TYPES else STR_TAG  # implicit `=` or `<<` as a value: text
    elif tag not in _SCALAR_TYPES:
        reason = _tag_message(tag)
        return Node(raw, line, STR_TAG, raw, plain, bad=reason), reason
    try:
        value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, raw))
    except (ValueError, KeyError, AttributeError, TypeError, OverflowError):
        reason = _unbuildable(raw, tag, explicit)
        return Node(raw, line, tag, raw, plain, bad=reason), reason
    return Node(value, line, tag, raw, plain), None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _tag_name(tag: str) -> str:
    return _short(tag.replace("tag:yaml.org,2002:", "!!"))


def _tag_message(tag: str) -> str:
    return f"étiquette YAML « {_tag_name(tag)} » non acceptée dans une fiche : retirez-la"


def _control_message(char: str) -> str:
    return f"caractère de contrôle {char} interdit dans une valeur : retirez-le"


def _unbuildable(raw: str, tag: str, explicit: bool) -> str:
    shown = _short(raw)
    if tag == TIMESTAMP_TAG:
        return f"« {shown} » n'est pas une date qui existe"
    what = _SCALAR_TYPES[tag]
    if explicit:
        return (f"« {shown} » n'est pas {what} : retirez l'étiquette « {_tag_name(tag)} » ou "
                "mettez la valeur entre guillemets")
    return f"« {shown} » est lu comme {what} par YAML, sans en être un : mettez-le entre guillemets"


def plain_python(node: Node | None) -> Any:
    """The node tree as plain Python values (for places that need no lines)."""
    if node is None:
        return None
    if isinstance(node.value, dict):
        return {k: plain_python(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [plain_python(v) for v in node.value]
    return node.value
