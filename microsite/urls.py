"""Where every page lives: URLs, output paths, alternates and the language switcher."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .model import Language, Page, Site


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


class Links:
    """Computes URLs from the base URL, language prefixes and page keys."""

    def __init__(self, site: Site, base_url: str):
        self.site = site
        self.base_url = base_url
        self.base_path = urlsplit(base_url).path or "/"
        self._assets = dict(site.assets)

    def path(self, key: str, lang: str) -> str:
        """Return the site-relative path of a page in a language, like en/areas/x/."""
        return f"{self.site.language(lang).prefix}/{key}"

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
        if rel not in self._assets:
            raise LookupError(f"there is no file static/{rel}")
        return self.base_path + self._assets[rel]

    def output_path(self, key: str, lang: str) -> str:
        """Return the file a page is written to under _site/."""
        return f"{self.path(key, lang)}index.html"

    def languages_of(self, page: Page) -> tuple[str, ...]:
        """Return the languages a page really exists in (the annex: Chinese only)."""
        if page.kind != "annex":
            return tuple(lang.code for lang in self.site.languages)
        return tuple(lang.code for lang in self.site.languages
                     if page.body(lang.code) or (lang.convert_from and page.body(lang.convert_from)))

    def alternates(self, page: Page, lang: str) -> tuple[Alternate, ...]:
        """Return hreflang alternates for a page: each language it exists in, then x-default."""
        langs = self.languages_of(page)
        if lang not in langs:  # a notice standing in for a missing translation
            return (Alternate(self.site.language(lang).hreflang, self.absolute(page.key, lang)),
                    Alternate("x-default", self.absolute(page.key, lang)))
        found = tuple(Alternate(self.site.language(code).hreflang, self.absolute(page.key, code)) for code in langs)
        if page.kind == "home":
            default = self.root(absolute=True)
        else:
            default_lang = self.site.default_language if self.site.default_language in langs else langs[0]
            default = self.absolute(page.key, default_lang)
        return found + (Alternate("x-default", default),)

    def root_alternates(self) -> tuple[Alternate, ...]:
        """Return the alternates of the language chooser: every home page and itself."""
        homes = tuple(Alternate(lang.hreflang, self.absolute("", lang.code)) for lang in self.site.languages)
        return homes + (Alternate("x-default", self.root(absolute=True)),)

    def switcher(self, key: str, lang: str) -> tuple[SwitchTarget, ...]:
        """Return the language switcher entries for the page at key."""
        return tuple(SwitchTarget(other, None if other.code == lang else self.url(key, other.code))
                     for other in self.site.languages)
