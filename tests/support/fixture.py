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
