"""Reads the words around the content: content/ui/<code>.yaml, checked against the words the templates use,
and the phrase table content/phrases.yaml."""

from __future__ import annotations

import re

from .documents import decode, parse_yaml
from .errors import ContentError
from .model import Language
from .schema import Field, Fields

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")  # a {name} in a UI string, filled in by the code or a template


def read_ui(errors: list[ContentError], languages: tuple[Language, ...], files: tuple) -> dict:
    """Read content/ui/<code>.yaml: the words around the content, {code: YamlDoc}."""
    available = dict(files)
    expected = {f"{lang.code}.yaml" for lang in languages}
    for name in sorted(set(available) - expected):
        errors.append(ContentError(f"content/ui/{name}", None, "unexpected file; the words files are named "
                                   f"{', '.join(sorted(expected))}", "rename it, or delete it"))
    docs = {}
    for lang in languages:
        rel = f"content/ui/{lang.code}.yaml"
        if f"{lang.code}.yaml" not in available:
            if not lang.convert_from:
                other = next((o.code for o in languages if f"{o.code}.yaml" in available), None)
                errors.append(ContentError(rel, None, f"the words for '{lang.code}' are missing",
                                           f"copy content/ui/{other}.yaml and translate it" if other
                                           else "restore content/ui/ from the project"))
            continue
        try:
            f = Fields(parse_yaml(rel, decode(rel, available[f"{lang.code}.yaml"])), errors)
        except ContentError as err:
            errors.append(err)
            continue
        if _words_ok(f):
            docs[lang.code] = f.doc
    return docs


def _words_ok(f: Fields) -> bool:
    """Check a UI file is 'key: text' lines, each text with well-formed {placeholders}."""
    if not isinstance(f.doc.data, dict):
        f.error((), "this file must be a set of 'key: value' lines")
        return False
    before = len(f.errors)
    for key, value in f.doc.data.items():
        if not isinstance(value, (str, list)) or (isinstance(value, list) and not all(isinstance(v, str) for v in value)):
            f.error((key,), f"'{key}' must be text or a list of texts")
        elif stray := _placeholders(value)[1]:
            f.error((key,), f"'{key}' has a brace that is not part of a {{placeholder}}: '{stray}'",
                    "write placeholders as {name}, exactly as in the other languages' files")
    return len(f.errors) == before


# Words only the languages that others are converted from need: the converted pages' notice.
SOURCE_ONLY_WORDS = frozenset({"converted_notice", "converted_link"})
LIST_WORDS = {"months": 12, "weekdays": 7}  # words that are lists, and how long each must be


def check_words(errors: list[ContentError], docs: dict, languages: tuple[Language, ...], used: dict) -> None:
    """Check every UI file has the words the templates use, no others, and in each exactly the {placeholders}
    the templates fill in. used maps each word to its placeholders."""
    sources = {lang.convert_from for lang in languages}
    words = frozenset(used)
    for lang in languages:
        doc = docs.get(lang.code)
        if doc is None:
            continue
        f = Fields(doc, errors)
        needed = words if lang.code in sources else words - SOURCE_ONLY_WORDS
        f.mapping((), () if lang.convert_from else tuple(sorted(needed)), tuple(sorted(words - needed)))
        for key, value in doc.data.items():
            if key in used:
                _check_word(f, key, value, used[key])


def _check_word(f: Fields, key: str, value, filled: frozenset[str]) -> None:
    """Check one word's shape (text, or a list of the right length) and its {placeholders}."""
    length = LIST_WORDS.get(key)
    if length is not None and not (isinstance(value, list) and len(value) == length):
        f.error((key,), f"'{key}' must be a list of {length} texts, like [a, b, ...]")
    elif length is None and not isinstance(value, str):
        f.error((key,), f"'{key}' must be one text, not a list")
    elif (found := _placeholders(value)[0]) != filled:
        want = ", ".join("{%s}" % p for p in sorted(filled)) or "no {placeholders}"
        stray = ", ".join("{%s}" % p for p in sorted(found - filled))
        f.error((key,), f"'{key}' must contain {want}" + (f", not {stray}" if stray else "") + " (what the templates fill in)",
                "write placeholders exactly as in the other languages' files")


def _placeholders(value) -> tuple[set[str], str]:
    """Return the {names} used in a UI string (or list of them), and its first stray brace or ''."""
    text = " ".join(value) if isinstance(value, list) else str(value)
    stray = next((c for c in PLACEHOLDER.sub("", text) if c in "{}"), "")
    return set(PLACEHOLDER.findall(text)), stray


PHRASES_FIELDS = (Field("phrases", None),)  # 'Traditional: Simplified' lines, read below


def read_phrases(errors: list[ContentError], data) -> tuple:
    """Read content/phrases.yaml: Traditional phrases and the Simplified they must become."""
    rel = "content/phrases.yaml"
    if data is None:
        return ()
    f = Fields(parse_yaml(rel, decode(rel, data)), errors)
    values = f.read((), PHRASES_FIELDS, whole=True)
    if values is None:
        return ()
    table = values["phrases"]
    if not isinstance(table, dict):
        f.error(("phrases",), "'phrases' must be lines of 'Traditional: Simplified'")
        return ()
    for key in table:
        if not key.strip():
            f.error(("phrases", key), "a phrase cannot be empty or only spaces", "delete the line")
    pairs = tuple((key, f.typed(("phrases", key), str)) for key in table if key.strip())
    return tuple(pair for pair in pairs if pair[1])
