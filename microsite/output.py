"""The one writer: puts a built site on disk, whole or not at all.

A build is written to a fresh folder beside the output and exchanged with it
in one atomic step (renameat2 RENAME_EXCHANGE on Linux), so a failed or killed
build leaves the previous site complete. The dev server instead updates the
folder in place, writing only the files whose bytes changed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import pickle
import shutil
import tempfile
import traceback
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


def write_streams(out: Path, stream, shares: int) -> tuple[list, list]:
    """Write the files of `shares` streams, each in its own process, into a fresh folder beside out.

    A stream yields (path, chunks, origin) for each file, or a ContentError.
    If no stream yielded an error, the fresh folder replaces out in one step.
    Return the paths written and the errors.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        children = [_fork(lambda i=i: _write_stream(fresh, stream(i))) for i in range(1, shares)]
        paths, errors = _write_stream(fresh, stream(0))
        for child in children:
            child_paths, child_errors = _join(child)
            paths += child_paths
            errors += child_errors
        duplicates = sorted({p for p in paths if paths.count(p) > 1}) if len(set(paths)) != len(paths) else []
        if duplicates:
            raise ValueError(f"two files would be written to {duplicates[0]}")
        if not errors:
            os.chmod(fresh, 0o755)
            _swap(fresh, out)
            _discard(fresh)
        return paths, errors
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _write_stream(folder: Path, stream) -> tuple[list, list]:
    """Write every file of one stream under folder; return the paths written and the errors met."""
    paths, errors, made = [], [], set()
    for item in stream:
        if not isinstance(item, tuple):
            errors.append(item)
            continue
        rel, chunks, _ = item
        target = os.path.join(folder, rel)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        _write_chunks(target, chunks)
        paths.append(rel)
    return paths, errors


def _write_chunks(path: str, chunks) -> None:
    """Write the pieces of one file with as few system calls as possible, copying nothing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        pending = [memoryview(c) for c in chunks if len(c)]
        while pending:
            done = os.writev(fd, pending)
            while pending and done >= len(pending[0]):
                done -= len(pending[0])
                pending.pop(0)
            if pending and done:
                pending[0] = pending[0][done:]
    finally:
        os.close(fd)


def _fork(work):
    """Run work() in a child process; return (pid, read end of the pipe carrying its result)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            result = ("ok", work())
        except BaseException:  # the parent re-raises it: a bug must not look like success
            result = ("crash", traceback.format_exc())
        with os.fdopen(write, "wb") as pipe:
            pickle.dump(result, pipe)
        os._exit(0)
    os.close(write)
    return pid, read


def _join(child) -> tuple[list, list]:
    """Wait for a child and return its (paths, errors); raise if it crashed."""
    pid, read = child
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    if not data:
        raise RuntimeError("a build process died without a word")
    kind, value = pickle.loads(data)
    if kind != "ok":
        raise RuntimeError(f"a build process failed:\n{value}")
    return value


def write_changed(stream, out: Path, digests: dict, memo: dict) -> int:
    """Update a site in place from (path, chunks, key, digest): write files whose bytes changed, delete
    those no longer made. digests (path -> hash of the bytes on disk) and memo (path -> key) are updated."""
    count, seen = 0, set()
    for rel, chunks, key, digest in stream:
        seen.add(rel)
        if chunks is None:
            continue
        digest = digest or _digest(chunks)
        if digests.get(rel) != digest:
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_chunks(str(target), chunks)
            digests[rel] = digest
            count += 1
        if key is not None:
            memo[rel] = key
    for rel in set(digests) - seen:
        (out / rel).unlink(missing_ok=True)
        digests.pop(rel)
        memo.pop(rel, None)
        count += 1
    return count


def _digest(chunks) -> bytes:
    """Return a short hash of a file's pieces."""
    hasher = hashlib.blake2b(digest_size=16)
    for chunk in chunks:
        hasher.update(chunk)
    return hasher.digest()


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


def _discard(folder: Path) -> None:
    """Delete a replaced site in a detached process: deleting thousands of files is slow, and the
    new site is already in place. The next build removes anything an interrupted deletion left."""
    if not folder.exists():
        return
    hidden = folder.with_name(folder.name.replace(".new-", ".old-", 1) + "-gone")
    os.rename(folder, hidden)
    try:
        pid = os.fork()
    except OSError:
        shutil.rmtree(hidden, ignore_errors=True)
        return
    if pid == 0:  # a child that starts a grandchild and exits, so nobody has to reap the worker
        try:
            if os.fork() == 0:
                os.setsid()
                shutil.rmtree(hidden, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


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
