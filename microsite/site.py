"""The build: gather and validate everything, then render it.

Two ways out. build_site() returns the files in memory, for the dev server,
`check` and the tests. build_into() is the command line's: it validates the
settings and every YAML file first, then renders and writes the pages on every
core into a fresh folder, which replaces the old site only if no page had an
error. The pure, expensive steps are memoized per source file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import markup
from .content import load_site, normalise_base_url
from .convert import Converter, convert_site, convert_tokens
from .errors import ContentError, ContentErrors, ErrorList
from .memo import latest_per_key
from .model import Page, Site
from .output import write_streams
from .pages import Navigation, page_digest, page_file, page_files, shared_files
from .render import Templates
from .urls import Links

PAGES_PER_WORKER = 300  # below this, starting another process costs more than it saves


@dataclass(frozen=True)
class Prepared:
    """Everything validated, parsed and converted, ready to render."""

    site: Site
    docs: dict
    links: Links
    root: Path


def _finish(site: Site, base_url: str | None) -> tuple[Site, Links]:
    """Convert the model's texts and fix the site's address."""
    site = convert_site(site, converter(site.phrases).convert)
    return site, Links(site, normalise_base_url(base_url or site.base_url))


def prepare(root: Path, base_url: str | None = None) -> Prepared:
    """Load, validate, parse and convert everything; raise ContentErrors listing every mistake."""
    errors = ErrorList()
    site = load_site(root, errors)
    docs = {}
    for page in site.pages:
        docs.update(page_docs(site, page, errors))
    errors.raise_if_any()
    site, links = _finish(site, base_url)
    return Prepared(site, docs, links, root)


def render(prepared: Prepared) -> dict[str, bytes]:
    """Render every output file in memory; a template mistake raises ContentErrors too."""
    site, links, root = prepared.site, prepared.links, prepared.root
    templates = templates_for(root)
    files: dict[str, bytes] = {}
    try:
        nav = Navigation(site, templates, links)
        docs = lambda page, lang: prepared.docs.get((page.key, lang))  # noqa: E731
        for path, chunks, origin in (*page_files(site, docs, templates, links, nav, site.pages),
                                     *shared_files(site, templates, links, nav, _static(root, site))):
            if path in files:
                raise ContentError(origin or path, None, f"two files would be written to {path}")
            files[path] = b"".join(chunks)
    except ContentError as err:
        raise ContentErrors([err]) from None
    return files


def render_changes(prepared: Prepared, memo: dict):
    """Yield (path, chunks, key, digest) for every output file; chunks is None for a page whose inputs
    are the same as when it was last written (memo: path -> key). Full-rebuild semantics:
    every page is considered, and the home page (which lists every area) always rendered."""
    site, links, root = prepared.site, prepared.links, prepared.root
    templates = templates_for(root)
    try:
        nav = Navigation(site, templates, links)
        context = (_site_state(site, links), templates.state())
        docs = lambda page, lang: prepared.docs.get((page.key, lang))  # noqa: E731
        for page in site.pages:
            for lang in site.languages:
                path = links.output_path(page.key, lang.code)
                key = (page, lang.code, nav.digests[lang.code], context) if page.kind != "home" else None
                if key is not None and memo.get(path) == key:
                    yield path, None, key, None
                else:
                    _, chunks, _ = page_file(site, docs, templates, links, nav, page, lang.code)
                    yield path, chunks, key, page_digest(chunks, nav, lang.code)
        for path, chunks, _ in shared_files(site, templates, links, nav, _static(root, site)):
            yield path, chunks, None, None
    except ContentError as err:
        raise ContentErrors([err]) from None


def _site_state(site: Site, links: Links) -> str:
    """Return everything besides its own content and the navigation that a page's HTML depends on."""
    return repr((site.ui, site.languages, site.default_language, site.event, site.assets, site.has_photos,
                 links.base_url, site.annex.key if site.annex else None, len(site.areas)))


def build_site(root: Path, base_url: str | None = None) -> dict[str, bytes]:
    """Build the whole site in memory as {path: bytes}; raise ContentErrors on any mistake."""
    return render(prepare(root, base_url))


def build_into(root: Path, out: Path, base_url: str | None = None) -> list[str]:
    """Build the site into out, rendering on every core; return the paths written."""
    errors = ErrorList()
    site = load_site(root, errors)
    if errors.errors:
        prepare(root, base_url)  # report the Markdown mistakes too, all in one list
        errors.raise_if_any()
    site, links = _finish(site, base_url)
    templates = templates_for(root)
    try:
        nav = Navigation(site, templates, links)
    except ContentError as err:
        raise ContentErrors([err]) from None
    shares = _workers(len(site.pages) * len(site.languages))

    def stream(share: int):
        pages = site.pages[share::shares]
        yield from _checked_pages(site, templates, links, nav, pages)
        if share == 0:
            try:
                yield from shared_files(site, templates, links, nav, _static(root, site))
            except ContentError as err:
                yield err

    written, errors = write_streams(out, stream, shares)
    if errors:
        raise ContentErrors(errors)
    return written


def _checked_pages(site: Site, templates: Templates, links: Links, nav: Navigation, pages):
    """Yield each page's files, or the errors its texts or templates have, one page at a time."""
    for page in pages:
        errors = ErrorList()
        docs = page_docs(site, page, errors)
        if errors.errors:
            yield from errors.errors
            continue
        try:
            yield from page_files(site, lambda p, lang: docs.get((p.key, lang)), templates, links, nav, (page,))
        except ContentError as err:
            yield err


def page_docs(site: Site, page: Page, errors: ErrorList) -> dict:
    """Parse and check one page's Markdown, and convert it; return {(key, lang): tokens}."""
    allowed = markup.PLACEHOLDERS if page.kind == "home" else ()
    docs = {}
    for body in page.bodies:
        tokens = _parse(body.source, body.text)
        errors.extend(_checked(body.source, body.text, site.page_keys, allowed, body.first_line))
        docs[page.key, body.lang] = tokens
    for lang in site.languages:
        source = page.body(lang.convert_from) if lang.convert_from else None
        if source and (page.key, lang.code) not in docs:
            docs[page.key, lang.code] = _converted(source.source, source.text, site.phrases)
    return docs


def _workers(files: int) -> int:
    """Return how many processes to render with: one per core, if the site is big enough."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, files // PAGES_PER_WORKER))


def _static(root: Path, site: Site) -> dict[str, bytes]:
    """Read the static files the site publishes."""
    return {rel: (root / "static" / rel).read_bytes() for rel, _ in site.assets}


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
def _checked(source: str, text: str, keys: frozenset, allowed: tuple, first_line: int) -> list:
    """Check a Markdown text's links and markup, again only when it or the set of pages changed."""
    return markup.check_tokens(_parse(source, text), source, keys, allowed, first_line)


@latest_per_key
def _converted(source: str, text: str, phrases: tuple[tuple[str, str], ...]) -> list:
    """Convert the tokens of a Traditional text, again only when it or the phrase table changed."""
    return convert_tokens(_parse(source, text), converter(phrases).convert)
