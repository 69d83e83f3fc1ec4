"""Reads content/ from the snapshot into the site model, validating every value.

Each reader is a pure step over file bytes, memoized by the cache it is given: it adds what it finds wrong to the
error list it is handed and returns what loaded (or None), so one bad file never hides the next.
"""

from __future__ import annotations

import re

from .assets import find_assets, static_file
from .cache import NO_CACHE, read
from .documents import decode, parse_yaml, split_front_matter
from .errors import ContentError
from .model import OFFICIAL, RECORD_SUFFIX, TRANSLATION, Attachment, Body, Page, Photo, Record, Settings, Site
from .routes import ANNEX, AREA, HOME, page_key
from .schema import TEXTS, Field, Fields
from .settings import CODE_PATTERN, MAX_SLUG, SITE_YAML, is_slug, read_settings
from .sources import Tree
from .words import read_phrases, read_ui

PAGE_FOLDERS = {HOME: "home", ANNEX: "annex"}  # content/<folder>/ holds the page of that kind; areas have one each


def load_site(tree: Tree, errors: list[ContentError], cache=NO_CACHE) -> Site | None:
    """Read and validate all content, adding every mistake to errors; None if the settings are unusable."""
    settings = read(cache, "settings", read_settings, errors, tree.get(SITE_YAML))
    if settings is None:
        return None
    words = read(cache, "ui", read_ui, errors, settings.languages, _files(tree, "content/ui"))
    phrases = read(cache, "phrases", read_phrases, errors, tree.get("content/phrases.yaml"))
    static = {rel[len("static/"):]: tree.get(rel) for rel in tree.under("static")}
    langs = (settings.written, settings.codes)
    home, annex = (_page(tree, cache, errors, kind, folder, langs, static) for kind, folder in PAGE_FOLDERS.items())
    areas = _areas(tree, cache, errors, settings, static)
    assets = read(cache, "assets", find_assets, errors, static)
    keys = tuple(page_key(kind) for kind, folder in PAGE_FOLDERS.items() if f"content/{folder}" in tree.folders)
    keys += tuple(page_key(AREA, slug) for slug in settings.areas)
    return Site(settings, {code: doc.data for code, doc in words.items()}, words, phrases or (), home, areas, annex,
                assets or (), keys)


def _files(tree: Tree, folder: str) -> tuple[tuple[str, object], ...]:
    """Return (name, bytes) for each file directly inside a folder of the snapshot."""
    return tuple((name, tree.get(f"{folder}/{name}")) for name in tree.listing(folder))


def _areas(tree: Tree, cache, errors: list[ContentError], settings: Settings, static: dict) -> tuple[Page, ...]:
    """Read every folder under content/areas/ and put them in site.yaml's order."""
    folder = "content/areas"
    pages, failed = [], set()
    if folder in tree.files:
        if not tree.unreadable_folder(folder):
            errors.append(ContentError(folder, None, "this should be the folder of the areas, but it is a file",
                                       "make it a folder holding one folder per area"))
        return ()  # no area can be read: the folder's one error stands for them all
    for name in tree.listing(folder):
        rel = f"{folder}/{name}"
        if rel not in tree.folders:
            # A file among the area folders (a note, a README) is not an area; one named like an area should be its
            # folder; a folder that could not be read is named by sources.problems().
            if tree.unreadable_folder(rel):
                failed.add(name)
            elif name in settings.areas:
                errors.append(ContentError(rel, None, f"this should be the folder of the area '{name}', but it is a file",
                                           "make it a folder holding area.yaml and the texts"))
                failed.add(name)
            continue
        page = _page(tree, cache, errors, AREA, rel[len("content/"):], (settings.written, settings.codes), static)
        if page is None:  # a page is None exactly when its folder has errors
            failed.add(name)
        else:
            pages.append(page)
    return order_areas(pages, settings, failed, errors)


def _page(tree: Tree, cache, errors: list[ContentError], kind: str, folder: str, langs: tuple,
          static: dict) -> Page | None:
    """Read one page folder through the cache."""
    files = _files(tree, f"content/{folder}")
    return read(cache, ("page", folder), read_page, errors, kind, folder, files, langs, static)


def order_areas(pages: list[Page], settings: Settings, failed: set[str], errors: list[ContentError]) -> tuple[Page, ...]:
    """Put areas in site.yaml's order; report duplicates, strays and mismatched order numbers."""
    published = set(settings.areas)
    by_slug: dict[str, Page] = {}
    for page in pages:
        if page.slug in by_slug:
            other = by_slug[page.slug]
            errors.append(ContentError(page.path, page.line, f"slug '{page.slug}' is already used by "
                                       f"{other.path}:{other.line}", "every area needs its own slug"))
            continue
        by_slug[page.slug] = page
        if page.slug not in published:
            errors.append(ContentError(page.path, page.line, f"area '{page.slug}' is not listed under 'areas' in "
                                       f"{SITE_YAML}", "add its slug there to publish it"))
    ordered = []
    for i, slug in enumerate(settings.areas):
        page = by_slug.get(slug)
        if page is None and slug in failed:
            continue  # its folder has errors of its own; do not add a second, confusing one
        if page is None:
            errors.append(ContentError(SITE_YAML, settings.area_lines[i], f"no area has the slug '{slug}'",
                                       "check the spelling, or the 'slug' in the area's area.yaml"))
        elif page.order != i + 1:
            errors.append(ContentError(page.path, page.order_line, f"order is {page.order}, but {SITE_YAML} lists "
                                       f"'{slug}' as number {i + 1}", "make the two agree"))
        else:
            ordered.append(page)
    return tuple(ordered)


def read_page(errors: list[ContentError], kind: str, folder: str, files: tuple, langs: tuple,
              static: dict) -> Page | None:
    """Read one page folder: its YAML file and a Markdown text per language (None if any of it is wrong)."""
    written, codes = langs
    before = len(errors)
    available = dict(files)
    name = f"{kind}.yaml"
    rel = f"content/{folder}/{name}"
    if name not in available:
        hint = "run: python build.py new area <slug>, or delete the folder" if kind == AREA else "restore the file"
        errors.append(ContentError(f"content/{folder}/", None, f"this folder has no {name}", hint))
        return None
    f = Fields(parse_yaml(rel, decode(rel, available[name])), errors)
    # Titles and summaries in every written language: lists and the notice that stands in for a missing text show them.
    values = f.read((), PAGE_FIELDS[kind], (written, codes))
    if values is None:
        return None
    page_langs = _page_languages(f, written)
    photos = _photos(f, page_langs, codes, static)
    attachment = _attachment(f, static) if kind == ANNEX else None
    bodies = _bodies(f"content/{folder}", available, (page_langs, codes, written), errors, name)
    if len(errors) > before:
        return None
    slug = values.get("slug") or ""
    return Page(kind, page_key(kind, slug), values["title"], values.get("summary") or values.get("description"),
                bodies, page_langs, photos, values.get("order") or 0, slug, attachment, values.get("holds") or "", rel, 1,
                f.doc.line("order") if kind == AREA else 1)


def _slug_rule(slug: str) -> str:
    """Say why a slug cannot name an area, or return ''."""
    return "" if is_slug(slug) else (f"slug '{slug}' must be lower-case letters and digits joined by hyphens, like "
                                     f"youth-development, at most {MAX_SLUG} characters")


def _order_rule(order: int) -> tuple[str, str] | str:
    """Say why a number cannot be an area's place in the list, or return ''."""
    return "" if order >= 1 else (f"order must be 1 or more (got {order})", "use the area's number in content/site.yaml")


def _holds_rule(holds: str) -> tuple[str, str] | str:
    """Say why a value cannot say what the annex holds, or return ''."""
    return "" if holds in ("summary", "full text") else (
        f"'holds' must be 'summary' or 'full text' (got {holds!r})",
        "say 'full text' only when the page holds the memorandum itself")


_OPTIONAL = (Field("photos", None, required=False),  # each: PHOTO_FIELDS
             Field("languages", None, required=False))  # read by _page_languages
PAGE_FIELDS = {
    AREA: (Field("slug", str, rule=_slug_rule), Field("order", int, rule=_order_rule), Field("title", TEXTS),
             Field("summary", TEXTS), *_OPTIONAL),
    HOME: (Field("title", TEXTS), Field("description", TEXTS), *_OPTIONAL),
    ANNEX: (Field("title", TEXTS), Field("description", TEXTS), *_OPTIONAL,
              Field("attachment", None, required=False),  # read by _attachment
              Field("holds", str, required=False, default="summary", rule=_holds_rule)),
}
PHOTO_FIELDS = (Field("file", None), Field("alt", TEXTS), Field("caption", TEXTS, required=False))
TEXT_FIELDS = (Field("text", str),)  # the front matter of a text; its value is read by _body
RECORD_FIELDS = (Field("language", str), Field("marked", str), Field("title", str), Field("summary", str))


def _page_languages(f: Fields, written: tuple[str, ...]) -> tuple[str, ...]:
    """Return the written languages a page exists in: all of them, or those its 'languages' lists."""
    listed = f.typed(("languages",), list)
    if listed is None:
        return written
    if not listed or any(code not in written for code in listed):
        f.error(("languages",), f"'languages' must list some of {', '.join(written)} (the languages editors write)")
        return written
    return tuple(code for code in written if code in listed)


def _bodies(folder: str, available: dict, langs: tuple, errors: list[ContentError], yaml: str) -> tuple[Body, ...]:
    """Read the Markdown texts of one page folder and their translation records, refusing unknown files."""
    page_langs, codes, written = langs
    texts = {f"{code}.md": code for code in codes}
    records = {f"{code}{RECORD_SUFFIX}": code for code in codes}
    bodies = []
    for name, data in available.items():
        if not name.endswith(".md") or name in records:
            continue
        rel = f"{folder}/{name}"
        if name not in texts:
            errors.append(ContentError(rel, None, f"unexpected file; a page's texts are named {', '.join(sorted(texts))}",
                                       "rename it"))
            continue
        if texts[name] in written and texts[name] not in page_langs:
            errors.append(ContentError(rel, None, f"this page's 'languages' in {yaml} does not list '{texts[name]}', "
                                       "so this text would not be published", f"add '{texts[name]}' to 'languages' "
                                       f"in {yaml}, or move this file out of content/ until it is ready"))
            continue
        try:
            record = _record(f"{folder}/{texts[name]}{RECORD_SUFFIX}", available.get(f"{texts[name]}{RECORD_SUFFIX}"))
            bodies.append(_body(texts[name], rel, decode(rel, data), written, record, errors))
        except ContentError as err:
            errors.append(err)
    for code in page_langs:
        if f"{code}.md" not in available:
            errors.append(ContentError(f"{folder}/{code}.md", None, f"the '{code}' text is missing",
                                       "every page needs its text in each language editors write"))
    return _no_chains(tuple(bodies), errors)


def _no_chains(bodies: tuple[Body, ...], errors: list[ContentError]) -> tuple[Body, ...]:
    """Refuse a translation made from a text that is itself a translation: its notice would name the wrong original."""
    by_code = {body.code: body for body in bodies}
    for body in bodies:
        source = by_code.get(body.translated_from)
        if source is not None and source.provenance == TRANSLATION:
            errors.append(ContentError(body.path, 1, f"'{source.code}' on this page is itself a translation from "
                                       f"'{source.translated_from}'", f"translate from the original: "
                                       f"'text: translation from {source.translated_from}'"))
    return bodies


PROVENANCE = re.compile(rf"(official|translation from ({CODE_PATTERN}))\Z")


def _body(code: str, rel: str, text: str, written: tuple[str, ...], record: Record | None,
          errors: list[ContentError]) -> Body:
    """Read one Markdown text and its front matter: where the text comes from, and its translation record."""
    meta, body, first_line = split_front_matter(rel, text)
    if meta is None:
        errors.append(ContentError(rel, 1, "say where this text comes from in a front matter block at the top of "
                                   "the file", "start the file with three lines: ---, then 'text: official' (the "
                                   "published text) or 'text: translation from en', then ---"))
        return Body(code, rel, body, first_line)
    f = Fields(meta, errors)
    said = (f.read((), TEXT_FIELDS) or {}).get("text") or ""
    match = PROVENANCE.match(said)
    if said and not match:
        f.error(("text",), f"'text' must be 'official' or 'translation from <language>' (got {said!r})")
    origin = match.group(2) if match else None
    if origin and (origin == code or origin not in written):
        f.error(("text",), f"a translation must be from another language editors write: "
                f"{', '.join(other for other in written if other != code) or 'none'}")
    return Body(code, rel, body, first_line, TRANSLATION if origin else OFFICIAL, origin, record)


def _record(rel: str, data) -> Record | None:
    """Read a translation's record: the source text as it was when the translation was last marked."""
    if data is None:
        return None
    errors: list[ContentError] = []
    meta, body, first_line = split_front_matter(rel, decode(rel, data))
    found = Fields(meta, errors).read((), RECORD_FIELDS, whole=True) if meta is not None else None
    if found is None or errors:
        first = errors[0] if errors else None
        raise ContentError(rel, first.line if first else 1,
                           "this record is written by 'python build.py mark-translated'; do not edit it"
                           + (f" ({first.message})" if first else ""),
                           "run: python build.py mark-translated on the translation beside it")
    return Record(rel, *(found[field.key] or "" for field in RECORD_FIELDS), body, first_line)


def _photos(f: Fields, page_langs: tuple[str, ...], codes: tuple[str, ...], static: dict) -> tuple[Photo, ...]:
    """Read a page's photos: file under static/, alt text and optional caption per language."""
    photos = []
    for i, _ in enumerate(f.typed(("photos",), list, default=[]) or []):
        at = ("photos", i)
        values = f.read(at, PHOTO_FIELDS, (page_langs, codes), whole=True)
        if values is None:
            continue
        found = static_file(f, at + ("file",), static, images=True)
        if found and values["alt"]:
            rel, _, size = found
            photos.append(Photo(rel, size[0], size[1], values["alt"], values["caption"], f.doc.path, f.doc.line(*at)))
    return tuple(photos)


def _attachment(f: Fields, static: dict) -> Attachment | None:
    """Read the annex's optional attachment: a file under static/, linked with its size."""
    found = static_file(f, ("attachment",), static, images=False) if f.value(("attachment",)) is not None else None
    if not found:
        return None
    rel, nbytes, _ = found
    return Attachment(rel, nbytes, f.doc.path, f.doc.line("attachment"))
