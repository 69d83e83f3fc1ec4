"""Reads content/ from the snapshot into the site model, validating every value.

Each reader is a pure step over file bytes, memoized by the cache it is given;
each returns what loaded and the errors it found, so one bad file never hides
the next.
"""

from __future__ import annotations

import re

from .assets import find_assets, static_file
from .cache import NO_CACHE
from .documents import decode, parse_yaml, split_front_matter
from .errors import ContentError, ErrorList, guarded
from .model import RECORD_SUFFIX, Attachment, Body, Page, Photo, Record, Settings, Site
from .routes import page_key
from .schema import Fields
from .settings import CODE_PATTERN, MAX_SLUG, SITE_YAML, is_slug, read_settings
from .sources import Tree, Unreadable
from .words import read_phrases, read_ui

PAGE_FOLDERS = ("home", "annex")  # content/<folder>/ holds the page of that kind


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
    keys = tuple(page_key(kind) for kind in PAGE_FOLDERS if tree.is_folder(f"content/{kind}"))
    keys += tuple(page_key("area", slug) for slug in settings.areas)
    words = words or {}
    return Site(settings, {code: doc.data for code, doc in words.items()}, words, phrases or (), home, areas, annex,
                assets or (), keys), errors.errors


def _collect(errors: ErrorList, result: tuple):
    """Record the errors of a step's (value, errors) result and return the value."""
    value, found = result
    errors.extend(list(found))
    return value


def _files(tree: Tree, folder: str) -> tuple[tuple[str, object], ...]:
    """Return (name, bytes) for each file directly inside a folder of the snapshot."""
    return tuple((name, tree.get(f"{folder}/{name}")) for name in tree.listing(folder))


def _unreadable_folder(entry) -> bool:
    """Say whether a snapshot entry is a folder that could not be read (sources.problems() names it)."""
    return isinstance(entry, Unreadable) and entry.folder


def _areas(tree: Tree, cache, errors: ErrorList, settings: Settings, static: dict) -> tuple[Page, ...]:
    """Read every folder under content/areas/ and put them in site.yaml's order."""
    folder = "content/areas"
    pages, failed = [], set()
    if tree.get(folder) is not None and not tree.is_folder(folder):
        if not _unreadable_folder(tree.get(folder)):
            errors.add(folder, None, "this should be the folder of the areas, but it is a file",
                       "make it a folder holding one folder per area")
        return order_areas(pages, settings, set(settings.areas), errors)
    for name in tree.listing(folder):
        rel = f"{folder}/{name}"
        if not tree.is_folder(rel):
            # A file among the area folders (a note, a README) is not an area; one named like an area should be its
            # folder; a folder that could not be read is named by sources.problems().
            if _unreadable_folder(tree.get(rel)):
                failed.add(name)
            elif name in settings.areas:
                errors.add(rel, None, f"this should be the folder of the area '{name}', but it is a file",
                           "make it a folder holding area.yaml and the texts")
                failed.add(name)
            continue
        before = len(errors.errors)
        page = _page(tree, cache, errors, "area", rel[len("content/"):], (settings.written, settings.codes), static)
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
            errors.add(page.path, page.line, f"slug '{page.slug}' is already used by {other.path}:{other.line}",
                       "every area needs its own slug")
            continue
        by_slug[page.slug] = page
        if page.slug not in published:
            errors.add(page.path, page.line, f"area '{page.slug}' is not listed under 'areas' in {SITE_YAML}",
                       "add its slug there to publish it")
    ordered = []
    for i, slug in enumerate(listed):
        page = by_slug.get(slug)
        if page is None and slug in failed:
            continue  # its folder has errors of its own; do not add a second, confusing one
        if page is None:
            errors.add(SITE_YAML, settings.area_lines[i],
                       f"no area has the slug '{slug}'",
                       "check the spelling, or the 'slug' in the area's area.yaml")
        elif page.order != i + 1:
            errors.add(page.path, page.order_line, f"order is {page.order}, but {SITE_YAML} lists '{slug}' as number {i + 1}",
                       "make the two agree")
        else:
            ordered.append(page)
    return tuple(ordered)


@guarded
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
    # Titles and summaries in every written language: lists and the notice that stands in for a missing text show them.
    title = f.lang_text(("title",), written, codes)
    description = f.lang_text((keys[-1],), written, codes)
    slug, order = _slug_and_order(f) if kind == "area" else ("", 0)
    photos = _photos(f, page_langs, codes, static)
    attachment = _attachment(f, static) if kind == "annex" else None
    holds = _holds(f) if kind == "annex" else ""
    bodies = _bodies(f"content/{folder}", available, page_langs, codes, written, errors)
    if errors.errors:
        return None, tuple(errors.errors)
    key = page_key(kind, slug)
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
    order = f.typed(("order",), int)
    if slug and not is_slug(slug):
        f.error(("slug",), f"slug '{slug}' must be lower-case letters and digits joined by hyphens, like "
                f"youth-development, at most {MAX_SLUG} characters")
    if order is not None and order < 1:
        f.error(("order",), f"order must be 1 or more (got {order})", "use the area's number in content/site.yaml")
    return slug, order or 0


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


PROVENANCE = re.compile(rf"(official|translation from ({CODE_PATTERN}))\Z")


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
    f.mapping((), ("text",))
    said = f.typed(("text",), str) or ""
    match = PROVENANCE.match(said)
    if said and not match:
        f.error(("text",), f"'text' must be 'official' or 'translation from <language>' (got {said!r})")
    origin = match.group(2) if match else None
    if origin and (origin == lang or origin not in written):
        f.error(("text",), f"a translation must be from another language editors write: "
                f"{', '.join(code for code in written if code != lang) or 'none'}")
    provenance = "translation" if origin else "official"
    return Body(lang, rel, body, first_line, provenance, origin, record)


def _record(rel: str, data) -> Record | None:
    """Read a translation's record: the source text as it was when the translation was last marked."""
    if data is None:
        return None
    errors = ErrorList()
    meta, body, first_line = split_front_matter(rel, decode(rel, data))
    f = Fields(meta, errors) if meta else None
    values = [f.typed((key,), str) or "" for key in ("language", "marked", "title", "summary")] \
        if f is not None and f.mapping((), ("language", "marked", "title", "summary")) else None
    if values is None or errors.errors:
        first = errors.errors[0] if errors.errors else None
        raise ContentError(rel, first.line if first else 1,
                           "this record is written by 'python build.py mark-translated'; do not edit it"
                           + (f" ({first.message})" if first else ""),
                           "run: python build.py mark-translated on the translation beside it")
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
