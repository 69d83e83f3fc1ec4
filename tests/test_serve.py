"""`python build.py serve` as an editor uses it: a process, a real browser, edits, mistakes and fixes."""

from __future__ import annotations

import html
import socket
import subprocess
import sys
import threading
import time
import urllib.error
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
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


class DevServer:
    """A running `build.py serve` process and everything it printed."""

    def __init__(self, project, *extra: str):
        self.project = project
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--root", str(project), "--port", str(self.port), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        """Collect the server's output lines."""
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def rebuilds(self) -> int:
        """Return how many builds the server has run."""
        return sum(1 for line in self.lines if line.startswith("Rebuilt in"))

    def stop(self) -> None:
        """Stop the server."""
        self.proc.terminate()
        self.proc.wait(timeout=10)


def fetch(url: str) -> tuple[int, str]:
    """Return the status and body of a URL."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


@pytest.fixture
def server(project):
    """The dev server over a copy of the project, ready to answer."""
    dev = DevServer(project)
    wait_for(lambda: fetch(f"{dev.url}/en/")[0] == 200)
    yield dev
    dev.stop()


AREA = "content/areas/youth-development"


def open_page(server: DevServer, page, path: str) -> None:
    """Open a page and wait until its live-reload connection to the server is up."""
    connected = sum("Browser Connected" in line for line in server.lines)
    page.goto(f"{server.url}{path}")
    wait_for(lambda: sum("Browser Connected" in line for line in server.lines) > connected)


def append(project, rel: str, text: str) -> None:
    """Add text to the end of a project file, as an editor's save does."""
    path = project / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_serve_uses_its_own_address_in_links(server):
    status, body = fetch(f"{server.url}/en/")
    assert f'<link rel="canonical" href="{server.url}/en/">' in body


def test_editing_a_page_reloads_it_in_the_browser_with_the_new_text(server, page):
    open_page(server, page, "/en/areas/youth-development/")
    loads = []
    page.on("load", lambda: loads.append(time.monotonic()))
    append(server.project, f"{AREA}/en.md", "\nA sentence added while the page was open.\n")
    page.wait_for_function("document.body.innerText.includes('A sentence added while the page was open.')",
                           timeout=10_000)
    time.sleep(0.5)
    assert len(loads) == 1


def test_a_burst_of_saves_is_one_rebuild_and_one_reload(server, page):
    open_page(server, page, "/en/areas/youth-development/")
    before = server.rebuilds()
    loads = []
    page.on("load", lambda: loads.append(1))
    path = server.project / f"{AREA}/en.md"
    original = path.read_text(encoding="utf-8")
    for i in range(5):
        path.write_text(original + f"\nSave number {i}.\n", encoding="utf-8")
    page.wait_for_function("document.body.innerText.includes('Save number 4.')", timeout=10_000)
    time.sleep(1.0)
    assert server.rebuilds() - before == 1
    assert len(loads) == 1


def test_a_yaml_mistake_shows_an_error_page_and_the_fix_brings_the_page_back(server, page):
    open_page(server, page, "/en/areas/youth-development/")
    area = server.project / f"{AREA}/area.yaml"
    good = area.read_text(encoding="utf-8")
    area.write_text(good.replace("order: 7", "order: seven"), encoding="utf-8")
    page.wait_for_selector("#build-error", timeout=10_000)
    assert f"{AREA}/area.yaml:2: 'order' must be a whole number (got 'seven')" in page.inner_text("#build-error")
    assert f"{AREA}/area.yaml:2: 'order' must be a whole number" in "\n".join(server.lines)
    published = server.project / "_site/en/areas/youth-development/index.html"
    assert "Youth Development" in published.read_text(encoding="utf-8")
    area.write_text(good, encoding="utf-8")
    page.wait_for_selector("h1:text('Youth Development')", timeout=10_000)
    assert page.query_selector("#build-error") is None


def test_a_template_mistake_names_the_template_and_line(server, page):
    open_page(server, page, "/en/")
    template = server.project / "templates/area.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% endblock %}", "{% endblok %}", 1), encoding="utf-8")
    page.wait_for_selector("#build-error", timeout=10_000)
    assert "templates/area.html:" in page.inner_text("#build-error")
    template.write_text(good, encoding="utf-8")
    page.wait_for_function("!document.querySelector('#build-error')", timeout=10_000)


def test_created_deleted_and_renamed_files_are_noticed(server):
    static = server.project / "static/notes.txt"
    static.write_text("hello")
    wait_for(lambda: any(p.name.startswith("notes.") for p in (server.project / "_site/static").iterdir()))
    static.unlink()
    wait_for(lambda: not any(p.name.startswith("notes.") for p in (server.project / "_site/static").iterdir()))
    text = server.project / f"{AREA}/zh-hant.md"
    text.rename(text.with_name("zh-hant.md.bak"))
    wait_for(lambda: "the 'zh-hant' text is missing" in html.unescape(fetch(f"{server.url}/en/")[1]))
    text.with_name("zh-hant.md.bak").rename(text)
    wait_for(lambda: fetch(f"{server.url}/en/")[0] == 200)


def test_writing_the_site_does_not_trigger_another_build(server):
    before = server.rebuilds()
    append(server.project, f"{AREA}/en.md", "\nOne more line.\n")
    wait_for(lambda: server.rebuilds() > before)
    time.sleep(1.0)
    assert server.rebuilds() == before + 1


def test_requests_outside_the_site_get_404(server):
    for path in ("/../content/site.yaml", "/%2e%2e/content/site.yaml", "/en/..%2f..%2fcontent/site.yaml"):
        request = urllib.request.Request(f"{server.url}{path}")
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(f"GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
            status = sock.recv(64).decode().split()[1]
        assert status == "404", (request.full_url, status)


def test_unknown_addresses_get_the_languages_404_page(server):
    status, body = fetch(f"{server.url}/tc/no-such-page/")
    assert status == 404 and "找不到網頁" in body


def test_a_non_loopback_host_prints_a_warning(project):
    dev = DevServer(project, "--host", "0.0.0.0")
    try:
        wait_for(lambda: any("Serving" in line for line in dev.lines))
        assert any(line.startswith("warning: serving on 0.0.0.0") for line in dev.lines)
    finally:
        dev.stop()


def test_the_default_host_is_loopback_without_a_warning(server):
    assert not any(line.startswith("warning:") for line in server.lines)


def test_the_server_survives_hundreds_of_rapid_broken_edits_and_recovers(server):
    area = server.project / f"{AREA}/area.yaml"
    good = area.read_text(encoding="utf-8")
    for i in range(300):
        area.write_text(good.replace("order: 7", f"order: broken-{i}") if i % 3 else f"title: [unclosed {i}",
                        encoding="utf-8")
        if i % 50 == 0:
            time.sleep(0.1)  # let some rebuilds run in the middle of the storm
    wait_for(lambda: fetch(f"{server.url}/en/")[0] == 500)
    area.write_text(good, encoding="utf-8")
    wait_for(lambda: fetch(f"{server.url}/en/areas/youth-development/")[0] == 200)
    assert server.proc.poll() is None
    assert "Traceback" not in "\n".join(server.lines)
