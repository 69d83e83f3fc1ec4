"""A local static server for built sites, behaving like a static host: 404 pages, _headers rules."""

from __future__ import annotations

import fnmatch
import http.server
import threading
from functools import partial
from pathlib import Path


def read_headers_file(site: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """Read _site/_headers (Netlify and Cloudflare Pages format) into (pattern, headers) rules."""
    path = site / "_headers"
    if not path.exists():
        return []
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules, url_path: str) -> list[tuple[str, str]]:
    """Return the headers of every rule whose pattern matches the path, in file order."""
    found = []
    for pattern, headers in rules:
        if fnmatch.fnmatchcase(url_path, pattern) or (pattern.endswith("/*") and url_path == pattern[:-2]):
            found.extend(headers)
    return found


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves files; unknown paths get the 404 page of their language folder, or the root one."""

    rules: list = []

    def log_message(self, *args) -> None:
        """Stay quiet during tests."""

    def end_headers(self) -> None:
        """Add the _headers rules that match this request before the blank line."""
        for name, value in headers_for(self.rules, self.path.split("?", 1)[0]):
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        """Answer 404 with the site's own 404 page, as static hosts do."""
        if code != 404:
            return super().send_error(code, message, explain)
        root = Path(self.directory)
        prefix = self.path.lstrip("/").split("/", 1)[0]
        page = root / prefix / "404.html" if prefix and (root / prefix / "404.html").is_file() else root / "404.html"
        body = page.read_bytes() if page.is_file() else b"Not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class StaticServer:
    """A threaded HTTP server on a free loopback port, for one built site."""

    def __init__(self, site: Path):
        handler = type("SiteHandler", (Handler,), {"rules": read_headers_file(site)})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
