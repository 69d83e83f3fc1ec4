"""The build, stage by stage: read, load and validate, convert, route, parse, render, write.

prepare() raises ContentErrors listing every mistake before anything is rendered; site_files() is the one stream
of output files of build, serve and check. The cache passed in (the dev server's, or NO_CACHE) decides what is redone.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import markup
from .cache import NO_CACHE, read, read_many
from .content import load_site
from .convert import Converter, convert_event, convert_page, convert_words, converted_html
from .errors import ContentError, ContentErrors
from .images import image_size
from .model import Site
from .parallel import cores
from .render import OutputFile, render_site
from .routes import CONVERTED, HOME, TEMPLATES, Links, Routes, list_page_count, page_states, route_site
from .sources import Tree, problems, read_tree
from .templates import Templates, load_templates, template_files, words_used
from .urls import normalise_base_url
from .words import check_words
from .writer import unique, write_site


@dataclass(frozen=True)
class Prepared:
    """Everything validated, converted and parsed, ready to render."""

    site: Site
    html: dict  # the HTML parts of each text, by (page key, language code)
    templates: Templates
    routes: Routes
    static: tuple[OutputFile, ...]
    share: tuple[tuple[str, str, int, int], ...]
    converters: dict[str, Converter]  # each converted language's
    snapshot: Tree  # every file read, for messages to quote their lines from

    @property
    def links(self) -> Links:
        """Return the addresses of pages and static files."""
        return self.routes.links


class Timings:
    """The time each stage of a build took, in the order they ran (what `build.py --timings` prints)."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        """Add the time spent inside the block to the stage's total."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - started

    def timed(self, name: str, files: Iterable) -> Iterator:
        """Pass items on, adding the time spent producing each one to the stage's total."""
        items = iter(files)
        while True:
            with self.stage(name):
                try:
                    item = next(items)
                except StopIteration:
                    return
            yield item


def prepare(tree: Tree, base_url: str | None = None, cache=NO_CACHE, workers: int = 1,
            timings: Timings | None = None) -> Prepared:
    """Load and validate, convert, route and parse everything; raise ContentErrors listing every mistake."""
    stage = (timings or Timings()).stage
    errors: list[ContentError] = []
    with stage("load and validate"):
        site = load_site(tree, errors, cache)
        errors += [ContentError(rel, None, data.message, data.hint) for rel, data in problems(tree)]
        if site is None:
            raise ContentErrors(errors, tree)
        templates = _templates(tree, cache, errors)
        used = read(cache, "words used", words_used, errors, templates) if templates is not None else None
        if used is not None:
            read(cache, "words check", check_words, errors, site.word_files, site.languages, used)
        static = tuple(OutputFile(path, tree.get(f"static/{rel}"), f"static/{rel}") for rel, path in site.assets)
        share = share_images(site, tree)
    with stage("convert"):  # one converter per converted language: OpenCC loads its dictionaries once per build
        converters = {lang.code: cache.get(("converter", lang.code), Converter, site.phrases, lang.mainland)
                      for lang in site.languages if lang.convert_from}
        site = convert_site(site, converters, cache)
    with stage("route"):
        links = cache.get("links", Links, normalise_base_url(base_url or site.base_url), site.languages,
                          site.default_language, site.assets)
        routes = cache.get("routes", route_site, page_states(site), links,
                           list_page_count(len(site.areas), site.settings.list_limit))
    with stage("parse"):
        html = parse_texts(site, routes, converters, cache, errors, workers)
        if errors:
            raise ContentErrors(errors, tree)
    return Prepared(site, html, templates, routes, static, share, converters, tree)


SHARE_IMAGE = "share/{code}.png"  # a language's image for links shared on social media, under static/


def share_images(site: Site, tree: Tree) -> tuple[tuple[str, str, int, int], ...]:
    """Return (language, file, width, height) for each language that has a sharing image."""
    found = []
    for lang in site.languages:
        rel = SHARE_IMAGE.format(code=lang.code)
        data = tree.get(f"static/{rel}")
        size = image_size(data) if isinstance(data, bytes) else None
        if size:
            found.append((lang.code, rel, *size))
    return tuple(found)


def _templates(tree: Tree, cache, errors: list) -> Templates | None:
    """Load the templates through the cache; record a mistake in one, or one that is missing."""
    files = template_files(tree)
    missing = [ContentError(f"templates/{name}", None, "this template is missing", "restore it from the project")
               for name in TEMPLATES if name not in dict(files)]
    errors += missing
    return None if missing else read(cache, "templates", load_templates, errors, tree.root, files)


def convert_site(site: Site, converters: dict[str, Converter], cache) -> Site:
    """Return the site with every converted language's texts and words filled in by its converter."""
    if not converters:
        return site
    targets = tuple((lang.code, lang.convert_from, converters[lang.code]) for lang in site.languages
                    if lang.convert_from)
    words = dict(site.words)
    for code, source, converter in targets:
        generated = cache.get(("words", code), convert_words, site.words.get(source, {}), converter)
        words[code] = {**generated, **site.words.get(code, {})}
    pages = {page.path: cache.get(("converted", page.path), convert_page, page, targets) for page in site.pages}
    settings = dataclasses.replace(site.settings, event=cache.get("event", convert_event, site.event, targets))
    return dataclasses.replace(
        site, settings=settings, words=words, home=pages.get(site.home.path) if site.home else None,
        annex=pages.get(site.annex.path) if site.annex else None,
        areas=tuple(pages[page.path] for page in site.areas))


def parse_texts(site: Site, routes: Routes, converters: dict[str, Converter], cache, errors: list,
                workers: int = 1) -> dict:
    """Parse, check and render every Markdown text into its own language and each one its routes convert it to."""
    keys = cache.get("page keys", frozenset, site.page_keys)
    outputs = cache.get("outputs", _outputs, routes, converters)
    requests, keys_of = [], []
    for page in site.pages:
        allowed = markup.PLACEHOLDERS if page.kind == HOME else ()
        for body in page.bodies:
            wanted = outputs.get((page.key, body.code)) or ((body.code, (routes.links, body.code), None),)
            requests.append((("text", body.path), (body.text, body.path, body.first_line, keys, allowed, wanted)))
            keys_of.append(page.key)
    parsed = read_many(cache, parse_text, requests, errors, workers)
    return {(key, code): text for key, parts in zip(keys_of, parsed, strict=True)
            for code, text in (parts or {}).items()}


def _outputs(routes: Routes, converters: dict[str, Converter]) -> dict:
    """Return what each page's text in each language is rendered into, by (key, code): its own language and each
    language its routes convert it to, each with what its links are made with and its converter (or None)."""
    found = {}
    for route in routes.routes:
        if route.has_text:
            found[route.key, route.code] = ((route.code, (routes.links, route.code), None),) + tuple(
                (other.code, (routes.links, other.code), converters[other.code]) for other in routes.texts(route.key)
                if other.state == CONVERTED and other.made_from == route.code)
    return found


def parse_text(errors: list, text: str, path: str, first_line: int, keys: frozenset, allowed: tuple,
               outputs: tuple) -> dict | None:
    """Parse one text once; return {language: HTML parts} for its own and each converted language, or None."""
    tokens = markup.parse(text)
    errors += markup.check_tokens(tokens, path, keys, allowed, first_line)
    if errors:
        return None
    return {code: markup.render(tokens, links) if converter is None else converted_html(tokens, links, converter)
            for code, links, converter in outputs}


def site_files(prepared: Prepared, cache=NO_CACHE, workers: int = 1) -> Iterator[OutputFile]:
    """Yield every output file once; a template mistake or two files at one path raise ContentErrors."""
    try:
        pages = render_site(prepared.site, prepared.html, prepared.templates, prepared.routes, cache, workers,
                            prepared.share)
        yield from unique(itertools.chain(pages, prepared.static))
    except ContentError as err:
        raise ContentErrors([err], prepared.snapshot) from None


def build(root: Path, out: Path, base_url: str | None = None, go_on=lambda: None,
          timings: Timings | None = None) -> list[str]:
    """Read, check and render the project at root, and write it to out as a whole; return the paths written."""
    timings = timings or Timings()

    def files() -> Iterator[OutputFile]:  # read and render under the writer's lock: a second build waits for none
        with timings.stage("read"):
            tree = read_tree(root)
        prepared = prepare(tree, base_url, workers=cores(), timings=timings)
        yield from timings.timed("render", site_files(prepared, workers=cores()))

    with timings.stage("write"):
        paths = write_site(out, files(), go_on)
    timings.stages["write"] -= sum(seconds for stage, seconds in timings.stages.items() if stage != "write")
    return paths
