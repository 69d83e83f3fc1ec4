"""`python build.py serve` as a process: start it on a free port, read what it prints, fetch from it."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LIVE_SCRIPT = b'<script>(function(){var s=document.createElement("script");'


def free_port() -> int:
    """Return a TCP port nobody is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float = 15.0):
    """Poll check() until it returns something truthy, or fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = check()
            if found:
                return found
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.02)
    raise AssertionError("timed out waiting")


def fetch(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    """Return the status and body of a URL, without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def without_live_script(page: bytes) -> bytes:
    """Return a served page with the injected live-reload script taken out."""
    start = page.find(LIVE_SCRIPT)
    if start < 0:
        return page
    return page[:start] + page[page.index(b"</script>", start) + len(b"</script>"):]


class DevServer:
    """A running `build.py serve` process and everything it printed."""

    def __init__(self, project: Path, *extra: str):
        self.project = project
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.last_output = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--root", str(project), "--port", str(self.port), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        """Collect the server's output lines."""
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self.last_output = time.monotonic()

    def ready(self) -> DevServer:
        """Wait until the server answers."""
        wait_for(lambda: any(line.startswith("Serving") for line in self.lines), timeout=30)
        return self

    def builds(self) -> int:
        """Return how many builds the server has finished, good or failed."""
        return sum(1 for line in self.lines if line.startswith(("Rebuilt in", "internal error"))
                   or line.endswith("the preview keeps the last good site until this is fixed."))

    def rebuilds(self) -> int:
        """Return how many good builds the server has run."""
        return sum(1 for line in self.lines if line.startswith("Rebuilt in"))

    def settle(self, since: int, quiet: float = 0.4, timeout: float = 30.0) -> None:
        """Wait until a build has finished after `since` builds and the server has printed nothing for `quiet` s."""
        wait_for(lambda: self.builds() > since, timeout=timeout)
        wait_for(lambda: time.monotonic() - self.last_output >= quiet, timeout=timeout)

    def get(self, path: str, **headers) -> tuple[int, bytes]:
        """Fetch a path from the server."""
        return fetch(f"{self.url}/{path.lstrip('/')}", headers)

    def stop(self) -> None:
        """Stop the server."""
        self.proc.terminate()
        self.proc.wait(timeout=10)
