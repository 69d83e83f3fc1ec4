"""The results as a terminal table and as BENCHMARKS.md: commands, versions, machine, ratios to Hugo, targets."""

from __future__ import annotations

import os

from devserver import summary
from measure import SAMPLE_EVERY, median

SERVE_TARGETS = {8: 0.050, 5000: 0.300}
NOTES = (
    "The Hugo site (`bench/hugo_site.py`, templates in `bench/hugo_layouts/`) has the same pages, text, "
    "language switcher, hreflang alternates with x-default, canonical, Open Graph and JSON-LD tags, the "
    "converted-text notice on Simplified pages, previous/next links, the list of areas on the home page, "
    "a per-language sitemap with alternates, robots.txt and a fingerprinted stylesheet. Its Simplified text "
    "is converted ahead of time with the same OpenCC hk2s and phrase table (Hugo cannot convert).",
    "Hugo renders the navigation list once per language (`partialCached`) and marks the current page by "
    "replacing its link: the same bytes as rendering it per page, as a Hugo user would write it. Ours "
    "renders it once per language too and splices it into each page with the current link marked. Hugo's internal links go through a link render hook, as ours are rewritten.",
    "Hugo's output has extra files ours lacks (a sitemap index and per-language sitemaps, a redirect at /) "
    "and lacks ours' language chooser and per-language 404 pages: the page counts differ by a few files.",
    "Hugo's dev server runs as `hugo server --renderToDisk --disableFastRender` (full re-render, as 0.111 "
    "does without a browser). Ours: `python build.py serve`.",
    "With `--budget`, a size whose warm-up shows that the timed runs would take longer gets fewer runs "
    "(the runs column); when not even one fits, the warm-up build is the one cold sample.",
    "Other processes may share the machine: the load averages before and after the run are listed above.",
)


def pages(n: int) -> int:
    """Return the content pages of a site with n areas: home, annex and every area, in three languages."""
    return 3 * (n + 2)


def _ms(seconds: float | None, timeout: float) -> str:
    """Format seconds as milliseconds, or as a timeout."""
    return f"> {timeout:.0f} s (timed out)" if seconds is None else f"{seconds * 1000:.0f} ms"


def build_rows(results: dict) -> list[list[str]]:
    """Return one row per size, tool and mode: median wall, CPU, peak RSS, pages/s, ratio to Hugo."""
    rows = []
    for n, size in results["sizes"].items():
        for mode in ("cold", "rebuild"):
            hugo = median(size["builds"]["hugo"][mode]) if "hugo" in size["builds"] else None
            for tool, modes in size["builds"].items():
                m = median(modes[mode])
                ratio = f"{m.wall / hugo.wall:.2f}x" if hugo else "-"
                rows.append([str(n), tool, mode, str(len(modes[mode])), f"{m.wall:.3f}", f"{m.settled:.3f}", f"{m.cpu:.3f}",
                             f"{m.rss_kib / 1024:.0f}", f"{m.tree_pss_kib / 1024:.0f}", f"{pages(n) / m.wall:.0f}", ratio])
    return rows


BUILD_HEAD = ["N", "tool", "build", "runs", "wall s", "all done s", "CPU s", "peak RSS MiB", "peak tree PSS MiB", "pages/s", "wall vs Hugo"]


def serve_rows(results: dict) -> list[list[str]]:
    """Return one row per size, tool and edit kind: the median time from write to rebuilt file."""
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
    """Check the issue's targets against this run; each row says met, missed or not measured."""
    sizes = results["sizes"]
    rows = []
    for n, limit in ((8, 1.5), (1000, 1.0), (5000, 1.0)):
        rows.append(_ratio_target(sizes, n, limit))
    rows.append(_memory_target(sizes))
    for n, limit in SERVE_TARGETS.items():
        rows.append(_serve_target(sizes, n, "body", limit, f"body edit under {limit * 1000:.0f} ms at N={n}"))
    for n in SERVE_TARGETS:
        cold = median(sizes[n]["builds"]["ours"]["cold"]).wall if n in sizes else None
        rows.append(_serve_target(sizes, n, "title", cold / 3 if cold else None, f"title edit under a third of a cold build at N={n}"))
    rows.append(_linear_target(sizes))
    return rows


def _ratio_target(sizes: dict, n: int, limit: float) -> list[str]:
    """Cold-build wall time of ours at most limit times Hugo's at n."""
    name = f"cold build at most {limit}x Hugo's wall time at N={n}"
    if n not in sizes or "hugo" not in sizes[n]["builds"]:
        return [name, "not measured", "-"]
    ratio = median(sizes[n]["builds"]["ours"]["cold"]).wall / median(sizes[n]["builds"]["hugo"]["cold"]).wall
    return [name, "met" if ratio <= limit else "missed", f"{ratio:.2f}x"]


def _memory_target(sizes: dict) -> list[str]:
    """Peak memory of ours below Hugo's at N=5000."""
    name = "peak memory below Hugo's at N=5000"
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


def _linear_target(sizes: dict) -> list[str]:
    """Time per page at N=5000 within 20 % of N=1000."""
    name = "time per page at N=5000 within 20 % of N=1000"
    if 1000 not in sizes or 5000 not in sizes:
        return [name, "not measured", "-"]
    per = {n: median(sizes[n]["builds"]["ours"]["cold"]).wall / pages(n) for n in (1000, 5000)}
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
        "same run. Synthetic content: N areas, each an English and a Traditional Chinese page (~300 words / "
        "~600 characters, 3 headings, 4 paragraphs, a list, an internal and an external link) and a generated "
        "Simplified page; every page's navigation lists every area.",
        "",
        "## Command",
        "",
        "```sh",
        results["command"],
        "```",
        "",
        "Each timed build (`<N>` the size; folders under " + f"`{settings['out']}`):",
        "",
        "```sh",
        *results["build_commands"],
        "```",
        "",
        "## Machine and versions",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        "## Builds",
        "",
        "`cold`: into an empty output folder. `rebuild`: over the output of the previous build. "
        "wall: until the build process exits (the site is in place). all done: until its last descendant exits, "
        "detached ones included (the harness is their subreaper and waits for them before the next build; ours "
        "deletes a replaced output folder in a detached process). "
        "CPU is user + system time of the build process and all its descendants (`os.wait4`); peak RSS "
        "is `ru_maxrss` from the same call: the largest single process, not a sum over worker processes. Peak tree "
        f"PSS sums the proportional set size (shared pages split) of the build and all its descendants, sampled every "
        f"{SAMPLE_EVERY * 1000:.0f} ms from /proc, so it counts memory of all workers at once; the memory target is judged on it. "
        "pages/s counts the 3 × (N + 2) content pages.",
        "",
        table(BUILD_HEAD, build_rows(results)),
        "",
        "## Dev server",
        "",
        f"Time from writing the file to every checked output file holding the new text, polled every "
        f"{settings['poll'] * 1000:.0f} ms (so times are rounded up to the next poll). `body`: a word added to "
        "one area's English paragraph; checked: that page. `title`: a word added to one area's English title, "
        "which changes every page's navigation; checked: that page and another area's page. Edits wait for "
        "the server to go quiet before the next one.",
        "",
        table(SERVE_HEAD, serve_rows(results)),
        "",
        "## Notes",
        "",
        *[f"- {note}" for note in NOTES],
        "",
        "## Targets (issue 6)",
        "",
        table(["target", "result", "measured"], targets(results)),
        "",
    ]
    if results.get("profile"):
        parts += _profile_section(results["profile"])
    return "\n".join(parts)


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
