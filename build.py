#!/usr/bin/env python3
"""Build the bilingual microsite from content/ into _site/, or serve it with live reload.

Exit status: 0 built, 1 content errors, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the Hong Kong/Beijing Co-operation Conference microsite from content/.",
        epilog="Exit status: 0 built, 1 content errors (each printed as path:line: message), 2 wrong usage.",
    )
    parser.add_argument("command", nargs="?", default="build", choices=("build", "serve"),
                        help="build: write the site to the output folder (default); "
                             "serve: build, then serve it with live reload and rebuild on every change")
    parser.add_argument("--root", type=Path, default=HERE,
                        help="project folder holding content/, templates/ and static/ (default: this folder)")
    parser.add_argument("--output", type=Path, default=None,
                        help="output folder (default: _site inside the project folder)")
    parser.add_argument("--base-url", default=None,
                        help="address the site is published at, e.g. https://example.org/jbcc/ "
                             "(default: on Netlify, $URL in production and $DEPLOY_PRIME_URL in previews "
                             "and branch deploys; elsewhere base_url in content/site.yaml; "
                             "serve always uses its own address)")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="serve: port to listen on (default: 8000)")
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    args.output = (args.output or args.root / "_site").resolve()
    if not (args.root / "content").is_dir():
        parser.error(f"no content/ folder in {args.root}")
    if args.command == "build" and (args.host != "127.0.0.1" or args.port != 8000):
        parser.error("--host and --port go with the serve command")
    return args


def deploy_url(environ: dict) -> str | None:
    """Return the site's address as Netlify gives it to the build, or None off Netlify."""
    if environ.get("NETLIFY") != "true":
        return None
    if environ.get("CONTEXT") == "production":
        return environ.get("URL") or None
    return environ.get("DEPLOY_PRIME_URL") or environ.get("URL") or None


def build(args: argparse.Namespace, base_url: str | None) -> int:
    """Build and write the site once; print errors and return the exit status."""
    from microsite.errors import ContentErrors
    from microsite.site import build_site, write_site

    started = time.perf_counter()
    try:
        files = build_site(args.root, base_url)
    except ContentErrors as errors:
        print(errors.describe(args.root), file=sys.stderr)
        return 1
    write_site(files, args.output)
    elapsed = time.perf_counter() - started
    pages = sum(1 for path in files if path.endswith(".html"))
    print(f"Built {pages} pages ({len(files)} files) into {_shown(args.output)} in {elapsed:.2f} s")
    return 0


def _shown(path: Path) -> str:
    """Show a path relative to the working folder when it is inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    sys.path.insert(0, str(HERE))
    if args.command == "serve":
        from microsite.serve import serve

        return serve(args)
    return build(args, args.base_url or deploy_url(dict(os.environ)))


if __name__ == "__main__":
    sys.exit(main())
