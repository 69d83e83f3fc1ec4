"""Reads content/ and static/ into the site model, validating every value."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from .assets import find_assets, static_file
from .errors import ContentError, ErrorList
from .model import Attachment, Body, Event, Language, Page, Photo, Site
from .schema import Fields
from .sources import load_yaml, read_text, split_front_matter, tree_state

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
LANG_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*\Z")
ANNEX_LANGUAGES = ("zh-hant",)
LANGUAGE_KEYS = ("code", "prefix", "html_lang", "hreflang", "og_locale", "label")


def load_site(root: Path, errors: ErrorList | None = None) -> Site:
    """Read and validate all content under root.

    Without an error list, raise ContentErrors listing every problem. With one,
    record problems there and return what loaded, so later checks can add theirs.
    """
    collect = errors is not None
    errors = errors if collect else ErrorList()
    settings = _guard(errors, lambda: _load_settings(root, errors))
    if settings is None:
        errors.raise_if_any()
    languages, written = settings["languages"], settings["written"]
    ui = _guard(errors, lambda: _load_ui(root, languages, written, errors)) or {}
    phrases = _guard(errors, lambda: _load_phrases(root, errors)) or ()
    static = tree_state(root / "static")
    home = _guard(errors, lambda: _load_page(root, "home", "home", written, written, errors, static))
    annex = _guard(errors, lambda: _load_page(root, "annex", "annex", written, ANNEX_LANGUAGES, errors, static))
    areas = _load_areas(root, settings, errors, static)
    assets = _guard(errors, lambda: find_assets(root)) or ()
    if not collect:
        errors.raise_if_any()
    return Site(settings["base_url"], languages, settings["default_language"], settings["event"],
                ui, phrases, home, areas, annex, assets, tuple(settings["areas"]))


def _guard(errors: ErrorList, load):
    """Run one loader; record a ContentError it raises and carry on with the next."""
    try:
        return load()
    except ContentError as err:
        errors.extend([err])
        return None


def _load_settings(root: Path, errors: ErrorList) -> dict | None:
    """Read content/site.yaml: base URL, languages, event facts, area order."""
    f = Fields(load_yaml(root, "content/site.yaml"), errors)
    required = ("base_url", "languages", "default_language", "event", "areas")
    if not f.mapping((), required):
        return None
    base_url = f.typed(("base_url",), str)
    if base_url and not re.match(r"https?://[^/\s]+(/\S*)?\Z", base_url):
        f.error(("base_url",), "base_url must be a full address starting with https:// or http://")
    languages = _languages(f)
    codes = tuple(lang.code for lang in languages)
    written = tuple(lang.code for lang in languages if not lang.convert_from)
    default = f.typed(("default_language",), str)
    if default and codes and default not in codes:
        f.error(("default_language",), f"default_language '{default}' is not one of the languages ({', '.join(codes)})")
    event = _event(f, written, codes)
    areas = f.typed(("areas",), list) or []
    seen: set[str] = set()
    for i, slug in enumerate(areas):
        if not isinstance(slug, str) or not SLUG.match(slug):
            f.error(("areas", i), f"area slug {slug!r} must be lower-case words joined by hyphens")
        elif slug in seen:
            f.error(("areas", i), f"'{slug}' is listed twice", "delete one of the two lines")
        else:
            seen.add(slug)
    areas = list(dict.fromkeys(a for a in areas if isinstance(a, str)))
    return {"base_url": normalise_base_url(base_url or "https://example.org/"), "languages": languages,
            "written": written, "default_language": default, "event": event, "areas": areas, "doc": f.doc}


def normalise_base_url(url: str) -> str:
    """Return the base URL with exactly one trailing slash."""
    return url.rstrip("/") + "/"


def _languages(f: Fields) -> tuple[Language, ...]:
    """Read the languages list, checking codes and prefixes are unique and well formed."""
    items = f.typed(("languages",), list) or []
    found: list[Language] = []
    for i, _ in enumerate(items):
        at = ("languages", i)
        if not f.mapping(at, LANGUAGE_KEYS, ("convert_from",)):
            continue
        values = {key: f.typed(at + (key,), str) for key in LANGUAGE_KEYS}
        convert_from = f.typed(at + ("convert_from",), str, default="-")
        if None in values.values():
            continue
        if not SLUG.match(values["prefix"]):
            f.error(at + ("prefix",), "prefix must be lower-case letters, digits or hyphens")
        for key in ("html_lang", "hreflang"):
            if not LANG_TAG.match(values[key]):
                f.error(at + (key,), f"{key} '{values[key]}' is not a language tag like en or zh-HK")
        if any(values["code"] == other.code or values["prefix"] == other.prefix for other in found):
            f.error(at, f"language '{values['code']}' or its prefix '{values['prefix']}' is listed twice")
        found.append(Language(**values, convert_from=None if convert_from == "-" else convert_from))
    written = {lang.code for lang in found if not lang.convert_from}
    for i, lang in enumerate(found):
        if lang.convert_from and lang.convert_from not in written:
            f.error(("languages", i, "convert_from"), f"convert_from '{lang.convert_from}' is not a language editors write")
    if not found:
        f.error(("languages",), "at least one language is needed")
    return tuple(found)


def _event(f: Fields, written: tuple[str, ...], codes: tuple[str, ...]) -> Event | None:
    """Read the event facts: date, time of issue, place and co-chairs."""
    if not f.mapping(("event",), ("date", "issued_at", "place", "co_chairs")):
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
    return Event(day, issued, place, chairs)


def _load_ui(root: Path, languages, written, errors: ErrorList) -> dict:
    """Read content/ui/<lang>.yaml: the template words, same keys in every language."""
    ui: dict = {}
    reference: dict | None = None
    for lang in languages:
        rel = f"content/ui/{lang.code}.yaml"
        if not (root / rel).exists():
            if lang.code in written:
                errors.add(rel, None, f"the words for '{lang.code}' are missing", "copy content/ui/en.yaml and translate it")
            continue
        f = Fields(load_yaml(root, rel), errors)
        if not isinstance(f.doc.data, dict):
            f.error((), "this file must be a set of 'key: value' lines")
            continue
        ui[lang.code] = _ui_strings(f, reference, partial=lang.code not in written)
        reference = reference or ui[lang.code]
    return ui


def _ui_strings(f: Fields, reference: dict | None, partial: bool) -> dict:
    """Check one UI file against the first (the reference) for keys and {placeholders}."""
    data = f.doc.data
    extra = ("converted_notice", "converted_link")
    if reference is not None:
        allowed = tuple(reference) + extra
        f.mapping((), () if partial else tuple(reference), tuple(k for k in allowed if k not in reference or partial))
        for key, value in data.items():
            if key in reference and _placeholders(value) != _placeholders(reference[key]):
                want = ", ".join("{%s}" % p for p in sorted(_placeholders(reference[key]))) or "no {placeholders}"
                f.error((key,), f"'{key}' must contain {want}, as in the first language's file")
    for key, value in data.items():
        if not isinstance(value, (str, list)) or (isinstance(value, list) and not all(isinstance(v, str) for v in value)):
            f.error((key,), f"'{key}' must be text or a list of texts")
    return data


def _placeholders(value) -> set[str]:
    """Return the {names} used in a UI string."""
    text = " ".join(value) if isinstance(value, list) else str(value)
    return set(re.findall(r"\{([a-z_]+)\}", text))


def _load_phrases(root: Path, errors: ErrorList) -> tuple[tuple[str, str], ...]:
    """Read content/phrases.yaml: Traditional phrases and the Simplified they must become."""
    rel = "content/phrases.yaml"
    if not (root / rel).exists():
        return ()
    f = Fields(load_yaml(root, rel), errors)
    if not f.mapping((), ("phrases",)):
        return ()
    table = f.value(("phrases",))
    if not isinstance(table, dict):
        f.error(("phrases",), "'phrases' must be lines of 'Traditional: Simplified'")
        return ()
    pairs = tuple((key, f.typed(("phrases", key), str)) for key in table)
    return tuple(pair for pair in pairs if pair[1])


def _load_areas(root: Path, settings: dict, errors: ErrorList, static: tuple) -> tuple[Page, ...]:
    """Read every folder under content/areas/ and check them against site.yaml's list."""
    folder = root / "content" / "areas"
    pages, failed = [], set()
    names = sorted(e.name for e in os.scandir(folder) if e.is_dir()) if folder.is_dir() else []
    for name in names:
        before = len(errors.errors)
        page = _guard(errors, lambda: _load_page(root, "area", f"areas/{name}",
                                                 settings["written"], settings["written"], errors, static))
        if page is not None:
            pages.append(page)
        if len(errors.errors) > before:
            failed.add(name)
    return _order_areas(pages, settings, failed, errors)


def _order_areas(pages: list[Page], settings: dict, failed: set[str], errors: ErrorList) -> tuple[Page, ...]:
    """Put areas in site.yaml's order; report duplicates, strays and mismatched order numbers."""
    listed: list[str] = settings["areas"]
    published = set(listed)
    doc = settings["doc"]
    by_slug: dict[str, Page] = {}
    for page in pages:
        if page.slug in by_slug:
            other = by_slug[page.slug]
            errors.add(page.source, page.line, f"slug '{page.slug}' is already used by {other.source}:{other.line}",
                       "every area needs its own slug")
            continue
        by_slug[page.slug] = page
        if page.slug not in published:
            errors.add(page.source, page.line, f"area '{page.slug}' is not listed under 'areas' in content/site.yaml",
                       "add its slug there to publish it")
    ordered = []
    for i, slug in enumerate(listed):
        page = by_slug.get(slug)
        if page is None and slug in failed:
            continue  # its folder has errors of its own; do not add a second, confusing one
        if page is None:
            errors.add(doc.path, doc.line("areas", i), f"no area has the slug '{slug}'",
                       "check the spelling, or the 'slug' in the area's area.yaml")
        elif page.order and page.order != i + 1:
            errors.add(page.source, page.line, f"order is {page.order}, but content/site.yaml lists '{slug}' as number {i + 1}",
                       "make the two agree")
        elif page.order:
            ordered.append(page)
    return tuple(ordered)


_LOADED: dict = {}  # (root, folder) -> (state of its files, Page): pages that loaded without error


def _load_page(root: Path, kind: str, folder: str, written: tuple[str, ...], required: tuple[str, ...],
               errors: ErrorList, static: tuple) -> Page | None:
    """Read one page folder, or reuse the page read before if none of its files (nor static/) changed."""
    state = (_folder_state(root / "content" / folder), written, required, static)
    hit = _LOADED.get((root, folder))
    if hit is not None and hit[0] == state:
        return hit[1]
    page = _read_page(root, kind, folder, written, required, errors)
    if page is not None:
        _LOADED[root, folder] = (state, page)
    return page


def _folder_state(folder: Path) -> tuple:
    """Return the name, size and modification time of each file in a folder."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return ()
    return tuple(sorted((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries if e.is_file()))


def _read_page(root: Path, kind: str, folder: str, written: tuple[str, ...], required: tuple[str, ...],
               errors: ErrorList) -> Page | None:
    """Read one page folder: its YAML metadata and a Markdown body per language."""
    rel = f"content/{folder}/{kind}.yaml"
    f = Fields(load_yaml(root, rel), errors)
    keys = ("title", "description") if kind != "area" else ("slug", "order", "title", "summary")
    optional = ("photos",) + (("attachment",) if kind == "annex" else ())
    before = len(errors.errors)
    if not isinstance(f.doc.data, dict):
        f.mapping((), keys, optional)
        return None
    f.mapping((), keys, optional)
    langs = tuple(dict.fromkeys(required + written))
    title = f.lang_text(("title",), written, langs + ("zh-hans",))
    description = f.lang_text((keys[-1],), written, langs + ("zh-hans",))
    slug, order = "", 0
    if kind == "area":
        slug = f.typed(("slug",), str) or ""
        order = f.typed(("order",), int) or 0
        if slug and not SLUG.match(slug):
            f.error(("slug",), f"slug '{slug}' must be lower-case letters and digits joined by hyphens, like youth-development")
        if order is not None and order < 0:
            f.error(("order",), "order must be 1 or more")
    photos = _photos(root, f, written)
    attachment = _attachment(root, f) if kind == "annex" else None
    bodies = _bodies(root, f"content/{folder}", required, written, errors)
    if len(errors.errors) > before:
        return None
    key = {"home": "", "area": f"areas/{slug}/", "annex": "annex/"}[kind]
    return Page(kind, key, title, description, bodies, photos, order, slug, attachment, rel, 1)


def _bodies(root: Path, folder: str, required: tuple[str, ...], written: tuple[str, ...],
            errors: ErrorList) -> tuple[Body, ...]:
    """Read the Markdown body files of one page folder, refusing unknown ones."""
    allowed = {f"{code}.md" for code in required} | {"zh-hans.md"}
    bodies = []
    for path in sorted((root / folder).iterdir()):
        rel = f"{folder}/{path.name}"
        if path.suffix != ".md":
            continue
        if path.name not in allowed:
            hint = "this page exists in Chinese only" if set(required) != set(written) else "rename it"
            errors.add(rel, None, f"unexpected file; a page's texts are {', '.join(sorted(allowed))}", hint)
            continue
        try:
            bodies.append(_body(path.stem, rel, read_text(root, rel), errors))
        except ContentError as err:
            errors.extend([err])
    for code in required:
        if not (root / folder / f"{code}.md").exists():
            errors.add(f"{folder}/{code}.md", None, f"the '{code}' text is missing", "every page needs its text in each language editors write")
    return tuple(bodies)


def _body(lang: str, rel: str, text: str, errors: ErrorList) -> Body:
    """Read one Markdown text and its optional front matter (the translation record)."""
    meta, body, first_line = split_front_matter(rel, text)
    translated_from = None
    if meta is not None:
        f = Fields(meta, errors)
        f.mapping((), (), ("translated_from",))
        translated_from = f.typed(("translated_from",), str)
        if translated_from and not re.fullmatch(r"[0-9a-f]{8}( [0-9a-f]{8})*", translated_from):
            f.error(("translated_from",), "translated_from is written by 'python build.py mark-translated'; "
                    "do not edit it by hand", "run: python build.py mark-translated " + rel)
    return Body(lang, rel, body, first_line, translated_from)


def _photos(root: Path, f: Fields, written: tuple[str, ...]) -> tuple[Photo, ...]:
    """Read a page's photos: file under static/, alt text and optional caption per language."""
    photos = []
    for i, _ in enumerate(f.typed(("photos",), list, default=[]) or []):
        at = ("photos", i)
        if not f.mapping(at, ("file", "alt"), ("caption",)):
            continue
        found = static_file(root, f, at + ("file",), images=True)
        alt = f.lang_text(at + ("alt",), written, written + ("zh-hans",))
        caption = f.lang_text(at + ("caption",), written, written + ("zh-hans",)) if f.value(at + ("caption",)) is not None else None
        if found and alt:
            rel, _, size = found
            photos.append(Photo(rel, size[0], size[1], alt, caption, f.doc.path, f.doc.line(*at)))
    return tuple(photos)


def _attachment(root: Path, f: Fields) -> Attachment | None:
    """Read the annex's optional attachment: a file under static/, linked with its size."""
    if f.value(("attachment",)) is None:
        return None
    found = static_file(root, f, ("attachment",), images=False)
    if not found:
        return None
    rel, nbytes, _ = found
    return Attachment(rel, nbytes, f.doc.path, f.doc.line("attachment"))
