"""Editors' commands besides build and serve: check, status, new area, mark-translated.

Each returns an exit status. Commands that change files compute every change
first and refuse before touching anything when one of them cannot be made;
files are replaced whole (written beside, then renamed), keeping their
byte-order mark and line ends.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from . import audit, translations
from .documents import decode, parse_yaml
from .errors import ContentError, ContentErrors, gathered
from .model import RECORD_SUFFIX, Settings
from .pipeline import prepare, site_files
from .routes import CONVERTED, OFFICIAL, TRANSLATION
from .settings import MAX_SLUG, SITE_YAML, is_slug, read_settings
from .sources import read_tree


def check(root: Path, strict: bool) -> int:
    """Validate everything without writing; print errors and warnings; 1 if any error (or warning, strict)."""
    prepared = _prepared(root, render=True)
    if prepared is None:
        return 1
    found = audit.conversion_audit(prepared.site, prepared.routes, prepared.converters)
    found += audit.capped_warnings(translations.warnings(prepared.site))
    for warning in sorted(found, key=lambda w: (w.path, w.line or 0, w.message)):
        print(warning.describe(prepared.snapshot), file=sys.stderr)
    print(texts_summary(prepared))
    summary = f"No content errors; {len(found)} warning{'s' if len(found) != 1 else ''}."
    if strict and found:
        summary += " With --strict, warnings count as errors."
    print(summary, file=sys.stderr if found else sys.stdout)
    return 1 if strict and found else 0


def _prepared(root: Path, render: bool = False):
    """Read, check and prepare the project (and render every page, if asked, keeping nothing), or print its
    errors and return None."""
    try:
        prepared = prepare(read_tree(root))
        if render:
            for _ in site_files(prepared):
                pass
        return prepared
    except ContentErrors as errors:
        print(errors.describe(), file=sys.stderr)
        return None


def texts_summary(prepared) -> str:
    """Say in one line where the site's texts come from, by language."""
    site, counts = prepared.site, {}
    for page in site.pages:
        for route in prepared.routes.texts(page.key):
            kind = {OFFICIAL: "official", TRANSLATION: f"translated from {route.made_from}",
                    CONVERTED: f"converted from {route.made_from}"}[route.state]
            counts[route.lang, kind] = counts.get((route.lang, kind), 0) + 1
    parts = [f"{code}: {count} {kind}" for (code, kind), count in counts.items()]
    return "Texts: " + "; ".join(parts) + "."


def status(root: Path) -> int:
    """Print a table of pages: each language, where its text comes from, and whether a translation is current."""
    prepared = _prepared(root)
    if prepared is None:
        return 1
    site = prepared.site
    states = {(s.page.key, s.lang): s for s in translations.statuses(site)}
    rows = [("page", "language", "text")]
    for page in site.pages:
        for route in prepared.routes.texts(page.key):
            rows.append((page.key.rstrip("/") or "home", route.lang, describe_text(route, states)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def describe_text(route, states: dict) -> str:
    """Say in words where a page's text in one language comes from, and where a translation stands."""
    if route.state == OFFICIAL:
        return "official text"
    if route.state == CONVERTED:
        return f"converted from {route.made_from}" + (f" (a translation from {route.translated_from})"
                                                      if route.translated_from else "")
    state = states[route.key, route.lang]
    where = f"translation from {route.made_from}"
    if state.state == "stale":
        count = len(state.changes)
        since = f" since {state.since}" if state.since else ""
        return f"{where}: stale{since} ({count} {state.original_label} block{'s' if count != 1 else ''} changed)"
    return f"{where}: {state.state}"


def mark_translated(root: Path, paths: list[str], everything: bool) -> int:
    """Record, beside each named translation, the source text it now matches."""
    prepared = _prepared(root)
    if prepared is None:
        return 1
    targets = {state.body.path: state for state in translations.statuses(prepared.site) if state.original is not None}
    wanted = list(targets) if everything else [_relative(root, p) for p in paths]
    unknown = [p for p in wanted if p not in targets]
    if unknown or not wanted:
        for path in unknown:
            print(f"{path}: not a translation of a text on the same page (expected a file like "
                  "content/areas/<folder>/zh-hant.md with 'text: translation from en')", file=sys.stderr)
        if not wanted:
            print("name the translated files to mark, or use --all", file=sys.stderr)
        return 1
    for path in wanted:
        state = targets[path]
        record = root / (path[: -len(".md")] + RECORD_SUFFIX)
        try:
            replace_text(record, lambda _: translations.record_text(state, date.today()), create=True)
        except OSError as err:
            print(f"{_shown_path(root, err.filename)}: cannot write ({err.strerror})", file=sys.stderr)
            return 1
        print(f"{path}: marked as translated from the current {state.original_label} text "
              f"(recorded in {record.relative_to(root).as_posix()})")
    return 0


def _relative(root: Path, path: str) -> str:
    """Return a path given on the command line relative to the project folder."""
    absolute = Path(path).resolve()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else path


AREA_YAML = """slug: {slug}
order: {order}
title:
{titles}summary:
{summaries}# photos:
#   - file: photos/example.jpg
#     alt:
{alts}"""
AREA_TEXT = "---\ntext: {provenance}\n---\nWrite the text here. Separate paragraphs with a blank line.\n"


def _area_files(slug: str, order: int, written: tuple[str, ...], first: str) -> dict[str, str]:
    """Return the files of a new area, with a placeholder for each language editors write.

    The text in `first` (the default language) is marked as the published text, the others as its translations."""
    lines = "".join(f'  {code}: "New area: {slug}"\n' for code in written)
    summaries = "".join(f"  {code}: One sentence that says what this area covers.\n" for code in written)
    alts = "".join(f"#       {code}: What the photo shows\n" for code in written)
    files = {"area.yaml": AREA_YAML.format(slug=slug, order=order, titles=lines, summaries=summaries, alts=alts)}
    files.update({f"{code}.md": AREA_TEXT.format(provenance="official" if code == first else f"translation from {first}")
                  for code in written})
    return files


def new_area(root: Path, slug: str) -> int:
    """Create an area folder with the next order number and list it in site.yaml, or change nothing."""
    folder = root / "content" / "areas" / slug
    try:
        problem = _slug_problem(slug, folder)
        if problem:
            raise ContentError(SITE_YAML, None, f"cannot create area '{slug}': {problem}")
        site_yaml, settings = _with_area(root, slug)
    except ContentError as err:
        print(err.describe({SITE_YAML: _read(root / SITE_YAML, quiet=True)}), file=sys.stderr)
        print("Nothing was changed.", file=sys.stderr)
        return 1
    except ContentErrors as errors:
        print(errors.describe(f"fix {SITE_YAML} first; nothing was changed."), file=sys.stderr)
        return 1
    order = len(settings.areas) + 1
    first = settings.default_language if settings.default_language in settings.written else settings.written[0]
    files = _area_files(slug, order, settings.written, first)
    problem = _areas_folder_problem(folder.parent)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    try:
        folder.mkdir(parents=True)
    except OSError as err:
        print(f"content/areas/{slug}/: cannot create the folder ({err.strerror}); nothing was changed", file=sys.stderr)
        return 1
    try:
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        replace_text(root / SITE_YAML, lambda _: site_yaml)
    except BaseException as err:
        for name in files:
            (folder / name).unlink(missing_ok=True)
        folder.rmdir()
        if not isinstance(err, OSError):
            raise
        print(f"{_shown_path(root, err.filename)}: cannot write ({err.strerror}); nothing was changed", file=sys.stderr)
        return 1
    for name in files:
        print(f"created content/areas/{slug}/{name}")
    print(f"added '{slug}' to the areas in {SITE_YAML} as number {order}")
    return 0


def _slug_problem(slug: str, folder: Path) -> str:
    """Say why a slug cannot be used for a new area, or return ''."""
    if not is_slug(slug):
        return f"a slug is lower-case letters and digits joined by hyphens, like youth-development, " \
               f"at most {MAX_SLUG} characters"
    if folder.exists():
        return f"content/areas/{slug}/ already exists"
    return ""


def _areas_folder_problem(folder: Path) -> str:
    """Say why the folder of areas cannot take a new one, or return ''."""
    if folder.exists() and not folder.is_dir():
        return "content/areas: this should be the folder of the areas, but it is a file; nothing was changed"
    return ""


def _with_area(root: Path, slug: str) -> tuple[str, Settings]:
    """Return site.yaml's text with the slug added to its areas (every other line kept), and its settings now."""
    text = decode(SITE_YAML, _read(root / SITE_YAML))
    before = parse_yaml(SITE_YAML, text)  # the project's own rules first: a broken file is named, never rewritten
    settings, problems = gathered(read_settings, text.encode("utf-8"))
    if problems:
        raise ContentErrors(list(problems), {SITE_YAML: text.encode("utf-8")})
    listed = list(settings.areas)
    if slug in listed:
        raise ContentError(SITE_YAML, before.line("areas"), f"cannot create area '{slug}': it is already listed")
    candidate = _added(text, slug)
    wanted = {**before.data, "areas": [*listed, slug]}
    try:
        if candidate is not None and parse_yaml(SITE_YAML, candidate).data == wanted:
            return candidate, settings
    except ContentError:
        pass
    raise ContentError(SITE_YAML, before.line("areas"), "cannot add the area to this file's list safely",
                       f"add '- {slug}' to the end of 'areas' by hand")


def _added(text: str, slug: str) -> str | None:
    """Return text with the slug added at the end of the 'areas' list, changing nothing else, or None.

    A block list gets a line like its last item; a [..] list gets ', slug' before its ']'."""
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    node = next((value for key, value in root.value if key.value == "areas"), None) if root else None
    if not isinstance(node, yaml.SequenceNode):
        return None
    if node.flow_style:
        end = node.end_mark.index - 1  # the index of its ']'
        return text[:end] + (", " if node.value else "") + slug + text[end:]
    if not node.value:
        return None
    last = node.value[-1]
    lines = text.split("\n")
    item = lines[last.start_mark.line]
    dash = item.rfind("-", 0, last.start_mark.column)
    lines.insert(last.end_mark.line + 1, item[:dash] + f"- {slug}")
    return "\n".join(lines)


def _read(path: Path, quiet: bool = False) -> bytes | None:
    """Read site.yaml before the command changes it, or raise ContentError naming it (quiet: return None)."""
    try:
        return path.read_bytes()
    except OSError as err:
        if quiet:
            return None
        raise ContentError(SITE_YAML, None, f"cannot read the file ({err.strerror})") from None


def _shown_path(root: Path, path) -> str:
    """Show a file named in an OSError relative to the project folder."""
    try:
        return Path(path).relative_to(root).as_posix()
    except (TypeError, ValueError):
        return str(path)


def replace_text(path: Path, change, create: bool = False) -> None:
    """Replace a text file with change(its text), keeping its byte-order mark and line ends, in one step."""
    raw = path.read_bytes() if not create or path.exists() else b""
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    newline = "\r\n" if b"\r\n" in raw else "\r" if b"\r" in raw else "\n"
    text = raw[len(bom):].decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    data = bom + change(text).replace("\n", newline).encode("utf-8")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
