"""Jinja rendering: templates compiled once, pages rendered from the model without I/O."""

from __future__ import annotations

import re
import traceback
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .errors import ContentError
from .sources import tree_state

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class Templates:
    """The Jinja environment for templates/: strict, autoescaped, loaded once."""

    def __init__(self, folder: Path, root: Path):
        self.folder = folder
        self.root = root
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Compiled templates are kept between runs (in the system's temp folder), so a
            # build does not spend its first tens of milliseconds compiling them again.
            bytecode_cache=jinja2.FileSystemBytecodeCache(),
        )
        self.env.filters.update(fill=fill, filesize=filesize)
        # JSON-LD in Chinese stays readable and small; tojson still escapes < > & '.
        self.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        self.env.globals.update(format_date=format_date, dateline=dateline, issued=issued)

    def state(self) -> tuple:
        """Return the name, size and modification time of every template file."""
        return tree_state(self.folder)

    def render(self, name: str, **context) -> str:
        """Render one template; a template mistake becomes a ContentError naming its line."""
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as err:
            raise ContentError(self._rel(err.filename or name), err.lineno, f"template error: {err.message}") from None
        except (jinja2.TemplateError, LookupError) as err:  # LookupError: a static file that is not there
            raise ContentError(*self._locate(err, name), f"template error: {str(err).strip(chr(39))}") from None

    def _rel(self, filename: str) -> str:
        """Return a template's path relative to the project root."""
        path = Path(filename)
        return str(path.relative_to(self.root)) if path.is_absolute() and path.is_relative_to(self.root) else filename

    def _locate(self, err: Exception, name: str) -> tuple[str, int | None]:
        """Find the template file and line a rendering error came from."""
        for frame in reversed(traceback.extract_tb(err.__traceback__)):
            if frame.filename.startswith(str(self.folder)):
                return self._rel(frame.filename), frame.lineno
        return f"templates/{name}", None


def fill(template: str, **values) -> Markup:
    """Fill {placeholders} in a UI string, escaping the string and each value."""
    parts = _PLACEHOLDER.split(template)
    return Markup("".join(escape(values[part]) if i % 2 else escape(part) for i, part in enumerate(parts)))


def format_date(day: date, ui: dict) -> str:
    """Write a date in the language's own form: 24 October 2018, 2018年10月24日."""
    return ui["date"].format(day=day.day, month=ui["months"][day.month - 1], year=day.year)


def dateline(day: date, ui: dict) -> str:
    """Write the release's closing date line, weekday included."""
    return ui["dateline"].format(weekday=ui["weekdays"][day.weekday()], month=ui["months"][day.month - 1],
                                 day=day.day, year=day.year)


def issued(time: str, ui: dict) -> str:
    """Write the time of issue in the language's own form."""
    hour, minute = time.split(":")
    return ui["issued"].format(hour=hour, minute=minute)


def filesize(size: int) -> str:
    """Write a file size for readers: 840 KB, 1.2 MB."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"
