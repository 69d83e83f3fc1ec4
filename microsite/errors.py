"""The one error type editors see, and how it is printed."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(unsafe_hash=True)  # not frozen: raising sets __traceback__ on the exception
class ContentError(Exception):
    """A mistake in a content file, template or setting, with where it is."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    warning: bool = False

    def __reduce__(self):
        return (ContentError, (self.path, self.line, self.message, self.hint, self.warning))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return shown(f"{where}: {'warning: ' if self.warning else ''}{self.message}")

    def describe(self, files=None) -> str:
        """Return the message, its line as the snapshot `files` holds it (path -> bytes), and the hint."""
        lines = [str(self)]
        if (quoted := quoted_line(files, self.path, self.line)) is not None:
            lines.append(f"    {shown(quoted)}")
        if self.hint:
            lines.append(f"    hint: {shown(self.hint)}")
        return "\n".join(lines)


# Characters that would act on a terminal or hide text rather than show: controls (but tab), line and paragraph
# separators, and the invisible format characters that reorder or join text (a bidirectional override can make
# a file name or a link read as something else).
_UNSHOWN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def shown(text: str) -> str:
    """Return text safe to print to a terminal: each control or invisible format character as an escape like \\x1b."""
    return _UNSHOWN.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


class ContentErrors(Exception):
    """Every mistake found in one pass, so editors can fix them all at once."""

    PER_FILE = 20  # errors shown for one file; a file with more is summed up after them
    SHOWN = 100  # errors shown in all; the rest are counted

    def __init__(self, errors: list[ContentError], files=None):
        self.files = files  # the snapshot the errors were found in, to quote their lines from
        found = capped(sorted(set(errors), key=lambda e: (e.path, e.line or 0, e.message)), self.PER_FILE)
        if len(found) > self.SHOWN:
            files = len({e.path for e in found[self.SHOWN:]})
            found = found[:self.SHOWN] + [ContentError("(more)", None, f"and {len(found) - self.SHOWN} more errors in "
                                                       f"{files} file{'s' if files != 1 else ''}")]
        self.errors = found
        super().__init__("\n".join(str(e) for e in self.errors))

    def describe(self, outcome: str = "nothing was written.") -> str:
        """Return every error described, then a count and what became of the build."""
        parts = [e.describe(self.files) for e in self.errors]
        count = len(self.errors)
        parts.append(f"{count} error{'s' if count != 1 else ''}; {outcome}")
        return "\n".join(parts)


def capped(errors: list[ContentError], limit: int, more: str = "and {} more errors in this file",
           warning: bool = False) -> list[ContentError]:
    """Keep the first `limit` errors of each file and say how many more it has (more names the rest)."""
    kept, counts = [], {}
    for error in errors:
        counts[error.path] = counts.get(error.path, 0) + 1
        if counts[error.path] <= limit:
            kept.append(error)
    return kept + [ContentError(path, None, more.format(count - limit), warning=warning)
                   for path, count in counts.items() if count > limit]


def gathered(step, *inputs) -> tuple:
    """Run a reader, step(errors, *inputs), on an error list of its own; return (its value, its errors).

    A ContentError the reader raises (only decoding and parsing do) is one more error, the value None. The cache
    keeps both halves, so a reader's errors come back each time its result is reused."""
    found: list[ContentError] = []
    try:
        return step(found, *inputs), tuple(found)
    except ContentError as err:
        return None, (*found, err)


SHOWN_LINE = 200  # characters of a source line shown under a message
_LINE_END = re.compile(r"\r\n|\r|\n")  # the line ends YAML and Markdown count lines by


def quoted_line(files, path: str, line: int | None) -> str | None:
    """Return one line of a file as the snapshot holds it (shortened), or None if it cannot be shown."""
    data = files.get(path) if files is not None and line else None
    if not isinstance(data, bytes):
        return None
    lines = _LINE_END.split(data.decode("utf-8", errors="replace").removeprefix("\ufeff"))
    if lines[-1] == "":
        lines.pop()  # a file's last line end starts no line
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1].rstrip()
    return text if len(text) <= SHOWN_LINE else text[:SHOWN_LINE] + "…"
