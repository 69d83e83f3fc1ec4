"""Simplified Chinese from Traditional: OpenCC's hk2s plus the project's phrase table.

Only text is converted: Markdown text tokens and the texts of the model.
Code, URLs, slugs, file names and HTML attributes are never touched.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from markdown_it.token import Token

from .memo import latest_per_key
from .model import Body, LangText, Site

OPENCC_CONFIG = "hk2s"


class Converter:
    """Converts Traditional Chinese text to Simplified, phrase table first."""

    def __init__(self, phrases: tuple[tuple[str, str], ...] = ()):
        import opencc  # imported here: only builds with a converted language need it

        self._opencc = opencc.OpenCC(OPENCC_CONFIG)
        self._table = dict(phrases)
        keys = sorted(self._table, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, keys))) if keys else None
        self.convert = lru_cache(maxsize=65536)(self._convert)

    def _convert(self, text: str) -> str:
        """Convert one text: phrase-table matches as given, the rest through OpenCC."""
        if not text or text.isascii():
            return text
        if self._pattern is None:
            return self._opencc.convert(text)
        out, last = [], 0
        for match in self._pattern.finditer(text):
            out.append(self._opencc.convert(text[last:match.start()]))
            out.append(self._table[match.group(0)])
            last = match.end()
        out.append(self._opencc.convert(text[last:]))
        return "".join(out)


def convert_tokens(tokens: list[Token], convert) -> list[Token]:
    """Return copies of Markdown tokens with text converted, except inside [..]{keep} spans."""
    result = []
    for token in tokens:
        if token.type == "inline" and token.children:
            token = token.copy(children=_convert_inline(token.children, convert))
        result.append(token)
    return result


def _convert_inline(children: list[Token], convert) -> list[Token]:
    """Convert the text children of one inline token, tracking keep spans."""
    keep = 0
    out = []
    for child in children:
        if child.type == "span_open" and child.meta.get("keep"):
            keep += 1
        elif child.type == "span_close" and child.meta.get("keep"):
            keep -= 1
        elif child.type == "text" and not keep:
            child = child.copy(content=convert(child.content))
        elif child.type == "image" and child.children and not keep:
            child = child.copy(children=_convert_inline(child.children, convert))
        out.append(child)
    return out


def convert_site(site: Site, convert) -> Site:
    """Return the site with every missing converted-language text filled in."""
    targets = tuple((lang.code, lang.convert_from) for lang in site.languages if lang.convert_from)
    walk = _walker(targets, convert)
    converted = dataclasses.replace(
        site, event=walk(site.event),
        home=_converted_page(site.home.source, site.home, targets, convert) if site.home else None,
        annex=_converted_page(site.annex.source, site.annex, targets, convert) if site.annex else None,
        areas=tuple(_converted_page(page.source, page, targets, convert) for page in site.areas))
    ui = dict(site.ui)
    for target, source in targets:
        generated = {key: _convert_value(value, convert) for key, value in site.ui.get(source, {}).items()}
        ui[target] = {**generated, **site.ui.get(target, {})}
    return dataclasses.replace(converted, ui=ui)


@latest_per_key
def _converted_page(source: str, page, targets, convert):
    """Convert one page's texts, again only when the page changed (a large site has thousands)."""
    return _walker(targets, convert)(page)


def _walker(targets, convert):
    """Return a function that fills in the converted languages of every LangText in a value."""

    def walk(value):
        if isinstance(value, LangText):
            for target, source in targets:
                if not value.has(target) and value.has(source):
                    value = value.with_value(target, convert(value.get(source)))
            return value
        if isinstance(value, tuple):
            return tuple(walk(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, (Body, type)):
            changes = {f.name: walk(getattr(value, f.name)) for f in dataclasses.fields(value)
                       if f.name not in ("ui",)}
            return dataclasses.replace(value, **changes)
        return value

    return walk


def _convert_value(value, convert):
    """Convert a UI string or a list of them."""
    if isinstance(value, list):
        return [convert(v) for v in value]
    return convert(value)
