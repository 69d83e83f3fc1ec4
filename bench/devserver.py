"""Dev-server rebuild timing over HTTP: from writing a source file to the server answering with the new text.

Both dev servers serve the site from memory, so the only way to see a rebuild is to ask for the page:
every POLL seconds each checked page is fetched with GET over one kept-alive connection until its body
holds the edit's needle. A time therefore includes one HTTP round trip.
"""

from __future__ import annotations

import http.client
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
    """A change to one source file and where its effect must show: every target page (a URL path) must contain needle."""

    path: Path
    text: str
    targets: tuple[str, ...]
    needle: str


def free_port() -> int:
    """Return a TCP port on loopback that nobody is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """Fetches pages from a server on 127.0.0.1 over one kept-alive HTTP connection, reconnecting after a failure."""

    def __init__(self, port: int, timeout: float):
        self.port, self.timeout = port, timeout
        self._conn: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, bytes] | None:
        """Return the status and body of GET /path, or None if the server did not answer."""
        try:
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self._conn.request("GET", "/" + path)
            response = self._conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            return None

    def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class Server:
    """A dev server process on a port, whose output is read in the background to tell when it is idle."""

    def __init__(self, cmd: list[str], port: int, env: dict[str, str] | None = None, timeout: float = 120.0):
        self.port = port
        self.client = Client(port, timeout)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: list[str] = []
        self.last_output = time.monotonic()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        """Collect the server's output lines as they come."""
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())
            self.last_output = time.monotonic()

    def wait_ready(self, path: str, timeout: float) -> bool:
        """Wait until GET /path answers 200, then until the server is quiet."""
        deadline = time.monotonic() + timeout
        while not self._serves(path):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                return False
            time.sleep(0.05)
        return self.wait_quiet(timeout)

    def _serves(self, path: str) -> bool:
        """Say whether the server answers GET /path with 200."""
        got = self.client.get(path)
        return got is not None and got[0] == 200

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
        self.client.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def time_edit(edit: Edit, client: Client, timeout: float) -> float | None:
    """Write the edit and return seconds until every target page is served with the needle, or None on timeout."""
    needle = edit.needle.encode("utf-8")
    pending = list(dict.fromkeys(edit.targets))
    started = time.perf_counter()
    edit.path.write_text(edit.text, encoding="utf-8")
    while pending:
        for path in list(pending):
            got = client.get(path)
            if got is not None and got[0] == 200 and needle in got[1]:
                pending.remove(path)
        if pending:
            if time.perf_counter() - started > timeout:
                return None
            time.sleep(POLL)
    return time.perf_counter() - started


def measure_server(server: Server, edits: dict[str, list], timeout: float) -> dict[str, list[float | None]]:
    """Apply each kind's edits in turn, waiting for the server to go quiet between them."""
    results: dict[str, list[float | None]] = {}
    for kind, plan in edits.items():
        results[kind] = []
        for make_edit in plan:
            took = time_edit(make_edit(), server.client, timeout)
            results[kind].append(took)
            if took is None or not server.wait_quiet(timeout):
                return results
    return results


def summary(times: list[float | None]) -> float | None:
    """Return the median of the edits that finished, or None if any timed out or none ran."""
    if not times or None in times:
        return None
    return statistics.median(times)
