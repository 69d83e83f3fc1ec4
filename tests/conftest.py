"""Shared fixtures: a copy of the project to break, builds run as a user runs them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import html5lib
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))


@dataclass
class Result:
    """What a run of build.py did."""

    code: int
    out: str
    err: str


def run_build(*args: str, cwd: Path = REPO) -> Result:
    """Run build.py as a separate process, the way editors and Netlify run it."""
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def copy_project(dest: Path) -> Path:
    """Copy content/, templates/ and static/ into dest, for a test to change."""
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def grow(project: Path, count: int) -> list[str]:
    """Add copies of the youth development area as areas 9, 10, ...; return their slugs."""
    source = project / "content/areas/youth-development"
    site_yaml = project / "content/site.yaml"
    slugs = []
    for i in range(count):
        slug = f"extra-area-{i:04d}"
        folder = project / "content/areas" / slug
        shutil.copytree(source, folder)
        text = (folder / "area.yaml").read_text(encoding="utf-8")
        text = text.replace("slug: youth-development", f"slug: {slug}").replace("order: 7", f"order: {9 + i}")
        (folder / "area.yaml").write_text(text.replace('en: "Youth Development"', f'en: "Extra area {i}"'),
                                          encoding="utf-8")
        slugs.append(slug)
    lines = "".join(f"  - {slug}\n" for slug in slugs)
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").rstrip("\n") + "\n" + lines, encoding="utf-8")
    return slugs


def project_entries(project: Path) -> list[str]:
    """Return the names in a project folder, leaving out the compiled-template cache the build may keep."""
    return sorted(p.name for p in project.iterdir() if p.name != ".cache")


def parse_html(path: Path):
    """Parse an HTML file with a standards-following parser; return the document element."""
    with open(path, "rb") as f:
        return html5lib.parse(f, treebuilder="etree", namespaceHTMLElements=False)


def text_of(element) -> str:
    """Return all the text inside an element, whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The bundled site, built once for the session from the repository's own content."""
    out = tmp_path_factory.mktemp("built") / "_site"
    result = run_build("--output", str(out))
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="session")
def served(built):
    """The bundled site on a local static server that behaves like the host (404s, _headers)."""
    from support.static_server import StaticServer

    with StaticServer(built) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright, shared by the session."""
    from support import tools

    from playwright.sync_api import sync_playwright

    tools.chromium_path()
    with sync_playwright() as playwright:
        chromium = tools.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab at desktop size, light colour scheme."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    yield context.new_page()
    context.close()


@pytest.fixture
def project(tmp_path) -> Path:
    """A private copy of the project's content, templates and static files."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def site_model():
    """The bundled content loaded and converted, as the build sees it."""
    from microsite.pipeline import prepare
    from microsite.sources import read_tree

    return prepare(read_tree(REPO)).site
