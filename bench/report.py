"""The results as terminal tables and as BENCHMARKS.md: commands, versions, machine, one build table per shape,
each tool's output per shape (equal work), the dev servers, ratios to Hugo, targets."""

from __future__ import annotations

import os
from pathlib import Path

from devserver import summary
from measure import SAMPLE_EVERY, median
from output import GZIP_LEVEL
from synth import DEFAULT_LIST_LIMIT, NAV_WINDOW, list_pages

SERVE_TARGETS = {8: 0.050, 5000: 0.300}  # body edit, seconds
TITLE_TARGETS = {5000: 1.0}  # title edit, seconds
PAGE_BUDGET = 14 * 1024  # the largest page gzipped with its stylesheet, bytes (tests/test_quality.py)
TARGET_SHAPE = "bounded"  # the shape the targets are judged on; the full list is shown for comparison
PATHOLOGICAL = Path(__file__).resolve().parent / "pathological.md"
SHAPE_TITLES = {
    "bounded": f"bounded navigation (the default list_limit, {DEFAULT_LIST_LIMIT})",
    "full": "full list (list_limit raised to N: every page's navigation lists every area)",
}
SHAPE_TEXT = {
    "bounded": f"The generator's default: with more than {DEFAULT_LIST_LIMIT} areas, each page's navigation lists the "
               f"{2 * NAV_WINDOW + 1} areas around the current one (\"Areas X to Y of N\" and a link \"All N areas\" to the "
               f"list page holding it), the home page lists the first {DEFAULT_LIST_LIMIT} areas with a pager, and list "
               f"pages `/<lang>/area-list/<n>/` hold the rest, {DEFAULT_LIST_LIMIT} each. With N up to "
               f"{DEFAULT_LIST_LIMIT} every page lists every area, as in the full list.",
    "full": f"`list_limit` is set to N (at least {DEFAULT_LIST_LIMIT}) in the synthetic `content/site.yaml` (Hugo: the "
            "same `listLimit`), so every page's navigation and the home page list all N areas: the page count grows "
            "with N and each page's size too, so the output grows with N².",
}
NOTES = (
    "Our builds and dev server run without `PYTHONDONTWRITEBYTECODE` in their environment (the harness removes it "
    "if it is set), and `python -m compileall -q microsite build.py` runs once before anything is timed: the "
    "generator's modules load from bytecode, as on a Python user's machine after the first run. Nothing that "
    "caches output is set: each cold build reads every source and writes every page into an empty folder. The "
    "generator keeps its compiled templates in the project's `.cache/` folder between runs, as it does for a user.",
    "The Hugo site (`bench/hugo_site.py`, templates in `bench/hugo_layouts/`) mirrors the project's templates in "
    "both shapes, switched by the site parameter `listLimit` as ours by `list_limit`: the same pages, text, "
    "language switcher, hreflang alternates with x-default, canonical, Open Graph and JSON-LD tags, the "
    "converted-text notice on Simplified pages, previous/next links, the same navigation (every area, or the "
    "areas around the current one with the \"Areas X to Y of N\" line and the \"All N areas\" link to the right "
    "list page), the same home-page list with its pager and the same list pages at `/<lang>/area-list/<n>/` "
    "(content pages of their own, so each has its own title, canonical address and alternates), a per-language "
    "sitemap with alternates, robots.txt and a fingerprinted stylesheet and icon. Its Simplified text is "
    "converted ahead of time with the same OpenCC hk2s and phrase table (Hugo cannot convert).",
    "When every page lists every area, Hugo renders the list once per language (`partialCached`) and marks the "
    "current page by replacing its link: the same bytes as rendering it per page, as a Hugo user would write it. "
    "The bounded navigation is rendered per page in both. Hugo's internal links go through a link render hook, as "
    "ours are rewritten.",
    "Ours renders every page's navigation in the template, with the current page marked, and keeps no rendered "
    "navigation between pages: one render path, with nothing spliced into pages afterwards. In the bounded shape "
    "that is 7 links a page; in the full list it is N links on each of 3 × N pages, which is why ours falls behind "
    "Hugo's cached list there. The full list is not a target: past `list_limit` areas (60 by default) the generator "
    "bounds the navigation.",
    "A rebuild of ours writes the new site beside the old one, exchanges the two folders in one step, then deletes "
    "the old site before it exits, so its wall time includes deleting every file of the previous build; Hugo "
    "overwrites its files in place. A cold build has nothing to delete.",
    "At N=8 a build is mostly the start-up of Python and its libraries: see the start-up floor below the build "
    "tables.",
    "In the profile, files are written on four threads, which cProfile does not see: file-system time is shown for "
    "the main thread only.",
    "Not mirrored: the home page's facts list and dateline (Hugo's home page has the date and place line), the "
    "place of the home page's list of areas (Hugo's comes after the home text, ours where the text says `[[areas]]`), the "
    "English annex's links to its Chinese versions, ours' language chooser and root 404 page at / (Hugo writes a "
    "redirect there, and a sitemap index and per-language sitemaps), ours' share images and host rules "
    "(`_headers`, `_redirects`). The output tables show what these differences come to.",
    "Dev servers: ours is `python build.py serve --root <project> --port <port>`; Hugo's is `hugo server "
    "--source <site> --disableFastRender --bind 127.0.0.1 --port <port>`: `--disableFastRender` makes Hugo "
    "re-render every page after a change, not only the pages a browser has open, as ours rebuilds the whole site "
    "(reusing the results of steps whose inputs did not change). Both serve from memory and keep live reload on, "
    "the default of both (each puts its live-reload script into the pages it serves and signals connected browsers "
    "after a rebuild; no browser is connected while timing).",
    "With `--budget`, a size and shape whose warm-up shows that the timed runs would take longer gets fewer runs "
    "(the runs column); when not even one fits, the warm-up build is the one cold sample.",
    "Other processes may share the machine: the load averages before and after the run are listed above.",
)


def pages(n: int, shape: str) -> int:
    """Return the HTML pages a site of n areas has in every language: home, annex, every area, list pages 2 and on."""
    return 3 * (n + 2 + list_pages(shape, n) - 1)


def _ms(seconds: float | None, timeout: float) -> str:
    """Format seconds as milliseconds, or as a timeout."""
    return f"> {timeout:.0f} s (timed out)" if seconds is None else f"{seconds * 1000:.0f} ms"


def _measured(results: dict, shape: str):
    """Yield (n, that size's results in shape) for every size measured in shape."""
    for n, size in results["sizes"].items():
        if shape in size.get("shapes", {}):
            yield n, size["shapes"][shape]


def build_rows(results: dict, shape: str) -> list[list[str]]:
    """Return one row per size, tool and mode in one shape: median wall, CPU, memory, pages/s, ratio to Hugo."""
    rows = []
    for n, measured in _measured(results, shape):
        builds = measured["builds"]
        for mode in ("cold", "rebuild"):
            hugo = median(builds["hugo"][mode]) if "hugo" in builds else None
            for tool, modes in builds.items():
                m = median(modes[mode])
                ratio = f"{m.wall / hugo.wall:.2f}x" if hugo else "-"
                rows.append([str(n), tool, mode, str(len(modes[mode])), f"{m.wall:.3f}", f"{m.settled:.3f}", f"{m.cpu:.3f}",
                             f"{m.rss_kib / 1024:.0f}", f"{m.tree_pss_kib / 1024:.0f}",
                             f"{pages(int(n), shape) / m.wall:.0f}", ratio])
    return rows


BUILD_HEAD = ["N", "tool", "build", "runs", "wall s", "all done s", "CPU s", "peak RSS MiB", "peak tree PSS MiB", "pages/s",
              "wall vs Hugo"]


def output_rows(results: dict, shape: str) -> list[list[str]]:
    """Return one row per size and tool in one shape: what the warm-up build wrote."""
    rows = []
    for n, measured in _measured(results, shape):
        for tool, out in measured["output"].items():
            rows.append([str(n), tool, f"{out['files']:,}", f"{out['bytes'] / 1024:,.0f}", f"{out['pages']:,}",
                         f"{out['page_bytes'] / 1024:,.0f}", f"`{out['largest']}`", f"{out['largest_bytes']:,}",
                         f"{out['largest_gzip']:,}", f"{out['css_gzip']:,}" if "css_gzip" in out else "-"])
    return rows


OUTPUT_HEAD = ["N", "tool", "files", "all files KiB", "HTML pages", "HTML KiB", "largest page", "its bytes", "its gzip bytes",
               "stylesheets gzip bytes"]


def serve_rows(results: dict) -> list[list[str]]:
    """Return one row per size, tool and edit kind: the median time from write to the page served with the edit."""
    rows = []
    timeout = results["settings"]["edit_timeout"]
    for n, size in results["sizes"].items():
        for tool, kinds in size.get("serve", {}).items():
            if isinstance(kinds, str):
                rows.append([str(n), tool, "-", "-", kinds, "-"])
                continue
            for kind, times in kinds.items():
                every = ", ".join(_ms(t, timeout) for t in times)
                rows.append([str(n), tool, kind, str(len(times)), _ms(summary(times), timeout), every])
    return rows


SERVE_HEAD = ["N", "tool", "edit", "edits", "median", "each edit"]


def table(head: list[str], rows: list[list[str]]) -> str:
    """Return a Markdown table."""
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def targets(results: dict) -> list[list[str]]:
    """Check issue 13's targets against this run, on the bounded shape; each row says met, missed or not measured."""
    shape = TARGET_SHAPE
    sizes = dict(_measured(results, shape)) if shape in results["settings"]["shapes"] else {}
    rows = [_ratio_target(sizes, n, limit, shape) for n, limit in ((8, 1.5), (1000, 1.0), (5000, 1.0))]
    rows += [_memory_target(sizes, shape), _linear_target(sizes, shape), _budget_target(sizes, 1000, shape)]
    serve = results["settings"]["serve_shape"]
    for n, limit in SERVE_TARGETS.items():
        rows.append(_serve_target(results["sizes"], n, "body", limit, f"body edit under {limit * 1000:.0f} ms at N={n}, {serve}"))
    for n, limit in TITLE_TARGETS.items():
        rows.append(_serve_target(results["sizes"], n, "title", limit, f"title edit under {limit:.0f} s at N={n}, {serve}"))
    return rows


def _budget_target(sizes: dict, n: int, shape: str) -> list[str]:
    """Our largest page at n, gzipped, plus the stylesheet, within the page budget."""
    name = f"largest page at N={n} with its stylesheet, gzip, at most {PAGE_BUDGET // 1024} KB, {shape}"
    if n not in sizes:
        return [name, "not measured", "-"]
    out = sizes[n]["output"]["ours"]
    if "css_gzip" not in out:
        return [name, "not measured", "-"]
    total = out["largest_gzip"] + out["css_gzip"]
    return [name, "met" if total <= PAGE_BUDGET else "missed",
            f"{out['largest_gzip']:,} + {out['css_gzip']:,} = {total:,} bytes"]


def _ratio_target(sizes: dict, n: int, limit: float, shape: str) -> list[str]:
    """Cold-build wall time of ours at most limit times Hugo's at n."""
    name = f"cold build at most {limit}x Hugo's wall time at N={n}, {shape}"
    if n not in sizes or "hugo" not in sizes[n]["builds"]:
        return [name, "not measured", "-"]
    ratio = median(sizes[n]["builds"]["ours"]["cold"]).wall / median(sizes[n]["builds"]["hugo"]["cold"]).wall
    return [name, "met" if ratio <= limit else "missed", f"{ratio:.2f}x"]


def _memory_target(sizes: dict, shape: str) -> list[str]:
    """Peak memory of ours below Hugo's at N=5000."""
    name = f"peak memory below Hugo's at N=5000, {shape}"
    if 5000 not in sizes or "hugo" not in sizes[5000]["builds"]:
        return [name, "not measured", "-"]
    ours = median(sizes[5000]["builds"]["ours"]["cold"]).tree_pss_kib
    hugo = median(sizes[5000]["builds"]["hugo"]["cold"]).tree_pss_kib
    return [name, "met" if ours < hugo else "missed", f"tree PSS {ours / 1024:.0f} vs {hugo / 1024:.0f} MiB"]


def _serve_target(sizes: dict, n: int, kind: str, limit: float | None, name: str) -> list[str]:
    """The dev server's median rebuild after an edit of kind, under limit seconds."""
    times = sizes.get(n, {}).get("serve", {}).get("ours", {})
    times = times.get(kind) if isinstance(times, dict) else None
    if not times or limit is None:
        return [name, "not measured", "-"]
    if None in times:
        return [name, "missed", "timed out"]
    took = summary(times)
    return [name, "met" if took < limit else "missed", f"{took * 1000:.0f} ms (limit {limit * 1000:.0f} ms)"]


def _linear_target(sizes: dict, shape: str) -> list[str]:
    """Time per page at N=5000 within 20 % of N=1000."""
    name = f"time per page at N=5000 within 20 % of N=1000, {shape}"
    if 1000 not in sizes or 5000 not in sizes:
        return [name, "not measured", "-"]
    per = {n: median(sizes[n]["builds"]["ours"]["cold"]).wall / pages(n, shape) for n in (1000, 5000)}
    growth = per[5000] / per[1000]
    return [name, "met" if growth <= 1.2 else "missed", f"{per[1000] * 1e3:.2f} -> {per[5000] * 1e3:.2f} ms/page ({growth:.2f}x)"]


def markdown(results: dict) -> str:
    """Return the whole of BENCHMARKS.md."""
    info, settings = results["info"], results["settings"]
    parts = [
        "# Benchmarks",
        "",
        "Written by `bench/run.py`; rerun it to replace this file. Numbers are medians of whole-process builds "
        "timed in one run, alternating this project and Hugo, after one warm-up pair. Ratios are to Hugo in the "
        "same run and the same shape. Synthetic content: N areas, each an English and a Traditional Chinese page "
        "(~300 words / ~600 characters, 3 headings, 4 paragraphs, a list, an internal and an external link) and a "
        "generated Simplified page, built in two shapes that differ only in how much of the list of areas each page "
        "shows (below). Every table names its shape.",
        "",
        "## Command",
        "",
        "```sh",
        results["command"],
        "```",
        "",
        "Each timed build (`<N>` the size, `<shape>` the shape; folders under " + f"`{settings['out']}`):",
        "",
        "```sh",
        *results["build_commands"],
        "```",
        "",
        f"Our commands' environment: {settings['ours_environment']} (see the notes).",
        "",
        "## Machine and versions",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        "## How builds are measured",
        "",
        "`cold`: into an empty output folder. `rebuild`: over the output of the previous build. "
        "wall: until the build process exits (the site is in place). all done: until its last descendant exits, "
        "detached ones included (the harness is their subreaper and waits for them before the next build; ours "
        "deletes a replaced output folder in a detached process). "
        "CPU is user + system time of the build process and all its descendants (`os.wait4`); peak RSS "
        "is `ru_maxrss` from the same call: the largest single process, not a sum over worker processes. Peak tree "
        f"PSS sums the proportional set size (shared pages split) of the build and all its descendants, sampled every "
        f"{SAMPLE_EVERY * 1000:.0f} ms from /proc, so it counts memory of all workers at once; the memory target is "
        "judged on it. pages/s counts the HTML pages of the site in its shape: 3 × (N + 2) content pages, plus 3 per "
        "list page after the first.",
        "",
        "The output tables describe what each tool wrote in the warm-up build of that size and shape, so that the "
        "work can be compared: every file, the HTML pages among them, and the largest page (its bytes, and gzipped "
        f"at level {GZIP_LEVEL}).",
        "",
    ]
    for shape in settings["shapes"]:
        parts += _shape_section(results, shape)
    parts += _floor_section(results)
    parts += [
        f"## Dev server, {settings['serve_shape']} shape",
        "",
        f"Timed in the {settings['serve_shape']} shape only. Time from writing the source file to the dev server "
        f"answering `GET http://127.0.0.1:<port>/<page>` with a page holding the new text, for every checked page, "
        f"polled every {settings['poll'] * 1000:.0f} ms over one kept-alive connection (so times include an HTTP "
        "round trip and are rounded up to the next poll). Both servers serve from memory. `body`: a word added to "
        "the middle area's English paragraph; checked: that page. `title`: a word added to the middle area's English "
        "title, which shows on its page and, through the navigation and the previous/next links, on its neighbours' "
        "pages (with every area listed, on every page); checked: that page and the next area's page. Edits wait for "
        "the server to go quiet before the next one.",
        "",
        table(SERVE_HEAD, serve_rows(results)),
        "",
        "## Notes",
        "",
        *[f"- {note}" for note in NOTES],
        "",
        "## Targets (issue 13)",
        "",
        f"Judged on the {TARGET_SHAPE} shape (at N=8 the two shapes are the same site); the full-list tables above "
        "are for comparison only.",
        "",
        table(["target", "result", "measured"], targets(results)),
        "",
    ]
    parts += _pathological_section()
    if results.get("profile"):
        parts += _profile_section(results["profile"])
    return "\n".join(parts)


def _shape_section(results: dict, shape: str) -> list[str]:
    """Return one shape's build table and output table as Markdown."""
    return [
        f"## Builds, {SHAPE_TITLES[shape]}",
        "",
        SHAPE_TEXT[shape],
        "",
        table(BUILD_HEAD, build_rows(results, shape)),
        "",
        f"### Output of each tool, {shape} shape (equal work)",
        "",
        table(OUTPUT_HEAD, output_rows(results, shape)),
        "",
    ]


def _floor_section(results: dict) -> list[str]:
    """Return the start-up floor: what any Python build pays before reading a source, next to Hugo's N=8 build."""
    floor = results.get("floor")
    if not floor:
        return []
    sizes = dict(_measured(results, TARGET_SHAPE))
    hugo = median(sizes[8]["builds"]["hugo"]["cold"]).wall if 8 in sizes and "hugo" in sizes[8]["builds"] else None
    ours = median(sizes[8]["builds"]["ours"]["cold"]).wall if 8 in sizes else None
    rows = [[f"`{command}`", f"{seconds * 1000:.0f} ms"] for command, seconds in floor.items()]
    if ours is not None:
        rows.append(["our cold build at N=8", f"{ours * 1000:.0f} ms"])
    if hugo is not None:
        rows.append(["Hugo's cold build at N=8", f"{hugo * 1000:.0f} ms"])
    return ["## Start-up floor", "",
            "A build of the bundled site's size is mostly start-up. Medians of whole processes in our commands' "
            "environment, timed in the same run: starting Python, and starting it and importing the five libraries "
            "every build needs (nothing of this project). 1.5x Hugo's N=8 time is the issue's target; the import "
            "line shows how much of it is left for the build itself.", "",
            table(["what", "wall"], rows), ""]


def _pathological_section() -> list[str]:
    """Return the last table of bench/pathological.py, if it has written one."""
    if not PATHOLOGICAL.is_file():
        return []
    return ["## Pathological texts", "",
            "From `bench/pathological.py --report`, run separately (its own date and machine are in the table's "
            "first line); `bench/run.py` copies the last one here. One text filled to the content size limit with "
            "one pattern, to show that no text an editor can save makes a build or a check slow or its output huge.",
            "", PATHOLOGICAL.read_text(encoding="utf-8").strip(), ""]


def _profile_section(profile: dict) -> list[str]:
    """Return the profile of one cold build as Markdown."""
    stages = [[name, f"{cum:.2f}", f"{cum / profile['total'] * 100:.0f} %"] for name, cum in profile["stages"]]
    libs = [[name, f"{sec:.2f}", f"{sec / profile['total'] * 100:.0f} %"] for name, sec in profile["libraries"]]
    top = [[name, str(calls), f"{tot:.2f}", f"{cum:.2f}"] for name, calls, tot, cum in profile["top"]]
    return [
        f"## Profile: one cold build of ours at N={profile['n']}", "",
        f"`{profile['command']}`, pinned to one core (cProfile sees one process, and the build renders in one "
        f"process per core it may use). cProfile adds overhead: {profile['total']:.1f} s in total under the profiler.", "",
        "Stages (the project's functions with the most cumulative time):", "",
        table(["function", "s", "share"], stages), "",
        "By library (time in its own code) and file-system calls:", "",
        table(["where", "s", "share"], libs), "",
        "Top functions by own time:", "",
        table(["function", "calls", "own s", "cumulative s"], top), "",
    ]


def load_average() -> str:
    """Return the 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
