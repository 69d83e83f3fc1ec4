"""The dev server: build, serve _site/ with live reload, rebuild on every change."""

from __future__ import annotations

import argparse
import ipaddress
import sys

WATCHED = ("content", "templates", "static")


def serve(args: argparse.Namespace, build) -> int:
    """Build once, then serve the output and rebuild whenever a watched folder changes."""
    from livereload import Server

    url = f"http://{_url_host(args.host)}:{args.port}/"
    if not _is_loopback(args.host):
        print(f"warning: serving on {args.host}: other machines on the network can reach this preview",
              file=sys.stderr)
    status = build(args, url)
    if status != 0 and not args.output.exists():
        print("Fix the errors above and save: the preview starts with the first good build.", file=sys.stderr)
    server = Server()
    for folder in WATCHED:
        server.watch(str(args.root / folder), lambda: build(args, url), delay=0.2)
    args.output.mkdir(parents=True, exist_ok=True)
    print(f"Serving {url} (Ctrl+C to stop)")
    server.serve(host=args.host, port=args.port, root=str(args.output), open_url_delay=None,
                 restart_delay=0)
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
