"""Every output file of the site, rendered from the converted model and parsed bodies."""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from . import markup
from .errors import ContentError
from .hosting import hosting_files
from .model import Page, Site
from .render import Templates
from .urls import Links


class Output:
    """The site as {path: bytes}; refuses to produce the same path twice."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, path: str, data: str | bytes, origin: str = "") -> None:
        """Add one file; a second file at the same path is an error."""
        if path in self.files:
            raise ContentError(origin or path, None, f"two pages would be written to {path}")
        self.files[path] = data.encode("utf-8") if isinstance(data, str) else data


def render_site(site: Site, docs: dict, templates: Templates, links: Links, static: dict[str, bytes]) -> dict[str, bytes]:
    """Render every page, the 404 pages, the chooser, sitemap, robots.txt and static files."""
    out = Output()
    for page in site.pages:
        for lang in site.languages:
            html = _render_page(site, docs, templates, links, page, lang.code)
            out.add(links.output_path(page.key, lang.code), html, page.source)
    for lang in site.languages:
        out.add(f"{lang.prefix}/404.html", templates.render("404.html", **_common(site, links, lang.code, None)))
    first = site.languages[0].code
    root = {**_common(site, links, first, site.home), "canonical": links.root(absolute=True),
            "alternates": links.root_alternates()}
    out.add("index.html", templates.render("chooser.html", **root))
    out.add("404.html", templates.render("root-404.html", **{**root, "canonical": None}))
    out.add("sitemap.xml", sitemap(site, links))
    out.add("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {links.base_url}sitemap.xml\n")
    for path, text in hosting_files(site, links).items():
        out.add(path, text)
    for rel, published in site.assets:
        out.add(published, static[rel])
    return out.files


def _common(site: Site, links: Links, lang: str, page: Page | None) -> dict:
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
    }


def _render_page(site: Site, docs: dict, templates: Templates, links: Links, page: Page, lang: str) -> str:
    """Render one content page in one language, or the annex's notice where it has no text."""
    context = _common(site, links, lang, page)
    context["alternates"] = links.alternates(page, lang)
    context["canonical"] = links.absolute(page.key, lang)
    context["structured_data"] = structured_data(site, page, lang, context["canonical"])
    if (page.key, lang) not in docs:
        return templates.render("notice.html", **context)
    placeholders = {}
    if page.kind == "home":
        placeholders["areas"] = templates.render("area-list.html", **context)
    body = markup.render(docs[page.key, lang], links.url("", lang), placeholders)
    context["body"] = Markup(body)
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
    """Return the previous and next areas of an area page."""
    if page.kind != "area":
        return {"previous": None, "next": None}
    i = site.areas.index(page)
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
        lines.append(f"  <url>\n    <loc>{xml_escape(loc)}</loc>")
        for alt in alternates:
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{alt.hreflang}" href="{xml_escape(alt.href)}"/>')
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)
