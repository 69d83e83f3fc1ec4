#!/usr/bin/env python3
"""Build the bilingual microsite from content/ into _site/, or serve it with live reload.

Run `python build.py --help` for the commands. Exit status: 0 built, 1 content errors, 2 wrong usage,
130 interrupted with Ctrl+C. The command line itself is microsite/cli.py.
"""

import sys
from pathlib import Path

from microsite.cli import deploy_url, main, parse_args

__all__ = ["deploy_url", "main", "parse_args"]  # the command line's names, for scripts and tests

if __name__ == "__main__":
    sys.exit(main(project=Path(__file__).resolve().parent))
