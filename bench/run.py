#!/usr/bin/env python3
"""Benchmark this project's build against Hugo on synthetic sites of N areas in two shapes; write BENCHMARKS.md.

python bench/run.py --sizes 8,1000,5000 --runs 5

Shapes (bench/synth.py): `bounded`, the generator's default list_limit, where past that many areas each
page's navigation shows the areas around the current one and the list of areas has list pages; `full`,
where every page's navigation lists every area. For each size and shape both sites are generated, built
once to warm up (and their output summarised, to show the work is equal), then built cold and as
rebuilds, alternating the tools. The dev servers are timed over HTTP at the serve sizes, in one shape.
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
from measure import Sample, Tool, alternate, become_subreaper
from output import summarise
from profiling import profile_build
from synth import REPO, SHAPES, make_areas


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,1000,5000", help="numbers of areas, comma-separated (default 8,1000,5000)")
    parser.add_argument("--shapes", default=",".join(SHAPES),
                        help=f"site shapes to build, comma-separated, from {', '.join(SHAPES)} (default both)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool, size and shape after one warm-up (default 5)")
    parser.add_argument("--budget", type=float, default=None,
                        help="seconds the timed builds of one size and shape may take; fewer runs (at least 1) when "
                             "the warm-up says they would take longer (default: no limit)")
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
    asked = {shape.strip() for shape in args.shapes.split(",") if shape.strip()}
    if not asked or asked - set(SHAPES):
        parser.error(f"--shapes takes {' and/or '.join(SHAPES)}, comma-separated")
    args.shapes = [shape for shape in SHAPES if shape in asked]
    args.serve_sizes = ([int(n) for n in args.serve_sizes.split(",") if n] if args.serve_sizes is not None
                        else sorted({min(args.sizes), max(args.sizes)}))
    if args.runs < 1 or min(args.sizes) < 1:
        parser.error("--runs and every size must be 1 or more")
    if not args.no_hugo and not shutil.which("hugo"):
        parser.error("hugo is not installed (apt-get install hugo), or pass --no-hugo")
    args.out = args.out.resolve()
    return args


def serve_shape(shapes: list[str]) -> str:
    """Return the shape whose dev servers are timed: bounded, the generator's default, when it is measured."""
    return "bounded" if "bounded" in shapes else shapes[0]


def bench_size(args: argparse.Namespace, n: int) -> dict:
    """Time both tools' builds of n areas in each shape and, at a serve size, their dev servers."""
    areas = make_areas(n)
    result = {"shapes": {shape: bench_shape(args, n, shape, areas) for shape in args.shapes}}
    if n in args.serve_sizes:
        folder = args.out / f"n{n}" / serve_shape(args.shapes)
        result["serve"] = serve_size(args, n, folder / "ours-src", None if args.no_hugo else folder / "hugo-src")
    return result


def tools_for(folder: Path, project: Path, site: Path | None) -> dict[str, Tool]:
    """Return each tool's build of its source folder into folder/out/<tool>."""
    tools = {"ours": Tool(ours.build_command(project, folder / "out/ours"), folder / "out/ours", ours.environment())}
    if site is not None:
        tools["hugo"] = Tool(hugo_site.build_command(site, folder / "out/hugo"), folder / "out/hugo")
    return tools


def bench_shape(args: argparse.Namespace, n: int, shape: str, areas: list) -> dict:
    """Generate both sites of one shape, build them once to warm up and summarise their output, then time them."""
    folder = args.out / f"n{n}" / shape
    project = ours.write_project(areas, folder / "ours-src", shape)
    site = None if args.no_hugo else hugo_site.write_hugo_site(areas, folder / "hugo-src", shape)
    tools = tools_for(folder, project, site)
    started = time.perf_counter()
    warm = alternate(tools, 1, cold=True)
    warmup = time.perf_counter() - started
    output = {name: summarise(tool.out) for name, tool in tools.items()}
    runs = _runs(args, warmup)
    print(f"N={n} {shape}: warm-up took {warmup:.1f} s; {runs} timed runs", flush=True)
    cold = alternate(tools, runs, cold=True) if runs else warm
    rebuild = alternate(tools, max(runs, 1), cold=False)
    builds = {name: {"cold": [asdict(s) for s in cold[name]], "rebuild": [asdict(s) for s in rebuild[name]]} for name in tools}
    return {"builds": builds, "output": output}


def _runs(args: argparse.Namespace, warmup: float) -> int:
    """Return how many timed runs fit the budget (0: use the warm-up as the one run)."""
    if args.budget is None or warmup * args.runs * 2 <= args.budget:
        return args.runs
    return int(args.budget // (warmup * 2))


def serve_size(args: argparse.Namespace, n: int, project: Path, site: Path | None) -> dict:
    """Time body and title edits under each tool's dev server; a title edit is checked on its page and the next."""
    number = n // 2 + 1
    slug = f"area-{number:05d}"
    neighbour = f"area-{number + 1:05d}" if number < n else f"area-{max(number - 1, 1):05d}"
    nonce = random.Random(n).randrange(10**6)
    servers = {"ours": (ours, project, ours.environment())}
    if site:
        servers["hugo"] = (hugo_site, site, None)
    results = {}
    for name, (module, src, env) in servers.items():
        port = devserver.free_port()
        server = devserver.Server(module.serve_command(src, port), port, env, args.edit_timeout)
        try:
            if not server.wait_ready(f"en/areas/{slug}/", args.ready_timeout):
                status = "exited" if server.proc.poll() is not None else "still building"
                results[name] = f"no first build ({status}; last output: {' / '.join(server.lines[-3:])[-300:]})"
                continue
            edits = {"body": [partial(module.body_edit, src, slug, f"Zqb{k}x{nonce}") for k in range(args.edits)],
                     "title": [partial(module.title_edit, src, slug, neighbour, f"Zqt{k}x{nonce}") for k in range(args.edits)]}
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
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    become_subreaper()
    ours.compile_generator()
    info = machine_info()
    info["load average before (1, 5, 15 min)"] = report.load_average()
    results = {"command": "python bench/run.py " + " ".join(argv),
               "settings": {"out": str(args.out), "poll": devserver.POLL, "edit_timeout": args.edit_timeout,
                            "shapes": args.shapes, "serve_shape": serve_shape(args.shapes),
                            "ours_environment": f"{ours.NO_BYTECODE} removed; python -m compileall -q microsite build.py "
                                                "run before timing"},
               "build_commands": _command_templates(args), "sizes": {}, "info": info}
    results["floor"] = ours.start_up_floor(max(args.runs, 5))
    if args.profile:
        folder = args.out / f"profile-n{args.profile}"
        project = ours.write_project(make_areas(args.profile), folder / "ours-src")
        results["profile"] = {"n": args.profile, **profile_build(project, folder / "out", folder / "build.prof")}
    for n in args.sizes:
        results["sizes"][n] = bench_size(args, n)
        info["load average after (1, 5, 15 min)"] = report.load_average()
        _save(args, results)
    for shape in args.shapes:
        print(f"Builds, {shape}:")
        print(report.table(report.BUILD_HEAD, report.build_rows(_with_samples(results), shape)))
    print(f"Dev servers, {serve_shape(args.shapes)}:")
    print(report.table(report.SERVE_HEAD, report.serve_rows(results)))
    print(f"Wrote {args.report}")
    return 0


def _command_templates(args: argparse.Namespace) -> list[str]:
    """Return each tool's build command with the size and shape as <N> and <shape>."""
    folder = Path(f"{args.out}/n<N>/<shape>")
    tools = tools_for(folder, folder / "ours-src", None if args.no_hugo else folder / "hugo-src")
    return [" ".join(tool.cmd) for tool in tools.values()]


def _save(args: argparse.Namespace, results: dict) -> None:
    """Write results.json and the report with the sizes measured so far."""
    (args.out / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    args.report.write_text(report.markdown(_with_samples(results)), encoding="utf-8")


def _with_samples(results: dict) -> dict:
    """Return results with build samples as Sample objects, for the report."""
    sizes = {n: {**size, "shapes": {name: _shape_samples(shape) for name, shape in size["shapes"].items()}}
             for n, size in results["sizes"].items()}
    return {**results, "sizes": sizes}


def _shape_samples(shape: dict) -> dict:
    """Return one shape's results with its build samples as Sample objects."""
    return {**shape, "builds": {tool: {mode: [Sample(**s) for s in samples] for mode, samples in modes.items()}
                                for tool, modes in shape["builds"].items()}}


if __name__ == "__main__":
    sys.exit(main())
