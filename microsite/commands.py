"""Every command's work, as cli.py dispatches it: build, check, status, new area, mark-translated (serve: serve.py).

Each prints what it did or what is wrong, and returns an exit status. Changes to content files are made by
edits.py, computed first and refused before anything is touched when one of them cannot be made.
"""

from __future__ import annotations

import signal
import sys
import time
from datetime import date
from pathlib import Path

from . import audit, translations
from .edits import area_files, read_site_yaml, replace_text, with_area
from .errors import ContentError, ContentErrors, shown
from .model import RECORD_SUFFIX
from .pipeline import Timings, prepare, site_files
from .pipeline import build as build_site
from .routes import CONVERTED, FALLBACK, OFFICIAL, TRANSLATION
from .settings import SITE_YAML
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
            counts[route.code, kind] = counts.get((route.code, kind), 0) + 1
    return "Texts: " + "; ".join(f"{code}: {count} {kind}" for (code, kind), count in counts.items()) + "."


def status(root: Path) -> int:
    """Print a table of pages: each language, where its text comes from, and whether a translation is current."""
    prepared = _prepared(root)
    if prepared is None:
        return 1
    states = {(s.page.key, s.code): s for s in translations.statuses(prepared.site)}
    rows = [("page", "language", "text")]
    for page in prepared.site.pages:
        for route in prepared.routes.of_page(page.key):
            rows.append((page.key.rstrip("/") or "home", route.code, describe_text(route, states, prepared.routes)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def describe_text(route, states: dict, routes) -> str:
    """Say in words where a page's text in one language comes from, and where a translation stands."""
    if route.state == FALLBACK:
        return "no text: a notice links to " + ", ".join(other.code for other in routes.texts(route.key))
    if route.state == OFFICIAL:
        return "official text"
    if route.state == CONVERTED:
        return f"converted from {route.made_from}" + (f" (a translation from {route.translated_from})"
                                                      if route.translated_from else "")
    state = states[route.key, route.code]
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
    named = {path: _relative(root, path) for path in paths}
    wanted = list(targets) if everything else [rel for rel in named.values() if rel in targets]
    unknown = [rel or path for path, rel in named.items() if rel not in targets]
    if unknown or not wanted:
        for path in unknown:
            print(f"{shown(path)}: not a translation of a text on the same page (expected a file like "
                  "content/areas/<folder>/zh-hant.md with 'text: translation from en')", file=sys.stderr)
        if not unknown:
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
        print(f"{shown(path)}: marked as translated from the current {state.original_label} text "
              f"(recorded in {record.relative_to(root).as_posix()})")
    return 0


def _relative(root: Path, path: str) -> str | None:
    """Return a path given on the command line (from the working folder) relative to the project, or None."""
    absolute = Path(path).resolve()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else None


def new_area(root: Path, slug: str) -> int:
    """Create an area folder with the next order number and list it in site.yaml, or change nothing."""
    folder = root / "content" / "areas" / slug
    try:
        site_yaml, settings = with_area(root, slug)
    except ContentError as err:
        print(err.describe({SITE_YAML: read_site_yaml(root / SITE_YAML, quiet=True)}), file=sys.stderr)
        print("Nothing was changed.", file=sys.stderr)
        return 1
    except ContentErrors as errors:
        print(errors.describe(f"fix {SITE_YAML} first; nothing was changed."), file=sys.stderr)
        return 1
    order = len(settings.areas) + 1
    first = settings.default_language if settings.default_language in settings.written else settings.written[0]
    files = area_files(slug, order, settings.written, first)
    if folder.parent.exists() and not folder.parent.is_dir():
        print("content/areas: this should be the folder of the areas, but it is a file; nothing was changed",
              file=sys.stderr)
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


def build(args, base_url: str | None) -> int:
    """Build and write the site once; print errors and return the exit status."""
    started = time.perf_counter()
    pressed = _CtrlC()
    timings = Timings()
    try:
        paths = build_site(args.root, args.output, base_url, go_on=pressed.raise_if_pressed, timings=timings)
    except ContentErrors as errors:
        pressed.raise_if_pressed()
        print(errors.describe(), file=sys.stderr)
        return 1
    except OSError as err:
        where = _shown_path(Path.cwd(), err.filename or args.output)
        print(f"{where}: cannot write the site ({err.strerror}); the previous site is as it was", file=sys.stderr)
        return 1
    finally:  # the build is over; ignored, not reset as Python does at exit, a late Ctrl+C cannot end it with -2
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    elapsed = time.perf_counter() - started
    pages = sum(1 for path in paths if path.endswith(".html"))
    if args.timings:
        for stage, seconds in timings.stages.items():
            print(f"{stage:<18} {seconds * 1000:8.1f} ms")
    print(f"Built {pages} pages ({len(paths)} files) into {_shown_path(Path.cwd(), args.output)} in {elapsed:.2f} s")
    return 0


class _CtrlC:
    """From its creation, remembers Ctrl+C so that a build stops between two files, not inside some cleanup code."""

    def __init__(self) -> None:
        self.pressed = False
        signal.signal(signal.SIGINT, self.remember)

    def remember(self, signum, frame) -> None:
        """The signal handler: only note the key."""
        self.pressed = True

    def raise_if_pressed(self) -> None:
        """Stop the build here if Ctrl+C was pressed (main() then says nothing was changed)."""
        if self.pressed:
            raise KeyboardInterrupt


def _shown_path(folder: Path, path) -> str:
    """Show a path (one named in an OSError, maybe None) relative to folder when it is inside it."""
    try:
        path = Path(path)
        return shown(path.relative_to(folder).as_posix())
    except (TypeError, ValueError):  # not inside folder, or no file named (None)
        return shown(str(path))
