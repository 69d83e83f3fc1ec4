"""Reads content/ from the snapshot into the site model, validating every value.

Each reader is a pure step over file bytes, memoized by the cache it is given;
each returns what loaded and the errors it found, so one bad file never hides
the next.
"""

from __future__ import annotations

import re
from datetime import date

from .assets import find_assets, static_file
from .cache import NO_CACHE
from .documents import decode, parse_yaml, split_front_matter
from .errors import ContentError, ErrorList
from .model import (
    Attachment,
    Body,
    Event,
    Language,
    Page,
    Photo,
    Record,
    Release,
    Settings,
    Site,
)
from .schema import Fields
from .sources import Tree
from .urls import base_url_problem, normalise_base_url

SITE_YAML = "content/site.yaml"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_SLUG = 80
LANG_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,3}\Z")
CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,2}\Z")
LANGUAGE_KEYS = ("code", "prefix", "html_lang", "hreflang", "og_locale", "label")
DEFAULT_LIST_LIMIT = 60
RESERVED_PREFIXES = {"static"}  # folders of the published site that are not languages
PAGE_KINDS = {"home": ("home", ""), "annex": ("annex", "annex/")}


def load_site(tree: Tree, cache=NO_CACHE) -> tuple[Site | None, list[ContentError]]:
    """Read and validate all content; return the site (None if the settings are unusable) and every error."""
    errors = ErrorList()
    settings = _collect(errors, cache.get("settings", read_settings, tree.get(SITE_YAML)))
    if settings is None:
        return None, errors.errors
    words = _collect(errors, cache.get("ui", read_ui, settings.languages, _files(tree, "content/ui")))
    phrases = _collect(errors, cache.get("phrases", read_phrases, tree.get("content/phrases.yaml")))
    static = {rel[len("static/"):]: tree.get(rel) for rel in tree.under("static")}
    langs = (settings.written, settings.codes)
    home = _page(tree, cache, errors, "home", "home", langs, static)
    annex = _page(tree, cache, errors, "annex", "annex", langs, static)
    areas = _areas(tree, cache, errors, settings, static)
    assets = _collect(errors, cache.get("assets", find_assets, static))
    keys = tuple(key for kind, (folder, key) in PAGE_KINDS.items() if tree.is_folder(f"content/{folder}"))
    keys += tuple(f"areas/{slug}/" for slug in settings.areas)
    return Site(settings, words, phrases or (), home, areas, annex, assets or (), keys), errors.errors


def _collect(errors: ErrorList, result: tuple):
    """Record the errors of a step's (value, errors) result and return the value."""
    value, found = result
    errors.extend(list(found))
    return value


def _files(tree: Tree, folder: str) -> tuple[tuple[str, object], ...]:
    """Return (name, bytes) for each file directly inside a folder of the snapshot."""
    return tuple((name, tree.get(f"{folder}/{name}")) for name in tree.listing(folder))


def _guarded(step):
    """Turn a step that raises ContentError into one that returns (None, (error,))."""
    def run(*args):
        try:
            return step(*args)
        except ContentError as err:
            return None, (err,)
    run.__name__ = step.__name__
    run.__doc__ = step.__doc__
    return run


@_guarded
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
    languages = _languages(f)
    codes = tuple(lang.code for lang in languages)
    written = tuple(lang.code for lang in languages if not lang.convert_from)
    default = f.typed(("default_language",), str)
    if default and codes and default not in codes:
        f.error(("default_language",), f"default_language '{default}' is not one of the languages ({', '.join(codes)})")
    event = _event(f, written, codes)
    limit = f.typed(("list_limit",), int, default=DEFAULT_LIST_LIMIT)
    if limit is not None and not 1 <= limit <= 100_000:
        f.error(("list_limit",), f"list_limit must be a number from 1 to 100000 (got {limit})")
        limit = None
    if not languages:
        return None, tuple(errors.errors)
    address = normalise_base_url(base_url) if base_url and not problem else "https://example.org/"
    slugs = _area_slugs(f)
    lines = tuple(f.doc.line("areas", i) for i, _ in enumerate(f.value(("areas",)) or []))
    positions = {slug: line for slug, line in zip(f.value(("areas",)) or [], lines) if isinstance(slug, str)}
    settings = Settings(address, languages, default if default in codes else codes[0], event, slugs,
                        limit or DEFAULT_LIST_LIMIT, tuple(positions.get(slug, 1) for slug in slugs))
    return settings, tuple(errors.errors)


def _area_slugs(f: Fields) -> tuple[str, ...]:
    """Read the list of area slugs, reporting bad and repeated ones."""
    seen: dict[str, int] = {}
    for i, slug in enumerate(f.typed(("areas",), list) or []):
        if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > MAX_SLUG:
            f.error(("areas", i), f"area slug {slug!r} must be lower-case words joined by hyphens, "
                    f"at most {MAX_SLUG} characters")
        elif slug in seen:
            f.error(("areas", i), f"'{slug}' is listed twice", "delete one of the two lines")
        else:
            seen[slug] = i
    return tuple(seen)


def _languages(f: Fields) -> tuple[Language, ...]:
    """Read the languages list, checking codes and prefixes are unique and well formed."""
    found: list[Language] = []
    for i, _ in enumerate(f.typed(("languages",), list) or []):
        at = ("languages", i)
        if not f.mapping(at, LANGUAGE_KEYS, ("convert_from", "mainland", "keep_terms")):
            continue
        values = {key: f.typed(at + (key,), str) for key in LANGUAGE_KEYS}
        if None in values.values() or not _language_values_ok(f, at, values):
            continue
        if any(values["code"] == other.code or values["prefix"] == other.prefix for other in found):
            f.error(at, f"language '{values['code']}' or its prefix '{values['prefix']}' is listed twice")
            continue
        convert_from = f.typed(at + ("convert_from",), str)
        mainland = f.typed(at + ("mainland",), bool, default=bool(convert_from) and values["html_lang"].lower() == "zh-cn")
        keep = f.typed(at + ("keep_terms",), list, default=[]) or []
        terms = tuple(term for i, term in enumerate(keep) if f.typed(at + ("keep_terms", i), str))
        found.append(Language(**values, convert_from=convert_from, mainland=bool(mainland), keep_terms=terms))
    written = {lang.code for lang in found if not lang.convert_from}
    for i, lang in enumerate(found):
        if lang.convert_from and lang.convert_from not in written:
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


def read_ui(languages: tuple[Language, ...], files: tuple) -> tuple[dict, tuple]:
    """Read content/ui/<code>.yaml: the words around the content, {code: YamlDoc}."""
    errors = ErrorList()
    available = dict(files)
    docs = {}
    for lang in languages:
        rel = f"content/ui/{lang.code}.yaml"
        if f"{lang.code}.yaml" not in available:
            if not lang.convert_from:
                errors.add(rel, None, f"the words for '{lang.code}' are missing",
                           f"copy content/ui/{languages[0].code}.yaml and translate it")
            continue
        try:
            f = Fields(parse_yaml(rel, decode(rel, available[f"{lang.code}.yaml"])), errors)
        except ContentError as err:
            errors.extend([err])
            continue
        if _words_ok(f):
            docs[lang.code] = f.doc
    return docs, tuple(errors.errors)


def _words_ok(f: Fields) -> bool:
    """Check a UI file is 'key: text' lines, each text with well-formed {placeholders}."""
    if not isinstance(f.doc.data, dict):
        f.error((), "this file must be a set of 'key: value' lines")
        return False
    before = len(f.errors.errors)
    for key, value in f.doc.data.items():
        if not isinstance(value, (str, list)) or (isinstance(value, list) and not all(isinstance(v, str) for v in value)):
            f.error((key,), f"'{key}' must be text or a list of texts")
        elif _placeholder_problem(value):
            f.error((key,), f"'{key}' has a brace that is not part of a {{placeholder}}: "
                    f"'{_placeholder_problem(value)}'",
                    "write placeholders as {name}, exactly as in the other languages' files")
    return len(f.errors.errors) == before


# Words only the languages that others are converted from need: the converted pages' notice.
SOURCE_ONLY_WORDS = frozenset({"converted_notice", "converted_link"})


LIST_WORDS = {"months": 12, "weekdays": 7}  # words that are lists, and how long each must be


def check_words(docs: dict, languages: tuple[Language, ...], vocabulary: dict) -> list[ContentError]:
    """Check every UI file has the words the templates use, no others, and in each exactly the {placeholders}
    the templates fill in. vocabulary maps each word to its placeholders."""
    errors = ErrorList()
    sources = {lang.convert_from for lang in languages}
    words = frozenset(vocabulary)
    for lang in languages:
        doc = docs.get(lang.code)
        if doc is None:
            continue
        f = Fields(doc, errors)
        needed = words if lang.code in sources else words - SOURCE_ONLY_WORDS
        f.mapping((), () if lang.convert_from else tuple(sorted(needed)), tuple(sorted(words - needed)))
        for key, value in doc.data.items():
            if key in vocabulary:
                _check_word(f, key, value, vocabulary[key])
    return errors.errors


def _check_word(f: Fields, key: str, value, filled: frozenset[str]) -> None:
    """Check one word's shape (text, or a list of the right length) and its {placeholders}."""
    length = LIST_WORDS.get(key)
    if length is not None and not (isinstance(value, list) and len(value) == length):
        f.error((key,), f"'{key}' must be a list of {length} texts, like [a, b, ...]")
        return
    if length is None and not isinstance(value, str):
        f.error((key,), f"'{key}' must be one text, not a list")
        return
    found = _placeholders(value)
    if found != filled:
        want = ", ".join("{%s}" % p for p in sorted(filled)) or "no {placeholders}"
        stray = ", ".join("{%s}" % p for p in sorted(found - filled))
        f.error((key,), f"'{key}' must contain {want}" + (f", not {stray}" if stray else "") + " (what the templates fill in)",
                "write placeholders exactly as in the other languages' files")


def _placeholders(value) -> set[str]:
    """Return the {names} used in a UI string."""
    text = " ".join(value) if isinstance(value, list) else str(value)
    return set(re.findall(r"\{([a-z_]+)\}", text))


def _placeholder_problem(value) -> str:
    """Return the first stray brace of a UI string, or ''."""
    text = " ".join(value) if isinstance(value, list) else str(value)
    rest = re.sub(r"\{[a-z_]+\}", "", text)
    return next((c for c in rest if c in "{}"), "")


@_guarded
def read_phrases(data) -> tuple[tuple, tuple]:
    """Read content/phrases.yaml: Traditional phrases and the Simplified they must become."""
    rel = "content/phrases.yaml"
    if data is None:
        return (), ()
    errors = ErrorList()
    f = Fields(parse_yaml(rel, decode(rel, data)), errors)
    if not f.mapping((), ("phrases",)):
        return (), tuple(errors.errors)
    table = f.value(("phrases",))
    if not isinstance(table, dict):
        f.error(("phrases",), "'phrases' must be lines of 'Traditional: Simplified'")
        return (), tuple(errors.errors)
    for key in table:
        if not key.strip():
            f.error(("phrases", key), "a phrase cannot be empty or only spaces", "delete the line")
    pairs = tuple((key, f.typed(("phrases", key), str)) for key in table if key.strip())
    return tuple(pair for pair in pairs if pair[1]), tuple(errors.errors)


def _areas(tree: Tree, cache, errors: ErrorList, settings: Settings, static: dict) -> tuple[Page, ...]:
    """Read every folder under content/areas/ and put them in site.yaml's order."""
    folder = "content/areas"
    pages, failed = [], set()
    for name in tree.listing(folder):
        if not tree.is_folder(f"{folder}/{name}"):
            continue  # a file among the area folders (a note, a README) is not an area; unreadable folders are named
        before = len(errors.errors)
        page = _page(tree, cache, errors, "area", f"areas/{name}", (settings.written, settings.codes), static)
        if page is not None:
            pages.append(page)
        if len(errors.errors) > before:
            failed.add(name)
    return order_areas(pages, settings, failed, errors)


def _page(tree: Tree, cache, errors: ErrorList, kind: str, folder: str, langs: tuple, static: dict) -> Page | None:
    """Read one page folder through the cache."""
    files = _files(tree, f"content/{folder}")
    return _collect(errors, cache.get(("page", folder), read_page, kind, folder, files, langs, static))


def order_areas(pages: list[Page], settings: Settings, failed: set[str], errors: ErrorList) -> tuple[Page, ...]:
    """Put areas in site.yaml's order; report duplicates, strays and mismatched order numbers."""
    listed = settings.areas
    published = set(listed)
    by_slug: dict[str, Page] = {}
    for page in pages:
        if page.slug in by_slug:
            other = by_slug[page.slug]
            errors.add(page.source, page.line, f"slug '{page.slug}' is already used by {other.source}:{other.line}",
                       "every area needs its own slug")
            continue
        by_slug[page.slug] = page
        if page.slug not in published:
            errors.add(page.source, page.line, f"area '{page.slug}' is not listed under 'areas' in {SITE_YAML}",
                       "add its slug there to publish it")
    ordered = []
    for i, slug in enumerate(listed):
        page = by_slug.get(slug)
        if page is None and slug in failed:
            continue  # its folder has errors of its own; do not add a second, confusing one
        if page is None:
            errors.add(SITE_YAML, settings.area_lines[i] if i < len(settings.area_lines) else None,
                       f"no area has the slug '{slug}'",
                       "check the spelling, or the 'slug' in the area's area.yaml")
        elif page.order != i + 1:
            errors.add(page.source, page.order_line, f"order is {page.order}, but {SITE_YAML} lists '{slug}' as number {i + 1}",
                       "make the two agree")
        else:
            ordered.append(page)
    return tuple(ordered)


@_guarded
def read_page(kind: str, folder: str, files: tuple, langs: tuple, static: dict) -> tuple[Page | None, tuple]:
    """Read one page folder: its YAML file and a Markdown text per language."""
    written, codes = langs
    errors = ErrorList()
    available = dict(files)
    name = f"{kind}.yaml"
    rel = f"content/{folder}/{name}"
    if name not in available:
        hint = "run: python build.py new area <slug>, or delete the folder" if kind == "area" else "restore the file"
        errors.add(f"content/{folder}/", None, f"this folder has no {name}", hint)
        return None, tuple(errors.errors)
    f = Fields(parse_yaml(rel, decode(rel, available[name])), errors)
    keys = ("slug", "order", "title", "summary") if kind == "area" else ("title", "description")
    f.mapping((), keys, ("photos", "languages") + (("attachment", "holds") if kind == "annex" else ()))
    if not isinstance(f.doc.data, dict):
        return None, tuple(errors.errors)
    page_langs = _page_languages(f, written)
    title = f.lang_text(("title",), page_langs, codes)
    description = f.lang_text((keys[-1],), page_langs, codes)
    slug, order = _slug_and_order(f) if kind == "area" else ("", 0)
    photos = _photos(f, page_langs, codes, static)
    attachment = _attachment(f, static) if kind == "annex" else None
    holds = _holds(f) if kind == "annex" else ""
    bodies = _bodies(f"content/{folder}", available, page_langs, codes, written, errors)
    if errors.errors:
        return None, tuple(errors.errors)
    key = f"areas/{slug}/" if kind == "area" else PAGE_KINDS[kind][1]
    return Page(kind, key, title, description, bodies, page_langs, photos, order, slug, attachment, holds, rel, 1,
                f.doc.line("order") if kind == "area" else 1), ()


def _holds(f: Fields) -> str:
    """Read what the annex's text is: this site's summary of the memorandum, or its full text."""
    holds = f.typed(("holds",), str, default="summary")
    if holds not in ("summary", "full text"):
        f.error(("holds",), f"'holds' must be 'summary' or 'full text' (got {holds!r})",
                "say 'full text' only when the page holds the memorandum itself")
    return holds


def _page_languages(f: Fields, written: tuple[str, ...]) -> tuple[str, ...]:
    """Return the written languages a page exists in: all of them, or those its 'languages' lists."""
    listed = f.typed(("languages",), list)
    if listed is None:
        return written
    unknown = [code for code in listed if code not in written]
    if unknown or not listed:
        f.error(("languages",), f"'languages' must list some of {', '.join(written)} (the languages editors write)")
        return written
    return tuple(code for code in written if code in listed)


def _slug_and_order(f: Fields) -> tuple[str, int]:
    """Read an area's slug and its place in the list of areas."""
    slug = f.typed(("slug",), str) or ""
    order = f.typed(("order",), int) or 0
    if slug and (not SLUG.match(slug) or len(slug) > MAX_SLUG):
        f.error(("slug",), f"slug '{slug}' must be lower-case letters and digits joined by hyphens, like "
                f"youth-development, at most {MAX_SLUG} characters")
    if f.value(("order",)) is not None and isinstance(f.value(("order",)), int) and order < 1:
        f.error(("order",), f"order must be 1 or more (got {order})", "use the area's number in content/site.yaml")
    return slug, order


RECORD_SUFFIX = ".translated-from.md"


def _bodies(folder: str, available: dict, page_langs: tuple[str, ...], codes: tuple[str, ...],
            written: tuple[str, ...], errors: ErrorList) -> tuple[Body, ...]:
    """Read the Markdown texts of one page folder and their translation records, refusing unknown files."""
    texts = {f"{code}.md": code for code in codes}
    records = {f"{code}{RECORD_SUFFIX}": code for code in page_langs}
    bodies = []
    for name, data in available.items():
        if not name.endswith(".md") or name in records:
            continue
        rel = f"{folder}/{name}"
        if name not in texts:
            errors.add(rel, None, f"unexpected file; a page's texts are named {', '.join(sorted(texts))}", "rename it")
            continue
        try:
            record = _record(f"{folder}/{texts[name]}{RECORD_SUFFIX}", available.get(f"{texts[name]}{RECORD_SUFFIX}"))
            bodies.append(_body(texts[name], rel, decode(rel, data), written, record, errors))
        except ContentError as err:
            errors.extend([err])
    for code in page_langs:
        if f"{code}.md" not in available:
            errors.add(f"{folder}/{code}.md", None, f"the '{code}' text is missing",
                       "every page needs its text in each language editors write")
    return tuple(bodies)


PROVENANCE = re.compile(r"(official|translation from ([a-z]{2,3}(?:-[a-z0-9]{2,8}){0,2}))\Z")


def _body(lang: str, rel: str, text: str, written: tuple[str, ...], record: Record | None,
          errors: ErrorList) -> Body:
    """Read one Markdown text and its front matter: where the text comes from, and its translation record."""
    meta, body, first_line = split_front_matter(rel, text)
    if meta is None:
        errors.add(rel, 1, "say where this text comes from in a front matter block at the top of the file",
                   "start the file with three lines: ---, then 'text: official' (the published text) or "
                   "'text: translation from en', then ---")
        return Body(lang, rel, body, first_line)
    f = Fields(meta, errors)
    f.mapping((), ("text",), ("translated_from",))
    said = f.typed(("text",), str) or ""
    match = PROVENANCE.match(said)
    if said and not match:
        f.error(("text",), f"'text' must be 'official' or 'translation from <language>' (got {said!r})")
    origin = match.group(2) if match else None
    if origin and (origin == lang or origin not in written):
        f.error(("text",), f"a translation must be from another language editors write: "
                f"{', '.join(code for code in written if code != lang) or 'none'}")
    hashes = f.typed(("translated_from",), str)
    if hashes and not re.fullmatch(r"[0-9a-f]{8}( [0-9a-f]{8})*", hashes):
        f.error(("translated_from",), "translated_from is written by 'python build.py mark-translated'; "
                "do not edit it by hand", "run: python build.py mark-translated " + rel)
    provenance = "translation" if origin else "official"
    return Body(lang, rel, body, first_line, provenance, origin, hashes, record)


def _record(rel: str, data) -> Record | None:
    """Read a translation's record: the source text as it was when the translation was last marked."""
    if data is None:
        return None
    errors = ErrorList()
    meta, body, first_line = split_front_matter(rel, decode(rel, data))
    f = Fields(meta, errors) if meta else None
    if f is None or not f.mapping((), ("language", "marked", "title", "summary")):
        raise ContentError(rel, 1, "this record is written by 'python build.py mark-translated'; do not edit it",
                           "run: python build.py mark-translated on the translation beside it")
    values = [f.typed((key,), str) or "" for key in ("language", "marked", "title", "summary")]
    if errors.errors:
        raise errors.errors[0]
    return Record(rel, *values, body, first_line)


def _photos(f: Fields, page_langs: tuple[str, ...], codes: tuple[str, ...], static: dict) -> tuple[Photo, ...]:
    """Read a page's photos: file under static/, alt text and optional caption per language."""
    photos = []
    for i, _ in enumerate(f.typed(("photos",), list, default=[]) or []):
        at = ("photos", i)
        if not f.mapping(at, ("file", "alt"), ("caption",)):
            continue
        found = static_file(f, at + ("file",), static, images=True)
        alt = f.lang_text(at + ("alt",), page_langs, codes)
        caption = f.lang_text(at + ("caption",), page_langs, codes) if f.value(at + ("caption",)) is not None else None
        if found and alt:
            rel, _, size = found
            photos.append(Photo(rel, size[0], size[1], alt, caption, f.doc.path, f.doc.line(*at)))
    return tuple(photos)


def _attachment(f: Fields, static: dict) -> Attachment | None:
    """Read the annex's optional attachment: a file under static/, linked with its size."""
    if f.value(("attachment",)) is None:
        return None
    found = static_file(f, ("attachment",), static, images=False)
    if not found:
        return None
    rel, nbytes, _ = found
    return Attachment(rel, nbytes, f.doc.path, f.doc.line("attachment"))
