"""Real tools the tests drive (Chromium, the Nu Html Checker, axe-core), found or skipped clearly.

A test that needs a missing tool is skipped with the reason, on a developer's
machine. CI sets JBCC_REQUIRE_TOOLS=1, which turns such a skip into a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "tests/tools/node_modules"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]


def require(found, reason: str):
    """Return found, or skip (fail in CI) with the reason when it is missing."""
    if found:
        return found
    if os.environ.get("JBCC_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason}; JBCC_REQUIRE_TOOLS=1 says CI must run this test")
    pytest.skip(reason)


def chromium_path() -> str:
    """Return the Chromium executable, or skip: Debian's package installs /usr/bin/chromium."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return require(path if os.path.exists(path) else None, "Chromium is not installed (apt-get install chromium)")


def launch_chromium(playwright):
    """Launch headless Debian Chromium through Playwright (each launch gets a fresh profile)."""
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


def node_module(*parts: str) -> Path:
    """Return a file from the test tools' node_modules, or skip with how to install it."""
    path = NODE_MODULES.joinpath(*parts)
    return require(path if path.exists() else None,
                   f"{'/'.join(parts)} is missing (run: npm ci --prefix tests/tools)")


def java() -> str:
    """Return the java executable, or skip."""
    return require(shutil.which("java"), "Java is not installed (apt-get install default-jre-headless)")
