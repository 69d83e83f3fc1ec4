"""The translators' view of the preview: every page's texts side by side, and what changed in the source.

/_translations/ lists every page's texts: where each comes from, whether it is up to date, its conversion warnings.
/_translations/<page>/ shows the page block by block: the source (word diff against what the translation was made
from), the translation, and the converted text with phrase-table entries, {keep} and ambiguous characters marked.
Both are rendered on request from the preview's last good build; nothing is written, and no build includes them.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import markup
from .audit import AMBIGUOUS, conversion_audit
from .convert import Converter
from .model import TRANSLATION, Body, Page
from .routes import CONVERTED, TRANSLATIONS_VIEW
from .translations import LIST_ITEM, Block, paired, record_blocks, source_blocks, status_of, statuses

_VIEWS = Path(__file__).parent / "views"
_WORDS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_AMBIGUOUS_CHAR = re.compile("([" + "".join(AMBIGUOUS) + "])")  # one group: re.split keeps each character


@dataclass(frozen=True)
class Cell:
    """One block of one language: where it is, and its text as HTML (diff or marks included)."""

    where: str
    html: Markup
    lang: str


@dataclass(frozen=True)
class Row:
    """One aligned block: the source, the translation, the converted text, and how the source changed."""

    label: str
    state: str  # "same", "changed", "added", "removed", "not recorded"
    cells: tuple[Cell | None, ...]


def _render(prepared, template: str, **values) -> str:
    """Render one of the view's own templates (their environment is made on each call: they are small)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_VIEWS)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template(template).render(stylesheet=prepared.links.asset("css/site.css"),
                                             prefix="/" + TRANSLATIONS_VIEW, **values)


def stylesheet() -> bytes:
    """Return the view's own stylesheet."""
    return (_VIEWS / "review.css").read_bytes()


def index(prepared) -> str:
    """Render /_translations/: every page, its languages, where each text comes from, state and warnings."""
    site = prepared.site
    warnings = Counter(warning.path for warning in conversion_audit(site, prepared.routes, prepared.converters))
    states = {(s.page.key, s.code): s for s in statuses(site)}
    pages = []
    for page in site.pages:
        texts = [{"lang": site.language(route.code), "route": route, "state": states.get((page.key, route.code)),
                  "warnings": warnings[_file_of(page, route)]} for route in prepared.routes.of_page(page.key)]
        title = dict(page.title.values).get(site.default_language, page.title.values[0][1])
        pages.append({"page": page, "texts": texts, "title": title})
    return _render(prepared, "translations.html", pages=pages)


def _file_of(page: Page, route) -> str:
    """Return the file a page's text at a route comes from (a converted text: its source's file)."""
    body = page.body(route.made_from if route.state == CONVERTED else route.code)
    return body.path if body is not None and route.has_text else page.path


def page_view(prepared, key: str) -> str | None:
    """Render /_translations/<key>: the page's blocks in three columns, or None if there is no such page."""
    page = next((p for p in prepared.site.pages if p.key == key), None)
    if page is None:
        return None
    columns, rows, state = _rows(prepared.site, prepared.routes, page, prepared.converters)
    return _render(prepared, "review.html", page=page, columns=columns, rows=rows, state=state,
                   title=page.title.get(columns[0].code) if columns else key)


def _rows(site, routes, page: Page, converters: dict[str, Converter]):
    """Return the columns (languages), the aligned rows, and the translation's status."""
    written = site.settings.written  # a written language's translation first: the others are converted from it
    translated = min((b for b in page.bodies if b.provenance == TRANSLATION and page.body(b.translated_from)),
                     key=lambda b: b.code not in written, default=None)
    if translated is None:
        return _plain_rows(site, page)
    source = page.body(translated.translated_from)
    converted = [site.language(route.code) for route in routes.texts(page.key)
                 if route.state == CONVERTED and route.made_from == translated.code]
    columns = [site.language(source.code), site.language(translated.code), *converted]
    now, mine = source_blocks(page, source), source_blocks(page, translated)
    rows = [Row(label, kind, (_source_cell(page, source, new, old), _cell(page, translated, theirs, columns[1]),
                              *[_cell(page, translated, theirs, lang, converters[lang.code]) for lang in converted]))
            for label, kind, new, old, theirs in _aligned(translated.record, now, mine)]
    return columns, rows, status_of(page, translated, source, columns[0].label)


def _aligned(record, now: tuple[Block, ...], mine: tuple[Block, ...]):
    """Yield (label, state, current source block, recorded source block, translation block) for each row.

    The translation was made from the recorded source: its blocks pair with the recorded blocks one by
    one, and the recorded blocks pair with the source as it is now through the changes found."""
    if record is None:  # never marked: the translation's blocks are shown beside the source's by position
        for i, block in enumerate(now):
            yield _label(block), "not recorded", block, None, mine[i] if i < len(mine) else None
        return
    before = record_blocks(record)
    for tag, i, j in paired([b.digest for b in before], [b.digest for b in now]):
        old = before[i] if i is not None else None
        new = now[j] if j is not None else None
        theirs = mine[i] if i is not None and i < len(mine) else None
        kind = "same" if tag == "equal" else ("changed" if old and new else ("added" if new else "removed"))
        yield _label(new or old), kind, new, old, theirs


def _label(block: Block) -> str:
    """Name a row: title, summary, or the kind of block."""
    if block.label in ("title", "summary"):
        return block.label
    text = block.text.lstrip()
    return "heading" if text.startswith("#") else "list item" if LIST_ITEM.match(text) else "paragraph"


def _plain_rows(site, page: Page):
    """Return columns and rows for a page without a translation: each language's blocks by position."""
    columns = [site.language(body.code) for body in page.bodies]
    rows = []
    for row in zip_longest(*(source_blocks(page, body) for body in page.bodies)):  # a text's missing blocks are None
        cells = tuple(_cell(page, body, block, lang) for lang, body, block in zip(columns, page.bodies, row))
        rows.append(Row(_label(next(block for block in row if block is not None)), "same", cells))
    return columns, rows, None


def _where(page: Page, body: Body, block: Block) -> str:
    """Name the file and line a block comes from."""
    if block.label in ("title", "summary"):
        value = page.title if block.label == "title" else page.description
        return f"{value.path}:{value.line}"
    return f"{body.path}:{block.line}"


def _cell(page: Page, body: Body, block: Block | None, lang, converter: Converter | None = None) -> Cell | None:
    """Return a block of a text as plain HTML, or converted, marking phrase-table entries, {keep} and ambiguities."""
    if block is None:
        return None
    if converter is None:
        html = Markup(escape(plain(block.text)))
    elif block.label in ("title", "summary"):
        html = _marked(block.text, False, converter)
    else:
        runs = markup.text_runs(markup.parse(block.text))
        html = Markup("").join(_marked(run.text, run.kept, converter) for run in runs)
    return Cell(_where(page, body, block), html, lang.html_lang)


def _source_cell(page: Page, source: Body, new: Block | None, old: Block | None) -> Cell:
    """Return a source block: its text now, with words inserted and deleted since the record marked."""
    where = _where(page, source, new) if new else "(removed since the translation was marked)"
    if new and old and new.digest != old.digest:
        html = word_diff(plain(old.text), plain(new.text))
    elif new:
        html = Markup(escape(plain(new.text)))
    else:
        html = Markup(f"<del>{escape(plain(old.text))}</del>")
    return Cell(where, html, "")


def _marked(text: str, kept: bool, converter: Converter) -> Markup:
    """Convert one run of text, wrapping each place a rule decided in a mark that shows the Traditional."""
    if kept:
        return _mark(escape(text), text, "kept as written ({keep})", "kept")
    out, last = [], 0
    for start, end, simplified in converter.applied(text):
        out.append(_ambiguous(text[last:start], converter))
        out.append(_mark(escape(converter.convert(text[start:end])), text[start:end], "phrase table", "phrase"))
        last = end
    out.append(_ambiguous(text[last:], converter))
    return Markup("").join(out)


def _ambiguous(text: str, converter: Converter) -> Markup:
    """Convert text, marking each character whose conversion depends on the word."""
    out = []
    for i, part in enumerate(_AMBIGUOUS_CHAR.split(text)):  # the runs between the characters, alternating with them
        shown = escape(converter.convert(part))
        out.append(_mark(shown, part, AMBIGUOUS[part], "ambiguous") if i % 2 else shown)
    return Markup("").join(out)


def _mark(shown: str, source: str, why: str, kind: str) -> Markup:
    """Return a focusable mark whose note (shown on hover or focus) gives the Traditional and the reason."""
    return Markup(f'<mark class="{kind}" tabindex="0">{shown}<span class="source" lang="zh-HK">'
                  f'{escape(source)}</span><span class="why"> ({escape(why)})</span></mark>')


def plain(text: str) -> str:
    """Return the readable text of a Markdown block: link text, no markup."""
    parts = []
    for token in markup.parse(text):
        if token.type == "inline":
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            parts.append(" ")
    return " ".join("".join(parts).split()) or text.strip()


def word_diff(before: str, after: str) -> Markup:
    """Return after, with the words not in before marked <ins> and the words gone marked <del>."""
    a, b = _tokens(before), _tokens(after)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(escape("".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(Markup(f"<del>{escape(''.join(a[i1:i2]))}</del>"))
        if j2 > j1:
            out.append(Markup(f"<ins>{escape(''.join(b[j1:j2]))}</ins>"))
    return Markup("").join(out)


def _tokens(text: str) -> list[str]:
    """Split text into words, spaces and punctuation; each Chinese character is a word of its own."""
    return [part for token in _WORDS.findall(text) for part in (token if _HAN.search(token) else [token])]
