"""The fixture site (tests/fixture-site/) and the bundled project, as folders a test can build and break.

The fixture site is a small real project: English and Traditional Chinese written, Simplified converted,
three areas (one with a photo), a home page and an annex. Its content/ is its own; templates/ and static/
are the project's, copied at run time, with the fixture's own static files (the photo) laid over them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests/fixture-site"
FOLDERS = ("content", "templates", "static")

# What the fixture holds, for tests that name its pages.
AREAS = ("belt-and-road", "innovation-and-technology", "youth-development")
PHOTO_AREA = "innovation-and-technology"
PHOTO = "photos/delegates.png"


def copy_fixture(dest: Path) -> Path:
    """Copy the fixture site into dest (content/, and the project's templates/ and static/); return dest."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE / "content", dest / "content")
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copytree(REPO / "static", dest / "static")
    shutil.copytree(FIXTURE / "static", dest / "static", dirs_exist_ok=True)
    return dest


def copy_bundled(dest: Path) -> Path:
    """Copy the bundled project's content/, templates/ and static/ into dest; return dest."""
    for folder in FOLDERS:
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def fixture_files() -> dict[str, bytes]:
    """Return every input file of the fixture site by its path in a project (content/..., static/...)."""
    found = {}
    for top, base in (("templates", REPO / "templates"), ("static", REPO / "static"), ("static", FIXTURE / "static"),
                      ("content", FIXTURE / "content")):
        for path in sorted(base.rglob("*")):
            if path.is_file():
                found[f"{top}/{path.relative_to(base).as_posix()}"] = path.read_bytes()
    return found


class Bench:
    """Fresh copies of one project, always at the same path, made from a copy prepared once.

    The path stays the same so that what a build keeps in the project's .cache/ (compiled templates, keyed
    by the templates' paths and checked against their text) is as valid for every copy as for the prepared
    one: each test starts as a second build on an editor's machine does, not from cold."""

    def __init__(self, base: Path, make, built: bool):
        from support.commands import run

        self.case = base / "case"
        self.kept = base / "kept"
        project = make(self.case / "project")
        args = ("--root", project) if built else ("--root", project, "--output", self.case / "primer")
        result = run(*args, real=True)
        assert result.code == 0, f"the project does not build, so no test can use it:\n{result}"
        shutil.rmtree(self.case / "primer", ignore_errors=True)
        self.case.rename(self.kept)

    def fresh(self) -> Path:
        """Return a fresh copy of the project at the bench's path, alone in its folder."""
        self.clean()
        self.case.mkdir()
        shutil.copytree(self.kept / "project", self.case / "project", symlinks=True)
        return self.case / "project"

    def clean(self) -> None:
        """Delete the last copy, whatever a test did to its permissions."""
        if self.case.exists():
            writable_everywhere(self.case)
            shutil.rmtree(self.case)


def writable_everywhere(folder: Path) -> None:
    """Undo chmod 000 and 555 below folder, so it can be deleted by a user permissions apply to."""
    import os

    for path in [folder, *folder.rglob("*")]:
        try:
            if path.is_dir() and not path.is_symlink():
                os.chmod(path, 0o755)
        except OSError:
            pass
