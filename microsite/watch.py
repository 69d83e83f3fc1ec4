"""Noticing changes under the watched folders: inotify on Linux, polling elsewhere.

Both report created, changed, deleted and renamed files. Neither looks at the
output folder, so writing the site never triggers another build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
from pathlib import Path

_IN_FLAGS = {
    "MODIFY": 0x2, "ATTRIB": 0x4, "CLOSE_WRITE": 0x8, "MOVED_FROM": 0x40, "MOVED_TO": 0x80,
    "CREATE": 0x100, "DELETE": 0x200, "DELETE_SELF": 0x400, "MOVE_SELF": 0x800,
}
_IN_MASK = sum(_IN_FLAGS.values())
_IN_ISDIR = 0x40000000
_IN_NONBLOCK = 0o4000
_EVENT = struct.Struct("iIII")


def _ignored(name: str) -> bool:
    """Say whether a file is an editor's temporary or hidden file, not content."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


class PollingWatcher:
    """Finds changes by comparing the size and modification time of every file."""

    fd = None

    def __init__(self, folders: list[Path]):
        self.folders = folders
        self.seen = self._snapshot()

    def _snapshot(self) -> dict[str, tuple[int, int]]:
        """Return {path: (mtime_ns, size)} for every file under the folders."""
        found = {}
        for folder in self.folders:
            for base, dirs, files in os.walk(folder):
                dirs[:] = [d for d in dirs if not _ignored(d)]
                for name in files:
                    if not _ignored(name):
                        path = os.path.join(base, name)
                        try:
                            info = os.stat(path)
                        except OSError:
                            continue
                        found[path] = (info.st_mtime_ns, info.st_size)
        return found

    def changes(self) -> set[str]:
        """Return the paths created, changed or deleted since the last call."""
        now = self._snapshot()
        changed = {p for p in now.keys() | self.seen.keys() if now.get(p) != self.seen.get(p)}
        self.seen = now
        return changed

    def close(self) -> None:
        """Nothing to release."""


class InotifyWatcher:
    """Asks the Linux kernel to report changes, so a save is seen at once whatever the site's size."""

    def __init__(self, folders: list[Path]):
        self._libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self.fd = self._libc.inotify_init1(_IN_NONBLOCK)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.dirs: dict[int, str] = {}
        for folder in folders:
            if folder.is_dir():
                self._add_tree(str(folder))

    def _add_tree(self, top: str) -> None:
        """Watch a folder and every folder below it."""
        for base, dirs, _ in os.walk(top):
            dirs[:] = [d for d in dirs if not _ignored(d)]
            wd = self._libc.inotify_add_watch(self.fd, base.encode(), _IN_MASK)
            if wd >= 0:
                self.dirs[wd] = base

    def changes(self) -> set[str]:
        """Return the paths the kernel reported since the last call."""
        changed: set[str] = set()
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return changed
            changed |= self._decode(data)

    def _decode(self, data: bytes) -> set[str]:
        """Turn raw inotify events into paths; start watching new folders."""
        changed = set()
        offset = 0
        while offset < len(data):
            wd, mask, _, length = _EVENT.unpack_from(data, offset)
            name = data[offset + _EVENT.size: offset + _EVENT.size + length].rstrip(b"\0").decode(errors="replace")
            offset += _EVENT.size + length
            base = self.dirs.get(wd)
            if base is None or (name and _ignored(name)):
                continue
            path = os.path.join(base, name) if name else base
            if mask & _IN_ISDIR and mask & (_IN_FLAGS["CREATE"] | _IN_FLAGS["MOVED_TO"]):
                self._add_tree(path)
            changed.add(path)
        return changed

    def close(self) -> None:
        """Stop watching."""
        os.close(self.fd)


def make_watcher(folders: list[Path]):
    """Return an inotify watcher where the kernel offers one, else a polling one."""
    try:
        return InotifyWatcher(folders)
    except (OSError, AttributeError):
        return PollingWatcher(folders)
