"""This generator's side: the synthetic project folder, its build and serve commands, and its edits."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from devserver import Edit
from synth import REPO, Area, list_limit

COPIED = ("templates", "static", "content/ui", "content/home", "content/annex", "content/phrases.yaml")
# A Python user's interpreter writes bytecode; this variable, if set around the harness, would make every build
# compile the generator's own modules from source again.
NO_BYTECODE = "PYTHONDONTWRITEBYTECODE"


def environment() -> dict[str, str]:
    """Return the environment our commands run in: the harness's, with writing bytecode allowed."""
    return {key: value for key, value in os.environ.items() if key != NO_BYTECODE}


def compile_generator() -> None:
    """Compile build.py and microsite/ to bytecode, as a first run on a user's machine leaves them."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "microsite", "build.py"], cwd=REPO, env=environment(),
                   check=True, stdout=subprocess.DEVNULL)


# What a Python build cannot go below: the interpreter starting, then importing the libraries every build uses.
FLOOR = {"python -c pass": "pass",
         "python -c 'import jinja2, markupsafe, markdown_it, yaml, opencc'": "import jinja2, markupsafe, markdown_it, yaml, opencc"}


def start_up_floor(runs: int) -> dict[str, float]:
    """Return the median wall seconds of each FLOOR command over runs runs, in our commands' environment."""
    import statistics
    import time

    floor = {}
    for shown, code in FLOOR.items():
        times = []
        for _ in range(runs + 1):  # the first warms the disk cache and is not counted
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=environment(), check=True)
            times.append(time.perf_counter() - started)
        floor[shown] = statistics.median(times[1:])
    return floor


def build_command(project: Path, out: Path) -> list[str]:
    """Return the command that builds the project into out."""
    return [sys.executable, str(REPO / "build.py"), "--root", str(project), "--output", str(out)]


def serve_command(project: Path, port: int) -> list[str]:
    """Return the command that serves the project from memory on 127.0.0.1:port."""
    return [sys.executable, str(REPO / "build.py"), "serve", "--root", str(project), "--port", str(port)]


def write_project(areas: list[Area], folder: Path, shape: str = "bounded") -> Path:
    """Write a complete project folder (content/, templates/, static/) for these areas in a shape; return it."""
    shutil.rmtree(folder, ignore_errors=True)
    for rel in COPIED:
        source = REPO / rel
        if source.is_dir():
            shutil.copytree(source, folder / rel)
        else:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / rel)
    (folder / "content/site.yaml").write_text(_site_yaml(areas, shape), encoding="utf-8")
    for area in areas:
        _write_area(area, folder / "content/areas" / area.slug)
    return folder


def _site_yaml(areas: list[Area], shape: str) -> str:
    """Return the bundled site.yaml with these areas' slugs; the full shape also sets list_limit (bounded keeps the default)."""
    text = (REPO / "content/site.yaml").read_text(encoding="utf-8")
    head = re.split(r"(?m)^areas:\s*$", text)[0]
    head = re.sub(r"(?m)^list_limit:.*\n", "", head)
    if shape != "bounded":
        head += f"list_limit: {list_limit(shape, len(areas))}\n"
    return head + "areas:\n" + "".join(f"  - {area.slug}\n" for area in areas)


def _write_area(area: Area, folder: Path) -> None:
    """Write one area's area.yaml, en.md and zh-hant.md."""
    folder.mkdir(parents=True)
    lines = [f"slug: {area.slug}", f"order: {area.order}", "title:"]
    lines += [f"  {lang}: {json.dumps(text, ensure_ascii=False)}" for lang, text in area.title.items()]
    lines += ["summary:"] + [f"  {lang}: {json.dumps(text, ensure_ascii=False)}" for lang, text in area.summary.items()]
    (folder / "area.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for lang, text in area.body.items():
        provenance = "official" if lang == "en" else "translation from en"
        (folder / f"{lang}.md").write_text(f"---\ntext: {provenance}\n---\n{text}", encoding="utf-8")


def body_edit(project: Path, slug: str, token: str) -> Edit:
    """Put token at the start of an area's first English paragraph; it shows on that page."""
    path = project / f"content/areas/{slug}/en.md"
    text = path.read_text(encoding="utf-8").replace("\n---\n", f"\n---\n{token} ", 1)
    return Edit(path, text, (f"en/areas/{slug}/",), token)


def title_edit(project: Path, slug: str, neighbour: str, token: str) -> Edit:
    """Put token in an area's English title; it shows on that page and in its neighbours' navigation and links."""
    path = project / f"content/areas/{slug}/area.yaml"
    text = re.sub(r'(?m)^(  en: ")', rf"\g<1>{token} ", path.read_text(encoding="utf-8"), count=1)
    return Edit(path, text, (f"en/areas/{slug}/", f"en/areas/{neighbour}/"), token)
