"""Every output file of the site, rendered from the converted model without I/O.

render_site() is the one renderer of build, serve and check. A page is rendered from a PageJob holding everything
its HTML is made from: the cache reuses its bytes while the job is equal, never after anything it shows changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, NamedTuple

from markupsafe import Markup, escape

from . import provenance
from .hosting import hosting_files
from .model import Event, Language, Page, Site
from .routes import (AREA, CHOOSER, CONTENT_KINDS, LIST, ROBOTS, ROOT_NOT_FOUND, SITEMAP, Links, Route, Routes,
                     list_key, list_page_count)
from .templates import Templates, fill

NAV_WINDOW = 3  # areas listed on each side of the current one when the list is too long for every page


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: where it goes, its bytes, and the input it comes from."""

    path: str
    data: bytes
    origin: str


@dataclass(frozen=True)
class Facts:
    """What every page may show about the site as a whole."""

    languages: tuple[Language, ...]
    event: Event | None
    has_photos: bool
    area_count: int
    list_pages: int
    annex_key: str | None
    share: tuple[tuple[str, str, int, int], ...]  # (language, file under static/, width, height)


class Entry(NamedTuple):
    """An area as lists and links show it."""

    key: str
    title: str
    summary: str
    number: int


class Navigation(NamedTuple):
    """The areas a page's navigation lists: all of them, or those around the current one."""

    entries: tuple
    total: int
    complete: bool
    list_key: str


class AreaList(NamedTuple):
    """One page of the list of areas: the home page holds the first."""

    entries: tuple
    number: int
    pages: int
    total: int

    def key_of(self, number: int) -> str:
        """Return the page key of page `number` of the list (the templates link the pages with it)."""
        return list_key(number)


class PageJob(NamedTuple):
    """Everything one page's HTML is made from (nothing else reaches its template); a tuple, compared at C speed."""

    route: Route
    page: Page | None
    lang: Language
    words: dict
    facts: Facts
    links: Links
    body: tuple | None
    navigation: Navigation
    neighbours: tuple
    area_list: AreaList | None
    versions: tuple  # the languages the page has a text in (what a notice standing in for a missing one links to)


def render_site(site: Site, html: dict, templates: Templates, routes: Routes, cache, workers: int,
                share: tuple) -> Iterator[OutputFile]:
    """Yield every file of the site: pages in every language, list pages, 404s, chooser, sitemap, rules."""
    jobs = list(page_jobs(site, html, routes, cache, share))
    pages = cache.get_many(render_job, [(job.route.path, (templates, job)) for job in jobs], workers)
    for job, data in zip(jobs, pages, strict=True):  # strict: runs the results to their end, closing any workers
        yield OutputFile(job.route.path, data, job.page.path if job.page else f"templates/{job.route.template}")
    yield from shared_files(site, templates, routes, cache)


def page_jobs(site: Site, html: dict, routes: Routes, cache, share: tuple) -> Iterator[PageJob]:
    """Yield the job of each route in a language: content pages, list pages and not-found pages."""
    limit, count, links = site.settings.list_limit, len(site.areas), routes.links
    facts = cache.get("facts", Facts, site.languages, site.event, site.has_photos, count, list_page_count(count, limit),
                      site.annex.key if site.annex else None, share)
    pages = {page.key: page for page in site.pages}
    versions = {page.key: tuple(site.language(route.code) for route in routes.texts(page.key)) for page in site.pages}
    lists = {}
    for lang in site.languages:
        entries = cache.get(("entries", lang.code), area_entries, site.areas, lang.code)
        lists[lang.code] = entries, cache.get(("windows", lang.code), navigations, entries, limit)
    for route in routes.routes:
        if not route.code:
            continue  # the pages at the root show every language: shared_files() renders them
        lang, (entries, windows) = site.language(route.code), lists[route.code]
        content = route.kind in CONTENT_KINDS
        page, text = (pages.get(route.key), html.get((route.key, route.code))) if content else (None, None)
        i = page.order - 1 if page is not None and page.kind == AREA else -1
        n = route.number  # which page of the list of areas it shows, if any
        window = windows[(n - 1) * limit] if route.kind == LIST else windows[max(i, 0)]
        yield PageJob(route, page, lang, site.words[lang.code], facts, links, text, window,
                      (entries[i - 1] if i > 0 else None, entries[i + 1] if 0 <= i < count - 1 else None),
                      AreaList(entries[(n - 1) * limit:n * limit], n, facts.list_pages, count) if n else None,
                      versions[route.key] if content else ())


def area_entries(areas: tuple[Page, ...], code: str) -> tuple[Entry, ...]:
    """Return the areas as lists show them in one language."""
    return tuple(Entry(a.key, a.title.get(code), a.description.get(code), a.order) for a in areas)


def navigations(entries: tuple[Entry, ...], limit: int) -> list[Navigation]:
    """Return the navigation of the page of each area (the first one also serves the other pages)."""
    if len(entries) <= limit:
        return [Navigation(entries, len(entries), True, "")] * max(1, len(entries))
    width = 2 * NAV_WINDOW + 1  # the areas around each one, as many on each side where the list allows
    starts = [max(0, min(i - NAV_WINDOW, len(entries) - width)) for i in range(len(entries))]
    return [Navigation(entries[start:start + width], len(entries), False, list_key(i // limit + 1))
            for i, start in enumerate(starts)]


def render_job(templates: Templates, job: PageJob) -> bytes:
    """Render one page from its job."""
    route = job.route
    title, description = _heading(job)
    share = next(({"url": job.links.asset_absolute(rel), "width": width, "height": height}  # sharing image, by language
                  for code, rel, width, height in job.facts.share if code == job.lang.code), None)
    context = job._asdict()
    context.update(key=route.key, lang=job.lang, ui=job.words, switcher=route.switcher, page_title=title,
                   description=description, body=tuple(Markup(part) if i % 2 == 0 else part
                                                             for i, part in enumerate(job.body or ())),
                   canonical=route.absolute or None, alternates=route.alternates, share_image=share,
                   structured_data=provenance.structured_data(job) if route.has_text else None,
                   notices=provenance.notices(job), footer=provenance.footer(job))
    return templates.render(route.template, **context).encode("utf-8")


def _heading(job: PageJob) -> tuple[str, str]:
    """Return the title and the description of a page, a list page (its name) or a not-found page."""
    words, area_list = job.words, job.area_list
    if job.page is not None:
        return job.page.title.get(job.lang.code), job.page.description.get(job.lang.code)
    if area_list is not None:
        return (str(fill(words["area_list_title"], number=area_list.number, pages=area_list.pages)),
                str(fill(words["area_list_description"], total=area_list.total)))
    return words["not_found_title"], words["not_found_text"]


def shared_files(site: Site, templates: Templates, routes: Routes, cache) -> Iterator[OutputFile]:
    """Yield the language chooser, the root 404 page, the sitemap, robots.txt and the host's rules."""
    words = {lang.code: site.words[lang.code] for lang in site.languages}
    links = routes.links
    for route in routes.of_kind(CHOOSER, ROOT_NOT_FOUND):
        data = cache.get(("html", route.path), render_root, templates, route, site.languages, words, links, site.home)
        yield OutputFile(route.path, data, f"templates/{route.template}")
    listed = tuple(route for route in routes.of_kind(CHOOSER, *CONTENT_KINDS, LIST) if route.listed)
    yield OutputFile(SITEMAP, cache.get("sitemap", sitemap, listed), "content/site.yaml")
    yield OutputFile(ROBOTS, f"User-agent: *\nAllow: /\n\nSitemap: {links.root_file(SITEMAP)}\n".encode(),
                     "content/site.yaml")
    for path, text in hosting_files(site, routes).items():
        yield OutputFile(path, text.encode(), "content/site.yaml")


def render_root(templates: Templates, route: Route, languages, words: dict, links: Links, home) -> bytes:
    """Render a page at the site's root, in every language: the chooser or the root 404 page."""
    first = languages[0]
    return templates.render(route.template, languages=languages, words=words, links=links, home=home, lang=first,
                            ui=words[first.code], canonical=links.root(absolute=True),
                            alternates=route.alternates).encode()


def sitemap(routes: tuple[Route, ...]) -> bytes:
    """Write sitemap.xml: every page in every language, with its hreflang alternates."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for route in routes:
        lines.append(f"  <url>\n    <loc>{escape(route.absolute)}</loc>")
        for alt in route.alternates:
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{alt.hreflang}" href="{escape(alt.href)}"/>')
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode()
