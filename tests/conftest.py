"""Shared fixtures: the fixture site and the bundled project as folders to build and break, commands run as
users run them, the bundled site built once, a browser."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import html5lib
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from support.commands import Run, in_process, process  # noqa: E402
from support.fixture import Bench, copy_bundled, copy_fixture, writable_everywhere  # noqa: E402


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "early(start): start=f, f(folder) -> Job runs while the other tests do; the test "
                                       "runs last and reads the finished job from the 'early' fixture")


def pytest_collection_finish(session) -> None:
    from support import early

    early.start_jobs(session)


def pytest_sessionfinish(session) -> None:
    from support import early

    early.stop_jobs(session)


@pytest.fixture
def early(request):
    """The outside job of a test marked @pytest.mark.early (see tests/support/early.py)."""
    from support.early import job_of

    return job_of(request)


def run_build(*args: str, cwd: Path = REPO, real_process: bool = False) -> Run:
    """Run build.py with these arguments: its main() in this process (the same code, exit status and output as
    `python build.py ...`), or as a real process when the test needs one (the dev server, a large site whose
    build forks workers)."""
    if real_process or "serve" in args[:1]:
        return process(*args, cwd=cwd, timeout=300)
    return in_process(*args, cwd=cwd)


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
def fixture_built(tmp_path_factory) -> Path:
    """The fixture site, built once for the session: for tests that only read the pages."""
    project = copy_fixture(tmp_path_factory.mktemp("fixture-built") / "project")
    result = run_build("--root", str(project))
    assert result.code == 0, result.err
    return project / "_site"


@pytest.fixture(scope="session")
def thousand_areas(tmp_path_factory) -> Path:
    """A generated site of 1,000 areas (the benchmark's synthetic content), built as a user would, by a process
    (its build forks render workers)."""
    sys.path.insert(0, str(REPO / "bench"))
    import ours
    import synth

    work = tmp_path_factory.mktemp("thousand")
    project = ours.write_project(synth.make_areas(1000), work / "project")
    result = run_build("--root", str(project), "--output", str(work / "site"), real_process=True)
    assert result.code == 0, result.err
    return work / "site"


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


@pytest.fixture(scope="session")
def scratch(tmp_path_factory) -> Path:
    """Where tests' projects live: in memory (/dev/shm) where there is such a folder, else pytest's tmp.

    Hundreds of projects are copied, built and deleted; on a slow disk the file system is most of the time.
    BOUNDARY_SCRATCH chooses another folder."""
    shm = Path(os.environ.get("BOUNDARY_SCRATCH", "/dev/shm"))
    if shm.is_dir() and os.access(shm, os.W_OK):
        base = Path(tempfile.mkdtemp(prefix="jbcc-tests-", dir=shm))
        yield base
        writable_everywhere(base)
        shutil.rmtree(base, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("scratch")


@pytest.fixture(scope="session")
def fixture_bench(scratch) -> Bench:
    """The fixture site, prepared once (not built: tests build it themselves)."""
    (scratch / "fixture").mkdir()
    return Bench(scratch / "fixture", copy_fixture, built=False)


@pytest.fixture
def project(fixture_bench) -> Path:
    """A private copy of the fixture site (content, templates and static files) for a test to change."""
    yield fixture_bench.fresh()
    fixture_bench.clean()


@pytest.fixture
def bundled_project(tmp_path) -> Path:
    """A private copy of the bundled project, for tests about the bundled site itself."""
    return copy_bundled(tmp_path / "project")


@pytest.fixture(scope="session")
def site_model():
    """The bundled content loaded and converted, as the build sees it."""
    from microsite.pipeline import prepare
    from microsite.sources import read_tree

    return prepare(read_tree(REPO)).site
