"""Time the build and the check on pathological texts: one text filled to the size limit with one pattern.

What it measures: for each pattern, a copy of the bundled project in which one Markdown text keeps its front
matter (so it is still read as a text) and has its body replaced by the pattern repeated as often as fits
under the content size limit (microsite/sources.py LIMITS["content"], 150,000 bytes). Then, as whole
processes, the way an editor or Netlify runs them:

- `python build.py --root <copy> --output <tmp>`: wall-clock seconds and exit status;
- `python build.py check --root <copy>`: wall-clock seconds and exit status;
- the bytes both printed (stdout and stderr), build / check;
- the size of the site the build wrote (a text that expands, like `[[areas]]`, shows here).

English patterns go into content/areas/youth-development/en.md, Chinese ones into its zh-hant.md, and
`[[areas]]` into content/home/en.md, the one text where that placeholder is allowed (each one becomes the
whole list of areas). A last row uses a 1 MB text, which must be refused by its size before it is read.
The first row is the bundled project itself, run once before the others as a warm-up (disk cache,
compiled templates, bytecode) and timed again to compare against.

Each command runs once per pattern (`--runs N` takes the median of N); a run that exceeds `--timeout`
seconds is stopped and shown as such. Prints a Markdown table; `--report` also writes it to
bench/pathological.md, which bench/run.py puts into BENCHMARKS.md.

    .venv/bin/python bench/pathological.py [--runs 1] [--timeout 300] [--report]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from microsite.sources import LIMITS  # noqa: E402  (the limit the build enforces, not a copy of it)

LIMIT = LIMITS["content"]
AREA = "content/areas/youth-development"
EN, ZH, HOME = f"{AREA}/en.md", f"{AREA}/zh-hant.md", "content/home/en.md"

# (how the table shows it, the pattern, the text it fills)
PATTERNS = [
    ("`[`", "[", EN),
    ("`]{`", "]{", EN),
    ("`*a`", "*a", EN),
    ("`_a*`", "_a*", EN),
    ("`a\\n`", "a\n", EN),
    ("`# a\\n`", "# a\n", EN),
    ("`[[areas]]\\n\\n` (home)", "[[areas]]\n\n", HOME),
    ("`[x]{keep}`", "[x]{keep}", EN),
    ("`著。`", "著。", ZH),
    ("`著` (one line, no punctuation)", "著", ZH),
    ("`<`", "<", EN),
    ("`[a](/annex/) `", "[a](/annex/) ", EN),
    ("`一\\n\\n`", "一\n\n", ZH),
]


@dataclass
class Timing:
    """One command's result: median wall seconds (None if it timed out), exit status, bytes printed."""

    seconds: float | None
    code: int | None
    printed: int


def front_matter(text: bytes) -> bytes:
    """Return a Markdown file's front matter block (with its fences), or nothing."""
    if not text.startswith(b"---\n"):
        return b""
    end = text.find(b"\n---\n", 3)
    return text[:end + 5] if end >= 0 else b""


def fill(head: bytes, pattern: str, size: int) -> bytes:
    """Return head followed by the pattern repeated as often as fits in size bytes, ending with a newline."""
    unit = pattern.encode()
    count = (size - len(head) - 1) // len(unit)
    return head + unit * count + b"\n"


def make_project(folder: Path, rel: str, body: bytes | None) -> Path:
    """Copy the bundled project into folder and replace one text (keeping its front matter)."""
    project = folder / "project"
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, project / name)
    if body is not None:
        (project / rel).write_bytes(body)
    return project


def timed(args: list[str], timeout: float, runs: int, cwd: Path) -> Timing:
    """Run build.py with args `runs` times; return the median wall time, the exit status and bytes printed."""
    times, code, printed = [], None, 0
    for _ in range(runs):
        started = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as err:
            return Timing(None, None, len(err.stdout or b"") + len(err.stderr or b""))
        times.append(time.perf_counter() - started)
        code, printed = proc.returncode, len(proc.stdout) + len(proc.stderr)
    return Timing(statistics.median(times), code, printed)


def measure(project: Path, scratch: Path, timeout: float, runs: int) -> tuple[Timing, Timing, int]:
    """Time a build into a fresh folder outside the project, then a check; return both and the site's size."""
    out = scratch / "out"
    shutil.rmtree(out, ignore_errors=True)
    build = timed(["--root", str(project), "--output", str(out)], timeout, runs, scratch)
    check = timed(["check", "--root", str(project)], timeout, runs, scratch)
    written = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if out.is_dir() else 0
    shutil.rmtree(out, ignore_errors=True)
    return build, check, written


def cell(timing: Timing) -> tuple[str, str]:
    """Format seconds and exit status for the table."""
    if timing.seconds is None:
        return "timeout", "-"
    return f"{timing.seconds:.2f}", str(timing.code)


def report(rows: list, runs: int) -> str:
    """Return the results as a line saying how they were taken and a Markdown table."""
    lines = [f"{time.strftime('%Y-%m-%d', time.gmtime())}, {os.cpu_count()} cores, Python {sys.version.split()[0]}. "
             f"Content size limit: {LIMIT:,} bytes. {runs} run{'s' if runs != 1 else ''} per command after a warm-up; "
             "whole processes, wall seconds.", "",
             "| pattern | file | size (bytes) | build s | build exit | check s | check exit "
             "| bytes printed (build / check) | site written (bytes) |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for shown, rel, size, build, check, written in rows:
        lines.append(f"| {shown} | {rel} | {size:,} | {' | '.join(cell(build))} | {' | '.join(cell(check))} | "
                     f"{build.printed:,} / {check.printed:,} | {written:,} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Time every pattern and print the table (and write it with --report)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per command; the median is shown (default 1)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a run is stopped (default 300)")
    parser.add_argument("--report", type=Path, nargs="?", const=Path(__file__).resolve().parent / "pathological.md",
                        default=None, help="also write the table to this file (default bench/pathological.md), "
                        "which bench/run.py copies into BENCHMARKS.md")
    args = parser.parse_args(argv)

    rows = []
    with tempfile.TemporaryDirectory(prefix="jbcc-pathological-") as tmp:
        scratch = Path(tmp)
        bundled = make_project(scratch / "bundled", EN, None)
        measure(bundled, scratch, args.timeout, 1)  # warm-up, not shown
        build, check, written = measure(bundled, scratch, args.timeout, args.runs)
        size = (bundled / EN).stat().st_size
        rows.append(("bundled project (baseline)", "youth-development/en.md", size, build, check, written))
        for shown, pattern, rel in PATTERNS:
            head = front_matter((REPO / rel).read_bytes())
            body = fill(head, pattern, LIMIT)
            project = make_project(scratch / f"case-{len(rows)}", rel, body)
            build, check, written = measure(project, scratch, args.timeout, args.runs)
            rows.append((shown, "/".join(rel.split("/")[-2:]), len(body), build, check, written))
            shutil.rmtree(project.parent)
            print(f"  {shown}: build {cell(build)[0]} s, check {cell(check)[0]} s", file=sys.stderr, flush=True)
        head = front_matter((REPO / EN).read_bytes())
        body = fill(head, "Words and more words. ", 1_000_000)
        project = make_project(scratch / "case-huge", EN, body)
        build, check, written = measure(project, scratch, args.timeout, args.runs)
        rows.append(("1 MB text (over the limit)", "youth-development/en.md", len(body), build, check, written))

    text = report(rows, args.runs)
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
        print(f"written to {args.report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
