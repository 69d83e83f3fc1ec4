"""Reads content/site.yaml: the base URL, the languages, the event, the areas' order and the list length."""

from __future__ import annotations

import re
from datetime import date

from .documents import decode, parse_yaml
from .errors import ContentError
from .model import Event, Language, Release, Settings
from .routes import LIVERELOAD, STATIC_FOLDER
from .schema import TEXTS, Field, Fields, describe
from .urls import base_url_problem, normalise_base_url

SITE_YAML = "content/site.yaml"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_SLUG = 80
LANG_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,3}\Z")
CODE_PATTERN = r"[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,2}"  # a language's code, like en or zh-hant
LANGUAGE_KEYS = ("code", "prefix", "html_lang", "hreflang", "og_locale", "label")
DEFAULT_LIST_LIMIT = 60
RESERVED_PREFIXES = {STATIC_FOLDER, LIVERELOAD}  # addresses the site or its preview already uses


def is_slug(text) -> bool:
    """Say whether text can name an area: lower-case words joined by hyphens, at most MAX_SLUG characters."""
    return isinstance(text, str) and bool(SLUG.match(text)) and len(text) <= MAX_SLUG


def _list_limit_rule(limit: int) -> str:
    """Say why a list length cannot be used, or return ''."""
    return "" if 1 <= limit <= 100_000 else f"list_limit must be a number from 1 to 100000 (got {limit})"


SITE_FIELDS = (
    Field("base_url", str, rule=base_url_problem),
    Field("languages", None),  # each entry: LANGUAGE_FIELDS
    Field("default_language", str),
    Field("event", None),  # EVENT_FIELDS
    Field("areas", None),  # slugs, read by _area_slugs
    Field("list_limit", int, required=False, default=DEFAULT_LIST_LIMIT, rule=_list_limit_rule),
)


def read_settings(errors: list[ContentError], data) -> Settings | None:
    """Read content/site.yaml: base URL, languages, event facts, area order, list length."""
    f = Fields(parse_yaml(SITE_YAML, decode(SITE_YAML, data)), errors)
    values = f.read((), SITE_FIELDS, whole=True)
    if values is None:
        return None
    slugs = _area_slugs(f)
    before = len(errors)
    languages = _languages(f)
    if not languages or len(errors) > before:
        return None  # the event, the UI words and every page depend on them: fix them first
    codes = tuple(lang.code for lang in languages)
    written = tuple(lang.code for lang in languages if not lang.convert_from)
    default = values["default_language"]
    if default and default not in codes:
        f.error(("default_language",), f"default_language '{default}' is not one of the languages ({', '.join(codes)})")
    address = normalise_base_url(values["base_url"]) if values["base_url"] else "https://example.org/"
    return Settings(address, languages, default if default in codes else codes[0], _event(f, written, codes),
                    tuple(slugs), values["list_limit"] or DEFAULT_LIST_LIMIT, tuple(slugs.values()))


def _area_slugs(f: Fields) -> dict[str, int]:
    """Read the list of area slugs, reporting bad and repeated ones; return each good one with its line."""
    seen: dict[str, int] = {}
    for i, slug in enumerate(f.typed(("areas",), list) or []):
        if not isinstance(slug, str):
            f.error(("areas", i), f"'areas' item {i + 1} must be a slug like youth-development (got {describe(slug)})")
        elif not is_slug(slug):
            f.error(("areas", i), f"area slug {slug!r} must be lower-case words joined by hyphens, "
                    f"at most {MAX_SLUG} characters")
        elif slug in seen:
            f.error(("areas", i), f"'{slug}' is listed twice", "delete one of the two lines")
        else:
            seen[slug] = f.doc.line("areas", i)
    return seen


def _matches(pattern, message: str):
    """Return the rule of a text that must match a pattern: message, with the value in place of {}, or ''."""
    return lambda text: "" if re.fullmatch(pattern, text) else message.format(text)


def _prefix_rule(prefix: str) -> tuple[str, str] | str:
    """Say why a language's folder name cannot be used, or return ''."""
    if not SLUG.match(prefix) or len(prefix) > 20:
        return "prefix must be lower-case letters, digits or hyphens, like en or tc"
    if prefix in RESERVED_PREFIXES:
        return f"prefix '{prefix}' is the name of a folder the site already has", "choose another, like en or tc"
    return ""


LANGUAGE_FIELDS = (
    Field("code", str, rule=_matches(CODE_PATTERN, "code '{}' must be a lower-case language code like en or zh-hant")),
    Field("prefix", str, rule=_prefix_rule),
    Field("html_lang", str, rule=_matches(LANG_TAG, "html_lang '{}' is not a language tag like en or zh-HK")),
    Field("hreflang", str, rule=_matches(LANG_TAG, "hreflang '{}' is not a language tag like en or zh-HK")),
    Field("og_locale", str, rule=_matches(r"[a-z]{2,3}_[A-Z]{2}", "og_locale '{}' must look like en_GB or zh_HK")),
    Field("label", str),
    Field("convert_from", str, required=False),
    Field("mainland", bool, required=False),  # default: on for a converted zh-CN
    Field("keep_terms", list, required=False, default=[]),
)


def _languages(f: Fields) -> tuple[Language, ...]:
    """Read the languages list, checking codes and prefixes are unique and well formed."""
    found: dict[int, Language] = {}  # each good language by its place in the list
    broken: set = set()  # codes of entries with mistakes of their own, reported there
    for i, entry in enumerate(f.typed(("languages",), list) or []):
        at = ("languages", i)
        if isinstance(entry, dict) and isinstance(entry.get("code"), str):
            broken.add(entry["code"])
        values = f.read(at, LANGUAGE_FIELDS, whole=True)
        if values is None or any(values[key] is None for key in LANGUAGE_KEYS):
            continue
        twin = next((other for other in found.values()
                     if values["code"] == other.code or values["prefix"] == other.prefix), None)
        if twin is not None:
            f.error(at, f"language '{twin.code}' is listed twice" if twin.code == values["code"] else
                    f"prefix '{twin.prefix}' is already the prefix of language '{twin.code}'", "delete one of the two")
            continue
        mainland = values["mainland"]
        if mainland is None:
            mainland = bool(values["convert_from"]) and values["html_lang"].lower() == "zh-cn"
        terms = tuple(term for k, term in enumerate(values["keep_terms"] or []) if f.typed(at + ("keep_terms", k), str))
        found[i] = Language(**{key: values[key] for key in LANGUAGE_KEYS}, convert_from=values["convert_from"],
                            mainland=mainland, keep_terms=terms)
        broken.discard(values["code"])
    written = {lang.code for lang in found.values() if not lang.convert_from}
    for i, lang in found.items():
        if lang.convert_from and lang.convert_from not in written and lang.convert_from not in broken:
            f.error(("languages", i, "convert_from"), f"convert_from '{lang.convert_from}' is not a language editors write")
    if not found and not f.errors:
        f.error(("languages",), "at least one language is needed")
    return tuple(found.values())


def _date_rule(when: str) -> str:
    """Say why a date cannot be read, or return ''."""
    try:
        date.fromisoformat(when)
        return ""
    except ValueError:
        return f"date '{when}' must be written YYYY-MM-DD, like \"2018-10-24\""


EVENT_FIELDS = (
    Field("date", str, rule=_date_rule),
    Field("issued_at", str, rule=_matches(r"([01][0-9]|2[0-3]):[0-5][0-9]",
                                          "issued_at '{}' must be a 24-hour time like \"17:08\"")),
    Field("place", TEXTS),
    Field("co_chairs", list, rule=lambda chairs: "" if chairs else "'co_chairs' must name at least one co-chair"),
    # each co-chair is a text per language
    Field("release", None, required=False),  # RELEASE_FIELDS
)
RELEASE_FIELDS = (
    Field("url", str, rule=_matches(r"https://[^\s\"<>\\]+", "the release's url must be an https:// address")),
    Field("language", str),
    Field("title", str),
)


def _event(f: Fields, written: tuple[str, ...], codes: tuple[str, ...]) -> Event | None:
    """Read the event facts: date, time of issue, place and co-chairs."""
    values = f.read(("event",), EVENT_FIELDS, (written, codes), whole=True)
    if values is None:
        return None
    day = date.fromisoformat(values["date"]) if values["date"] else None
    chairs = tuple(f.lang_text(("event", "co_chairs", i), written, codes) for i, _ in enumerate(values["co_chairs"] or []))
    return Event(day, values["issued_at"], values["place"], chairs, _release(f, written))


def _release(f: Fields, written: tuple[str, ...]) -> Release | None:
    """Read the press release the site is based on: its address, language and title."""
    at = ("event", "release")
    values = f.read(at, RELEASE_FIELDS, whole=True) if f.value(at) is not None else None
    if values is None:
        return None
    if values["language"] and values["language"] not in written:
        f.error(at + ("language",), f"language '{values['language']}' is not one of the languages editors write")
    return Release(values["url"], values["language"], values["title"]) if all(values.values()) else None
