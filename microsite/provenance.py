"""Where a page's text comes from, and what the page says about it: notices, the footer, structured data.

A text is official, a translation made for this site, or converted by OpenCC. The page claims no more: a
translation says so near the top and names the version that prevails, and the structured data describes the
press release it is based on instead of naming the Government as this page's publisher.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .model import Language
from .routes import CONVERTED, OFFICIAL, TRANSLATION
from .templates import fill


def notices(job) -> tuple[Markup, ...]:
    """Return the notes at the top of a page about where its text comes from."""
    route, ui, links = job.route, job.words, job.links
    if not route.has_text:
        return ()
    found = []
    if route.state == CONVERTED:
        link = _link(links.url(route.key, route.made_from), ui["converted_link"], _language(job, route.made_from))
        found.append(fill(ui["converted_notice"], link=link))
    translated = route.made_from if route.state == TRANSLATION else route.translated_from
    if translated:  # the source text is read on the same page, or on the home page if this page has none
        has_text = any(version.code == translated for version in job.versions)
        url = links.url(route.key, translated) if has_text else links.home(translated)
        link = _link(url, ui["translation_link"], _language(job, translated))
        found.append(fill(ui["translation_notice"], link=link))
    return tuple(found)


def _language(job, code: str) -> Language:
    """Return the language with this code."""
    return next(lang for lang in job.facts.languages if lang.code == code)


def _link(href: str, text: str, lang: Language) -> Markup:
    """Return a link to a page in another language."""
    return Markup(f'<a href="{escape(href)}" hreflang="{escape(lang.hreflang)}">{escape(text)}</a>')


def footer(job) -> Markup | None:
    """Return the footer's sentence naming the press release the site is based on."""
    event = job.facts.event
    if event is None or event.release is None:
        return None
    link = _link(event.release.url, job.words["footer_link"], _language(job, event.release.language))
    return fill(job.words["footer"], link=link)


def structured_data(job) -> dict | None:
    """Describe a page for search engines as a schema.org NewsArticle (JSON-LD), with where its text comes from."""
    route = job.route
    code, ui, event, links = job.lang.code, job.words, job.facts.event, job.links
    site = {"@type": "Organization", "name": ui["site_name"], "url": links.root(absolute=True)}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": job.page.title.get(code),
        "description": job.page.description.get(code),
        "inLanguage": job.lang.html_lang,
        "url": route.absolute,
        "mainEntityOfPage": route.absolute,
        "publisher": site,
        "isPartOf": {**site, "@type": "WebSite"},
    }
    if event is not None:
        data["datePublished"] = f"{event.date.isoformat()}T{event.issued_at}:00+08:00"
    release = _release(job) if event is not None and event.release is not None else None
    if route.state == OFFICIAL and release:
        data["isBasedOn"] = release
    elif route.state == TRANSLATION:
        data["translator"] = site
        data["translationOfWork"] = release or {"@type": "WebPage", "url": links.absolute(route.key, route.made_from)}
    elif route.state == CONVERTED:
        source = _language(job, route.made_from)
        data["isBasedOn"] = {"@type": "WebPage", "url": links.absolute(route.key, source.code),
                             "inLanguage": source.html_lang}
        if route.translated_from and release:
            data["translationOfWork"] = release
    return data


def _release(job) -> dict:
    """Describe the Government's press release the site is based on."""
    release = job.facts.event.release
    return {"@type": "NewsArticle", "url": release.url, "headline": release.title,
            "inLanguage": _language(job, release.language).html_lang,
            "publisher": {"@type": "GovernmentOrganization", "name": job.words["government"]}}
