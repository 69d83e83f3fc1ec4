"""Every output file of the site, rendered from the converted model without I/O.

Files come out as (path, chunks): a page is its own head and tail around the
navigation, which lists every area and is rendered once per language, then
shared by every page of that language (with the current area marked). So a
page costs the same whether the site has eight areas or thousands, and the
writer can send the shared bytes to disk without copying them.
"""

from __future__ import annotations

import hashlib

from markupsafe import Markup, escape

from . import markup
from .hosting import hosting_files
from .model import Page, Site
from .render import Templates
from .urls import Links

NAV_MARK = "<!-- areas navigation -->"
CURRENT = b' aria-current="page"'


class Navigation:
    """The navigation listing every area, rendered once per language, marked per page."""

    def __init__(self, site: Site, templates: Templates, links: Links):
        self.links = links
        self.html = {lang.code: cached(f"nav {lang.code}", list_state(site, links, templates, lang.code),
                                       lambda code=lang.code: templates.render(
                                           "partials/areas-nav.html", **common(site, links, code, None)).encode())
                     for lang in site.languages}
        self.digests = {lang: hashlib.blake2b(html, digest_size=16).digest() for lang, html in self.html.items()}

    def chunks(self, page: Page | None, lang: str) -> tuple:
        """Return the navigation's bytes for a page, with aria-current on the page's own link."""
        html = self.html[lang]
        needle = f'href="{self.links.url(page.key, lang)}"'.encode() if page is not None else b""
        at = html.find(needle) if page is not None and page.kind == "area" else -1
        if at < 0:
            return (html,)
        view = memoryview(html)
        return (view[:at + len(needle)], CURRENT, view[at + len(needle):])


_PARTS: dict = {}  # name -> (state, result): the parts that list every area, kept between rebuilds


def cached(name: str, state, make):
    """Return make() for a part that lists every area, made again only when its state changed."""
    hit = _PARTS.get(name)
    if hit is not None and hit[0] == state:
        return hit[1]
    result = make()
    _PARTS[name] = (state, result)
    return result


def list_state(site: Site, links: Links, templates: Templates, lang: str) -> tuple:
    """Return everything a list of the areas in one language shows or depends on."""
    return (links.base_url, templates.state(), repr(site.ui[lang]), site.annex.key if site.annex else None,
            tuple((a.key, a.title.get(lang), a.description.get(lang)) for a in site.areas))


def common(site: Site, links: Links, lang: str, page: Page | None) -> dict:
    """Return what every template gets: site, language, words, links, switcher."""
    return {
        "site": site,
        "lang": site.language(lang),
        "ui": site.ui[lang],
        "links": links,
        "page": page,
        "switcher": links.switcher(page.key if page else "", lang),
        "canonical": None,
        "alternates": (),
        "structured_data": None,
        "areas_nav": Markup(NAV_MARK),
    }


def page_files(site: Site, docs, templates: Templates, links: Links, nav: Navigation, pages):
    """Yield (path, chunks, origin) for each of the given pages in every language it has."""
    for page in pages:
        for lang in site.languages:
            yield page_file(site, docs, templates, links, nav, page, lang.code)


def page_file(site: Site, docs, templates: Templates, links: Links, nav: Navigation, page: Page, lang: str):
    """Return (path, chunks, origin) for one page in one language."""
    head, _, tail = render_page(site, docs, templates, links, page, lang).partition(NAV_MARK)
    return (links.output_path(page.key, lang),
            (head.encode("utf-8"), *nav.chunks(page, lang), tail.encode("utf-8")), page.source)


def page_digest(chunks: tuple, nav: Navigation, lang: str) -> bytes:
    """Return a hash of a page's bytes without reading the shared navigation again: its own
    head and tail, the navigation's hash, and where the current-page mark sits."""
    hasher = hashlib.blake2b(chunks[0], digest_size=16)
    hasher.update(chunks[-1])
    hasher.update(nav.digests[lang])
    hasher.update(str(len(chunks[1])).encode())
    return hasher.digest()


def shared_files(site: Site, templates: Templates, links: Links, nav: Navigation, static: dict[str, bytes]):
    """Yield (path, chunks, origin) for the 404 pages, chooser, sitemap, robots.txt, host rules and static files."""
    for lang in site.languages:
        html = templates.render("404.html", **common(site, links, lang.code, None))
        head, _, tail = html.partition(NAV_MARK)
        yield f"{lang.prefix}/404.html", (head.encode(), *nav.chunks(None, lang.code), tail.encode()), ""
    first = site.languages[0].code
    root = {**common(site, links, first, site.home), "canonical": links.root(absolute=True),
            "alternates": links.root_alternates()}
    yield "index.html", (templates.render("chooser.html", **root).encode(),), ""
    yield "404.html", (templates.render("root-404.html", **{**root, "canonical": None}).encode(),), ""
    pages_state = (links.base_url, site.languages, site.default_language, tuple(p.key for p in site.pages),
                   links.languages_of(site.annex) if site.annex else ())
    yield "sitemap.xml", (cached("sitemap", pages_state, lambda: sitemap(site, links).encode()),), ""
    yield "robots.txt", (f"User-agent: *\nAllow: /\n\nSitemap: {links.base_url}sitemap.xml\n".encode(),), ""
    for path, text in hosting_files(site, links).items():
        yield path, (text.encode(),), ""
    for rel, published in site.assets:
        yield published, (static[rel],), f"static/{rel}"


def render_page(site: Site, docs, templates: Templates, links: Links, page: Page, lang: str) -> str:
    """Render one content page in one language, or the annex's notice where it has no text."""
    context = common(site, links, lang, page)
    context["alternates"] = links.alternates(page, lang)
    context["canonical"] = links.absolute(page.key, lang)
    context["structured_data"] = structured_data(site, page, lang, context["canonical"])
    tokens = docs(page, lang)
    if tokens is None:
        return templates.render("notice.html", **context)
    placeholders = {}
    if page.kind == "home":
        placeholders["areas"] = cached(f"area list {lang}", list_state(site, links, templates, lang),
                                       lambda: templates.render("area-list.html", **context))
    context["body"] = Markup(markup.render(tokens, links.url("", lang), placeholders))
    context.update(_neighbours(site, page))
    return templates.render(f"{page.kind}.html", **context)


def structured_data(site: Site, page: Page, lang: str, url: str) -> dict:
    """Describe a page for search engines as a schema.org NewsArticle (JSON-LD)."""
    ui = site.ui[lang]
    published = f"{site.event.date.isoformat()}T{site.event.issued_at}:00+08:00"
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title.get(lang),
        "description": page.description.get(lang),
        "inLanguage": site.language(lang).html_lang,
        "datePublished": published,
        "url": url,
        "mainEntityOfPage": url,
        "publisher": {"@type": "GovernmentOrganization", "name": ui["publisher"]},
        "isPartOf": {"@type": "WebSite", "name": ui["site_name"]},
    }


def _neighbours(site: Site, page: Page) -> dict:
    """Return the previous and next areas of an area page (areas are numbered by their place)."""
    if page.kind != "area":
        return {"previous": None, "next": None}
    i = page.order - 1
    return {"previous": site.areas[i - 1] if i > 0 else None,
            "next": site.areas[i + 1] if i + 1 < len(site.areas) else None}


def sitemap(site: Site, links: Links) -> str:
    """Write sitemap.xml: every page in every language, with its hreflang alternates."""
    entries = [(links.root(absolute=True), links.root_alternates())]
    for page in site.pages:
        for lang in site.languages:
            entries.append((links.absolute(page.key, lang.code), links.alternates(page, lang.code)))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for loc, alternates in entries:
        lines.append(f"  <url>\n    <loc>{escape(loc)}</loc>")
        for alt in alternates:
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{alt.hreflang}" href="{escape(alt.href)}"/>')
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)
