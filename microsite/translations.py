"""Translation status: which source text each translation was made from, and what changed since.

Each translated text records one short hash per block of its source (the
title, the summary, then each paragraph, list or heading). Comparing those
with the source as it is now tells which blocks are stale.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass

from .documents import FENCE
from .errors import ContentError
from .model import Body, Page, Site

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Block:
    """A piece of the source text: its label, first line and text."""

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
    lang: str
    body: Body
    source: Body
    source_label: str
    state: str  # "up to date", "stale", "not recorded"
    changed: tuple[Block, ...] = ()


def source_language(site: Site) -> str:
    """Return the language translations are made from: the default language, if editors write it."""
    written = site.settings.written
    return site.default_language if site.default_language in written else written[0]


def source_blocks(page: Page, body: Body) -> tuple[Block, ...]:
    """Return the blocks of a page's source text: title, summary, then the text's blocks."""
    blocks = [Block("title", page.title.line, page.title.get(body.lang)),
              Block("summary", page.description.line, page.description.get(body.lang))]
    line = body.first_line
    for text in _BLOCK_SPLIT.split(body.text):
        if text.strip():
            start = line + len(text) - len(text.lstrip("\n"))
            blocks.append(Block(f"text at {body.source}:{start}", start, text.strip()))
        line += text.count("\n") + 2
    return tuple(blocks)


def record(page: Page, source: Body) -> str:
    """Return the translation record for a page's current source text."""
    return " ".join(block.digest for block in source_blocks(page, source))


def status_of(page: Page, body: Body, source: Body, label: str) -> Status:
    """Compare a translated text with the source it was translated from."""
    if not body.translated_from:
        return Status(page, body.lang, body, source, label, "not recorded")
    blocks = source_blocks(page, source)
    recorded = body.translated_from.split()
    now = [block.digest for block in blocks]
    if recorded == now:
        return Status(page, body.lang, body, source, label, "up to date")
    matcher = difflib.SequenceMatcher(a=recorded, b=now, autojunk=False)
    changed = [blocks[j] for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal" for j in range(j1, j2)]
    return Status(page, body.lang, body, source, label, "stale", tuple(changed))


def statuses(site: Site) -> list[Status]:
    """Return the status of every translated text of the site."""
    origin = source_language(site)
    found = []
    for page in site.pages:
        source = page.body(origin)
        for lang in site.settings.written:
            body = page.body(lang)
            if source is not None and body is not None and lang != origin:
                found.append(status_of(page, body, source, site.language(origin).label))
    return found


def warnings(site: Site) -> list[ContentError]:
    """Turn stale and unrecorded translations into warnings naming the source text that changed."""
    found = []
    for status in statuses(site):
        body = status.body
        if status.state == "not recorded":
            found.append(ContentError(body.source, 1, f"no record of which {status.source_label} text this translates",
                                      f"after checking it, run: python build.py mark-translated {body.source}",
                                      warning=True))
        for block in status.changed:
            excerpt = block.text if len(block.text) <= 70 else block.text[:67] + "..."
            found.append(ContentError(body.source, body.first_line,
                                      f"out of date: the {status.source_label} {block.label} changed: {excerpt!r}",
                                      f"update the translation, then run: python build.py mark-translated {body.source}",
                                      warning=True))
    return found


def with_record(text: str, state: Status) -> str:
    """Return a translated file's text with its record set to the current source."""
    body = text
    if text.startswith(FENCE + "\n"):
        end = text.find(f"\n{FENCE}\n", len(FENCE))
        body = text[end + len(FENCE) + 2:] if end >= 0 else text
    return f"{FENCE}\ntranslated_from: {record(state.page, state.source)}\n{FENCE}\n{body}"
