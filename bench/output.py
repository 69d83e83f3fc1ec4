"""What a build wrote, so that readers can see both tools did comparable work: files, pages, bytes, the largest page."""

from __future__ import annotations

import gzip
from pathlib import Path

GZIP_LEVEL = 6


def summarise(folder: Path) -> dict:
    """Count the files and HTML pages under folder, their bytes, the largest page's bytes raw and gzipped, and the
    stylesheets' bytes gzipped (what a first visit loads with the page)."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    sizes = {path: path.stat().st_size for path in files}
    pages = [path for path in files if path.suffix == ".html"]
    largest = max(pages, key=lambda path: (sizes[path], str(path)))
    data = largest.read_bytes()
    return {"files": len(files), "bytes": sum(sizes.values()), "pages": len(pages),
            "page_bytes": sum(sizes[path] for path in pages), "largest": largest.relative_to(folder).as_posix(),
            "largest_bytes": len(data), "largest_gzip": _gzipped(data),
            "css_gzip": sum(_gzipped(path.read_bytes()) for path in files if path.suffix == ".css")}


def _gzipped(data: bytes) -> int:
    """Return the size of data gzipped at GZIP_LEVEL."""
    return len(gzip.compress(data, GZIP_LEVEL, mtime=0))
