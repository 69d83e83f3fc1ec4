"""One cold build of ours (bounded shape) under cProfile on one core, summarised: where the time goes, by stage and by function."""

from __future__ import annotations

import os
import pstats
import subprocess
import sys
from pathlib import Path

from measure import empty
from ours import build_command, environment

LIBRARIES = {"yaml": "/yaml/", "markdown-it": "/markdown_it/", "opencc": "/opencc/", "jinja2": "/jinja2/",
             "templates (compiled Jinja code)": "/templates/", "markupsafe": "/markupsafe/"}


def profile_build(project: Path, out: Path, prof: Path) -> dict:
    """Profile one cold build of the project; return stages, libraries and top functions."""
    empty(out)
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), *build_command(project, out)[1:]]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, preexec_fn=_one_core, env=environment())
    stats = pstats.Stats(str(prof))
    total = max(cum for (_, _, _, cum, _) in stats.stats.values())
    return {"command": " ".join(cmd), "total": total, "stages": _stages(stats),
            "libraries": _libraries(stats), "top": _top(stats, 20)}


def _one_core() -> None:
    """Pin the build to one core, so that a build rendering in one process per core stays in the profiled one."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _stages(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Return the 25 functions of build.py and microsite/ with the most cumulative seconds."""
    rows = []
    for (filename, line, name), (_, _, _, cum, _) in stats.stats.items():
        rel = filename.replace("\\", "/")
        if (rel.endswith("/build.py") or "/microsite/" in rel) and name != "<module>":
            rows.append((f"{Path(filename).name}:{name}", cum))
    return sorted(rows, key=lambda row: -row[1])[:25]


def _libraries(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Return seconds inside each library's own code (tottime), in file-system calls, and importing (cumtime)."""
    totals = dict.fromkeys(list(LIBRARIES) + ["file system calls"], 0.0)
    for (filename, _, name), (_, _, tottime, cum, _) in stats.stats.items():
        for lib, marker in LIBRARIES.items():
            if marker in filename:
                totals[lib] += tottime
        if filename == "~" and ("posix." in name or "io.open" in name or "_io.Buffered" in name):
            totals["file system calls"] += tottime
        if name == "_find_and_load" and "importlib._bootstrap" in filename:
            totals["imports (cumulative)"] = cum
    return sorted(totals.items(), key=lambda row: -row[1])


def _top(stats: pstats.Stats, n: int) -> list[tuple[str, int, float, float]]:
    """Return the n functions with the most time of their own: name, calls, tottime, cumtime."""
    rows = [(f"{_short(filename)}:{line}({name})", calls, tottime, cum)
            for (filename, line, name), (_, calls, tottime, cum, _) in stats.stats.items()]
    return sorted(rows, key=lambda row: -row[2])[:n]


def _short(filename: str) -> str:
    """Shorten a path to its package-relative tail."""
    parts = Path(filename).parts
    for anchor in ("site-packages", "microsite", "lib"):
        if anchor in parts:
            i = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[i + (1 if anchor != "microsite" else 0):])
    return filename
