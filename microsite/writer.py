"""The one writer: puts a built site on disk, whole or not at all.

A build is written into a fresh folder beside the output and exchanged with it in one step (renameat2
RENAME_EXCHANGE on Linux; elsewhere two renames), so a failed, interrupted or killed build leaves the previous
site complete. A lock beside the output lets only one build write it at a time, and a marker file inside it
says the folder is ours: no other folder is ever replaced.
"""

from __future__ import annotations

import errno
import fcntl
import itertools
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import ContentError, ContentErrors

MARKER = ".jbcc-microsite"
MARKER_TEXT = b"This folder is written by build.py of the jbcc-microsite project; each build replaces all of it.\n"
FOREIGN = "already holds files that build.py did not write"  # and so is never replaced
FOREIGN_HINT = "choose a new or empty folder"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def output_problem(root: Path, out: Path) -> str:
    """Say why out cannot be the output folder of the project at root, or return ''."""
    out, root = out.resolve(), root.resolve()
    if out == root or root.is_relative_to(out):
        return f"the output folder {out} would contain the project itself"
    for name in ("content", "templates", "static"):
        source = root / name
        if out.is_relative_to(source) or source.is_relative_to(out):
            return f"the output folder {out} overlaps {name}/"
    if out.exists() and not out.is_dir():
        return f"{out} exists and is not a folder"
    if _foreign(out):
        return f"the output folder {out} {FOREIGN}; {FOREIGN_HINT} (nothing was changed)"
    return ""


def _foreign(out: Path) -> bool:
    """Say whether out is a folder with files in it but without this project's marker."""
    try:
        with os.scandir(out) as entries:
            return any(True for _ in entries) and not (out / MARKER).is_file()
    except FileNotFoundError:
        return False
    except OSError:
        return True


def unique(files: Iterable) -> Iterator:
    """Pass files on, raising ContentError when two inputs want the same output path."""
    seen: dict[str, str] = {}
    for file in files:
        if file.path in seen:
            raise ContentError(file.origin, None, f"two files would be written to {file.path}: "
                               f"one from {seen[file.path]} and one from {file.origin}",
                               "give one of them another name or slug")
        seen[file.path] = file.origin
        yield file


def write_site(out: Path, files: Iterable, go_on: Callable[[], None] = lambda: None) -> list[str]:
    """Write every file (path, data) into a fresh folder and exchange it with out; return the paths.

    Anything raised while the files are produced (a content error, Ctrl-C) leaves out as it was.
    go_on() is called before each file is written and once before the exchange; what it raises
    (KeyboardInterrupt after Ctrl+C) abandons the build there. After the exchange nothing stops it.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        if _foreign(out):
            raise ContentErrors([ContentError(str(out), None, f"this folder {FOREIGN}", FOREIGN_HINT)])
        _remove_leftovers(out)
        fresh = _new_folder(out, "new")
        try:
            paths = _write_files(fresh, _asking(go_on, files))
            (fresh / MARKER).write_bytes(MARKER_TEXT)
            os.chmod(fresh, 0o755)
            go_on()
            _swap(fresh, out)
        finally:
            _remove(fresh)
    return paths


def _asking(go_on: Callable[[], None], files: Iterable) -> Iterator:
    """Pass files on, calling go_on() before each."""
    for file in files:
        go_on()
        yield file


def _new_folder(out: Path, kind: str) -> Path:
    """Make an empty folder beside out, named for this build, like ._site.new-1234-0."""
    for attempt in range(1000):
        folder = out.parent / f".{out.name}.{kind}-{os.getpid()}-{attempt}"
        try:
            folder.mkdir(mode=0o700)
            return folder
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a folder beside it", str(out))


def _remove(folder: Path) -> None:
    """Delete a folder and everything in it, if it exists (shutil is imported only when there is one)."""
    if folder.exists():
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


WRITERS = 4  # threads writing files: creating files and folders waits on the disk, not on Python
IN_FLIGHT = 256  # files handed to the threads and not yet written, at most


def _write_files(folder: Path, files: Iterable) -> list[str]:
    """Write each file under folder, refusing any path that would leave it; return the paths.

    A small site is written in this thread; past IN_FLIGHT files, the rest go to a few threads."""
    files = iter(files)
    first = list(itertools.islice(files, IN_FLIGHT))
    if len(first) < IN_FLIGHT:
        for file in first:
            _write_file(_target(folder, file.path), file.data)
        return [file.path for file in first]
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor
    from threading import BoundedSemaphore

    paths, room, pending = [], BoundedSemaphore(IN_FLIGHT), deque()
    with ThreadPoolExecutor(WRITERS) as threads:
        for file in itertools.chain(first, files):
            room.acquire()
            pending.append(threads.submit(_write_file, _target(folder, file.path), file.data, room))
            paths.append(file.path)
            while pending and pending[0].done():  # writes finish in about the order they were handed out
                pending.popleft().result()  # raises what a thread met, like a full disk
        for done in pending:
            done.result()
    return paths


def _target(folder: Path, rel: str) -> str:
    """Return where a file of the site goes, refusing any path that would leave the folder."""
    if rel.startswith("/") or "\\" in rel or ".." in rel.split("/") or not rel or rel == MARKER:
        raise ValueError(f"refusing to write {rel!r}")
    return os.path.join(str(folder), rel)


def _write_file(target: str, data: bytes, room=None) -> None:
    """Write one file, creating its folder; then make room for the next."""
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    finally:
        if room is not None:
            room.release()


@contextmanager
def _lock(out: Path):
    """Hold the lock of an output folder, or raise ContentErrors naming the build that holds it."""
    path = out.parent / f".{out.name}.lock"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            if err.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            raise ContentErrors([ContentError(str(out), None, f"another build of {out.name} is running (pid {holder})",
                                              "wait for it to finish, then build again")]) from None
        try:  # the previous holder may have removed the file just before we locked it
            if os.path.samestat(os.fstat(fd), os.stat(path)):
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        try:
            os.unlink(path)
        finally:
            os.close(fd)


def _swap(fresh: Path, out: Path) -> None:
    """Make fresh the output: exchange the two folders in one step; fresh then holds the old site."""
    if not out.exists():
        os.rename(fresh, out)
    elif not _exchange(fresh, out):
        # No atomic exchange here: move the old site aside first, so a crash leaves one of the two.
        old = _new_folder(out, "old")
        os.rename(out, old / out.name)
        os.rename(fresh, out)
        _remove(old)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step with Linux's renameat2; say whether it worked."""
    try:
        import ctypes

        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, ImportError):
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _remove_leftovers(out: Path) -> None:
    """Delete folders that an interrupted build left beside the output (called under the lock)."""
    for name in os.listdir(out.parent):
        old = out.parent / name / out.name
        if name.startswith(f".{out.name}.old-") and not out.exists() and old.is_dir():
            os.rename(old, out)  # killed between the two renames: put the old site back
        if name.startswith((f".{out.name}.new-", f".{out.name}.old-")):
            _remove(out.parent / name)
