"""The dev server: the site rendered in memory, rebuilt after every change, reloaded in the browser.

Every rebuild renders the whole site through the build's pipeline (the cache makes it fast); only files that
differ reload the browser. The preview never writes a file. While the content has a mistake, the terminal
prints `path:line: message`, every page shows it, and the last good site is kept for everything else.
"""

from __future__ import annotations

import gc
import html
import ipaddress
import logging
import mimetypes
import sys
import time
import traceback
from pathlib import Path

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import ioloop, web
from tornado.websocket import WebSocketHandler

from . import review
from .cache import Cache
from .errors import ContentErrors
from .pipeline import prepare, site_files
from .routes import INDEX, LIVERELOAD, PREVIEW_BUILD, TRANSLATIONS_VIEW, preview_file
from .sources import read_tree, updated
from .watch import Watcher

# The live-reload client, and a check that the page is still the newest: a rebuild that finishes before the
# page's socket is listening sends its reload to no one, so once connected (and its 'info' has registered it,
# a moment later) the page asks which build is current. After that, every reload reaches it.
LIVE_SCRIPT = ('<script>(function(){{var s=document.createElement("script");'
               f's.src="/{LIVERELOAD}.js?port="+(location.port||(location.protocol=="https:"?443:80));'
               'document.head.appendChild(s);document.addEventListener("LiveReloadConnect",function(){{'
               f'setTimeout(function(){{{{fetch("/{PREVIEW_BUILD}").then(function(r){{{{return r.text()}}}})'
               '.then(function(n){{if(n!=="{build}")location.reload()}})}},100)}})}})();</script>')
HEAD_END = b"</head>"


class Preview:
    """The site as the browser sees it: the last good files in memory, and the current error, if any."""

    def __init__(self, root: Path, base_url: str):
        self.root, self.base_url = root, base_url
        self.cache = Cache()
        self.tree = None
        self.prepared = None  # the last good build, for the translators' view
        self.files: dict[str, bytes] = {}
        self.error: str | None = None
        self.build = 0  # counts the builds that changed what a browser shows
        self.idle_timer = None  # the garbage collection waiting for the editor to pause

    def rebuild(self, changed: set[str] | None = None) -> bool:
        """Build again from the changed paths (None: read everything); say whether the browser should reload."""
        started = time.perf_counter()
        try:
            self.tree = read_tree(self.root) if changed is None or self.tree is None else updated(self.tree, changed)
            prepared = prepare(self.tree, self.base_url, self.cache)
            files = {file.path: file.data for file in site_files(prepared, self.cache)}
        except ContentErrors as errors:
            return self._failed(errors.describe("the preview keeps the last good site until this is fixed."))
        except Exception:  # a bug must not stop the preview: show it and keep serving
            return self._failed("internal error while building (please report it):\n" + traceback.format_exc())
        self.cache.sweep()
        differ = sum(1 for path in files.keys() | self.files.keys() if files.get(path) != self.files.get(path))
        recovered = self.error is not None
        self.files, self.error, self.prepared = files, None, prepared
        print(f"Rebuilt in {time.perf_counter() - started:.3f} s; {differ} file{'s' if differ != 1 else ''} changed",
              flush=True)
        return bool(differ) or recovered or bool(changed)  # the translators' view shows every content file

    def _failed(self, message: str) -> bool:
        """Keep the last good files, show the error; say whether what the browser shows changed."""
        print(message, file=sys.stderr, flush=True)
        shown = message != self.error
        self.error = message
        return shown


class _Guarded:
    """Refuses requests addressed to another host name: the preview answers only to its own address."""

    def prepare(self) -> None:
        """Check the Host header before anything is served (DNS rebinding)."""
        if not allowed_host(self.request.host_name, self.settings["preview_hosts"]):
            raise web.HTTPError(403, reason="Unknown host")


class PageHandler(_Guarded, web.RequestHandler):
    """Serves the site from memory, with the live-reload script in every page."""

    def initialize(self, preview: Preview) -> None:
        """Remember the preview to serve."""
        self.preview = preview

    def get(self, path: str) -> None:
        """Serve a file of the site, its folder's index.html, the error page, or the 404 page."""
        if path == PREVIEW_BUILD:
            return self._send(200, str(self.preview.build).encode(), "build.txt")
        if path.startswith(TRANSLATIONS_VIEW) and not self.preview.error and self.preview.prepared:
            return self._review(path[len(TRANSLATIONS_VIEW):])
        files = self.preview.files
        name, redirect = preview_file(path, files)
        if redirect:
            self.redirect(redirect, permanent=False)
        elif self.preview.error and (name is None or name.endswith(".html")):
            self._send(500, error_page(self.preview.error).encode("utf-8", "replace"), INDEX)
        elif name is not None:
            self._send(200, files[name], name)
        else:
            self._not_found(path)

    def _review(self, rest: str) -> None:
        """Serve the translators' view: the list of pages, a page's view, or the view's stylesheet."""
        if rest == "review.css":
            return self._send(200, review.stylesheet(), "review.css")
        html = review.index(self.preview.prepared) if rest == "" else review.page_view(self.preview.prepared, rest)
        if html is None:
            self._not_found()
        else:
            self._send(200, html.encode(), INDEX)

    def _not_found(self, path: str = "") -> None:
        """Answer 404 with the not-found page of the address's language, or the root one."""
        prepared = self.preview.prepared
        page = prepared.routes.not_found_for(path).path if prepared else ""
        self._send(404, self.preview.files.get(page, b"Not found"), page or INDEX)

    head = get  # HEAD answers as GET does, without the body (see _send)

    def _send(self, status: int, data: bytes, name: str) -> None:
        """Send one response (its body only to GET); pages get the live-reload script before </head>."""
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = data.replace(HEAD_END, LIVE_SCRIPT.format(build=self.preview.build).encode() + HEAD_END, 1)
        self.set_status(status)
        self.set_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") or kind.endswith(
            ("xml", "json", "javascript")) else kind)
        self.set_header("Cache-Control", "no-store")
        if self.request.method != "HEAD":
            self.write(data)
        else:
            self.set_header("Content-Length", str(len(data)))
        self.finish()


class ReloadSocket(_Guarded, LiveReloadHandler):
    """livereload's socket, taking connections only from the preview's own pages."""

    def check_origin(self, origin: str) -> bool:
        """Accept a page of this preview, never another site's page."""
        return WebSocketHandler.check_origin(self, origin)


class ReloadScript(_Guarded, LiveReloadJSHandler):
    """livereload's browser script."""


def allowed_host(name: str, hosts: frozenset[str]) -> bool:
    """Say whether a request's host name is one this preview listens as: loopback names, IP literals, --host."""
    name = name.strip("[]").lower()
    return name in hosts or name == "localhost" or name.endswith(".localhost") or _ip(name) is not None


def error_page(message: str) -> str:
    """Return the page the browser shows while the content has an error."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Build error</title>\n</head>\n<body>\n<main>\n<h1>The site could not be built</h1>\n"
            "<p>Fix the file named below and save it: this page reloads by itself. "
            "The last good version of the site is kept until then.</p>\n"
            f"<pre id=\"build-error\">{html.escape(message)}</pre>\n</main>\n</body>\n</html>\n")


def serve(args) -> int:
    """Build in memory, then serve with live reload, rebuilding after each burst of changes, until Ctrl+C."""
    url = f"http://{_url_host(args.host)}:{args.port}/"
    ip = _ip(args.host)
    if args.host != "localhost" and not (ip is not None and ip.is_loopback):
        print(f"warning: serving on {args.host}: other machines on the network can see this preview", file=sys.stderr)
    preview = Preview(args.root, url)
    loop = ioloop.IOLoop.current()
    watcher = Watcher(args.root, lambda changed: loop.add_callback(_changed, preview, changed))
    watcher.start()  # before the first build, so no save after it is missed
    preview.rebuild()
    if preview.error:  # no good site yet: every page shows the error
        print("The preview shows this error until the content is fixed.", file=sys.stderr)
    gc.collect()
    gc.disable()  # see _changed
    app = web.Application([  # pages, and livereload's script and socket
        (rf"/{LIVERELOAD}", ReloadSocket),
        (rf"/{LIVERELOAD}\.js", ReloadScript),
        (r"/(.*)", PageHandler, {"preview": preview}),
    ], preview_hosts=frozenset({args.host.strip("[]").lower()}))
    try:
        app.listen(args.port, address=args.host)
    except OSError as err:
        watcher.stop()
        print(f"cannot listen on {args.host}:{args.port}: {err.strerror}", file=sys.stderr)
        return 2
    _log_connections()
    print(f"Serving {url} (Ctrl+C to stop)", flush=True)
    try:
        loop.start()
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        watcher.stop()
    return 0


IDLE_SECONDS = 1.0


def _changed(preview: Preview, changed: set[str] | None) -> None:
    """Rebuild after a burst of changes; reload the browsers if what they show changed; collect garbage later."""
    if preview.rebuild(changed):
        preview.build += 1
        for waiter in list(LiveReloadHandler.waiters):
            try:
                waiter.write_message({"command": "reload", "path": "*", "liveCSS": False, "liveImg": False})
            except Exception:  # a tab that closed mid-message
                LiveReloadHandler.waiters.discard(waiter)
    # The cycle collector is off while serving: on a large site, its full passes over everything the cache keeps
    # took most of a rebuild. Cycles are collected once the editor pauses; other memory is freed as usual.
    loop = ioloop.IOLoop.current()
    if preview.idle_timer is not None:
        loop.remove_timeout(preview.idle_timer)
    preview.idle_timer = loop.call_later(IDLE_SECONDS, gc.collect)


def _log_connections() -> None:
    """Print livereload's 'Browser Connected' lines, so an editor sees the page is live."""
    logger = logging.getLogger("livereload")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Return host as an IP address (IPv6 with or without brackets), or None if it is a name."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _url_host(host: str) -> str:
    """Return the host as it goes in a URL (IPv6 in brackets, any-address as loopback)."""
    if host in ("0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host
