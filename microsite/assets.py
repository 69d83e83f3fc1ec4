"""Files under static/: safe lookup, image sizes and fingerprinted names."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

from .errors import ContentError
from .images import image_size
from .schema import Fields

STATIC = "static"


def find_assets(root: Path) -> tuple[tuple[str, str], ...]:
    """Return (path under static/, published path) for every static file, names fingerprinted."""
    folder = root / STATIC
    found, seen = [], {}
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if path.is_file() and not path.name.startswith("."):
            rel = path.relative_to(folder).as_posix()
            if not path.resolve().is_relative_to(folder.resolve()):
                raise ContentError(f"{STATIC}/{rel}", None, "this is a link to a file outside static/",
                                   "copy the file into static/ instead of linking to it")
            if rel.lower() in seen:
                raise ContentError(f"{STATIC}/{rel}", None, f"differs only in upper/lower case from "
                                   f"{STATIC}/{seen[rel.lower()]}", "rename one: some hosts cannot tell them apart")
            seen[rel.lower()] = rel
            found.append((rel, fingerprinted(rel, path.read_bytes())))
    return tuple(found)


def fingerprinted(rel: str, data: bytes) -> str:
    """Return the published path of a static file: its name with a content hash added."""
    digest = hashlib.sha256(data).hexdigest()[:10]
    path = PurePosixPath(rel)
    return f"{STATIC}/{path.parent / path.stem}.{digest}{path.suffix}".replace("/./", "/")


def static_file(root: Path, f: Fields, at: tuple, images: bool):
    """Check a file named in YAML is a real file under static/; return (rel, bytes, size)."""
    name = f.typed(at, str)
    if not name:
        return None
    problem = _unsafe(root, name)
    if problem:
        f.error(at, f"'{name}' {problem}", "name a file inside static/, like photos/meeting.jpg")
        return None
    data = (root / STATIC / name).read_bytes()
    size = image_size(data) if images else None
    if images and size is None:
        f.error(at, f"'{name}' is not a PNG, JPEG, GIF or WebP image")
        return None
    return name, len(data), size


def _unsafe(root: Path, name: str) -> str:
    """Say why a static file name is not acceptable, or return ''."""
    parts = PurePosixPath(name).parts
    if name.startswith(("/", "\\")) or ".." in parts or "\\" in name or ":" in name:
        return "must be a path inside static/, without '..' or a leading '/'"
    folder = (root / STATIC).resolve()
    target = root / STATIC / name
    if not target.is_file():
        return "does not exist under static/"
    if not target.resolve().is_relative_to(folder):
        return "points outside static/"
    here = root / STATIC
    for part in parts:
        if part not in os.listdir(here):
            return f"does not exist under static/ (check upper and lower case: '{part}')"
        here = here / part
    return ""
