"""The one error type editors see, and how it is printed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ContentError(Exception):
    """A mistake in a content file, template or setting, with where it is."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"

    def describe(self, root: Path | None = None) -> str:
        """Return the message, the offending source line and the hint, for a terminal."""
        lines = [str(self)]
        source = _source_line(root, self.path, self.line)
        if source is not None:
            lines.append(f"    {source}")
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        return "\n".join(lines)


class ContentErrors(Exception):
    """Every mistake found in one pass, so editors can fix them all at once."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors), key=lambda e: (e.path, e.line or 0, e.message))
        super().__init__("\n".join(str(e) for e in self.errors))

    def describe(self, root: Path | None = None, outcome: str = "nothing was written.") -> str:
        """Return every error described, then a count and what became of the build."""
        parts = [e.describe(root) for e in self.errors]
        count = len(self.errors)
        parts.append(f"{count} error{'s' if count != 1 else ''}; {outcome}")
        return "\n".join(parts)


class ErrorList:
    """Collects errors while loading, so one bad file does not hide the next."""

    def __init__(self) -> None:
        self.errors: list[ContentError] = []

    def add(self, path: str, line: int | None, message: str, hint: str = "") -> None:
        """Record one error."""
        self.errors.append(ContentError(path, line, message, hint))

    def extend(self, errors: list[ContentError]) -> None:
        """Record several errors."""
        self.errors.extend(errors)

    def raise_if_any(self) -> None:
        """Raise ContentErrors if anything was recorded."""
        if self.errors:
            raise ContentErrors(self.errors)


SHOWN_LINE = 200  # characters of a source line shown under a message


def _source_line(root: Path | None, path: str, line: int | None) -> str | None:
    """Return the text of one line of a project file (shortened), or None if it cannot be shown."""
    if root is None or not line or path.split("/", 1)[0] not in ("content", "templates", "static"):
        return None
    file = root / path
    try:
        if not file.resolve().is_relative_to(root.resolve()) or not file.is_file() or file.stat().st_size > 5_000_000:
            return None
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    lines = text.splitlines()
    if 0 < line <= len(lines):
        shown = lines[line - 1].rstrip()
        return shown if len(shown) <= SHOWN_LINE else shown[:SHOWN_LINE] + "…"
    return None
