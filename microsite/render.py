"""Every output file of the site, rendered from the converted model without I/O.

render_site() is the one renderer: build, serve and check all take their files
from it. Each page is rendered from a PageJob that holds everything its HTML
is made from, so the cache can reuse a page's bytes exactly while its job is
equal, and never after anything it shows has changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from markupsafe import Markup, escape

from .cache import NO_CACHE
from .hosting import hosting_files
from . import provenance
from .model import Event, Language, Page, Site
from .templates import Templates, fill
from .urls import Alternate, Links

NAV_WINDOW = 3  # areas listed on each side of the current one when the list is too long for every page
LIST_KEY = "area-list/{number}/"


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
    share: tuple[tuple[str, str, int, int], ...] = ()  # (language, file under static/, width, height)


@dataclass(frozen=True)
class Entry:
    """An area as lists and links show it."""

    key: str
    title: str
    summary: str
    number: int


@dataclass(frozen=True)
class Navigation:
    """The areas a page's navigation lists: all of them, or those around the current one."""

    entries: tuple[Entry, ...]
    total: int
    complete: bool
    list_key: str


@dataclass(frozen=True)
class AreaList:
    """One page of the list of areas: the home page holds the first."""

    entries: tuple[Entry, ...]
    number: int
    pages: int
    total: int


@dataclass(frozen=True)
class PageJob:
    """Everything one page's HTML is made from: nothing else reaches its template."""

    template: str
    key: str
    page: Page | None
    lang: Language
    words: dict
    facts: Facts
    links: Links
    body: tuple | None
    navigation: Navigation
    neighbours: tuple
    area_list: AreaList | None


def render_site(site: Site, docs: dict, templates: Templates, links: Links, cache=NO_CACHE,
                workers: int = 1, share: tuple = ()) -> Iterator[OutputFile]:
    """Yield every file of the site: pages in every language, list pages, 404s, chooser, sitemap, rules."""
    jobs = list(page_jobs(site, docs, links, share))
    paths = [f"{job.lang.prefix}/404.html" if job.template == "404.html" else links.output_path(job.key, job.lang.code)
             for job in jobs]
    pages = cache.get_many(render_job, [(("html", path), (templates, job)) for path, job in zip(paths, jobs)], workers)
    for path, job, data in zip(paths, jobs, pages):
        yield OutputFile(path, data, job.page.source if job.page else f"templates/{job.template}")
    yield from shared_files(site, templates, links)


def page_jobs(site: Site, docs: dict, links: Links, share: tuple = ()) -> Iterator[PageJob]:
    """Yield the job of each content page, list page and not-found page, in every language."""
    limit, count = site.settings.list_limit, len(site.areas)
    facts = Facts(site.languages, site.event, site.has_photos, count, max(1, -(-count // limit)),
                  site.annex.key if site.annex else None, share)
    for lang in site.languages:
        code = lang.code
        entries = tuple(Entry(a.key, a.title.get(code), a.description.get(code), a.order) for a in site.areas)
        whole = Navigation(entries, count, True, "") if count <= limit else None
        common = dict(lang=lang, words=site.ui[code], facts=facts, links=links)
        for page in site.pages:
            i = page.order - 1 if page.kind == "area" else -1
            body = docs.get((page.key, code))
            yield PageJob(f"{page.kind}.html" if body is not None else "notice.html", page.key, page,
                          navigation=whole or _window(entries, i, limit),
                          neighbours=(entries[i - 1] if i > 0 else None, entries[i + 1] if 0 <= i < count - 1 else None),
                          area_list=_list_page(entries, 1, limit) if page.kind == "home" else None, body=body, **common)
        for number in range(2, facts.list_pages + 1):
            yield PageJob("area-list-page.html", LIST_KEY.format(number=number), None,
                          navigation=whole or _window(entries, (number - 1) * limit, limit), neighbours=(None, None),
                          area_list=_list_page(entries, number, limit), body=None, **common)
        yield PageJob("404.html", "", None, navigation=whole or _window(entries, -1, limit), neighbours=(None, None),
                      area_list=None, body=None, **common)


def _window(entries: tuple[Entry, ...], i: int, limit: int) -> Navigation:
    """Return the navigation around the area at index i (the first areas for other pages)."""
    i = max(i, 0)
    start = max(0, min(i - NAV_WINDOW, len(entries) - 2 * NAV_WINDOW - 1))
    shown = entries[start:start + 2 * NAV_WINDOW + 1]
    return Navigation(shown, len(entries), False, LIST_KEY.format(number=i // limit + 1) if i >= limit else "")


def _list_page(entries: tuple[Entry, ...], number: int, limit: int) -> AreaList:
    """Return page `number` of the list of areas."""
    pages = max(1, -(-len(entries) // limit))
    return AreaList(entries[(number - 1) * limit:number * limit], number, pages, len(entries))


def render_job(templates: Templates, job: PageJob) -> bytes:
    """Render one page from its job."""
    links, code = job.links, job.lang.code
    context = {name: getattr(job, name) for name in PageJob.__dataclass_fields__}
    found = job.template != "404.html"
    context.update(ui=job.words, switcher=links.switcher(job.key, code), page_title=_title(job),
                   description=_description(job), body=tuple(Markup(part) if i % 2 == 0 else part
                                                             for i, part in enumerate(job.body or ())),
                   canonical=links.absolute(job.key, code) if found else None,
                   alternates=_alternates(job) if found else (), share_image=_share_image(job),
                   structured_data=provenance.structured_data(job) if job.page is not None else None,
                   notices=provenance.notices(job), footer=provenance.footer(job))
    return templates.render(job.template, **context).encode("utf-8")


def _title(job: PageJob) -> str:
    """Return the heading of a page: its title, or the list page's name."""
    if job.page is not None:
        return job.page.title.get(job.lang.code)
    if job.area_list is not None:
        return str(fill(job.words["area_list_title"], number=job.area_list.number, pages=job.area_list.pages))
    return job.words["not_found_title"]


def _description(job: PageJob) -> str:
    """Return the description of a page, a list page or a not-found page."""
    if job.page is not None:
        return job.page.description.get(job.lang.code)
    if job.area_list is not None:
        return str(fill(job.words["area_list_description"], total=job.area_list.total))
    return job.words["not_found_text"]


def _alternates(job: PageJob) -> tuple[Alternate, ...]:
    """Return the hreflang alternates of a page or list page."""
    if job.page is not None:
        return job.links.alternates(job.page, job.lang.code)
    found = tuple(Alternate(lang.hreflang, job.links.absolute(job.key, lang.code)) for lang in job.facts.languages)
    return found + (Alternate("x-default", job.links.absolute(job.key, job.links.default_language)),)


def _share_image(job: PageJob) -> dict | None:
    """Return the page's sharing image for its language: its full address and size, if the site has one."""
    for code, rel, width, height in job.facts.share:
        if code == job.lang.code:
            return {"url": job.links.asset_absolute(rel), "width": width, "height": height}
    return None


def shared_files(site: Site, templates: Templates, links: Links) -> Iterator[OutputFile]:
    """Yield the language chooser, the root 404 page, the sitemap, robots.txt and the host's rules."""
    words = {lang.code: site.ui[lang.code] for lang in site.languages}
    first = site.languages[0]
    context = dict(languages=site.languages, words=words, links=links, home=site.home, lang=first,
                   ui=words[first.code], canonical=links.root(absolute=True), alternates=links.root_alternates())
    yield OutputFile("index.html", templates.render("chooser.html", **context).encode(), "templates/chooser.html")
    yield OutputFile("404.html", templates.render("root-404.html", **context).encode(), "templates/root-404.html")
    yield OutputFile("sitemap.xml", sitemap(site, links).encode(), "content/site.yaml")
    yield OutputFile("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {links.base_url}sitemap.xml\n".encode(),
                     "content/site.yaml")
    for path, text in hosting_files(site, links).items():
        yield OutputFile(path, text.encode(), "content/site.yaml")


def sitemap(site: Site, links: Links) -> str:
    """Write sitemap.xml: every page in every language, with its hreflang alternates."""
    entries = [(links.root(absolute=True), links.root_alternates())]
    for page in site.pages:
        for lang in site.languages:
            entries.append((links.absolute(page.key, lang.code), links.alternates(page, lang.code)))
    pages = -(-len(site.areas) // site.settings.list_limit)
    for number in range(2, pages + 1):
        key = LIST_KEY.format(number=number)
        alternates = tuple(Alternate(lang.hreflang, links.absolute(key, lang.code)) for lang in site.languages)
        alternates += (Alternate("x-default", links.absolute(key, site.default_language)),)
        entries += [(links.absolute(key, lang.code), alternates) for lang in site.languages]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for loc, alternates in entries:
        lines.append(f"  <url>\n    <loc>{escape(loc)}</loc>")
        for alt in alternates:
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{alt.hreflang}" href="{escape(alt.href)}"/>')
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)
