"""The addresses the project is given: the base URL to publish at and the host to listen on, checked."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
_PATH_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+\Z")


def base_url_problem(url: str) -> str:
    """Say why an address cannot be the site's base URL, or return ''."""
    shown = url if len(url) <= 80 else url[:77] + "..."
    problem = f"base URL '{shown}' must be a full address like https://example.org/ or https://example.org/jbcc/"
    if not url.isascii() or not url.isprintable() or any(c in url for c in "\\ \t?#@%[]"):
        return problem
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return problem
    if (parts.scheme not in ("http", "https") or not url.startswith(f"{parts.scheme}://") or port == 0
            or host_problem(host)):
        return problem
    segments = parts.path.removesuffix("/").split("/")[1:]
    return problem if any(not _PATH_SEGMENT.match(s) or s in (".", "..") for s in segments) else ""


def host_problem(host: str) -> str:
    """Say why a name cannot be a host to listen on or to publish at (a name or an IPv4 address), or return ''."""
    if not host or len(host) > 253 or not all(_HOST_LABEL.match(label) for label in host.split(".")):
        return f"'{host[:80]}' is not a host name or an IPv4 address"
    return ""


def normalise_base_url(url: str) -> str:
    """Return the base URL with exactly one trailing slash."""
    return url.rstrip("/") + "/"
