"""From file bytes to text and YAML values, each value knowing its line: pure functions that return values or
raise a ContentError naming the file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import ContentError
from .sources import Unreadable

try:  # The C loader is about eight times faster; fall back where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

_INT = re.compile(r"[-+]?[0-9]{1,18}\Z")
_PLAIN = {"true": True, "True": True, "false": False, "False": False,  # plain scalars that are not text
          "": None, "~": None, "null": None, "Null": None, "NULL": None}
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
FENCE = "---"
MAX_DEPTH = 100  # levels of lists and mappings; content needs a handful, Python's stack would end near 1000
_TOO_DEEP = "use fewer levels of lists and indentation"


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML file: its data, and the line each key and item came from."""

    path: str
    data: Any
    lines: dict = field(default_factory=dict, compare=False, repr=False)

    def line(self, *keys) -> int | None:
        """Return the line of the value at keys, or of its nearest parent."""
        for end in range(len(keys), -1, -1):
            if found := self.lines.get(keys[:end]):
                return found
        return 1


def decode(rel: str, data) -> str:
    """Return a file's text with Unix line ends and no byte-order mark, or raise ContentError."""
    if data is None:
        raise ContentError(rel, None, "this file is missing")
    if isinstance(data, Unreadable):
        raise ContentError(rel, None, data.message, data.hint)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ContentError(rel, data[: err.start].count(b"\n") + 1, "this file is not valid UTF-8 text",
                           "save the file as UTF-8 in your editor") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ContentError(rel, line, "this file contains a NUL character, so it is not a text file",
                           "save it again as plain text")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(rel: str, text: str, first_line: int = 1) -> YamlDoc:
    """Parse YAML text (a file, or front matter starting at first_line) into plain values with lines."""
    try:
        if "*" in text:
            _refuse_aliases(rel, text, first_line)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        raise _syntax_error(rel, text, err, first_line - 1) from None
    except yaml.YAMLError as err:
        raise ContentError(rel, None, f"YAML error: {err}") from None
    except RecursionError:
        raise ContentError(rel, first_line, "the YAML is nested too deeply", _TOO_DEEP) from None
    lines: dict = {}
    data = _Builder(rel, lines, first_line - 1).value(node, ()) if node is not None else None
    return YamlDoc(rel, data, lines)


def split_front_matter(rel: str, text: str) -> tuple[YamlDoc | None, str, int]:
    """Split a Markdown file into its front matter, its body, and the body's first line."""
    if not text.startswith(FENCE + "\n"):
        return None, text, 1
    end = text.find(f"\n{FENCE}\n", len(FENCE))
    if end < 0 and text.endswith(f"\n{FENCE}"):
        end = len(text) - len(FENCE) - 1  # the closing fence is the file's last line
    elif end < 0:
        raise ContentError(rel, 1, "the front matter that starts with '---' has no closing '---' line",
                           "add a line with just --- after the front matter")
    meta = parse_yaml(rel, text[len(FENCE) + 1:end + 1], 2)
    body_start = min(len(text), end + len(FENCE) + 2)
    return meta, text[body_start:], text[:body_start].count("\n") + 1


def _refuse_aliases(rel: str, text: str, first_line: int) -> None:
    """Refuse the first alias (*name): aliases can make a tiny file expand without limit."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise ContentError(rel, event.start_mark.line + first_line,
                               "YAML anchors and aliases (& and *) are not allowed", "write the value out in full")


def _syntax_error(rel: str, text: str, err: yaml.MarkedYAMLError, offset: int = 0) -> ContentError:
    """Describe a YAML syntax error at the line an editor should look at."""
    problem = err.problem or err.context or "invalid YAML"
    mark = err.problem_mark or err.context_mark
    context = err.context or ""
    # An unclosed bracket or quote is noticed lines later: point at where it opened.
    if err.context_mark and ("flow" in context or "quoted" in context):
        mark = err.context_mark
    line = mark.line + 1 if mark else None
    lines = text.splitlines()
    source = lines[line - 1] if line and line <= len(lines) else ""
    return ContentError(rel, line + offset if line else None, f"YAML syntax error: {problem}",
                        _yaml_hint(problem, source))


def _yaml_hint(problem: str, source: str) -> str:
    """Return advice for the YAML mistakes editors make most often."""
    if "\t" in source or "tab" in problem:
        return "indent with spaces, never tabs"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be in quotes"
    if "nesting depth" in problem:
        return _TOO_DEEP
    return "check the indentation and quotes on this line and the one before"


class _Builder:
    """Turns YAML nodes into plain values with strict, predictable types."""

    def __init__(self, rel: str, lines: dict, offset: int = 0):
        self.rel = rel
        self.lines = lines
        self.offset = offset

    def _line(self, node: yaml.Node) -> int:
        """Return the line of a node in the file."""
        return node.start_mark.line + 1 + self.offset

    def value(self, node: yaml.Node, at: tuple) -> Any:
        """Return the plain value of node, recording its line under at."""
        self.lines.setdefault(at, self._line(node))
        if len(at) >= MAX_DEPTH:
            raise ContentError(self.rel, self._line(node), f"the YAML is nested more than {MAX_DEPTH} levels deep",
                               _TOO_DEEP)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            self._refuse_tag(node)
            return [self.value(item, at + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, at: tuple) -> dict:
        """Return a dict, refusing duplicate and non-text keys."""
        self._refuse_tag(node)
        result: dict = {}
        for key_node, value_node in node.value:
            line = self._line(key_node)
            key = self.scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a list or mapping"
                raise ContentError(self.rel, line, f"a key must be a word, not {shown!r}")
            if key in result:
                raise ContentError(self.rel, line, f"'{key}' appears twice", "delete one of them")
            self.lines[at + (key,)] = line
            result[key] = self.value(value_node, at + (key,))
        return result

    def _refuse_tag(self, node: yaml.Node) -> None:
        """Refuse explicit tags such as !!python/object: content is plain data."""
        explicit = node.tag.startswith(("!", "tag:yaml.org,2002:python"))
        if explicit or (not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS):
            raise ContentError(self.rel, self._line(node), f"YAML tags like '{node.tag}' are not allowed")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        """Interpret a scalar: quoted text stays text; plain text may be a number or true/false."""
        self._refuse_tag(node)
        text = node.value
        if node.style:  # quoted or block text; plain is None (or '' from the C loader)
            return text
        if _INT.match(text):
            return int(text)
        return _PLAIN.get(text, text)
