"""The command line: every command's options, what each exit status means, and which function runs each command.

Exit status: 0 built, 1 content errors, 2 wrong usage, 130 interrupted with Ctrl+C. build.py is the thin
entry that calls main(); the commands' work is in commands.py (serve: serve.py).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import sys
from contextlib import suppress
from pathlib import Path

from .urls import base_url_problem, host_problem
from .writer import output_problem

PROJECT = Path(__file__).resolve().parent.parent  # the package sits in the project folder (see pyproject.toml)


def parse_args(argv: list[str], project: Path = PROJECT) -> argparse.Namespace:
    """Read the command line; with no command, build."""
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the Hong Kong/Beijing Co-operation Conference microsite from content/.",
        epilog="Exit status: 0 done, 1 content errors (each printed as path:line: message), 2 wrong usage, "
               "130 interrupted with Ctrl+C. "
               "Run 'python build.py COMMAND --help' for a command's options.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=project,
                        help="project folder holding content/, templates/ and static/ (default: this folder)")
    build_cmd = commands.add_parser("build", parents=[common],
                                    help="write the site to the output folder (the default command)")
    build_cmd.add_argument("--output", type=Path, default=None,
                           help="output folder (default: _site inside the project folder)")
    build_cmd.add_argument("--base-url", type=_base_url, default=None,
                           help="address the site is published at, e.g. https://example.org/jbcc/ "
                                "(default: on Netlify, $URL in production and $DEPLOY_PRIME_URL in previews "
                                "and branch deploys; elsewhere base_url in content/site.yaml)")
    build_cmd.add_argument("--timings", action="store_true",
                           help="print how long each stage of the build took: read, load and validate, convert, "
                                "route, parse, render, write")
    serve_cmd = commands.add_parser("serve", parents=[common],
                                    help="preview the site with live reload, rebuilt in memory after every change "
                                         "(writes no files)")
    serve_cmd.add_argument("--host", type=_host, default="127.0.0.1",
                           help="address to listen on (default: 127.0.0.1; others print a warning)")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port to listen on, 1 to 65535 (default: 8000)")
    check_cmd = commands.add_parser("check", parents=[common],
                                    help="validate everything and audit the conversion and translations; "
                                         "writes nothing")
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    commands.add_parser("status", parents=[common], help="list pages, their languages and translation status")
    new_cmd = commands.add_parser("new", parents=[common], help="create a new area: new area <slug>")
    new_cmd.add_argument("kind", choices=("area",), help="what to create (area)")
    new_cmd.add_argument("slug", help="the new area's slug: lower-case words joined by hyphens")
    mark_cmd = commands.add_parser("mark-translated", parents=[common],
                                   help="record that translated texts match the current text they were translated from")
    mark_cmd.add_argument("files", nargs="*", help="translated files, e.g. content/areas/youth-development/zh-hant.md")
    mark_cmd.add_argument("--all", action="store_true", help="mark every translated text")
    if not argv or (argv[0] not in commands.choices and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    if not (args.root / "content").is_dir():
        parser.error(f"no content/ folder in {args.root}")
    if hasattr(args, "output"):
        args.output = (args.output or args.root / "_site").resolve()
        problem = output_problem(args.root, args.output)
        if problem:
            parser.error(problem)
    return args


def _port(text: str) -> int:
    """Read a TCP port number for --port."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 1 to 65535")
    return int(text)


def _host(text: str) -> str:
    """Read the address to listen on for --host: a host name, an IPv4 address or an IPv6 address."""
    with suppress(ValueError):
        ipaddress.ip_address(text.strip("[]"))
        return text.strip("[]")
    problem = host_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def _base_url(text: str) -> str:
    """Read the site's address for --base-url, with the same rules as base_url in content/site.yaml."""
    problem = base_url_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def deploy_url(environ: dict) -> str | None:
    """Return the site's address as Netlify gives it to the build, or None off Netlify."""
    if environ.get("NETLIFY") != "true":
        return None
    if environ.get("CONTEXT") == "production":
        return environ.get("URL") or None
    return environ.get("DEPLOY_PRIME_URL") or environ.get("URL") or None


def main(argv: list[str] | None = None, project: Path = PROJECT) -> int:
    """Run the command line and return the exit status; Ctrl+C ends it quietly with status 130."""
    try:
        return _run(parse_args(sys.argv[1:] if argv is None else argv, project))
    except KeyboardInterrupt:
        print("Interrupted; nothing was changed.", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    """Run one command."""
    if hasattr(signal, "SIGPIPE") and args.command in ("status", "check"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `python build.py status | head` ends quietly
    if args.command == "serve":
        from .serve import serve

        return serve(args)
    from . import commands

    if args.command == "build":
        base_url = args.base_url or deploy_url(dict(os.environ))
        problem = base_url_problem(base_url) if base_url and not args.base_url else ""
        if problem:
            print(f"Netlify's address is not usable: {problem}", file=sys.stderr)
            return 2
        return commands.build(args, base_url)
    if args.command == "check":
        return commands.check(args.root, args.strict)
    if args.command == "status":
        return commands.status(args.root)
    if args.command == "new":
        return commands.new_area(args.root, args.slug)
    return commands.mark_translated(args.root, args.files, args.all)
