"""The build command as users run it: usage, determinism, base URLs, photos, attachments."""

from __future__ import annotations

import pytest

from conftest import project_entries, REPO, parse_html, run_build, text_of
from support.edits import block, edit, snapshot
from support.fixture import PHOTO, PHOTO_AREA

FIXTURE_PHOTO = REPO / "tests/data/meeting.png"


@pytest.mark.parametrize(("args", "words"), [
    (["--help"], ["build", "serve", "check", "status", "new", "mark-translated", "Exit status"]),
    (["build", "--help"], ["--base-url", "--output", "--root"]),
    (["serve", "--help"], ["--host", "--port", "--root"]),
    (["check", "--help"], ["--strict", "--root"]),
    (["new", "--help"], ["area", "slug"]),
    (["mark-translated", "--help"], ["--all", "files"]),
])
def test_help_documents_every_command_and_option(args, words):
    result = run_build(*args)
    assert result.code == 0
    for word in words:
        assert word in result.out


@pytest.mark.parametrize("args", [["publish"], ["--port", "not-a-number", "serve"], ["--no-such-option"], ["--port", "9000"]])
def test_wrong_usage_exits_with_status_2(args):
    result = run_build(*args)
    assert result.code == 2
    assert "usage:" in result.err


def test_build_reports_what_it_wrote(project):
    result = run_build("--root", str(project))
    assert result.code == 0
    assert result.out.startswith("Built 20 pages (30 files) into ")


def test_two_builds_are_byte_identical(project, tmp_path):
    assert run_build("--root", str(project), "--output", str(tmp_path / "a")).code == 0
    assert run_build("--root", str(project), "--output", str(tmp_path / "b")).code == 0
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_rebuilding_replaces_the_old_site_and_leaves_no_temporary_folders(project):
    stale = project / "_site/en/old-page/index.html"
    assert run_build("--root", str(project)).code == 0
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    assert run_build("--root", str(project)).code == 0
    assert not stale.exists()
    assert project_entries(project) == ["_site", "content", "static", "templates"]


def test_base_url_with_a_path_prefixes_every_link(project):
    assert run_build("--root", str(project), "--base-url", "https://example.org/jbcc").code == 0
    site = project / "_site"
    doc = parse_html(site / "tc/areas/youth-development/index.html")
    assert doc.find(".//link[@rel='canonical']").get("href") == "https://example.org/jbcc/tc/areas/youth-development/"
    for element in doc.iter():
        for attr in ("href", "src"):
            value = element.get(attr)
            if value and not value.startswith(("#", "https://")):
                assert value.startswith("/jbcc/"), value
    assert "Sitemap: https://example.org/jbcc/sitemap.xml" in (site / "robots.txt").read_text()
    annex_link = next(a for a in parse_html(site / "en/index.html").findall(".//main//a") if text_of(a) == "annex")
    assert annex_link.get("href") == "/jbcc/en/annex/"


PHOTO_YAML = f"content/areas/{PHOTO_AREA}/area.yaml"


def test_photo_renders_as_a_figure_with_size_alt_caption_and_lazy_loading(fixture_built):
    for prefix, alt, caption in [("en", "Delegates seated at the meeting table", "The plenary session in Beijing"),
                                 ("tc", "代表團成員在會議桌旁就座", "在北京舉行的全體會議"),
                                 ("sc", "代表团成员在会议桌旁就座", "在北京举行的全体会议")]:
        doc = parse_html(fixture_built / f"{prefix}/areas/{PHOTO_AREA}/index.html")
        figure = doc.find(".//main//figure")
        img = figure.find("img")
        assert (img.get("width"), img.get("height"), img.get("loading")) == ("64", "48", "lazy")
        assert img.get("alt") == alt
        assert text_of(figure.find("figcaption")) == caption
        published = fixture_built / img.get("src").lstrip("/")
        assert published.read_bytes() == FIXTURE_PHOTO.read_bytes()


def test_a_photo_on_the_site_adds_the_photo_note_to_the_headline(fixture_built):
    assert text_of(parse_html(fixture_built / "en/index.html").find(".//h1")).endswith("held in Beijing (with photos)")
    assert text_of(parse_html(fixture_built / "tc/index.html").find(".//h1")).endswith("在北京舉行（附圖）")


def test_a_site_without_photos_has_no_photo_note_and_a_photo_without_caption_no_figcaption(project):
    edit(project, PHOTO_YAML, "    caption:\n      en: The plenary session in Beijing\n      zh-hant: 在北京舉行的全體會議\n", "")
    assert run_build("--root", str(project)).code == 0
    figure = parse_html(project / f"_site/en/areas/{PHOTO_AREA}/index.html").find(".//main//figure")
    assert figure.find("img") is not None and figure.find("figcaption") is None
    block(PHOTO_YAML, r"^photos:\n(?:  .*\n)*", "")(project)
    assert run_build("--root", str(project)).code == 0
    assert text_of(parse_html(project / "_site/en/index.html").find(".//h1")).endswith("held in Beijing")
    assert text_of(parse_html(project / "_site/tc/index.html").find(".//h1")).endswith("在北京舉行")
    assert parse_html(project / f"_site/en/areas/{PHOTO_AREA}/index.html").find(".//main//figure") is None


def test_a_file_that_is_not_an_image_is_refused_as_a_photo(project):
    (project / "static" / PHOTO).write_text("not an image")
    result = run_build("--root", str(project))
    assert result.code == 1
    assert f"{PHOTO_YAML}:10: '{PHOTO}' is not a PNG, JPEG, GIF or WebP image" in result.err


def test_photo_path_outside_static_is_refused(project):
    edit(project, PHOTO_YAML, f"file: {PHOTO}", "file: ../content/site.yaml")
    result = run_build("--root", str(project))
    assert result.code == 1
    assert f"{PHOTO_YAML}:10: '../content/site.yaml' must be a path inside static/" in result.err


def test_annex_attachment_is_linked_with_its_size(project):
    (project / "static/documents").mkdir()
    (project / "static/documents/memorandum.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 245_000)
    path = project / "content/annex/annex.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "attachment: documents/memorandum.pdf\n", encoding="utf-8")
    assert run_build("--root", str(project)).code == 0
    for prefix, label in [("tc", "已簽署的備忘錄（PDF，245 KB）"), ("sc", "已签署的备忘录（PDF，245 KB）")]:
        link = parse_html(project / f"_site/{prefix}/annex/index.html").find(".//p[@class='attachment']/a")
        assert text_of(link) == label
        assert (project / "_site" / link.get("href").lstrip("/")).stat().st_size == 245_009
