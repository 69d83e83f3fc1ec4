"""`python build.py serve`: builds, serves the site over HTTP and rebuilds when content changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import REPO


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
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


@pytest.fixture
def server(project):
    """The dev server running on a free port over a copy of the project."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(project), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield f"http://127.0.0.1:{port}", project
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def fetch(url: str) -> str:
    """Return the body of a page served over HTTP."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_serve_builds_and_serves_pages_with_its_own_address(server):
    base, _ = server
    html = wait_for(lambda: fetch(f"{base}/en/"))
    assert f'<link rel="canonical" href="{base}/en/">' in html


def test_serve_rebuilds_after_a_content_edit(server):
    base, project = server
    wait_for(lambda: fetch(f"{base}/en/areas/youth-development/"))
    page = project / "content/areas/youth-development/en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added while serving.\n", encoding="utf-8")
    assert wait_for(lambda: "A sentence added while serving." in fetch(f"{base}/en/areas/youth-development/"))
