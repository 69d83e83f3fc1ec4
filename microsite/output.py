"""The one writer: puts a built site on disk, whole or not at all.

A build is written to a fresh folder beside the output and exchanged with it
in one atomic step (renameat2 RENAME_EXCHANGE on Linux), so a failed or killed
build leaves the previous site complete. The dev server instead updates the
folder in place, writing only the files whose bytes changed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def check_output(root: Path, out: Path) -> str:
    """Say why out cannot be the output folder of the project at root, or return ''."""
    out, root = out.resolve(), root.resolve()
    sources = [root / name for name in ("content", "templates", "static")]
    if out == root or root.is_relative_to(out):
        return f"the output folder {out} would contain the project itself"
    if any(out == source or out.is_relative_to(source) or source.is_relative_to(out) for source in sources):
        return f"the output folder {out} overlaps content/, templates/ or static/"
    if out.exists() and not out.is_dir():
        return f"{out} exists and is not a folder"
    return ""


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write the site to a fresh folder beside out, then exchange it with out."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel in sorted(files):
            target = fresh / rel
            if not target.resolve().is_relative_to(fresh):
                raise ValueError(f"refusing to write outside the output folder: {rel}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[rel])
        os.chmod(fresh, 0o755)
        _swap(fresh, out)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def write_changed(files: dict[str, bytes], out: Path, previous: dict[str, bytes]) -> int:
    """Update a site written before: write files whose bytes changed, delete those gone; return the count."""
    count = 0
    for rel, data in files.items():
        if previous.get(rel) != data:
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            count += 1
    for rel in previous.keys() - files.keys():
        (out / rel).unlink(missing_ok=True)
        count += 1
    return count


def _swap(fresh: Path, out: Path) -> None:
    """Make fresh the output: exchange the two folders atomically; fresh then holds the old site."""
    if not out.exists():
        os.rename(fresh, out)
        return
    if _exchange(fresh, out):
        return
    # No atomic exchange here: move the old site aside first, so a crash leaves one of the two.
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, old / out.name)
    os.rename(fresh, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step with Linux's renameat2; say whether it worked."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _remove_leftovers(out: Path) -> None:
    """Delete fresh or old folders that an interrupted build left beside the output."""
    for path in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in out.parent.glob(f".{out.name}.old-*"):
        old = path / out.name
        if not out.exists() and old.is_dir():
            os.rename(old, out)  # killed between the two renames: put the old site back
        shutil.rmtree(path, ignore_errors=True)
