"""Editors' commands: check (conversion audit, translation status, links), status, new area, mark-translated."""

from __future__ import annotations

import pytest

from conftest import parse_html, run_build, text_of
from support.commands import line_of, snap
from support.edits import edit

AREA = "content/areas/youth-development"


def check(project, *extra: str):
    """Run `build.py check` on the project."""
    return run_build("check", "--root", str(project), *extra)


def test_check_passes_the_fixture_site_strictly_and_writes_nothing(project):
    before = snap(project)
    result = check(project, "--strict")
    assert result.code == 0, result.err
    assert result.out == ("Texts: en: 4 official; zh-hant: 5 translated from en; zh-hans: 5 converted from zh-hant.\n"
                          "No content errors; 0 warnings.\n")
    assert snap(project) == before


def test_check_reports_content_errors_with_path_and_line_and_exit_1(project):
    edit(project, f"{AREA}/area.yaml", "order: 3", "order: seven")
    result = check(project)
    assert result.code == 1
    assert f"{AREA}/area.yaml:2: 'order' must be a whole number (got 'seven')" in result.err


def test_check_reports_a_broken_link_with_its_line(project):
    rel = f"{AREA}/en.md"
    (project / rel).write_text((project / rel).read_text(encoding="utf-8") + "\nSee [this](/areas/nowhere/).\n",
                               encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert f"{rel}:{line_of(project, rel, '[this]')}: link '/areas/nowhere/' goes to a page that does not exist" in result.err


def test_a_simplified_character_typed_into_traditional_text_is_a_warning_and_strict_fails(project):
    edit(project, f"{AREA}/zh-hant.md", "青年專項交流計劃", "青年专项交流计划")
    line = line_of(project, f"{AREA}/zh-hant.md", "青年专项")
    result = check(project)
    assert result.code == 0
    assert f"{AREA}/zh-hant.md:{line}: warning: Simplified characters 专 计 项 in Traditional text" in result.err
    assert "hint: type the Traditional form" in result.err
    strict = check(project, "--strict")
    assert strict.code == 1
    assert "No content errors; 1 warning. With --strict, warnings count as errors." in strict.err


def test_an_ambiguous_character_is_shown_with_its_sentence_and_result(project):
    edit(project, f"{AREA}/zh-hant.md", "提供志願服務。", "提供志願服務。隨著時代發展，著名學者亦會參與。")
    line = line_of(project, f"{AREA}/zh-hant.md", "著名學者")
    result = check(project)
    assert f"{AREA}/zh-hant.md:{line}: warning: '著' converts ambiguously" in result.err
    assert "隨著時代發展，著名學者亦會參與。 → 随着时代发展，著名学者亦会参与。" in result.err
    assert "hint: if the result is right, add the phrase to content/phrases.yaml; to keep the character, write [著]{keep}" \
        in result.err
    assert result.err.count("converts ambiguously") == 1  # 隨著 is settled by the phrase table


def test_more_than_twenty_warnings_of_a_kind_in_a_file_are_counted_not_listed(project):
    edit(project, f"{AREA}/zh-hant.md", "提供志願服務。", "提供志願服務。" + "著名學者亦會參與。" * 25)
    result = check(project)
    assert result.code == 0, result.err
    assert result.err.count("converts ambiguously") == 20
    assert f"{AREA}/zh-hant.md: warning: and 5 more warnings like those above" in result.err


def test_ambiguous_warnings_about_different_characters_are_one_kind_and_counted_together(project):
    sentences = ["著名學者亦會參與。", "於港生活。", "後來發展。", "髮型設計。", "麵包店鋪。"]
    edit(project, f"{AREA}/zh-hant.md", "提供志願服務。", "提供志願服務。" + "".join(sentences) * 5)
    result = check(project)
    assert result.code == 0, result.err
    assert result.err.count("converts ambiguously") == 20, result.err
    assert result.err.count("more warnings like those above") == 1, result.err
    assert f"{AREA}/zh-hant.md: warning: and 5 more warnings like those above" in result.err


def test_a_keep_span_or_a_phrase_entry_settles_an_ambiguous_character(project):
    edit(project, f"{AREA}/zh-hant.md", "提供志願服務。", "提供志願服務。[著]{keep}名學者亦會參與。")
    assert check(project, "--strict").code == 0
    edit(project, f"{AREA}/zh-hant.md", "[著]{keep}名", "著名")
    path = project / "content/phrases.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  著名: 著名\n", encoding="utf-8")
    assert check(project, "--strict").code == 0


def test_simplified_text_that_hk2s_would_still_change_is_a_warning(project):
    (project / f"{AREA}/zh-hans.md").write_text("---\ntext: translation from en\n---\n编辑亲自撰写的简体文本，但有一个繁體字。\n",
                                                encoding="utf-8")
    result = check(project)
    assert f"{AREA}/zh-hans.md:4: warning: the Simplified text still has 體, which hk2s converts" in result.err
    assert "hint: check the phrase table entry or [..]{keep} span for this text" in result.err


def test_changing_the_english_makes_the_translation_stale_until_it_is_marked(project):
    edit(project, f"{AREA}/en.md", "volunteer services", "volunteering services")
    result = check(project)
    assert result.code == 0
    assert f"{AREA}/zh-hant.md:4: warning: out of date: the English text at {AREA}/en.md:4 changed: " in result.err
    assert f"hint: update the translation, then run: python build.py mark-translated {AREA}/zh-hant.md" in result.err
    assert check(project, "--strict").code == 1
    status = run_build("status", "--root", str(project))
    row = next(line for line in status.out.splitlines() if line.startswith("areas/youth-development") and "zh-hant" in line)
    assert "translation from en: stale since 20" in row and "(1 English block changed)" in row
    marked = run_build("mark-translated", "--root", str(project), str(project / f"{AREA}/zh-hant.md"))
    assert marked.code == 0
    assert marked.out == (f"{AREA}/zh-hant.md: marked as translated from the current English text "
                          f"(recorded in {AREA}/zh-hant.translated-from.md)\n")
    assert "volunteering services" in (project / f"{AREA}/zh-hant.translated-from.md").read_text(encoding="utf-8")
    assert check(project, "--strict").code == 0


def test_english_blocks_added_and_removed_are_named_as_such(project):
    text = (project / f"{AREA}/en.md").read_text(encoding="utf-8")
    (project / f"{AREA}/en.md").write_text(text + "\nA paragraph added later.\n", encoding="utf-8")
    edit(project, f"{AREA}/area.yaml", "en: \"Youth Development\"", "en: \"Youth Development and Exchanges\"")
    assert f"out of date: the English text at {AREA}/en.md:6 was added: 'A paragraph added later.'" in check(project).err
    status = run_build("status", "--root", str(project))
    row = next(line for line in status.out.splitlines() if line.startswith("areas/youth-development") and "zh-hant" in line)
    assert "(2 English blocks changed)" in row
    assert run_build("mark-translated", "--root", str(project), "--all").code == 0
    (project / f"{AREA}/en.md").write_text(text, encoding="utf-8")
    assert "was removed: 'A paragraph added later.'" in check(project).err


def test_a_stale_translation_still_builds(project):
    edit(project, f"{AREA}/en.md", "volunteer services", "volunteering services")
    assert run_build("--root", str(project)).code == 0


def test_an_english_title_change_is_named_as_the_title(project):
    edit(project, f"{AREA}/area.yaml", "en: \"Youth Development\"", "en: \"Youth Development and Exchanges\"")
    assert "out of date: the English title changed: 'Youth Development and Exchanges'" in check(project).err


def test_a_text_without_a_record_is_reported(project):
    (project / f"{AREA}/zh-hant.translated-from.md").unlink()
    result = check(project)
    assert f"{AREA}/zh-hant.md:1: warning: no record of which English text this translates" in result.err
    assert f"hint: after checking it, run: python build.py mark-translated {AREA}/zh-hant.md" in result.err
    status = run_build("status", "--root", str(project))
    row = next(line for line in status.out.splitlines() if line.startswith("areas/youth-development") and "zh-hant" in line)
    assert row.split(None, 2)[2] == "translation from en: not recorded"


def test_the_retired_hash_record_in_front_matter_is_an_unknown_key(project):
    edit(project, f"{AREA}/zh-hant.md", "text: translation from en\n", "text: translation from en\ntranslated_from: 0123abcd\n")
    result = run_build("--root", str(project))
    assert result.code == 1
    assert f"{AREA}/zh-hant.md:3: unknown key 'translated_from' in this file" in result.err


def test_status_lists_every_page_in_each_language_with_where_its_text_comes_from(project):
    result = run_build("status", "--root", str(project))
    assert result.code == 0
    rows = [line.split(None, 2) for line in result.out.splitlines()]
    assert rows[0] == ["page", "language", "text"]
    assert rows[1:4] == [["home", "en", "official text"], ["home", "zh-hant", "translation from en: up to date"],
                         ["home", "zh-hans", "converted from zh-hant (a translation from en)"]]
    assert rows[-3:] == [["annex", "en", "no text: a notice links to zh-hant, zh-hans"],
                         ["annex", "zh-hant", "translation from en: no source text"],
                         ["annex", "zh-hans", "converted from zh-hant (a translation from en)"]]
    assert len(rows) == 1 + 3 * 5  # the home page, three areas and the annex, each in three languages


def test_mark_translated_refuses_a_file_that_is_not_a_translation(project):
    result = run_build("mark-translated", "--root", str(project), str(project / f"{AREA}/en.md"))
    assert result.code == 1
    assert "not a translation of a text on the same page" in result.err


def test_mark_translated_reads_a_relative_path_from_the_working_folder_not_the_project(project, tmp_path):
    record = project / f"{AREA}/zh-hant.translated-from.md"
    record.write_text(record.read_text().replace("marked: '", "marked: '1999-01-01' #"))
    before = record.read_bytes()
    result = run_build("mark-translated", "--root", str(project), f"{AREA}/zh-hant.md", cwd=tmp_path)
    assert result.code == 1
    assert result.err.startswith(f"{AREA}/zh-hant.md: not a translation")
    assert record.read_bytes() == before


def test_new_area_creates_a_buildable_area_with_the_next_order(project):
    result = run_build("new", "area", "trade-in-services", "--root", str(project))
    assert result.code == 0, result.err
    assert result.out.splitlines() == [*[f"created content/areas/trade-in-services/{name}"
                                         for name in ("area.yaml", "en.md", "zh-hant.md")],
                                       "added 'trade-in-services' to the areas in content/site.yaml as number 4"]
    folder = project / "content/areas/trade-in-services"
    assert sorted(p.name for p in folder.iterdir()) == ["area.yaml", "en.md", "zh-hant.md"]
    assert "order: 4" in (folder / "area.yaml").read_text(encoding="utf-8")
    assert (project / "content/site.yaml").read_text(encoding="utf-8").endswith("  - trade-in-services\n")
    assert run_build("--root", str(project)).code == 0
    page = parse_html(project / "_site/en/areas/trade-in-services/index.html")
    assert text_of(page.find(".//h1")) == "New area: trade-in-services"
    assert "Area 4 of 4" in text_of(page.find(".//main"))


@pytest.mark.parametrize(("slug", "reason"), [
    ("youth-development", "already exists"),
    ("Youth_Development", "lower-case letters and digits joined by hyphens"),
    ("../escape", "lower-case letters and digits joined by hyphens"),
])
def test_new_area_refuses_an_existing_or_invalid_slug(project, slug, reason):
    before = (project / "content/site.yaml").read_text(encoding="utf-8")
    result = run_build("new", "area", slug, "--root", str(project))
    assert result.code == 1
    assert reason in result.err
    assert (project / "content/site.yaml").read_text(encoding="utf-8") == before


def test_new_area_on_a_broken_site_yaml_names_the_mistake_and_changes_nothing(project):
    edit(project, "content/site.yaml", "default_language: en", "default_language: fr")
    before = (project / "content/site.yaml").read_text(encoding="utf-8")
    result = run_build("new", "area", "trade-in-services", "--root", str(project))
    assert result.code == 1
    assert "content/site.yaml:" in result.err and "fix content/site.yaml first; nothing was changed." in result.err
    assert (project / "content/site.yaml").read_text(encoding="utf-8") == before
    assert not (project / "content/areas/trade-in-services").exists()


def test_check_renders_every_page_so_template_mistakes_are_reported(project):
    edit(project, "templates/area.html", "{{ page_title }}", "{{ page.no_such_field }}")
    result = check(project)
    assert result.code == 1
    assert f"templates/area.html:{line_of(project, 'templates/area.html', 'no_such_field')}: template error" in result.err
    assert not (project / "_site").exists()
