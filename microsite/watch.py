"""Noticing changes under content/, templates/ and static/ with watchfiles, even when a folder is replaced.

One thread watches the three folders; another watches the project folder itself (not below it), so a folder
replaced whole (`git checkout`, a save through a temporary folder) restarts the first on the new folder and
the caller is asked to read everything again.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

from watchfiles import watch

from .sources import FOLDERS, is_hidden

QUIET_MS = 20  # saves closer together than this are one burst, reported once
LONGEST_MS = 2000  # a burst that never goes quiet is reported after this long
TICK_MS = 200  # how often the watch looks up from waiting (to stop, restart, or say it has begun)


class Watcher:
    """Calls notify(paths) after each burst of changes, or notify(None) when everything must be read again."""

    def __init__(self, root: Path, notify):
        self.root = root.resolve()
        self.notify = notify
        self.ready = threading.Event()
        self._stop = threading.Event()
        self._restart = threading.Event()
        self._stop_or_restart = SimpleNamespace(is_set=lambda: self._stop.is_set() or self._restart.is_set())
        self._threads = [threading.Thread(target=self._watch_folders, daemon=True),
                         threading.Thread(target=self._watch_root, daemon=True)]

    def start(self, timeout: float = 5.0) -> None:
        """Start watching, and return once changes from now on will be seen."""
        for thread in self._threads:
            thread.start()
        self.ready.wait(timeout)

    def stop(self) -> None:
        """Stop watching."""
        self._stop.set()

    def _watch_folders(self) -> None:
        """Report changes below the three folders; start again when one of them is replaced."""
        rescan = False
        while not self._stop.is_set():
            folders = [str(self.root / name) for name in FOLDERS if (self.root / name).is_dir()]
            self._restart.clear()
            if not folders:
                self.ready.set()
                rescan = True
                self._restart.wait(0.5)
                continue
            try:
                # Every quiet TICK_MS the watch yields nothing: the first such tick says it has begun.
                for changes in watch(*folders, watch_filter=self._wanted, step=QUIET_MS, debounce=LONGEST_MS,
                                     stop_event=self._stop_or_restart, rust_timeout=TICK_MS,
                                     yield_on_timeout=True, raise_interrupt=False):
                    if not changes:
                        self.ready.set()
                        if rescan:  # the folders were replaced: read everything again, now that the watch is on
                            rescan = False
                            self.notify(None)
                        continue
                    paths = {path for _, path in changes}
                    if paths & set(folders):
                        break  # a watched folder itself went away: watch the new one
                    self.notify(paths)
            except (OSError, RuntimeError):
                self._stop.wait(0.2)
            rescan = True

    def _watch_root(self) -> None:
        """Notice a watched folder being created, deleted or replaced, and restart the folder watcher."""
        while not self._stop.is_set():
            try:
                for _ in watch(self.root, recursive=False, step=QUIET_MS, debounce=LONGEST_MS,
                               watch_filter=lambda change, path: Path(path).name in FOLDERS,
                               stop_event=self._stop, rust_timeout=500, yield_on_timeout=False,
                               raise_interrupt=False):
                    self._restart.set()
            except (OSError, RuntimeError):
                self._stop.wait(0.5)

    def _wanted(self, change, path: str) -> bool:
        """Say whether a change is to content: not a hidden or editor's temporary file."""
        try:
            return not is_hidden(Path(path).relative_to(self.root).as_posix())
        except ValueError:
            return False
