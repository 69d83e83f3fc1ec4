"""The fast paths make exactly the files of the plain one: parallel build, in-memory build, dev-server updates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run_build
from test_errors import snapshot

EXTRA_AREAS = 200  # enough pages for the build to render on several cores


def grow(project: Path, count: int) -> None:
    """Add copies of the youth development area, so the site has many pages."""
    source = project / "content/areas/youth-development"
    site_yaml = project / "content/site.yaml"
    lines = []
    for i in range(count):
        slug = f"extra-area-{i:03d}"
        folder = project / "content/areas" / slug
        shutil.copytree(source, folder)
        yaml_text = (folder / "area.yaml").read_text(encoding="utf-8")
        yaml_text = yaml_text.replace("slug: youth-development", f"slug: {slug}").replace("order: 7", f"order: {9 + i}")
        yaml_text = yaml_text.replace('en: "Youth Development"', f'en: "Extra area {i}"')
        (folder / "area.yaml").write_text(yaml_text, encoding="utf-8")
        lines.append(f"  - {slug}")
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(lines) + "\n",
                         encoding="utf-8")


@pytest.fixture(scope="module")
def big_project(tmp_path_factory) -> Path:
    """A copy of the project with two hundred more areas."""
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("big"))
    grow(project, EXTRA_AREAS)
    return project


def test_the_parallel_build_writes_the_same_bytes_as_the_in_memory_build(big_project, tmp_path):
    from microsite.site import _workers, build_site

    assert _workers((EXTRA_AREAS + 10) * 3) > 1 or pytest.skip("one core: the build does not split")
    assert run_build("--root", str(big_project), "--output", str(tmp_path / "out")).code == 0
    assert snapshot(tmp_path / "out") == build_site(big_project)


def test_dev_server_updates_leave_the_same_files_as_a_fresh_build(big_project, tmp_path):
    from microsite.output import write_changed
    from microsite.site import build_site, prepare, render_changes

    out, digests, memo = tmp_path / "serve", {}, {}
    write_changed(render_changes(prepare(big_project), memo), out, digests, memo)
    area = big_project / "content/areas/extra-area-007/area.yaml"
    body = big_project / "content/areas/extra-area-100/en.md"
    original_area, original_body = area.read_text(encoding="utf-8"), body.read_text(encoding="utf-8")
    try:
        area.write_text(original_area.replace('"Extra area 7"', '"A renamed area"'), encoding="utf-8")
        body.write_text(original_body + "\nA new paragraph.\n", encoding="utf-8")
        written = write_changed(render_changes(prepare(big_project), memo), out, digests, memo)
        assert snapshot(out) == build_site(big_project)
        assert written < len(digests)  # the Chinese pages did not change, so were not written
    finally:
        area.write_text(original_area, encoding="utf-8")
        body.write_text(original_body, encoding="utf-8")
