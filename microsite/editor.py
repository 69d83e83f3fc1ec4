"""Editors' commands: check, status, new area, mark-translated. Each returns an exit status."""

from __future__ import annotations

import os
import re
import sys
from datetime import date
from pathlib import Path

from . import audit, translations
from .content import SLUG, load_site
from .errors import ContentError, ContentErrors, ErrorList
from .site import Prepared, converter, prepare, render_changes
from .sources import load_yaml


def check(root: Path, strict: bool) -> int:
    """Validate everything without writing; print errors and warnings; 1 if any error (or warning, strict)."""
    try:
        prepared = prepare(root)
        for _ in render_changes(prepared, {}):  # render every page to check the templates; keep nothing
            pass
    except ContentErrors as errors:
        print(errors.describe(root), file=sys.stderr)
        return 1
    found = conversion_audit(prepared) + translations.warnings(prepared.site, prepared.site.source_languages)
    for warning in sorted(found, key=lambda w: (w.path, w.line or 0, w.message)):
        print(warning.describe(root), file=sys.stderr)
    summary = f"No content errors; {len(found)} warning{'s' if len(found) != 1 else ''}."
    if strict and found:
        summary += " With --strict, warnings count as errors."
    print(summary, file=sys.stderr if found else sys.stdout)
    return 1 if strict and found else 0


def conversion_audit(prepared: Prepared) -> list[ContentError]:
    """Run the three conversion checks on every converted language."""
    site = prepared.site
    found = []
    for lang in site.languages:
        if not lang.convert_from:
            continue
        convert = converter(site.phrases).convert
        found += audit.simplified_in_traditional(site, lang.convert_from)
        found += audit.ambiguous_characters(site, lang.convert_from, convert, site.phrases)
        found += audit.leftovers(_generated_texts(prepared, lang.code), converter(()).convert, site.phrases)
    return found


def _generated_texts(prepared: Prepared, lang: str):
    """Yield (path, line, text) for every Simplified text, generated or hand-written, outside keep spans."""
    for page in prepared.site.pages:
        tokens = prepared.docs.get((page.key, lang))
        source = page.body(lang) or page.body(prepared.site.language(lang).convert_from)
        if tokens is None or source is None:
            continue
        for token in tokens:
            if token.type == "inline":
                line = source.first_line + (token.map[0] if token.map else 0)
                keep = 0
                for child in token.children or []:
                    keep += child.type == "span_open" and child.meta.get("keep")
                    keep -= child.type == "span_close" and child.meta.get("keep")
                    if child.type == "text" and not keep:
                        yield source.source, line, child.content


def status(root: Path) -> int:
    """Print a table of pages, the languages each exists in, and whether translations are current."""
    try:
        site = prepare(root).site
    except ContentErrors as errors:
        print(errors.describe(root), file=sys.stderr)
        return 1
    rows = [("page", "languages", "translation")]
    for page in site.pages:
        langs = [lang.code for lang in site.languages if page.body(lang.code) or
                 (lang.convert_from and page.body(lang.convert_from))]
        states = [_describe_status(root, s) for s in translations.statuses(site, site.source_languages)
                  if s.page is page]
        rows.append((page.key.rstrip("/") or "home", " ".join(langs), "; ".join(states) or "Chinese only"))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def _describe_status(root: Path, state: translations.Status) -> str:
    """Say in words where one translation stands."""
    if state.state != "stale":
        return f"{state.lang}: {state.state}"
    english = root / state.page.body(translations.SOURCE_LANGUAGE).source
    since = date.fromtimestamp(os.stat(english).st_mtime).isoformat()
    count = len(state.changed)
    return f"{state.lang}: stale since {since} ({count} English block{'s' if count != 1 else ''} changed)"


def mark_translated(root: Path, paths: list[str], everything: bool) -> int:
    """Record, in each named translated text, the English it now matches."""
    errors = ErrorList()
    site = load_site(root, errors)
    targets = {body.source: (page, body.lang) for page in site.pages for body in page.bodies
               if body.lang != translations.SOURCE_LANGUAGE and page.body(translations.SOURCE_LANGUAGE)}
    wanted = list(targets) if everything else [_relative(root, p) for p in paths]
    unknown = [p for p in wanted if p not in targets]
    if unknown or not wanted:
        for path in unknown:
            print(f"{path}: not a translated text (expected a file like content/areas/<folder>/zh-hant.md)",
                  file=sys.stderr)
        if not wanted:
            print("name the translated files to mark, or use --all", file=sys.stderr)
        return 1
    for path in wanted:
        page, lang = targets[path]
        print(f"{translations.mark_translated(root, page, lang)}: marked as translated from the current English")
    return 0


def _relative(root: Path, path: str) -> str:
    """Return a path given on the command line relative to the project folder."""
    absolute = Path(path).resolve()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else path


AREA_TEMPLATE = """slug: {slug}
order: {order}
title:
  en: "New area: {slug}"
  zh-hant: 新範疇：{slug}
summary:
  en: One sentence that says what this area covers.
  zh-hant: 以一句說明這個範疇的內容。
# photos:
#   - file: photos/example.jpg
#     alt:
#       en: What the photo shows
#       zh-hant: 相片內容
"""


def new_area(root: Path, slug: str) -> int:
    """Create an area folder from the template, with the next order number, and list it in site.yaml."""
    folder = root / "content" / "areas" / slug
    problem = _slug_problem(root, slug, folder)
    if problem:
        print(f"cannot create area '{slug}': {problem}", file=sys.stderr)
        return 1
    listed = load_yaml(root, "content/site.yaml").data.get("areas") or []
    order = len(listed) + 1
    folder.mkdir(parents=True)
    (folder / "area.yaml").write_text(AREA_TEMPLATE.format(slug=slug, order=order), encoding="utf-8")
    (folder / "en.md").write_text("Write the English text here. Separate paragraphs with a blank line.\n",
                                  encoding="utf-8")
    (folder / "zh-hant.md").write_text("請在此撰寫繁體中文內容，段落之間空一行。\n", encoding="utf-8")
    _append_to_site_list(root / "content" / "site.yaml", slug)
    for name in ("area.yaml", "en.md", "zh-hant.md"):
        print(f"created content/areas/{slug}/{name}")
    print(f"added '{slug}' to the areas in content/site.yaml as number {order}")
    return 0


def _slug_problem(root: Path, slug: str, folder: Path) -> str:
    """Say why a slug cannot be used for a new area, or return ''."""
    if not SLUG.match(slug):
        return "a slug is lower-case letters and digits joined by hyphens, like youth-development"
    if folder.exists():
        return f"content/areas/{slug}/ already exists"
    listed = load_yaml(root, "content/site.yaml").data.get("areas") or []
    if slug in listed:
        return "content/site.yaml already lists it"
    return ""


def _append_to_site_list(path: Path, slug: str) -> None:
    """Add the slug after the last item of the 'areas:' list, keeping comments and layout."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if re.match(r"areas:\s*$", line))
    end = start + 1
    while end < len(lines) and (re.match(r"\s+-\s", lines[end]) or not lines[end].strip() and
                                end + 1 < len(lines) and re.match(r"\s+-\s", lines[end + 1])):
        end += 1
    indent = re.match(r"(\s+)-", lines[end - 1]).group(1) if end > start + 1 else "  "
    lines.insert(end, f"{indent}- {slug}")
    path.write_text("\n".join(lines), encoding="utf-8")
