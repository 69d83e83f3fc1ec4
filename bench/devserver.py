"""Dev-server rebuild timing: from writing a source file to the rebuilt output holding the new text."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

POLL = 0.005


@dataclass(frozen=True)
class Edit:
    """A change to one source file and where its effect must show: every target file must contain needle."""

    path: Path
    text: str
    targets: tuple[Path, ...]
    needle: str


def free_port() -> int:
    """Return a TCP port on loopback that nobody is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A dev server process whose output is read in the background to tell when it is idle."""

    def __init__(self, cmd: list[str]):
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.last_output = time.monotonic()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        """Collect the server's output lines as they come."""
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())
            self.last_output = time.monotonic()

    def wait_ready(self, marker: str, path: Path, timeout: float) -> bool:
        """Wait until the server printed marker and path exists, then until it is quiet."""
        deadline = time.monotonic() + timeout
        while not (any(marker in line for line in self.lines) and path.exists()):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                return False
            time.sleep(0.05)
        return self.wait_quiet(timeout)

    def wait_quiet(self, timeout: float, quiet: float = 0.7) -> bool:
        """Wait until the server has printed nothing for quiet seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() - self.last_output < quiet:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self) -> None:
        """Stop the server process."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def time_edit(edit: Edit, timeout: float) -> float | None:
    """Write the edit and return seconds until every target holds the needle, or None on timeout."""
    seen = {path: _stamp(path) for path in edit.targets}
    pending = set(edit.targets)
    started = time.perf_counter()
    edit.path.write_text(edit.text, encoding="utf-8")
    while pending:
        for path in list(pending):
            stamp = _stamp(path)
            if stamp != seen[path]:
                seen[path] = stamp
                if _contains(path, edit.needle):
                    pending.discard(path)
        if pending:
            if time.perf_counter() - started > timeout:
                return None
            time.sleep(POLL)
    return time.perf_counter() - started


def _stamp(path: Path):
    """Return what changes when a file is rewritten or replaced: inode, size, mtime."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _contains(path: Path, needle: str) -> bool:
    """Say whether a file exists and contains needle."""
    try:
        return needle.encode("utf-8") in path.read_bytes()
    except FileNotFoundError:
        return False


def measure_server(server: Server, edits: dict[str, list], timeout: float) -> dict[str, list[float | None]]:
    """Apply each kind's edits in turn, waiting for the server to go quiet between them."""
    results: dict[str, list[float | None]] = {}
    for kind, plan in edits.items():
        results[kind] = []
        for make_edit in plan:
            took = time_edit(make_edit(), timeout)
            results[kind].append(took)
            if took is None or not server.wait_quiet(timeout):
                return results
    return results


def summary(times: list[float | None]) -> float | None:
    """Return the median of the edits that finished, or None if any timed out or none ran."""
    if not times or None in times:
        return None
    return statistics.median(times)
