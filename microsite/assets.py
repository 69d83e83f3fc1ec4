"""Files under static/: safe lookup, image sizes and fingerprinted names."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from .errors import ContentError
from .images import image_size
from .routes import asset_path
from .schema import Fields
from .sources import Unreadable


def find_assets(errors: list[ContentError], static: dict) -> tuple:
    """Return (path under static/, published path) for every static file."""
    found, seen = [], {}
    for rel, data in sorted(static.items()):
        if isinstance(data, Unreadable):
            errors.append(ContentError(f"static/{rel}", None, data.message, data.hint))
        elif rel.lower() in seen:
            errors.append(ContentError(f"static/{rel}", None, f"differs only in upper/lower case from "
                                       f"static/{seen[rel.lower()]}", "rename one: some hosts cannot tell them apart"))
        else:
            seen[rel.lower()] = rel
            found.append((rel, fingerprinted(rel, data)))
    return tuple(found)


def fingerprinted(rel: str, data: bytes) -> str:
    """Return the published path of a static file: its name with a content hash added."""
    return asset_path(rel, hashlib.sha256(data).hexdigest()[:10])


def static_file(f: Fields, at: tuple, static: dict, images: bool):
    """Check a file named in YAML is a usable file under static/; return (rel, bytes, size)."""
    name = f.typed(at, str)
    if not name:
        return None
    problem = _unsafe(name, static)
    if problem:
        f.error(at, f"'{name}' {problem}", "name a file inside static/, like photos/meeting.jpg")
        return None
    data = static[name]
    if isinstance(data, Unreadable):
        f.error(at, f"'{name}': {data.message}", data.hint)
        return None
    size = image_size(data) if images else None
    if images and size is None:
        f.error(at, f"'{name}' is not a PNG, JPEG, GIF or WebP image, or the file is damaged")
        return None
    return name, len(data), size


def _unsafe(name: str, static: dict) -> str:
    """Say why a static file name is not acceptable, or return ''."""
    parts = PurePosixPath(name).parts
    if name.startswith(("/", "\\")) or ".." in parts or "." in parts or "\\" in name or ":" in name:
        return "must be a path inside static/, without '..' or a leading '/'"
    if name in static:
        return ""
    close = next((rel for rel in static if rel.lower() == name.lower()), None)
    return (f"does not exist under static/ (check upper and lower case: static/{close})" if close
            else "does not exist under static/")
