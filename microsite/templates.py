"""Jinja: the templates of templates/, compiled from the snapshot's bytes, strict and autoescaped."""

from __future__ import annotations

import hashlib
import traceback
from contextlib import suppress
from datetime import date
from pathlib import Path

import jinja2
from jinja2 import nodes
from markupsafe import Markup, escape

from .documents import decode
from .errors import ContentError
from .sources import Tree
from .words import PLACEHOLDER

# Words that code reads from the UI files (the helpers below, render.py, provenance.py), besides those the
# templates name, each with the {placeholders} the code fills in.
CODE_WORDS = {
    "date": {"day", "month", "year"}, "dateline": {"weekday", "month", "day", "year"}, "issued": {"hour", "minute"},
    "months": set(), "weekdays": set(), "government": set(), "site_name": set(),
    "area_list_title": {"number", "pages"}, "area_list_description": {"total"},
    "not_found_title": set(), "not_found_text": set(), "converted_notice": {"link"}, "converted_link": set(),
    "translation_notice": {"link"}, "translation_link": set(), "footer": {"link"}, "footer_link": set(),
}
CACHE_FOLDER = ".cache/jinja"


class _Bytecode(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in the project's .cache/ folder; a folder that cannot be written is skipped."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Save a compiled template if the folder allows it."""
        with suppress(OSError):
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Load a compiled template if one was saved."""
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()


class Templates:
    """The templates of one version of templates/: equal when their sources are equal."""

    def __init__(self, root: Path, sources: tuple[tuple[str, str], ...]):
        self.root = root
        self.sources = dict(sources)
        self.digest = hashlib.blake2b(repr(sources).encode(), digest_size=16).digest()
        self._words_used: dict[str, frozenset[str]] | None = None
        self.env = jinja2.Environment(loader=jinja2.FunctionLoader(self._load), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                      keep_trailing_newline=True, auto_reload=False,
                                      bytecode_cache=_Bytecode(str(root / CACHE_FOLDER)))
        self.env.filters.update(fill=fill, filesize=filesize)
        # JSON-LD in Chinese stays readable and small; tojson still escapes < > & '.
        self.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        self.env.globals.update(format_date=format_date, dateline=dateline, issued=issued)

    def __eq__(self, other) -> bool:
        return isinstance(other, Templates) and other.digest == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)

    def _load(self, name: str):
        """Return a template's source, the file it names in errors, and that it never goes stale."""
        return (self.sources[name], str(self.root / "templates" / name), lambda: True) if name in self.sources else None

    def render(self, name: str, **context) -> str:
        """Render one template; a template mistake becomes a ContentError naming its line."""
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as err:
            raise self._syntax_error(err, name) from None
        except (jinja2.TemplateError, LookupError, ValueError, TypeError) as err:
            raise ContentError(*self._locate(err, name), f"template error: {_unquoted(str(err))}") from None

    def words_used(self) -> dict[str, frozenset[str]]:
        """Return the UI words the templates and the code use, each with the {placeholders} filled in.

        Found once per version of the templates and of this module (which holds CODE_WORDS and the way words are
        found), and kept beside the compiled templates in .cache/ under a name made from both."""
        if self._words_used is None:
            code = Path(__file__).read_bytes() + repr(sorted((w, sorted(n)) for w, n in CODE_WORDS.items())).encode()
            key = hashlib.blake2b(self.digest + code, digest_size=16).hexdigest()
            kept = self.root / CACHE_FOLDER / f"words-{key}.txt"
            with suppress(OSError, ValueError, IndexError):
                lines = kept.read_text(encoding="utf-8").splitlines()
                self._words_used = {line.split()[0]: frozenset(line.split()[1:]) for line in lines if line}
            if self._words_used is None:
                self._words_used = self._find_words_used()
                text = "\n".join(" ".join([word, *sorted(names)]) for word, names in self._words_used.items())
                with suppress(OSError):  # saved for the next run if the cache folder allows it
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    kept.write_text(text, encoding="utf-8")
        return self._words_used

    def _find_words_used(self) -> dict[str, frozenset[str]]:
        """Parse every template for the words it uses and the {placeholders} it fills in each."""
        words = {word: set(names) for word, names in CODE_WORDS.items()}
        for name, source in self.sources.items():
            try:
                tree = self.env.parse(source, name, str(self.root / "templates" / name))
            except jinja2.TemplateSyntaxError as err:
                raise self._syntax_error(err, name) from None
            for node in tree.find_all(nodes.Getattr):
                if _names_words(node.node):
                    words.setdefault(node.attr, set())
            for node in tree.find_all(nodes.Filter):
                if node.name == "fill" and isinstance(node.node, nodes.Getattr) and _names_words(node.node.node):
                    words.setdefault(node.node.attr, set()).update(kwarg.key for kwarg in node.kwargs)
        return {word: frozenset(names) for word, names in words.items()}

    def _syntax_error(self, err: jinja2.TemplateSyntaxError, name: str) -> ContentError:
        """Describe a template's syntax error at its file and line."""
        return ContentError(self._rel(err.filename, name), err.lineno, f"template error: {err.message}")

    def _rel(self, filename: str | None, name: str) -> str:
        """Return a template's path relative to the project root."""
        if not filename:
            return f"templates/{name}"
        path = Path(filename)
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else filename

    def _locate(self, err: Exception, name: str) -> tuple[str, int | None]:
        """Find the template file and line a rendering error came from."""
        folder = str(self.root / "templates")
        for frame in reversed(traceback.extract_tb(err.__traceback__)):
            if frame.filename.startswith(folder):
                return self._rel(frame.filename, name), frame.lineno
        return f"templates/{name}", None


def _unquoted(text: str) -> str:
    """Return an error's text without the quotes a KeyError puts around it ('zh-hant' -> zh-hant)."""
    return text[1:-1] if len(text) > 1 and text[0] == text[-1] == "'" else text


def words_used(errors: list, templates: Templates) -> dict[str, frozenset[str]]:
    """Return the UI words the templates and the code use (a template with a syntax error raises ContentError)."""
    return templates.words_used()


def _names_words(node: nodes.Node) -> bool:
    """Say whether a template expression is a language's words: `ui`, or `words[...]` on the multilingual pages."""
    if isinstance(node, nodes.Name):
        return node.name == "ui"
    return isinstance(node, nodes.Getitem) and isinstance(node.node, nodes.Name) and node.node.name == "words"


def template_files(tree: Tree) -> tuple:
    """Return (name, bytes) for every file of the snapshot's templates/ folder."""
    return tuple((rel[len("templates/"):], tree.get(rel)) for rel in tree.under("templates"))


def load_templates(errors: list, root: Path, files: tuple) -> Templates:
    """Return the Templates made of these files of templates/ (a file that is not UTF-8 raises ContentError)."""
    return Templates(root, tuple((name, decode(f"templates/{name}", data)) for name, data in files))


def fill(template: str, **values) -> Markup:
    """Fill {placeholders} in a UI string, escaping the string and each value."""
    parts = PLACEHOLDER.split(template)
    return Markup("".join(escape(values[part]) if i % 2 else escape(part) for i, part in enumerate(parts)))


def format_date(day: date, ui: dict) -> str:
    """Write a date in the language's own form: 24 October 2018, 2018年10月24日."""
    return fill(ui["date"], day=day.day, month=ui["months"][day.month - 1], year=day.year)


def dateline(day: date, ui: dict) -> list[Markup]:
    """Write the release's closing lines before the time of issue, weekday included, one item per line."""
    text = fill(ui["dateline"], weekday=ui["weekdays"][day.weekday()], month=ui["months"][day.month - 1],
                day=day.day, year=day.year)
    return [Markup(line) for line in text.split("\n")]


def issued(time: str, ui: dict) -> str:
    """Write the time of issue in the language's own form."""
    hour, minute = time.split(":")
    return fill(ui["issued"], hour=hour, minute=minute)


def filesize(size: int) -> str:
    """Write a file size for readers: 840 KB, 1.2 MB."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"
