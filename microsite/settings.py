"""Reads content/site.yaml: the base URL, the languages, the event, the areas' order and the list length."""

from __future__ import annotations

import re
from datetime import date

from .documents import decode, parse_yaml
from .errors import ErrorList, guarded
from .model import Event, Language, Release, Settings
from .schema import Fields, describe
from .urls import base_url_problem, normalise_base_url

SITE_YAML = "content/site.yaml"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_SLUG = 80
LANG_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,3}\Z")
CODE_PATTERN = r"[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,2}"  # a language's code, like en or zh-hant
CODE = re.compile(CODE_PATTERN + r"\Z")
LANGUAGE_KEYS = ("code", "prefix", "html_lang", "hreflang", "og_locale", "label")
DEFAULT_LIST_LIMIT = 60
RESERVED_PREFIXES = {"static"}  # folders of the published site that are not languages


def is_slug(text) -> bool:
    """Say whether text can name an area: lower-case words joined by hyphens, at most MAX_SLUG characters."""
    return isinstance(text, str) and bool(SLUG.match(text)) and len(text) <= MAX_SLUG


@guarded
def read_settings(data) -> tuple[Settings | None, tuple]:
    """Read content/site.yaml: base URL, languages, event facts, area order, list length."""
    errors = ErrorList()
    f = Fields(parse_yaml(SITE_YAML, decode(SITE_YAML, data)), errors)
    required = ("base_url", "languages", "default_language", "event", "areas")
    if not f.mapping((), required, ("list_limit",)):
        return None, tuple(errors.errors)
    base_url = f.typed(("base_url",), str)
    problem = base_url_problem(base_url) if base_url else ""
    if problem:
        f.error(("base_url",), problem)
    limit = f.typed(("list_limit",), int, default=DEFAULT_LIST_LIMIT)
    if limit is not None and not 1 <= limit <= 100_000:
        f.error(("list_limit",), f"list_limit must be a number from 1 to 100000 (got {limit})")
        limit = None
    slugs = _area_slugs(f)
    before = len(errors.errors)
    languages = _languages(f)
    if not languages or len(errors.errors) > before:
        return None, tuple(errors.errors)  # the event, the UI words and every page depend on them: fix them first
    codes = tuple(lang.code for lang in languages)
    written = tuple(lang.code for lang in languages if not lang.convert_from)
    default = f.typed(("default_language",), str)
    if default and default not in codes:
        f.error(("default_language",), f"default_language '{default}' is not one of the languages ({', '.join(codes)})")
    event = _event(f, written, codes)
    address = normalise_base_url(base_url) if base_url and not problem else "https://example.org/"
    settings = Settings(address, languages, default if default in codes else codes[0], event, tuple(slugs),
                        limit or DEFAULT_LIST_LIMIT, tuple(slugs.values()))
    return settings, tuple(errors.errors)


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


def _languages(f: Fields) -> tuple[Language, ...]:
    """Read the languages list, checking codes and prefixes are unique and well formed."""
    found: list[Language] = []
    places: list[int] = []  # each found language's place in the list
    broken: set = set()  # codes of entries with mistakes of their own, reported there
    for i, entry in enumerate(f.typed(("languages",), list) or []):
        at = ("languages", i)
        if isinstance(entry, dict) and isinstance(entry.get("code"), str):
            broken.add(entry["code"])
        if not f.mapping(at, LANGUAGE_KEYS, ("convert_from", "mainland", "keep_terms")):
            continue
        values = {key: f.typed(at + (key,), str) for key in LANGUAGE_KEYS}
        if None in values.values() or not _language_values_ok(f, at, values):
            continue
        twin = next((other for other in found if values["code"] == other.code or values["prefix"] == other.prefix), None)
        if twin is not None:
            f.error(at, f"language '{twin.code}' is listed twice" if twin.code == values["code"] else
                    f"prefix '{twin.prefix}' is already the prefix of language '{twin.code}'", "delete one of the two")
            continue
        convert_from = f.typed(at + ("convert_from",), str)
        mainland = f.typed(at + ("mainland",), bool, default=bool(convert_from) and values["html_lang"].lower() == "zh-cn")
        keep = f.typed(at + ("keep_terms",), list, default=[]) or []
        terms = tuple(term for i, term in enumerate(keep) if f.typed(at + ("keep_terms", i), str))
        found.append(Language(**values, convert_from=convert_from, mainland=bool(mainland), keep_terms=terms))
        places.append(i)
        broken.discard(values["code"])
    written = {lang.code for lang in found if not lang.convert_from}
    for i, lang in zip(places, found, strict=True):
        if lang.convert_from and lang.convert_from not in written and lang.convert_from not in broken:
            f.error(("languages", i, "convert_from"), f"convert_from '{lang.convert_from}' is not a language editors write")
    if not found and not f.errors.errors:
        f.error(("languages",), "at least one language is needed")
    return tuple(found)


def _language_values_ok(f: Fields, at: tuple, values: dict) -> bool:
    """Check the parts of a language that become file names, addresses and markup."""
    ok = True
    if not CODE.match(values["code"]):
        f.error(at + ("code",), f"code '{values['code']}' must be a lower-case language code like en or zh-hant")
        ok = False
    if not SLUG.match(values["prefix"]) or len(values["prefix"]) > 20:
        f.error(at + ("prefix",), "prefix must be lower-case letters, digits or hyphens, like en or tc")
        ok = False
    elif values["prefix"] in RESERVED_PREFIXES:
        f.error(at + ("prefix",), f"prefix '{values['prefix']}' is the name of a folder the site already has",
                "choose another, like en or tc")
        ok = False
    for key in ("html_lang", "hreflang"):
        if not LANG_TAG.match(values[key]):
            f.error(at + (key,), f"{key} '{values[key]}' is not a language tag like en or zh-HK")
            ok = False
    if not re.fullmatch(r"[a-z]{2,3}_[A-Z]{2}", values["og_locale"]):
        f.error(at + ("og_locale",), f"og_locale '{values['og_locale']}' must look like en_GB or zh_HK")
        ok = False
    return ok


def _event(f: Fields, written: tuple[str, ...], codes: tuple[str, ...]) -> Event | None:
    """Read the event facts: date, time of issue, place and co-chairs."""
    if not f.mapping(("event",), ("date", "issued_at", "place", "co_chairs"), ("release",)):
        return None
    when = f.typed(("event", "date"), str)
    try:
        day = date.fromisoformat(when) if when else None
    except ValueError:
        f.error(("event", "date"), f"date '{when}' must be written YYYY-MM-DD, like \"2018-10-24\"")
        day = None
    issued = f.typed(("event", "issued_at"), str)
    if issued and not re.match(r"([01][0-9]|2[0-3]):[0-5][0-9]\Z", issued):
        f.error(("event", "issued_at"), f"issued_at '{issued}' must be a 24-hour time like \"17:08\"")
    place = f.lang_text(("event", "place"), written, codes)
    chairs = tuple(f.lang_text(("event", "co_chairs", i), written, codes)
                   for i, _ in enumerate(f.typed(("event", "co_chairs"), list) or []))
    return Event(day, issued, place, chairs, _release(f, written))


def _release(f: Fields, written: tuple[str, ...]) -> Release | None:
    """Read the press release the site is based on: its address, language and title."""
    at = ("event", "release")
    if f.value(at) is None or not f.mapping(at, ("url", "language", "title")):
        return None
    url, language, title = (f.typed(at + (key,), str) for key in ("url", "language", "title"))
    if url and not re.fullmatch(r"https://[^\s\"<>\\]+", url):
        f.error(at + ("url",), "the release's url must be an https:// address")
    if language and language not in written:
        f.error(at + ("language",), f"language '{language}' is not one of the languages editors write")
    return Release(url, language, title) if url and language and title else None
