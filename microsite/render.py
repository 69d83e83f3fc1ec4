"""Every output file of the site, rendered from the converted model without I/O.

render_site() is the one renderer: build, serve and check all take their files
from it. Each page is rendered from a PageJob that holds everything its HTML
is made from, so the cache can reuse a page's bytes exactly while its job is
equal, and never after anything it shows has changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, NamedTuple

from markupsafe import Markup, escape

from . import provenance
from .hosting import hosting_files
from .model import Event, Language, Page, Site
from .templates import Templates, fill
from .urls import Alternate, Links

# The templates the renderer asks for by name (others are theirs to include or extend).
TEMPLATES = ("home.html", "area.html", "annex.html", "notice.html", "404.html", "area-list-page.html",
             "chooser.html", "root-404.html")
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
    """Everything one page's HTML is made from: nothing else reaches its template.

    A tuple, so the cache compares a page's job with the last one at C speed."""

    template: str
    key: str
    path: str
    page: Page | None
    lang: Language
    words: dict
    facts: Facts
    links: Links
    body: tuple | None
    navigation: Navigation
    neighbours: tuple
    area_list: AreaList | None


def render_site(site: Site, docs: dict, templates: Templates, links: Links, cache, workers: int,
                share: tuple) -> Iterator[OutputFile]:
    """Yield every file of the site: pages in every language, list pages, 404s, chooser, sitemap, rules."""
    jobs = list(page_jobs(site, docs, links, cache, share))
    pages = cache.get_many(render_job, [(job.path, (templates, job)) for job in jobs], workers)
    for job, data in zip(jobs, pages, strict=True):  # strict: runs the results to their end, closing any workers
        yield OutputFile(job.path, data, job.page.source if job.page else f"templates/{job.template}")
    yield from shared_files(site, templates, links, cache)


def page_jobs(site: Site, docs: dict, links: Links, cache, share: tuple) -> Iterator[PageJob]:
    """Yield the job of each content page, list page and not-found page, in every language."""
    limit, count = site.settings.list_limit, len(site.areas)
    facts = cache.get("facts", Facts, site.languages, site.event, site.has_photos, count, list_page_count(count, limit),
                      site.annex.key if site.annex else None, share)
    for lang in site.languages:
        code = lang.code
        entries = cache.get(("entries", code), area_entries, site.areas, code)
        windows = cache.get(("windows", code), navigations, entries, limit)
        words, prefix = site.ui[code], lang.prefix
        for page in site.pages:
            i = page.order - 1 if page.kind == "area" else -1
            body = docs.get((page.key, code))
            yield PageJob(f"{page.kind}.html" if body is not None else "notice.html", page.key,
                          f"{prefix}/{page.key}index.html", page, lang, words, facts, links, body, windows[max(i, 0)],
                          (entries[i - 1] if i > 0 else None, entries[i + 1] if 0 <= i < count - 1 else None),
                          _list_page(entries, 1, limit) if page.kind == "home" else None)
        for number in range(2, facts.list_pages + 1):
            key = list_key(number)
            yield PageJob("area-list-page.html", key, f"{prefix}/{key}index.html", None, lang, words, facts, links,
                          None, windows[(number - 1) * limit], (None, None), _list_page(entries, number, limit))
        yield PageJob("404.html", "", f"{prefix}/404.html", None, lang, words, facts, links, None, windows[0],
                      (None, None), None)


def area_entries(areas: tuple[Page, ...], code: str) -> tuple[Entry, ...]:
    """Return the areas as lists show them in one language."""
    return tuple(Entry(a.key, a.title.get(code), a.description.get(code), a.order) for a in areas)


def navigations(entries: tuple[Entry, ...], limit: int) -> list[Navigation]:
    """Return the navigation of the page of each area (the first one also serves the other pages)."""
    if len(entries) <= limit:
        return [Navigation(entries, len(entries), True, "")] * max(1, len(entries))
    return [_window(entries, i, limit) for i in range(len(entries))]


def _window(entries: tuple[Entry, ...], i: int, limit: int) -> Navigation:
    """Return the navigation around the area at index i."""
    start = max(0, min(i - NAV_WINDOW, len(entries) - 2 * NAV_WINDOW - 1))
    shown = entries[start:start + 2 * NAV_WINDOW + 1]
    return Navigation(shown, len(entries), False, list_key(i // limit + 1))


def list_key(number: int) -> str:
    """Return the page key of page `number` of the list of areas: the first is the home page."""
    return "" if number == 1 else LIST_KEY.format(number=number)


def list_page_count(areas: int, limit: int) -> int:
    """Return how many pages the list of areas takes, the home page being the first."""
    return max(1, -(-areas // limit))


def _list_page(entries: tuple[Entry, ...], number: int, limit: int) -> AreaList:
    """Return page `number` of the list of areas."""
    pages = list_page_count(len(entries), limit)
    return AreaList(entries[(number - 1) * limit:number * limit], number, pages, len(entries))


def render_job(templates: Templates, job: PageJob) -> bytes:
    """Render one page from its job."""
    links, code = job.links, job.lang.code
    context = job._asdict()
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
    codes = tuple(lang.code for lang in job.facts.languages)
    return job.links.page_alternates(job.key, "list", codes, job.lang.code)


def _share_image(job: PageJob) -> dict | None:
    """Return the page's sharing image for its language: its full address and size, if the site has one."""
    for code, rel, width, height in job.facts.share:
        if code == job.lang.code:
            return {"url": job.links.asset_absolute(rel), "width": width, "height": height}
    return None


def shared_files(site: Site, templates: Templates, links: Links, cache) -> Iterator[OutputFile]:
    """Yield the language chooser, the root 404 page, the sitemap, robots.txt and the host's rules."""
    words = {lang.code: site.ui[lang.code] for lang in site.languages}
    for path, name in (("index.html", "chooser.html"), ("404.html", "root-404.html")):
        data = cache.get(("html", path), render_root, templates, name, site.languages, words, links, site.home)
        yield OutputFile(path, data, f"templates/{name}")
    pages = tuple((page.key, page.kind, links.languages_of(page)) for page in site.pages)
    data = cache.get("sitemap", sitemap, pages, len(site.areas), site.settings.list_limit, links)
    yield OutputFile("sitemap.xml", data, "content/site.yaml")
    yield OutputFile("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {links.base_url}sitemap.xml\n".encode(),
                     "content/site.yaml")
    for path, text in hosting_files(site, links).items():
        yield OutputFile(path, text.encode(), "content/site.yaml")


def render_root(templates: Templates, name: str, languages, words: dict, links: Links, home) -> bytes:
    """Render a page at the site's root, in every language: the chooser or the root 404 page."""
    first = languages[0]
    return templates.render(name, languages=languages, words=words, links=links, home=home, lang=first,
                            ui=words[first.code], canonical=links.root(absolute=True),
                            alternates=links.root_alternates()).encode()


def sitemap(pages: tuple, areas: int, limit: int, links: Links) -> bytes:
    """Write sitemap.xml: every page in every language, with its hreflang alternates.

    pages holds (key, kind, languages it exists in) for each content page."""
    entries = [(links.root(absolute=True), links.root_alternates())]
    codes = tuple(lang.code for lang in links.languages)
    for key, kind, langs in pages:
        for code in codes:
            entries.append((links.absolute(key, code), links.page_alternates(key, kind, langs, code)))
    for number in range(2, list_page_count(areas, limit) + 1):
        key = list_key(number)
        entries += [(links.absolute(key, code), links.page_alternates(key, "list", codes, code)) for code in codes]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for loc, alternates in entries:
        lines.append(f"  <url>\n    <loc>{escape(loc)}</loc>")
        for alt in alternates:
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{alt.hreflang}" href="{escape(alt.href)}"/>')
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode()
