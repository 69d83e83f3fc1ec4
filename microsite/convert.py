"""Simplified Chinese from Traditional: OpenCC's hk2s, the project's phrase table, mainland punctuation.

Only text is converted: Markdown text tokens and the texts of the model.
Code, URLs, slugs, file names and HTML attributes are never touched.
"""

from __future__ import annotations

import dataclasses
import re

from markdown_it.token import Token

from .markup import render, text_runs
from .model import Body, Event, LangText, Page

OPENCC_CONFIG = "hk2s"
# GB/T 15834: mainland quotation marks are “” and ‘’, the interpunct is ·, the dash is ——.
MAINLAND_PUNCTUATION = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’", "‧": "·", "─": "—"})


class Converter:
    """Converts Traditional Chinese text to Simplified: phrase table first, then OpenCC, then punctuation."""

    def __init__(self, phrases: tuple[tuple[str, str], ...] = (), mainland_punctuation: bool = False):
        import opencc  # imported here: only sites with a converted language need it

        self.config = (phrases, mainland_punctuation)
        self._opencc = opencc.OpenCC(OPENCC_CONFIG)
        self._table = dict(phrases)
        keys = sorted(self._table, key=len, reverse=True)
        # one group, so that re.split alternates runs for OpenCC with phrase-table matches, starting with a run;
        # without a phrase table, (?!) never matches
        self._pattern = re.compile("(" + "|".join(map(re.escape, keys)) + ")" if keys else "(?!)")
        self._punctuation = MAINLAND_PUNCTUATION if mainland_punctuation else None

    def __eq__(self, other) -> bool:
        return isinstance(other, Converter) and other.config == self.config

    def __hash__(self) -> int:
        return hash(self.config)

    def convert(self, text: str) -> str:
        """Convert one text: phrase-table matches as given, the rest through OpenCC."""
        if not text or text.isascii():
            return text
        out = "".join(self._opencc.convert(part) if i % 2 == 0 else self._table[part]
                      for i, part in enumerate(self._pattern.split(text)))
        return out.translate(self._punctuation) if self._punctuation else out

    def applied(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, Simplified) for each phrase-table entry that applies in text."""
        return [(m.start(), m.end(), self._table[m.group(0)]) for m in self._pattern.finditer(text)]

    def settled(self, text: str) -> set[int]:
        """Return the positions in text that a phrase-table entry converts."""
        return {i for start, end, _ in self.applied(text) for i in range(start, end)}


def converted_html(tokens: list[Token], links: tuple, converter: Converter) -> tuple[str, ...]:
    """Render parsed tokens with their text converted, except inside [..]{keep} spans.

    The text is set on the tokens only while they are rendered, then put back: the same tokens serve the
    language they were written in and every language converted from it, without being copied."""
    runs = [(tokens[run.inline].children[run.child], run.text) for run in text_runs(tokens) if not run.kept]
    try:
        for child, text in runs:
            child.content = converter.convert(text)
        return render(tokens, links)
    finally:
        for child, text in runs:
            child.content = text


def convert_page(page: Page, targets: tuple) -> Page:
    """Return the page with each converted language's title, summary and photo texts filled in.

    targets holds (language, language converted from, Converter) for each converted language."""
    return _walk(page, targets)


def convert_event(event: Event | None, targets: tuple) -> Event | None:
    """Return the event facts with the converted languages filled in."""
    return _walk(event, targets)


def convert_words(words: dict, converter: Converter) -> dict:
    """Return UI words converted: each text, or each text of a list."""
    return {key: [converter.convert(v) for v in value] if isinstance(value, list) else converter.convert(value)
            for key, value in words.items()}


def _walk(value, targets):
    """Fill in the converted languages of every LangText inside a model value."""
    if isinstance(value, LangText):
        for target, source, converter in targets:
            if not value.has(target) and value.has(source):
                value = value.with_value(target, converter.convert(value.get(source)))
        return value
    if isinstance(value, tuple):
        return tuple(_walk(v, targets) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, (type, Body)):
        changes = {f.name: _walk(getattr(value, f.name), targets) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value
