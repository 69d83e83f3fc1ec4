"""Where every page lives: the site's address, URLs, alternates and the language switcher."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from .model import Language, Page

_HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
_PATH_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+\Z")


def base_url_problem(url: str) -> str:
    """Say why an address cannot be the site's base URL, or return ''."""
    shown = url if len(url) <= 80 else url[:77] + "..."
    problem = f"base URL '{shown}' must be a full address like https://example.org/ or https://example.org/jbcc/"
    if not url.isascii() or not url.isprintable() or any(c in url for c in "\\ \t?#@%[]"):
        return problem
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return problem
    if parts.scheme not in ("http", "https") or not url.startswith(f"{parts.scheme}://") or port == 0:
        return problem
    if host_problem(host):
        return problem
    segments = parts.path.split("/")[1:]
    if segments and segments[-1] == "":
        segments = segments[:-1]
    if any(not _PATH_SEGMENT.match(s) or s in (".", "..") for s in segments):
        return problem
    return ""


def host_problem(host: str) -> str:
    """Say why a name cannot be a host to listen on or to publish at (a name or an IPv4 address), or return ''."""
    labels = host.split(".")
    if not host or len(host) > 253 or not all(_HOST_LABEL.match(label) for label in labels):
        return f"'{host[:80]}' is not a host name or an IPv4 address"
    return ""


def normalise_base_url(url: str) -> str:
    """Return the base URL with exactly one trailing slash."""
    return url.rstrip("/") + "/"


@dataclass(frozen=True)
class Alternate:
    """One `<link rel="alternate" hreflang>` entry."""

    hreflang: str
    href: str


@dataclass(frozen=True)
class SwitchTarget:
    """One entry of the language switcher; href is None for the current language."""

    language: Language
    href: str | None


@dataclass(frozen=True)
class Links:
    """Computes URLs from the base URL, the language prefixes, page keys and fingerprinted assets."""

    base_url: str
    languages: tuple[Language, ...]
    default_language: str
    assets: tuple[tuple[str, str], ...]

    @cached_property
    def base_path(self) -> str:
        """Return the path part of the base URL, like / or /jbcc/."""
        return urlsplit(self.base_url).path or "/"

    @cached_property
    def _prefixes(self) -> dict[str, str]:
        """Return each language's URL prefix by code."""
        return {lang.code: lang.prefix for lang in self.languages}

    @cached_property
    def _hreflang(self) -> dict[str, str]:
        """Return each language's hreflang by code."""
        return {lang.code: lang.hreflang for lang in self.languages}

    @cached_property
    def _published(self) -> dict[str, str]:
        """Return the published path of each static file."""
        return dict(self.assets)

    def path(self, key: str, lang: str) -> str:
        """Return the site-relative path of a page in a language, like en/areas/x/."""
        return f"{self._prefixes[lang]}/{key}"

    def url(self, key: str, lang: str) -> str:
        """Return the root-relative URL of a page, base path included."""
        return self.base_path + self.path(key, lang)

    def absolute(self, key: str, lang: str) -> str:
        """Return the full URL of a page."""
        return self.base_url + self.path(key, lang)

    def root(self, absolute: bool = False) -> str:
        """Return the URL of the language chooser at the site root."""
        return self.base_url if absolute else self.base_path

    def asset(self, rel: str) -> str:
        """Return the URL of a file under static/ by its fingerprinted name."""
        if rel not in self._published:
            raise LookupError(f"there is no file static/{rel}")
        return self.base_path + self._published[rel]

    def asset_absolute(self, rel: str) -> str:
        """Return the full URL of a file under static/."""
        return self.base_url + self.asset(rel)[len(self.base_path):]

    def languages_of(self, page: Page) -> tuple[str, ...]:
        """Return the languages a page really exists in: written, or converted from one written."""
        return tuple(lang.code for lang in self.languages
                     if lang.code in page.languages or page.body(lang.code) is not None
                     or (lang.convert_from in page.languages))

    def alternates(self, page: Page, lang: str) -> tuple[Alternate, ...]:
        """Return hreflang alternates for a page: each language it exists in, then x-default."""
        return self.page_alternates(page.key, page.kind, self.languages_of(page), lang)

    def page_alternates(self, key: str, kind: str, langs: tuple[str, ...], lang: str) -> tuple[Alternate, ...]:
        """Return the alternates of the page at key, which exists in langs, as listed on its page in lang."""
        hreflang = self._hreflang
        if lang not in langs:  # a notice standing in for a missing text
            return (Alternate(hreflang[lang], self.absolute(key, lang)), Alternate("x-default", self.absolute(key, lang)))
        found = tuple(Alternate(hreflang[code], self.absolute(key, code)) for code in langs)
        if kind == "home":
            default = self.root(absolute=True)
        else:
            default = self.absolute(key, self.default_language if self.default_language in langs else langs[0])
        return found + (Alternate("x-default", default),)

    def root_alternates(self) -> tuple[Alternate, ...]:
        """Return the alternates of the language chooser: every home page and itself."""
        homes = tuple(Alternate(lang.hreflang, self.absolute("", lang.code)) for lang in self.languages)
        return homes + (Alternate("x-default", self.root(absolute=True)),)

    def switcher(self, key: str, lang: str) -> tuple[SwitchTarget, ...]:
        """Return the language switcher entries for the page at key."""
        return tuple(SwitchTarget(other, None if other.code == lang else self.url(key, other.code))
                     for other in self.languages)
