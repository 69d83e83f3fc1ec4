"""The dev server: serve _site/ with live reload; rebuild after each burst of saves; never crash.

A rebuild is a full build in memory (fast, because the pure steps are memoized)
followed by writing only the files whose bytes changed. When content is wrong,
the last good site stays on disk, the terminal prints `path:line: message`,
and every page in the browser is replaced by a page naming the mistake until
it is fixed.
"""

from __future__ import annotations

import html
import ipaddress
import shutil
import sys
import time
import traceback
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from tornado import ioloop, web

from .errors import ContentErrors
from .output import write_changed
from .site import prepare, render_changes
from .watch import make_watcher

WATCHED = ("content", "templates", "static")
QUIET_SECONDS = 0.03  # saves closer together than this are one burst, rebuilt once
POLL_SECONDS = 0.1


class DevSite:
    """The state of the preview: the last good files on disk, and the current error, if any."""

    def __init__(self, root: Path, out: Path, base_url: str):
        self.root, self.out, self.base_url = root, out, base_url
        self.digests: dict[str, bytes] | None = None  # path -> hash of the bytes on disk
        self.memo: dict = {}  # path -> the inputs it was last rendered from
        self.error: str | None = None

    def rebuild(self) -> bool:
        """Build again; on success update the output, on failure keep it and record the error."""
        started = time.perf_counter()
        try:
            prepared = prepare(self.root, self.base_url)
            if self.digests is None:  # the first build replaces whatever an earlier session left
                shutil.rmtree(self.out, ignore_errors=True)
                self.digests = {}
            written = write_changed(render_changes(prepared, self.memo), self.out, self.digests, self.memo)
        except ContentErrors as errors:
            self.error = errors.describe(self.root)
            print(self.error, file=sys.stderr, flush=True)
            return False
        except Exception:  # a bug must not stop the preview: show it and keep serving
            self.error = "internal error while building (please report it):\n" + traceback.format_exc()
            print(self.error, file=sys.stderr, flush=True)
            return False
        self.error = None
        print(f"Rebuilt in {time.perf_counter() - started:.3f} s; {written} files written", flush=True)
        return True


class SiteWatcher(Watcher):
    """Runs one rebuild per burst of changes, then tells connected browsers to reload."""

    def __init__(self, site: DevSite):
        super().__init__()
        self.site = site
        self.files = make_watcher([site.root / folder for folder in WATCHED])
        self.pending = None

    def start(self, callback) -> bool:
        """Listen for changes on the IOLoop; True tells livereload not to poll on its own."""
        loop = ioloop.IOLoop.current()
        if self.files.fd is not None:
            loop.add_handler(self.files.fd, lambda fd, events: self.noticed(), ioloop.IOLoop.READ)
        else:
            ioloop.PeriodicCallback(self.noticed, POLL_SECONDS * 1000).start()
        return True

    def examine(self):
        """Nothing for livereload's own polling to do."""
        return None, None

    def noticed(self) -> None:
        """Restart the quiet period after each change; rebuild when it ends."""
        if not self.files.changes():
            return
        loop = ioloop.IOLoop.current()
        if self.pending is not None:
            loop.remove_timeout(self.pending)
        self.pending = loop.call_later(QUIET_SECONDS, self.rebuild)

    def rebuild(self) -> None:
        """Rebuild, then reload the browsers: onto the new site, or onto the error page."""
        self.pending = None
        self.site.rebuild()
        LiveReloadHandler.reload_waiters("*")


class SiteHandler(StaticFileHandler):
    """Serves the output folder only; shows the error page while the content has a mistake."""

    def initialize(self, path: str, default_filename: str, site: DevSite) -> None:
        """Remember the dev site alongside the folder to serve."""
        super().initialize(path, default_filename)
        self.site = site

    async def get(self, path: str, include_body: bool = True) -> None:
        """Serve a file, or the error page in place of any page while there is an error."""
        if self.site.error and (path == "" or path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(error_page(self.site.error))
            return
        await super().get(path, include_body)

    def parse_url_path(self, url_path: str) -> str:
        """Refuse any path that climbs out of the output folder, with a 404."""
        if ".." in url_path.replace("\\", "/").split("/") or url_path.startswith("/"):
            raise web.HTTPError(404)
        return super().parse_url_path(url_path)

    def validate_absolute_path(self, root: str, absolute_path: str):
        """Answer 404, never 403, for anything outside the output folder."""
        if not Path(absolute_path).resolve().is_relative_to(Path(root).resolve()):
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    def write_error(self, status_code: int, **kwargs) -> None:
        """Answer 404 with the site's own 404 page for the language folder asked for."""
        out = self.site.out
        prefix = self.request.path.lstrip("/").split("/", 1)[0]
        page = out / prefix / "404.html" if prefix and (out / prefix / "404.html").is_file() else out / "404.html"
        if status_code == 404 and page.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())
        else:
            super().write_error(status_code, **kwargs)


class DevServer(Server):
    """livereload's server with this site's watcher and file handler."""

    def __init__(self, site: DevSite):
        super().__init__(watcher=SiteWatcher(site))
        self.site = site

    def get_web_handlers(self, script):
        """Serve the output folder through SiteHandler."""
        return [(r"/(.*)", SiteHandler, {"path": str(self.site.out), "default_filename": "index.html",
                                         "site": self.site})]


def error_page(message: str) -> str:
    """Return the page the browser shows while the content has an error."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Build error</title>\n</head>\n<body>\n<main>\n<h1>The site could not be built</h1>\n"
            "<p>Fix the file named below and save it: this page reloads by itself. "
            "The last good version of the site is kept until then.</p>\n"
            f"<pre id=\"build-error\">{html.escape(message)}</pre>\n</main>\n</body>\n</html>\n")


def serve(args) -> int:
    """Build, then serve the output with live reload until interrupted."""
    url = f"http://{_url_host(args.host)}:{args.port}/"
    if not _is_loopback(args.host):
        print(f"warning: serving on {args.host}: other machines on the network can see this preview",
              file=sys.stderr)
    site = DevSite(args.root, args.output, url)
    if not site.rebuild():
        print("The preview shows this error until the content is fixed.", file=sys.stderr)
    site.out.mkdir(parents=True, exist_ok=True)
    print(f"Serving {url} (Ctrl+C to stop)", flush=True)
    DevServer(site).serve(host=args.host, port=args.port, root=str(site.out), restart_delay=0)
    return 0


def _is_loopback(host: str) -> bool:
    """Say whether host is a loopback address or localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    """Return the host as it goes in a URL (IPv6 in brackets, any-address as loopback)."""
    if host in ("0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host
