"""Writes synthetic areas as a project folder in this generator's format."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from devserver import Edit
from synth import REPO, Area

COPIED = ("templates", "static", "content/ui", "content/home", "content/annex", "content/phrases.yaml")


def write_project(areas: list[Area], folder: Path) -> Path:
    """Write a complete project folder (content/, templates/, static/) for these areas; return it."""
    shutil.rmtree(folder, ignore_errors=True)
    for rel in COPIED:
        source = REPO / rel
        if source.is_dir():
            shutil.copytree(source, folder / rel)
        else:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / rel)
    (folder / "content/site.yaml").write_text(_site_yaml(areas), encoding="utf-8")
    for area in areas:
        _write_area(area, folder / "content/areas" / area.slug)
    return folder


def _site_yaml(areas: list[Area]) -> str:
    """Return the bundled site.yaml with its areas list replaced by these areas' slugs."""
    text = (REPO / "content/site.yaml").read_text(encoding="utf-8")
    head = re.split(r"(?m)^areas:\s*$", text)[0]
    return head + "areas:\n" + "".join(f"  - {area.slug}\n" for area in areas)


def _write_area(area: Area, folder: Path) -> None:
    """Write one area's area.yaml, en.md and zh-hant.md."""
    folder.mkdir(parents=True)
    lines = [f"slug: {area.slug}", f"order: {area.order}", "title:"]
    lines += [f"  {lang}: {json.dumps(text, ensure_ascii=False)}" for lang, text in area.title.items()]
    lines += ["summary:"] + [f"  {lang}: {json.dumps(text, ensure_ascii=False)}" for lang, text in area.summary.items()]
    (folder / "area.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for lang, text in area.body.items():
        (folder / f"{lang}.md").write_text(text, encoding="utf-8")


def body_edit(project: Path, out: Path, slug: str, token: str) -> Edit:
    """Put token at the start of an area's first English paragraph; it shows on that page."""
    path = project / f"content/areas/{slug}/en.md"
    return Edit(path, f"{token} " + path.read_text(encoding="utf-8"), (out / f"en/areas/{slug}/index.html",), token)


def title_edit(project: Path, out: Path, slug: str, other: str, token: str) -> Edit:
    """Put token in an area's English title; it shows on that page and in every page's navigation."""
    path = project / f"content/areas/{slug}/area.yaml"
    text = re.sub(r'(?m)^(  en: ")', rf"\g<1>{token} ", path.read_text(encoding="utf-8"), count=1)
    return Edit(path, text, (out / f"en/areas/{slug}/index.html", out / f"en/areas/{other}/index.html"), token)
