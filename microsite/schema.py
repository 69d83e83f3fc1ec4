"""Typed reads from a YAML document, each failure an error naming file and line.

Each kind of mapping is described once, as a table of Field (key, type, required, default, rule); Fields.read()
checks a mapping against it. Checks that compare one field with another stay in the reader, after the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .documents import YamlDoc
from .errors import ContentError
from .model import LangText

MISSING = object()  # a key that is absent, as opposed to present and empty
_TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list",
               dict: "a set of 'key: value' lines"}
TEXTS = "a text per language"  # the kind of a field given once for each language, like title: {en: ..., zh-hant: ...}


@dataclass(frozen=True)
class Field:
    """One key of a YAML mapping: its type, whether it must be there, its default, and its rule."""

    key: str
    kind: Any  # str, int, bool, list, dict, TEXTS, or None: a value whose own table is read after this one
    required: bool = True
    default: Any = None
    rule: Callable[[Any], tuple[str, str] | str] | None = None  # what is wrong with a value, with a hint, or ''


def describe(value: Any) -> str:
    """Name what an editor wrote, in words."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if value is None:
        return "nothing"
    if isinstance(value, (list, dict)):
        return _TYPE_NAMES[type(value)]
    return repr(value)


class Fields:
    """Reads the values of one YAML document, collecting errors as it goes."""

    def __init__(self, doc: YamlDoc, errors: list[ContentError]):
        self.doc = doc
        self.errors = errors

    def error(self, at: tuple, message: str, hint: str = "") -> None:
        """Record an error at the line of the value at `at`."""
        self.errors.append(ContentError(self.doc.path, self.doc.line(*at), message, hint))

    def value(self, at: tuple, missing: Any = None) -> Any:
        """Return the raw value at a path of keys and indexes, or `missing` if it is absent."""
        node = self.doc.data
        for key in at:
            if not ((isinstance(node, dict) and isinstance(key, str) and key in node)
                    or (isinstance(node, list) and isinstance(key, int) and key < len(node))):
                return missing
            node = node[key]
        return node

    def mapping(self, at: tuple, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> bool:
        """Check the value at `at` is a mapping with the required keys and no unknown ones."""
        found = self.value(at, MISSING)
        name = _name(at)
        if found is MISSING:
            return False  # the parent's check reports the missing key
        if not isinstance(found, dict):
            self.error(at, f"{name} must be a set of 'key: value' lines, not {describe(found)}")
            return False
        allowed = required + optional
        suggested = set()
        for key in found:
            if key not in allowed:
                hint = _suggest(key, allowed)
                suggested.update(k for k in allowed if hint == f"did you mean '{k}'?")
                self.error(at + (key,), f"unknown key '{key}' in {name}", hint)
        for key in required:
            if key not in found and key not in suggested:  # a misspelling was already reported
                self.error(at, f"{name} is missing '{key}'")
        return all(key in found for key in required)

    def typed(self, at: tuple, kind: type, default: Any = None) -> Any:
        """Return the value at `at` if it has type kind, else record an error."""
        found = self.value(at, MISSING)
        if found is MISSING or (found is None and default is not None):
            return default  # the parent's check reports a missing required key
        if isinstance(found, kind) and (kind is bool or not isinstance(found, bool)):
            if kind is str and not found.strip():
                self.error(at, f"{_name(at)} is empty")
                return None
            return found
        self.error(at, f"{_name(at)} must be {_TYPE_NAMES[kind]} (got {describe(found)})",
                   "put text in double quotes" if kind is str else "")
        return None

    def read(self, at: tuple, table: tuple[Field, ...], langs: tuple = ((), ()), whole: bool = False) -> dict | None:
        """Check the mapping at `at` against its table; return each field's value (None where missing or wrong),
        or None if it is not a mapping (or, with whole, if a required key is missing: nothing else is read).
        langs is (the languages required, those allowed) for TEXTS fields."""
        complete = self.mapping(at, tuple(f.key for f in table if f.required), tuple(f.key for f in table if not f.required))
        if not isinstance(self.value(at), dict) or (whole and not complete):
            return None
        return {field.key: self._field(at + (field.key,), field, langs) for field in table}

    def _field(self, at: tuple, field: Field, langs: tuple) -> Any:
        """Read one field of a table: its type, then its rule."""
        if field.kind is None:
            return self.value(at)
        if field.kind == TEXTS:
            found = self.value(at, MISSING)
            return None if found is MISSING or (found is None and not field.required) else self.lang_text(at, *langs)
        value = self.typed(at, field.kind, default=field.default)
        problem = field.rule(value) if value is not None and field.rule else ""
        if problem:
            self.error(at, *((problem,) if isinstance(problem, str) else problem))
            return None
        return value

    def lang_text(self, at: tuple, required: tuple[str, ...], allowed: tuple[str, ...]) -> LangText | None:
        """Return a text given per language, requiring the languages editors write."""
        if not self.mapping(at, required, tuple(a for a in allowed if a not in required)):
            return None
        values = tuple((code, self.typed(at + (code,), str)) for code in self.value(at))
        return None if any(text is None for _, text in values) else LangText(values, self.doc.path, self.doc.line(*at))


def _name(at: tuple) -> str:
    """Name a value for a message: 'title', 'photos item 2 alt', or 'this file'."""
    if not at:
        return "this file"
    return " ".join(f"item {key + 1}" if isinstance(key, int) else f"'{key}'" for key in at)


def _suggest(key: str, allowed: tuple[str, ...]) -> str:
    """Suggest the closest allowed key, or list them all."""
    import difflib  # only a mistake needs it

    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(f"'{a}'" for a in allowed) if allowed else "delete it"
