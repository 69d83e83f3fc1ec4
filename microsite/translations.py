"""Translation status: which source text each translation was made from, and what changed since.

`mark-translated` copies the source text (title, summary, body) into a plain Markdown record beside the
translation (`zh-hant.translated-from.md`), so a pull request shows what the translator worked from. Comparing
the record with the source now, block by block (title, summary, each paragraph, list item or heading), tells
which blocks are stale and what changed in each.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from .documents import FENCE
from .errors import ContentError
from .model import TRANSLATION, Body, Page, Record, Site

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
LIST_ITEM = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])[ \t]")  # the start of a list item's line


@dataclass(frozen=True)
class Block:
    """A piece of a text: its label (title, summary, or where it starts), its line and its text."""

    label: str
    line: int
    text: str

    @property
    def digest(self) -> str:
        """Return the block's short hash, insensitive to line wrapping."""
        return hashlib.sha256(" ".join(self.text.split()).encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Status:
    """Where one translated text stands against its source."""

    page: Page
    body: Body
    original: Body | None  # the text the translation is made from, as it is now
    original_label: str
    state: str  # "up to date", "stale", "not recorded", "no source text"
    # each block that changed: (as it is now, as recorded), None where it was added or removed
    changes: tuple[tuple[Block | None, Block | None], ...] = ()
    since: str = ""

    @property
    def code(self) -> str:
        """Return the translation's language code."""
        return self.body.code


def blocks(title: str, title_line: int, summary: str, summary_line: int, body: Body | Record) -> tuple[Block, ...]:
    """Return the blocks of a text: title, summary, then each paragraph, heading and list item of its body."""
    found = [Block("title", title_line, title), Block("summary", summary_line, summary)]
    line = body.first_line
    for text in _BLOCK_SPLIT.split(body.text):
        if text.strip():
            start = line + len(text) - len(text.lstrip("\n"))
            found += [Block(f"text at {body.path}:{at}", at, part) for at, part in _list_items(start, text.strip())]
        line += text.count("\n") + 2
    return tuple(found)


def _list_items(line: int, text: str) -> list[tuple[int, str]]:
    """Split a list into its items, each with its first line; any other block stays whole."""
    lines = text.split("\n")
    if not LIST_ITEM.match(lines[0]):
        return [(line, text)]
    starts = [i for i, row in enumerate(lines) if LIST_ITEM.match(row)]
    return [(line + i, "\n".join(lines[i:j])) for i, j in zip(starts, starts[1:] + [len(lines)])]


def source_blocks(page: Page, body: Body) -> tuple[Block, ...]:
    """Return the blocks of a page's text in body's language, title and summary included."""
    return blocks(page.title.get(body.code), page.title.line, page.description.get(body.code), page.description.line,
                  body)


def record_blocks(record: Record) -> tuple[Block, ...]:
    """Return the blocks of a recorded source text."""
    return blocks(record.title, 1, record.summary, 1, record)


def status_of(page: Page, body: Body, source: Body | None, label: str) -> Status:
    """Compare a translated text with the source it was translated from, as now and as recorded."""
    if source is None:
        return Status(page, body, None, label, "no source text")
    if body.record is None:
        return Status(page, body, source, label, "not recorded")
    now, before = source_blocks(page, source), record_blocks(body.record)
    pairs = paired([b.digest for b in before], [b.digest for b in now])
    changes = tuple((now[j] if j is not None else None, before[i] if i is not None else None)
                    for tag, i, j in pairs if tag != "equal")
    return Status(page, body, source, label, "stale" if changes else "up to date", changes, body.record.marked)


def paired(a: list[str], b: list[str]) -> Iterator[tuple[str, int | None, int | None]]:
    """Line up two lists of block digests: yield (difflib's opcode tag, index in a or None, index in b or None)."""
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            yield tag, i1 + k if i1 + k < i2 else None, j1 + k if j1 + k < j2 else None


def statuses(site: Site) -> list[Status]:
    """Return the status of every text that is a translation."""
    return [status_of(page, body, page.body(body.translated_from), site.language(body.translated_from).label)
            for page in site.pages for body in page.bodies if body.provenance == TRANSLATION]


def warnings(site: Site) -> list[ContentError]:
    """Turn stale and unrecorded translations into warnings naming the source text that changed."""
    found = []
    for status in statuses(site):
        body = status.body
        hint = f"update the translation, then run: python build.py mark-translated {body.path}"
        if status.state == "not recorded":
            found.append(ContentError(body.path, 1, f"no record of which {status.original_label} text this translates",
                                      f"after checking it, run: python build.py mark-translated {body.path}",
                                      warning=True))
        for now, before in status.changes:
            block = now or before
            excerpt = block.text if len(block.text) <= 70 else block.text[:67] + "..."
            what = "changed" if now and before else ("was added" if now else "was removed")
            found.append(ContentError(body.path, body.first_line,
                                      f"out of date: the {status.original_label} {block.label} {what}: {excerpt!r}",
                                      hint, warning=True))
    return found


def record_text(status: Status, today: date) -> str:
    """Return the record file of a translation: its source text as it is now."""
    page, source = status.page, status.original
    lines = [FENCE, f"# Written by `python build.py mark-translated`: the {status.original_label} text that",
             f"# {status.body.path.rsplit('/', 1)[-1]} was last marked as translated from. Do not edit it.",
             f"language: {source.code}", f"marked: '{today.isoformat()}'",
             f"title: {_quoted(page.title.get(source.code))}", f"summary: {_quoted(page.description.get(source.code))}",
             FENCE]
    return "\n".join(lines) + "\n" + source.text


def _quoted(text: str) -> str:
    """Return text as a double-quoted YAML string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

