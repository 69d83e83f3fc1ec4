"""The translators' view of the preview: every page's texts side by side, and what changed in the source.

/_translations/ lists every page with its languages, where each text comes
from, whether each translation is up to date, and the conversion warnings.
/_translations/<page>/ shows the page block by block in three columns: the
source text (with a word diff against the version the translation was made
from), the translation, and the converted text with each phrase-table entry,
{keep} and ambiguous character marked. Both are rendered from the preview's
last good build on request; the view never writes anything and is never part
of a build.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
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


def environment() -> jinja2.Environment:
    """Return the Jinja environment of the view's own templates (made on each call: they are small)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(_VIEWS)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def stylesheet() -> bytes:
    """Return the view's own stylesheet."""
    return (_VIEWS / "review.css").read_bytes()


def index(prepared) -> str:
    """Render /_translations/: every page, its languages, where each text comes from, state and warnings."""
    site = prepared.site
    warnings = _warnings_by_file(prepared)
    states = {(s.page.key, s.code): s for s in statuses(site)}
    pages = []
    for page in site.pages:
        texts = []
        for route in prepared.routes.of_page(page.key):
            texts.append({"lang": site.language(route.code), "route": route, "state": states.get((page.key, route.code)),
                          "warnings": warnings.get(_file_of(page, route), 0)})
        pages.append({"page": page, "texts": texts, "title": page.title.get(site.default_language)
                      if page.title.has(site.default_language) else page.title.values[0][1]})
    return environment().get_template("translations.html").render(
        pages=pages, stylesheet=prepared.links.asset("css/site.css"), prefix="/" + TRANSLATIONS_VIEW)


def _file_of(page: Page, route) -> str:
    """Return the file a page's text at a route comes from (a converted text: its source's file)."""
    body = page.body(route.made_from if route.state == CONVERTED else route.code)
    return body.path if body is not None and route.has_text else page.path


def _warnings_by_file(prepared) -> dict[str, int]:
    """Count the conversion audit's warnings for each file."""
    counts: dict[str, int] = {}
    for warning in conversion_audit(prepared.site, prepared.routes, prepared.converters):
        counts[warning.path] = counts.get(warning.path, 0) + 1
    return counts


def page_view(prepared, key: str) -> str | None:
    """Render /_translations/<key>: the page's blocks in three columns, or None if there is no such page."""
    site = prepared.site
    page = next((p for p in site.pages if p.key == key), None)
    if page is None:
        return None
    columns, rows, state = _rows(site, prepared.routes, page, prepared.converters)
    return environment().get_template("review.html").render(
        page=page, columns=columns, rows=rows, state=state, stylesheet=prepared.links.asset("css/site.css"),
        prefix="/" + TRANSLATIONS_VIEW, title=page.title.get(columns[0].code) if columns else key)


def _rows(site, routes, page: Page, converters: dict[str, Converter]):
    """Return the columns (languages), the aligned rows, and the translation's status."""
    written = site.settings.written  # a written language's translation first: the others are converted from it
    translations = sorted((b for b in page.bodies if b.provenance == TRANSLATION and page.body(b.translated_from)),
                          key=lambda b: b.code not in written)
    if not translations:
        return _plain_rows(site, page)
    translated = translations[0]
    source = page.body(translated.translated_from)
    converted = [site.language(route.code) for route in routes.texts(page.key)
                 if route.state == CONVERTED and route.made_from == translated.code]
    columns = [site.language(source.code), site.language(translated.code), *converted]
    state = status_of(page, translated, source, site.language(source.code).label)
    now = source_blocks(page, source)
    mine = source_blocks(page, translated)
    rows = [Row(label, kind, (_source_cell(page, source, new, old), _cell(page, translated, theirs, site),
                              *[_converted_cell(page, translated, theirs, lang, converters[lang.code])
                                for lang in converted]))
            for label, kind, new, old, theirs in _aligned(state, now, mine, page, source)]
    return columns, rows, state


def _aligned(state, now: tuple[Block, ...], mine: tuple[Block, ...], page: Page, source: Body):
    """Yield (label, state, current source block, recorded source block, translation block) for each row.

    The translation was made from the recorded source: its blocks pair with the recorded blocks one by
    one, and the recorded blocks pair with the source as it is now through the changes found."""
    record = state.body.record
    if record is None:
        kind = "same" if state.state != "not recorded" else "not recorded"
        for i, block in enumerate(now):
            yield _label(block), kind, block, None, mine[i] if i < len(mine) else None
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
    bodies = [(site.language(b.code), b) for b in page.bodies]
    columns = [lang for lang, _ in bodies]
    per = [source_blocks(page, body) for _, body in bodies]
    rows = []
    for i in range(max(map(len, per), default=0)):
        cells = tuple(_cell(page, body, blocks_[i] if i < len(blocks_) else None, site)
                      for (_, body), blocks_ in zip(bodies, per))
        rows.append(Row(_label(next(b[i] for b in per if i < len(b))), "same", cells))
    return columns, rows, None


def _where(page: Page, body: Body, block: Block) -> str:
    """Name the file and line a block comes from."""
    if block.label in ("title", "summary"):
        value = page.title if block.label == "title" else page.description
        return f"{value.path}:{value.line}"
    return f"{body.path}:{block.line}"


def _cell(page: Page, body: Body, block: Block | None, site) -> Cell | None:
    """Return a block of a text as plain HTML."""
    if block is None:
        return None
    return Cell(_where(page, body, block), Markup(escape(plain(block.text))), site.language(body.code).html_lang)


def _source_cell(page: Page, source: Body, new: Block | None, old: Block | None) -> Cell:
    """Return a source block: its text now, with words inserted and deleted since the record marked."""
    block = new or old
    where = _where(page, source, block) if new else "(removed since the translation was marked)"
    if new and old and new.digest != old.digest:
        html = word_diff(plain(old.text), plain(new.text))
    elif new:
        html = Markup(escape(plain(new.text)))
    else:
        html = Markup(f"<del>{escape(plain(old.text))}</del>")
    return Cell(where, html, "")


def _converted_cell(page: Page, body: Body, block: Block | None, lang, converter: Converter) -> Cell | None:
    """Return a translation block as converted, marking phrase-table entries, {keep} spans and ambiguous characters."""
    if block is None:
        return None
    if block.label in ("title", "summary"):
        runs = [(block.text, False)]
    else:
        runs = [(run.text, run.kept) for run in markup.text_runs(markup.parse(block.text))]
    html = Markup("").join(_marked(text, kept, converter) for text, kept in runs)
    return Cell(_where(page, body, block), html, lang.html_lang)


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
    out, last = [], 0
    for i, char in enumerate(text):
        if char in AMBIGUOUS:
            out.append(escape(converter.convert(text[last:i])))
            out.append(_mark(escape(converter.convert(char)), char, AMBIGUOUS[char], "ambiguous"))
            last = i + 1
    out.append(escape(converter.convert(text[last:])))
    return Markup("").join(out)


def _mark(shown: str, source: str, why: str, kind: str) -> Markup:
    """Return a focusable mark whose note (shown on hover or focus) gives the Traditional and the reason."""
    return Markup(f'<mark class="{kind}" tabindex="0">{shown}<span class="source" lang="zh-HK">'
                  f'{escape(source)}</span><span class="why"> ({escape(why)})</span></mark>')


def plain(text: str) -> str:
    """Return the readable text of a Markdown block: link text, no markup."""
    tokens = markup.parse(text)
    parts = []
    for token in tokens:
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
    found = []
    for token in _WORDS.findall(text):
        found.extend(list(token) if _HAN.search(token) else [token])
    return found
