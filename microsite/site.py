"""The build: gather and validate everything, then render it (output.py writes it).

The pure, expensive steps (Markdown parsing, conversion, template compiling)
are memoized by their inputs, so the dev server's full rebuilds stay fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import markup
from .content import load_site, normalise_base_url
from .convert import Converter, convert_site, convert_tokens
from .errors import ContentError, ContentErrors, ErrorList
from .memo import latest_per_key
from .model import Site
from .pages import render_site
from .render import Templates
from .urls import Links


@dataclass(frozen=True)
class Prepared:
    """Everything validated and converted, ready to render."""

    site: Site
    docs: dict
    links: Links
    root: Path


def prepare(root: Path, base_url: str | None = None) -> Prepared:
    """Load, validate, parse and convert everything; raise ContentErrors listing every mistake."""
    errors = ErrorList()
    site = load_site(root, errors)
    docs = parse_bodies(site, errors)
    errors.raise_if_any()
    convert = converter(site.phrases).convert
    site = convert_site(site, convert)
    docs = convert_bodies(site, docs, convert)
    return Prepared(site, docs, Links(site, normalise_base_url(base_url or site.base_url)), root)


def render(prepared: Prepared) -> dict[str, bytes]:
    """Render every output file; a template mistake raises ContentErrors too."""
    root, site = prepared.root, prepared.site
    static = {rel: (root / "static" / rel).read_bytes() for rel, _ in site.assets}
    try:
        return render_site(site, prepared.docs, templates_for(root), prepared.links, static)
    except ContentError as err:
        raise ContentErrors([err]) from None


def build_site(root: Path, base_url: str | None = None) -> dict[str, bytes]:
    """Build the whole site in memory as {path: bytes}; raise ContentErrors on any mistake."""
    return render(prepare(root, base_url))


@lru_cache(maxsize=8)
def converter(phrases: tuple[tuple[str, str], ...]) -> Converter:
    """Return the converter for a phrase table (OpenCC takes milliseconds to load)."""
    return Converter(phrases)


@lru_cache(maxsize=8)
def templates_for(root: Path) -> Templates:
    """Return the project's templates; Jinja recompiles a template when its file changes."""
    return Templates(root / "templates", root)


@latest_per_key
def _parse(source: str, text: str) -> list:
    """Parse a Markdown file's text, again only when it changed. Callers never change the tokens."""
    return markup.parse(text)


@latest_per_key
def _converted(source: str, text: str, phrases: tuple[tuple[str, str], ...]) -> list:
    """Convert the tokens of a Traditional text, again only when it or the phrase table changed."""
    return convert_tokens(_parse(source, text), converter(phrases).convert)


def parse_bodies(site: Site, errors: ErrorList) -> dict:
    """Parse every Markdown body once and check it; return {(key, lang): tokens}."""
    keys = site.page_keys
    docs = {}
    for page in site.pages:
        allowed = markup.PLACEHOLDERS if page.kind == "home" else ()
        for body in page.bodies:
            tokens = _parse(body.source, body.text)
            errors.extend(markup.check_tokens(tokens, body.source, keys, allowed, body.first_line))
            docs[page.key, body.lang] = tokens
    return docs


def convert_bodies(site: Site, docs: dict, convert) -> dict:
    """Add the converted-language tokens of every page that has no hand-written text."""
    docs = dict(docs)
    for page in site.pages:
        for lang in site.languages:
            source = page.body(lang.convert_from) if lang.convert_from else None
            if source and (page.key, lang.code) not in docs:
                docs[page.key, lang.code] = _converted(source.source, source.text, site.phrases)
    return docs
