"""The site model: frozen values that remember the file and line they came from."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Language:
    """One language of the site and how it appears in URLs and markup."""

    code: str
    prefix: str
    html_lang: str
    hreflang: str
    og_locale: str
    label: str
    convert_from: str | None = None
    mainland: bool = False  # converted text follows mainland conventions: punctuation, vocabulary audit
    keep_terms: tuple[str, ...] = ()  # Hong Kong terms the vocabulary audit leaves alone


@dataclass(frozen=True)
class LangText:
    """A short text (a title, a label) in several languages."""

    values: tuple[tuple[str, str], ...]
    path: str  # the content file it was read from
    line: int

    @cached_property
    def _by_code(self) -> dict[str, str]:
        """Return the texts by language."""
        return dict(self.values)

    def get(self, code: str) -> str:
        """Return the text in a language; the model guarantees it is there after conversion."""
        return self._by_code[code]

    def has(self, code: str) -> bool:
        """Say whether the text exists in a language."""
        return code in self._by_code

    def with_value(self, code: str, text: str) -> LangText:
        """Return a copy with the text in a language set."""
        rest = tuple((other, value) for other, value in self.values if other != code)
        return LangText(rest + ((code, text),), self.path, self.line)


OFFICIAL = "official"  # a text as the Government published it
TRANSLATION = "translation"  # a text this site translated from another language
RECORD_SUFFIX = ".translated-from.md"  # a translation's record: zh-hant.md has zh-hant.translated-from.md


@dataclass(frozen=True)
class Record:
    """The source text a translation was last marked against, from its sidecar file."""

    path: str  # the content file it was read from
    code: str  # the language of the text it records
    marked: str
    title: str
    summary: str
    text: str
    first_line: int


@dataclass(frozen=True)
class Body:
    """A Markdown text in one language, as its file holds it, and where the text comes from."""

    code: str  # its language's code
    path: str  # the content file it was read from
    text: str
    first_line: int = 1
    provenance: str = OFFICIAL  # or TRANSLATION
    translated_from: str | None = None  # the language a translation was made from
    record: Record | None = None


@dataclass(frozen=True)
class Photo:
    """An image with alt text and caption per language."""

    file: str
    width: int
    height: int
    alt: LangText
    caption: LangText | None
    path: str  # the content file it was read from
    line: int


@dataclass(frozen=True)
class Attachment:
    """A downloadable file under static/, linked with its size."""

    file: str
    size: int
    path: str  # the content file it was read from
    line: int


@dataclass(frozen=True)
class Page:
    """A page of the site: the home page, an area or the annex."""

    kind: str
    key: str
    title: LangText
    description: LangText
    bodies: tuple[Body, ...]
    written_in: tuple[str, ...]  # the codes of the written languages it has a text in (its 'languages')
    photos: tuple[Photo, ...] = ()
    order: int = 0
    slug: str = ""
    attachment: Attachment | None = None
    holds: str = ""  # the annex: "summary" or "full text" of the memorandum
    path: str = ""  # the content file it was read from
    line: int = 1
    order_line: int = 1

    @cached_property
    def _bodies(self) -> dict[str, Body]:
        """Return the bodies by language."""
        return {body.code: body for body in self.bodies}

    def body(self, code: str) -> Body | None:
        """Return the body in a language, if the page has one."""
        return self._bodies.get(code)


@dataclass(frozen=True)
class Release:
    """The Government's press release the site is based on."""

    url: str
    language: str
    title: str


@dataclass(frozen=True)
class Event:
    """Facts about the meeting that templates show."""

    date: datetime.date
    issued_at: str
    place: LangText
    co_chairs: tuple[LangText, ...]
    release: Release | None = None


@dataclass(frozen=True)
class Settings:
    """content/site.yaml: languages, address, event facts, the areas and how lists are shown."""

    base_url: str
    languages: tuple[Language, ...]
    default_language: str
    event: Event | None
    areas: tuple[str, ...]
    list_limit: int
    area_lines: tuple[int, ...]  # the line of each area's slug in site.yaml

    @cached_property
    def written(self) -> tuple[str, ...]:
        """Return the codes of the languages editors write."""
        return tuple(lang.code for lang in self.languages if not lang.convert_from)

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """Return the code of every language."""
        return tuple(lang.code for lang in self.languages)


@dataclass(frozen=True)
class Site:
    """Everything the build needs, validated, before anything is written."""

    settings: Settings
    words: dict = field(compare=False)  # each language's UI words, {code: {key: text}}; converted ones after conversion
    word_files: dict = field(compare=False)  # each written language's content/ui file, with its lines, for messages
    phrases: tuple[tuple[str, str], ...] = ()
    home: Page | None = None
    areas: tuple[Page, ...] = ()
    annex: Page | None = None
    assets: tuple[tuple[str, str], ...] = ()
    page_keys: tuple[str, ...] = ()

    @property
    def languages(self) -> tuple[Language, ...]:
        """Return the site's languages in the switcher's order."""
        return self.settings.languages

    @property
    def base_url(self) -> str:
        """Return the address the settings publish the site at."""
        return self.settings.base_url

    @property
    def default_language(self) -> str:
        """Return the language x-default and the root 404 page point to."""
        return self.settings.default_language

    @property
    def event(self) -> Event | None:
        """Return the facts about the meeting."""
        return self.settings.event

    @cached_property
    def pages(self) -> tuple[Page, ...]:
        """Return every content page that loaded: home, the areas in order, the annex."""
        return tuple(page for page in (self.home, *self.areas, self.annex) if page is not None)

    @cached_property
    def has_photos(self) -> bool:
        """Say whether any page has photos (the headline then says so)."""
        return any(page.photos for page in self.pages)

    @cached_property
    def _languages(self) -> dict[str, Language]:
        """Return the languages by code."""
        return {lang.code: lang for lang in self.languages}

    def language(self, code: str) -> Language:
        """Return the language with this code."""
        return self._languages[code]
