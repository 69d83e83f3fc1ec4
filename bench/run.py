#!/usr/bin/env python3
"""Benchmark this project's build against Hugo on synthetic sites of N areas; write BENCHMARKS.md.

python bench/run.py --sizes 8,1000,5000 --runs 5
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone
from functools import partial
from importlib import metadata
from pathlib import Path

import devserver
import hugo_site
import ours
import report
from measure import alternate, become_subreaper
from profiling import profile_build
from synth import REPO, make_areas


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,1000,5000", help="numbers of areas, comma-separated (default 8,1000,5000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool and size after one warm-up (default 5)")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds a size's timed builds may take; fewer runs (at least 1) when the warm-up "
                             "says they would take longer (default: no limit)")
    parser.add_argument("--serve-sizes", default=None,
                        help="sizes at which to time the dev servers (default: the smallest and largest size)")
    parser.add_argument("--edits", type=int, default=5, help="dev-server edits of each kind (default 5)")
    parser.add_argument("--edit-timeout", type=float, default=120.0, help="seconds to wait for one rebuild (default 120)")
    parser.add_argument("--ready-timeout", type=float, default=1800.0,
                        help="seconds to wait for a dev server's first build (default 1800)")
    parser.add_argument("--no-hugo", action="store_true", help="time this project only")
    parser.add_argument("--profile", type=int, default=None, metavar="N", help="also profile one cold build of ours at N areas")
    parser.add_argument("--out", type=Path, default=Path("/tmp/jbcc-bench"), help="work folder (default /tmp/jbcc-bench)")
    parser.add_argument("--report", type=Path, default=REPO / "BENCHMARKS.md", help="where to write the report")
    args = parser.parse_args(argv)
    args.sizes = [int(n) for n in args.sizes.split(",")]
    args.serve_sizes = ([int(n) for n in args.serve_sizes.split(",") if n] if args.serve_sizes is not None
                        else sorted({min(args.sizes), max(args.sizes)}))
    if args.runs < 1 or min(args.sizes) < 1:
        parser.error("--runs and every size must be 1 or more")
    if not args.no_hugo and not shutil.which("hugo"):
        parser.error("hugo is not installed (apt-get install hugo), or pass --no-hugo")
    args.out = args.out.resolve()
    return args


def build_commands(project: Path, site: Path, out: Path) -> dict[str, list[str]]:
    """Return the build command of each tool."""
    return {"ours": [sys.executable, str(REPO / "build.py"), "--root", str(project), "--output", str(out / "ours")],
            "hugo": ["hugo", "--quiet", "--source", str(site), "--destination", str(out / "hugo")]}


def bench_size(args: argparse.Namespace, n: int) -> dict:
    """Generate both sites for n areas, time their builds and, if asked, their dev servers."""
    folder = args.out / f"n{n}"
    areas = make_areas(n)
    project = ours.write_project(areas, folder / "ours-src")
    site = hugo_site.write_hugo_site(areas, folder / "hugo-src") if not args.no_hugo else None
    commands = build_commands(project, site, folder / "out")
    tools = {name: (cmd, folder / "out" / name) for name, cmd in commands.items() if name == "ours" or site}
    started = time.perf_counter()
    warm = alternate(tools, 1, cold=True)
    runs = _runs(args, time.perf_counter() - started)
    print(f"N={n}: warm-up took {time.perf_counter() - started:.1f} s; {runs} timed runs", flush=True)
    cold = alternate(tools, runs, cold=True) if runs else warm
    rebuild = alternate(tools, max(runs, 1), cold=False)
    builds = {name: {"cold": [asdict(s) for s in cold[name]], "rebuild": [asdict(s) for s in rebuild[name]]} for name in tools}
    result = {"builds": builds}
    if n in args.serve_sizes:
        result["serve"] = serve_size(args, n, project, site, folder / "serve")
    return result


def _runs(args: argparse.Namespace, warmup: float) -> int:
    """Return how many timed runs fit the budget (0: use the warm-up as the one run)."""
    if args.budget is None or warmup * args.runs * 2 <= args.budget:
        return args.runs
    return int(args.budget // (warmup * 2))


def serve_size(args: argparse.Namespace, n: int, project: Path, site: Path | None, folder: Path) -> dict:
    """Time body and title edits under each tool's dev server."""
    slug, other = f"area-{n // 2 + 1:05d}", f"area-{n:05d}"
    nonce = random.Random(n).randrange(10**6)
    servers = {"ours": (ours, project, [sys.executable, str(REPO / "build.py"), "serve", "--root", str(project), "--output"],
                        "Serving")}
    if site:
        servers["hugo"] = (hugo_site, site, ["hugo", "server", "--source", str(site), "--renderToDisk", "--disableFastRender",
                                             "--bind", "127.0.0.1", "--destination"], "Web Server is available")
    results = {}
    for name, (module, src, cmd, ready) in servers.items():
        out = folder / name
        shutil.rmtree(out, ignore_errors=True)
        server = devserver.Server(cmd + [str(out), "--port", str(devserver.free_port())])
        try:
            if not server.wait_ready(ready, out / f"en/areas/{slug}/index.html", args.ready_timeout):
                status = "exited" if server.proc.poll() is not None else "still building"
                results[name] = f"no first build ({status}; last output: {' / '.join(server.lines[-3:])[-300:]})"
                continue
            edits = {"body": [partial(module.body_edit, src, out, slug, f"Zqb{k}x{nonce}") for k in range(args.edits)],
                     "title": [partial(module.title_edit, src, out, slug, other, f"Zqt{k}x{nonce}") for k in range(args.edits)]}
            results[name] = devserver.measure_server(server, edits, args.edit_timeout)
            if server.proc.poll() is not None:
                results[f"{name} server"] = f"exited {server.proc.returncode}; last output: {' / '.join(server.lines[-3:])[-300:]}"
        finally:
            server.stop()
        print(f"N={n}: {name} dev server {results[name]}", flush=True)
    return results


def code_digest() -> str:
    """Return a short hash of the generator's code and templates, naming the version measured."""
    digest = hashlib.sha256()
    for path in [REPO / "build.py", *sorted((REPO / "microsite").glob("*.py")), *sorted((REPO / "templates").rglob("*.html"))]:
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def machine_info() -> dict:
    """Describe the machine, the tools' versions and the date."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(line.split(":", 1)[1].strip() for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip() if shutil.which("hugo") else "not installed"
    info = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cores (nproc)": os.cpu_count(),
            "CPU": cpu, "memory": mem, "OS": f"{platform.system()} {platform.release()}",
            "python": sys.version.split()[0], "hugo": hugo, "this project's code (sha256 of build.py, microsite/, templates/)": code_digest()}
    for package in ("OpenCC", "markdown-it-py", "Jinja2", "PyYAML", "livereload"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = "not installed"
    return info


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the report."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    args.out.mkdir(parents=True, exist_ok=True)
    become_subreaper()
    info = machine_info()
    info["load average before (1, 5, 15 min)"] = report.load_average()
    results = {"command": "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
               "settings": {"out": str(args.out), "poll": devserver.POLL, "edit_timeout": args.edit_timeout},
               "build_commands": [" ".join(cmd).replace(str(args.out / "n0"), str(args.out) + "/n<N>")
                                  for cmd in build_commands(args.out / "n0/ours-src", args.out / "n0/hugo-src", args.out / "n0/out").values()
                                  if cmd[0] != "hugo" or not args.no_hugo],
               "sizes": {}, "info": info}
    if args.profile:
        project = ours.write_project(make_areas(args.profile), args.out / f"profile-n{args.profile}/ours-src")
        results["profile"] = {"n": args.profile, **profile_build(project, args.out / f"profile-n{args.profile}/out",
                                                                  args.out / f"profile-n{args.profile}/build.prof")}
    for n in args.sizes:
        results["sizes"][n] = bench_size(args, n)
        info["load average after (1, 5, 15 min)"] = report.load_average()
        _save(args, results)
    print(report.table(report.BUILD_HEAD, report.build_rows(_with_samples(results))))
    print(report.table(report.SERVE_HEAD, report.serve_rows(results)))
    print(f"Wrote {args.report}")
    return 0


def _save(args: argparse.Namespace, results: dict) -> None:
    """Write results.json and the report with the sizes measured so far."""
    (args.out / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    args.report.write_text(report.markdown(_with_samples(results)), encoding="utf-8")


def _with_samples(results: dict) -> dict:
    """Return results with build samples as Sample objects, for the report."""
    from measure import Sample

    sizes = {n: {**size, "builds": {tool: {mode: [Sample(**s) for s in samples] for mode, samples in modes.items()}
                                     for tool, modes in size["builds"].items()}}
             for n, size in results["sizes"].items()}
    return {**results, "sizes": sizes}


if __name__ == "__main__":
    sys.exit(main())
