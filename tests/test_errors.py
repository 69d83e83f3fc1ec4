"""Editors' mistakes: each gives path:line: message, exit status 1, and an untouched _site/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_build
from support.commands import line_of
from support.edits import edit, snapshot

AREA = "content/areas/youth-development"


@pytest.fixture
def published(project) -> dict[str, bytes]:
    """A good build already in _site/, to check a failed build leaves it alone."""
    assert run_build("--root", str(project)).code == 0
    return snapshot(project / "_site")


def assert_refused(project: Path, published: dict, expected: str, hint: str | None = None) -> str:
    """Build, and check it fails with the expected message (and hint), no traceback and _site/ untouched."""
    result = run_build("--root", str(project))
    assert result.code == 1, result.err
    assert expected in result.err
    assert hint is None or f"hint: {hint}" in result.err, f"the hint {hint!r} is not given:\n{result.err}"
    assert "Traceback" not in result.err
    assert "nothing was written" in result.err
    assert snapshot(project / "_site") == published
    assert [p.name for p in project.iterdir() if p.name.startswith("._site")] == []
    return result.err


def test_bad_yaml_names_the_file_and_line(project, published):
    edit(project, f"{AREA}/area.yaml", "order: 3", "order: 3\ntitle: [unclosed")
    assert_refused(project, published, f"{AREA}/area.yaml:3: YAML syntax error",
                   hint="check the indentation and quotes on this line and the one before")


def test_tab_indentation_is_explained(project, published):
    edit(project, f"{AREA}/area.yaml", "  en: \"Youth", "\ten: \"Youth")
    err = assert_refused(project, published, f"{AREA}/area.yaml:")
    assert "indent with spaces, never tabs" in err


def test_unknown_key_suggests_the_closest_match(project, published):
    edit(project, f"{AREA}/area.yaml", "summary:", "sumary:")
    line = line_of(project, f"{AREA}/area.yaml", "sumary:")
    err = assert_refused(project, published, f"{AREA}/area.yaml:{line}: unknown key 'sumary'")
    assert "did you mean 'summary'?" in err


def test_missing_required_field_is_named(project, published):
    text = (project / f"{AREA}/area.yaml").read_text(encoding="utf-8")
    (project / f"{AREA}/area.yaml").write_text(text.split("summary:")[0], encoding="utf-8")
    assert_refused(project, published, f"{AREA}/area.yaml:1: this file is missing 'summary'")


def test_wrong_type_says_what_was_expected_and_what_was_found(project, published):
    edit(project, f"{AREA}/area.yaml", "order: 3", "order: seven")
    assert_refused(project, published, f"{AREA}/area.yaml:2: 'order' must be a whole number (got 'seven')")


def test_a_date_where_a_number_belongs_is_not_silently_accepted(project, published):
    edit(project, f"{AREA}/area.yaml", "order: 3", "order: 2018-10-24")
    assert_refused(project, published, f"{AREA}/area.yaml:2: 'order' must be a whole number (got '2018-10-24')")


def test_list_where_a_title_belongs_is_refused(project, published):
    edit(project, f"{AREA}/area.yaml", "  en: \"Youth Development\"", "  en: [Youth, Development]")
    line = line_of(project, f"{AREA}/area.yaml", "[Youth, Development]")
    assert_refused(project, published, f"{AREA}/area.yaml:{line}: 'title' 'en' must be text (got a list)",
                   hint="put text in double quotes")


def test_missing_traditional_title_is_named(project, published):
    text = (project / f"{AREA}/area.yaml").read_text(encoding="utf-8").splitlines()
    kept = [line for i, line in enumerate(text) if not (line.startswith("  zh-hant:") and i < 5)]
    (project / f"{AREA}/area.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert_refused(project, published, f"{AREA}/area.yaml:3: 'title' is missing 'zh-hant'")


def test_unknown_language_in_a_title_is_refused(project, published):
    edit(project, f"{AREA}/area.yaml", "title:\n", "title:\n  fr: Jeunesse\n")
    assert_refused(project, published, f"{AREA}/area.yaml:4: unknown key 'fr' in 'title'")


@pytest.mark.parametrize("lang", ["en", "zh-hant"])
def test_missing_text_in_a_written_language_is_named(project, published, lang):
    (project / f"{AREA}/{lang}.md").unlink()
    assert_refused(project, published, f"{AREA}/{lang}.md: the '{lang}' text is missing",
                   hint="every page needs its text in each language editors write")


def test_duplicate_slug_names_both_files(project, published):
    edit(project, "content/areas/belt-and-road/area.yaml", "slug: belt-and-road", "slug: youth-development")
    assert_refused(project, published, "content/areas/youth-development/area.yaml:1: slug 'youth-development' is already "
                                       "used by content/areas/belt-and-road/area.yaml:1", hint="every area needs its own slug")


def test_link_to_a_missing_page_names_the_line_of_the_link(project, published):
    rel = f"{AREA}/en.md"
    (project / rel).write_text((project / rel).read_text(encoding="utf-8") + "\nSee the\n[plans](/areas/no-such-area/).\n",
                               encoding="utf-8")
    line = line_of(project, rel, "[plans]")
    assert_refused(project, published, f"{rel}:{line}: link '/areas/no-such-area/' goes to a page that does not exist",
                   hint="link to a page as /areas/<slug>/, /annex/ or / (the home page), or to https://...")


def test_a_second_page_title_in_markdown_is_refused(project, published):
    rel = f"{AREA}/en.md"
    edit(project, rel, "text: official\n---\n", "text: official\n---\n# Youth\n\n")
    assert_refused(project, published, f"{rel}:4: a '# ' heading makes a second page title",
                   hint="use '## ' for headings; the title comes from the YAML file")


def test_area_missing_from_the_site_order_is_named(project, published):
    edit(project, "content/site.yaml", "  - youth-development\n", "")
    assert_refused(project, published, "is not listed under 'areas' in content/site.yaml",
                   hint="add its slug there to publish it")


def test_missing_ui_word_is_named(project, published):
    edit(project, "content/ui/zh-hant.yaml", "home: 主頁\n", "")
    line = line_of(project, "content/ui/zh-hant.yaml", "site_name:")
    assert_refused(project, published, f"content/ui/zh-hant.yaml:{line}: this file is missing 'home'")


def test_ui_word_that_drops_a_placeholder_is_named(project, published):
    edit(project, "content/ui/zh-hant.yaml", "（共{total}個）", "")
    line = line_of(project, "content/ui/zh-hant.yaml", "area_number")
    assert_refused(project, published, f"content/ui/zh-hant.yaml:{line}: 'area_number' must contain {{number}}, {{total}}",
                   hint="write placeholders exactly as in the other languages' files")


def test_template_error_names_the_template_and_line(project, published):
    edit(project, "templates/area.html", "{{ page_title }}", "{{ page.no_such_field }}")
    line = line_of(project, "templates/area.html", "no_such_field")
    assert_refused(project, published, f"templates/area.html:{line}: template error")


def test_photo_that_does_not_exist_is_named(project, published):
    edit(project, f"{AREA}/area.yaml", "slug:", "photos:\n  - file: photos/missing.jpg\n    alt: {en: A, zh-hant: 甲}\nslug:")
    assert_refused(project, published, f"{AREA}/area.yaml:2: 'photos/missing.jpg' does not exist under static/",
                   hint="name a file inside static/, like photos/meeting.jpg")


def test_every_error_is_reported_in_one_run(project, published):
    edit(project, f"{AREA}/area.yaml", "order: 3", "order: seven")
    edit(project, "content/areas/belt-and-road/area.yaml", "summary:", "sumary:")
    (project / "content/annex/zh-hant.md").unlink()
    err = assert_refused(project, published, "3 errors; nothing was written.")
    assert err.count(": ") >= 3


def test_invalid_utf8_is_named_with_its_line(project, published):
    path = project / f"{AREA}/en.md"
    path.write_bytes(path.read_bytes() + b"\nbad \xff byte\n")
    assert_refused(project, published, f"{AREA}/en.md:6: this file is not valid UTF-8 text",
                   hint="save the file as UTF-8 in your editor")


def test_a_template_naming_a_missing_static_file_names_the_template_line(project, published):
    (project / "static/favicon.svg").unlink()
    line = line_of(project, "templates/base.html", "favicon.svg")
    assert_refused(project, published, f"templates/base.html:{line}: template error: there is no file static/favicon.svg")


def test_an_area_listed_twice_in_site_yaml_is_named_there(project, published):
    edit(project, "content/site.yaml", "  - youth-development\n", "  - youth-development\n  - youth-development\n")
    line = line_of(project, "content/site.yaml", "  - youth-development") + 1
    assert_refused(project, published, f"content/site.yaml:{line}: 'youth-development' is listed twice",
                   hint="delete one of the two lines")


def test_a_text_that_does_not_say_where_it_comes_from_is_refused(project, published):
    edit(project, f"{AREA}/en.md", "---\ntext: official\n---\n", "")
    assert_refused(project, published, f"{AREA}/en.md:1: say where this text comes from",
                   hint="start the file with three lines: ---, then 'text: official' (the published text) or "
                        "'text: translation from en', then ---")


def test_a_translation_from_an_unknown_language_is_refused(project, published):
    edit(project, f"{AREA}/zh-hant.md", "text: translation from en", "text: translation from fr")
    assert_refused(project, published, f"{AREA}/zh-hant.md:2: a translation must be from another language editors write: en")


def test_front_matter_without_its_closing_line_is_named(project, published):
    edit(project, f"{AREA}/zh-hant.md", "\n---\n", "\n")
    assert_refused(project, published, f"{AREA}/zh-hant.md:1: the front matter that starts with '---' has no closing '---' line",
                   hint="add a line with just --- after the front matter")


def test_yaml_tags_are_refused(project, published):
    edit(project, f"{AREA}/area.yaml", "order: 3", "order: !!python/object 7")
    assert_refused(project, published, f"{AREA}/area.yaml:2: YAML tags like 'tag:yaml.org,2002:python/object' are not allowed")


def test_a_key_that_is_not_a_word_is_refused(project, published):
    edit(project, f"{AREA}/area.yaml", "order: 3", "order: 3\n2018: x")
    assert_refused(project, published, f"{AREA}/area.yaml:3: a key must be a word, not '2018'")


def test_a_file_with_very_many_mistakes_shows_twenty_and_counts_the_rest(project, published):
    text = (project / f"{AREA}/en.md").read_text(encoding="utf-8")
    (project / f"{AREA}/en.md").write_text(text + "".join(f"\n# Second title {i}\n" for i in range(25)), encoding="utf-8")
    err = assert_refused(project, published, f"{AREA}/en.md: and 5 more errors in this file")
    assert err.count("makes a second page title") == 20


def test_a_project_with_very_many_mistakes_shows_a_hundred_and_counts_the_rest(project, published):
    texts = sorted(project.glob("content/*/*.md")) + sorted(project.glob("content/areas/*/*.md"))
    texts = [path for path in texts if not path.name.endswith(".translated-from.md") and path.parent.name != "annex"]
    assert len(texts) == 8  # the texts of the home page and the three areas, in two languages
    for path in texts:  # 20 mistakes in each: 160 in all
        path.write_text(path.read_text(encoding="utf-8") + "".join(f"\n# Title {i}\n" for i in range(20)),
                        encoding="utf-8")
    err = assert_refused(project, published, "(more): and 60 more errors in 3 files")
    assert err.count("makes a second page title") == 100


# --- One mistake, one message: nothing that follows from it is reported as well ----------------------------------------

@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    og_locale: zh_HK\n", "    og_locale: zh-HK\n", "og_locale 'zh-HK' must look like en_GB or zh_HK"),
    ("    prefix: tc\n", "    prefix: /tc\n", "prefix must be lower-case letters, digits or hyphens"),
    ("    label: English\n", "", "'languages' item 1 is missing 'label'"),
])
def test_a_mistake_in_one_language_is_the_only_error_reported(project, published, old, new, expected):
    edit(project, "content/site.yaml", old, new)
    err = assert_refused(project, published, expected)
    assert err.endswith("1 error; nothing was written.\n"), err


def test_languages_written_as_one_word_is_the_only_error_reported(project, published):
    path = project / "content/site.yaml"
    path.write_text(re.sub(r"(?m)^languages:\n(?:[ ].*\n)*", "languages: en\n", path.read_text(encoding="utf-8")),
                    encoding="utf-8")
    err = assert_refused(project, published, "'languages' must be a list (got 'en')")
    assert err.endswith("1 error; nothing was written.\n"), err


def test_missing_words_of_the_first_language_point_to_another_languages_file(project, published):
    (project / "content/ui/en.yaml").unlink()
    assert_refused(project, published, "content/ui/en.yaml: the words for 'en' are missing",
                   hint="copy content/ui/zh-hant.yaml and translate it")


def test_an_oversized_site_yaml_is_told_to_be_smaller_not_split_into_pages(project, published):
    edit(project, "content/site.yaml", "\nlanguages:", "\n" + "# padding\n" * 20_000 + "languages:")
    assert_refused(project, published, "content/site.yaml: file is", hint="make the file smaller")
