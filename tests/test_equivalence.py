"""The preview equals a fresh build: after any sequence of edits, every page served is the page `build` would write.

A property test drives a real `build.py serve` through random sequences of
edits over every kind of input, and after each one compares every file the
preview serves with a fresh `build.py --base-url <the preview's address>` of
the same project.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from conftest import REPO, run_build
from support.fixture import copy_fixture
from support.devserver import DevServer, without_live_script
from support.edits import snapshot

PHOTO = REPO / "tests/data/meeting.png"


def _areas(project: Path) -> list[str]:
    """Return the slugs listed in site.yaml, in order."""
    text = (project / "content/site.yaml").read_text(encoding="utf-8")
    return re.findall(r"(?m)^  - ([a-z0-9-]+)$", text.split("\nareas:\n", 1)[1])


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, failing if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    """Add text at the end of a file."""
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def edit_english_body(project, n):
    _append(project / f"content/areas/{_areas(project)[n % len(_areas(project))]}/en.md", f"\nParagraph {n} added.\n")


def edit_chinese_body(project, n):
    _append(project / f"content/areas/{_areas(project)[n % len(_areas(project))]}/zh-hant.md", f"\n新增第{n}段，隨著發展。\n")


def edit_title(project, n):
    area = project / f"content/areas/{_areas(project)[n % len(_areas(project))]}/area.yaml"
    _replace(area, "title:\n  en: ", f"title:\n  en: Renamed {n} ")


def edit_summary(project, n):
    area = project / f"content/areas/{_areas(project)[n % len(_areas(project))]}/area.yaml"
    text = area.read_text(encoding="utf-8")
    area.write_text(re.sub(r"(summary:\n(?:.*\n)*?  zh-hant: )", rf"\g<1>摘要{n}", text, count=1), encoding="utf-8")


def reorder_areas(project, n):
    slugs = _areas(project)
    i = n % (len(slugs) - 1)
    a, b = slugs[i], slugs[i + 1]
    _replace(project / "content/site.yaml", f"  - {a}\n  - {b}\n", f"  - {b}\n  - {a}\n")
    for slug, order in ((a, i + 2), (b, i + 1)):
        area = project / f"content/areas/{slug}/area.yaml"
        area.write_text(re.sub(r"(?m)^order: .*$", f"order: {order}", area.read_text(encoding="utf-8")), encoding="utf-8")


def add_phrase(project, n):
    phrases = project / "content/phrases.yaml"
    if "  兩地: " not in phrases.read_text(encoding="utf-8"):
        _append(phrases, "  兩地: 两地XX\n")  # a phrase the texts use, so Simplified pages change
    else:
        _append(phrases, f"  合作{len(phrases.read_text(encoding='utf-8'))}: 合作XX\n")


def edit_ui_words(project, n):
    _replace(project / ("content/ui/en.yaml" if n % 2 else "content/ui/zh-hant.yaml"), "\nhome: ", f"\nhome: {n} ")


def edit_language_label(project, n):
    site = project / "content/site.yaml"
    site.write_text(re.sub(r"(?m)^    label: English.*$", f"    label: English {n}", site.read_text(encoding="utf-8")),
                    encoding="utf-8")


def edit_home(project, n):
    if n % 2:
        _append(project / "content/home/en.md", f"\nA closing line {n}.\n")
    else:
        _replace(project / "content/home/home.yaml", "description:\n  en: ", f"description:\n  en: Update {n}. ")


def edit_annex(project, n):
    _append(project / "content/annex/zh-hant.md", f"\n- 新增事項{n}。\n")


def edit_template(project, n):
    _replace(project / "templates/base.html", 'class="site-footer', f'class="site-footer edit-{n}')  # repeatable


def edit_stylesheet(project, n):
    _append(project / "static/css/site.css", f"\n.edit-{n} {{ color: inherit; }}\n")


def add_photo(project, n):
    (project / "static/photos").mkdir(parents=True, exist_ok=True)
    shutil.copy(PHOTO, project / f"static/photos/photo-{n}.png")
    area = project / f"content/areas/{_areas(project)[0]}/area.yaml"
    if "photos:" not in area.read_text(encoding="utf-8"):
        _append(area, f"photos:\n  - file: photos/photo-{n}.png\n    alt:\n      en: A photo\n      zh-hant: 相片\n")


def add_area(project, n):
    slug = f"added-area-{n}-{len(_areas(project))}"
    assert run_build("new", "area", slug, "--root", str(project)).code == 0


def delete_last_area(project, n):
    if len(_areas(project)) <= 2:  # the fixture has three: keep two, so reorder_areas always has a pair
        return
    slug = _areas(project)[-1]
    shutil.rmtree(project / f"content/areas/{slug}")
    _replace(project / "content/site.yaml", f"  - {slug}\n", "")


def break_a_file(project, n):
    area = project / f"content/areas/{_areas(project)[0]}/area.yaml"
    area.write_text(re.sub(r"(?m)^order: .*$", "order: one", area.read_text(encoding="utf-8")), encoding="utf-8")


def fix_the_file(project, n):
    area = project / f"content/areas/{_areas(project)[0]}/area.yaml"
    if "order: one\n" in area.read_text(encoding="utf-8"):
        _replace(area, "order: one\n", "order: 1\n")


def replace_content_folder(project, n):
    shutil.rmtree(project / "content.new", ignore_errors=True)
    shutil.copytree(project / "content", project / "content.new")
    _append(project / f"content.new/areas/{_areas(project)[-1]}/en.md", f"\nFrom a replaced folder {n}.\n")
    os.rename(project / "content", project / "content.gone")
    os.rename(project / "content.new", project / "content")
    shutil.rmtree(project / "content.gone")


EDITS = {f.__name__: f for f in (
    edit_english_body, edit_chinese_body, edit_title, edit_summary, reorder_areas, add_phrase, edit_ui_words,
    edit_language_label, edit_home, edit_annex, edit_template, edit_stylesheet, add_photo, add_area,
    delete_last_area, break_a_file, fix_the_file, replace_content_folder)}


def fresh_build(project: Path, base_url: str, out: Path):
    """Build the project as a user would; return (files, None) or (None, the error lines)."""
    shutil.rmtree(out, ignore_errors=True)
    result = run_build("--root", str(project), "--output", str(out), "--base-url", base_url)
    if result.code != 0:
        return None, [line for line in result.err.splitlines() if re.match(r"\S+:\d*:? ", line)]
    files = snapshot(out)
    files.pop(".jbcc-microsite")
    return files, None


def assert_preview_equals_fresh_build(server: DevServer, out: Path, seen: set[str]) -> None:
    """Compare every file the preview serves with a fresh build of the same project."""
    files, errors = fresh_build(server.project, server.url + "/", out)
    if files is None:
        status, page = server.get("/en/")
        assert status == 500
        shown = page.decode("utf-8")
        for line in errors:
            assert line.split(": ", 1)[0] in shown, line
        return
    for path, data in files.items():
        status, served = server.get("/" + path)
        assert status == 200, path
        assert without_live_script(served) == data, path
    for path in seen - set(files):
        assert server.get("/" + path)[0] == 404, path
    seen.update(files)


def _inputs(project: Path) -> dict:
    """Return every input file of the project with its bytes."""
    return {folder: snapshot(project / folder) for folder in ("content", "templates", "static")}


# Each example runs a server through several edits (about 0.6 s each: a rebuild, a fresh build, every file
# fetched), so there are few of them and no shrinking: a failure names its steps. The explicit example walks
# every kind of edit once; one generated sequence of 4 to 8 edits a run explores their orders and repeats
# (CI uses the same one on every run).
@settings(max_examples=1, deadline=None, derandomize=os.environ.get("CI") == "true",
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 50)), min_size=4, max_size=8))
@example(steps=[(name, i) for i, name in enumerate(EDITS)])
def test_the_preview_serves_exactly_what_a_fresh_build_writes_after_any_edits(tmp_path_factory, steps):
    work = tmp_path_factory.mktemp("equivalence")
    project = copy_fixture(work / "project")
    out = work / "fresh"
    server = DevServer(project).ready()
    try:
        seen: set[str] = set()
        assert_preview_equals_fresh_build(server, out, seen)
        for name, n in steps:
            before, inputs = server.builds(), _inputs(project)
            EDITS[name](project, n)
            if _inputs(project) != inputs:
                server.settle(before)
            assert_preview_equals_fresh_build(server, out, seen)
        assert server.proc.poll() is None
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


def test_every_edit_can_be_made_twice_in_a_row(tmp_path):
    project = copy_fixture(tmp_path / "project")
    for name in sorted(EDITS):
        EDITS[name](project, 1)
        EDITS[name](project, 2)
