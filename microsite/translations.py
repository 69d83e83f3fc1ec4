"""Translation status: which English each Chinese text was translated from, and what changed since.

Each translated text records one short hash per block of its English source
(the title, the summary, then each paragraph, list or heading). Comparing
those with the English as it is now tells which blocks are stale.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError
from .model import Page, Site

SOURCE_LANGUAGE = "en"
_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Block:
    """A piece of the English source: its label, first line and text."""

    label: str
    line: int
    text: str

    @property
    def digest(self) -> str:
        """Return the block's short hash, insensitive to line wrapping."""
        return hashlib.sha256(" ".join(self.text.split()).encode()).hexdigest()[:8]


@dataclass(frozen=True)
class Status:
    """Where one translated text stands against its English source."""

    page: Page
    lang: str
    state: str  # "up to date", "stale", "not recorded"
    changed: tuple[Block, ...] = ()


def english_blocks(page: Page) -> tuple[Block, ...]:
    """Return the blocks of a page's English: title, summary, then the body's blocks."""
    body = page.body(SOURCE_LANGUAGE)
    blocks = [Block("title", page.title.line, page.title.get(SOURCE_LANGUAGE)),
              Block("summary", page.description.line, page.description.get(SOURCE_LANGUAGE))]
    if body is not None:
        line = body.first_line
        for text in _BLOCK_SPLIT.split(body.text):
            if text.strip():
                start = line + _leading_lines(text)
                blocks.append(Block(f"text at {body.source}:{start}", start, text.strip()))
            line += text.count("\n") + 2
    return tuple(blocks)


def _leading_lines(text: str) -> int:
    """Count the empty lines before a block's text."""
    return len(text) - len(text.lstrip("\n"))


def record(page: Page) -> str:
    """Return the translation record for a page's current English."""
    return " ".join(block.digest for block in english_blocks(page))


def status_of(page: Page, lang: str) -> Status | None:
    """Compare a page's text in lang with the English it was translated from."""
    body = page.body(lang)
    if body is None or page.body(SOURCE_LANGUAGE) is None:
        return None
    if not body.translated_from:
        return Status(page, lang, "not recorded")
    blocks = english_blocks(page)
    recorded = body.translated_from.split()
    now = [block.digest for block in blocks]
    if recorded == now:
        return Status(page, lang, "up to date")
    matcher = difflib.SequenceMatcher(a=recorded, b=now, autojunk=False)
    changed = [blocks[j] for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal" for j in range(j1, j2)]
    return Status(page, lang, "stale", tuple(changed))


def statuses(site: Site, langs: tuple[str, ...]) -> list[Status]:
    """Return the status of every translated text of the site."""
    found = (status_of(page, lang) for page in site.pages for lang in langs if lang != SOURCE_LANGUAGE)
    return [status for status in found if status is not None]


def warnings(site: Site, langs: tuple[str, ...]) -> list[ContentError]:
    """Turn stale and unrecorded translations into warnings naming the English that changed."""
    found = []
    for status in statuses(site, langs):
        body = status.page.body(status.lang)
        if status.state == "not recorded":
            found.append(ContentError(body.source, 1, "no record of which English this text translates",
                                      f"after checking it, run: python build.py mark-translated {body.source}",
                                      warning=True))
        for block in status.changed:
            excerpt = block.text if len(block.text) <= 70 else block.text[:67] + "..."
            found.append(ContentError(body.source, body.first_line,
                                      f"out of date: the English {block.label} changed: {excerpt!r}",
                                      f"update the translation, then run: python build.py mark-translated {body.source}",
                                      warning=True))
    return found


def mark_translated(root: Path, page: Page, lang: str) -> str:
    """Write the current English record into a page's translated text; return its path."""
    body = page.body(lang)
    path = root / body.source
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text[text.find("\n---\n", 3) + 5:]
    path.write_text(f"---\ntranslated_from: {record(page)}\n---\n{text}", encoding="utf-8")
    return body.source
