"""Each YAML file kind's table, fed with bytes in-process: what is accepted, and the message and line of what is not."""

from __future__ import annotations

import pytest

from conftest import REPO
from microsite.errors import gathered
from microsite.settings import read_settings
from microsite.content import read_page
from microsite.words import read_phrases

SITE = (REPO / "content/site.yaml").read_bytes()
AREA = "content/areas/youth-development"
LANGS = (("en", "zh-hant"), ("en", "zh-hant", "zh-hans"))


def settings_errors(data: bytes) -> list[str]:
    """Return the errors reading a site.yaml finds, as printed."""
    return [str(e) for e in gathered(read_settings, data)[1]]


def line_of(data: bytes, needle: bytes) -> int:
    """Return the line of a file's bytes that holds needle."""
    return data[:data.index(needle)].count(b"\n") + 1


def test_the_bundled_settings_are_read_without_errors():
    settings, errors = gathered(read_settings, SITE)
    assert errors == () and settings.default_language == "en" and len(settings.areas) == 8


@pytest.mark.parametrize(("old", "new", "message"), [
    (b"base_url: https://jbcc.example.org/", b"base_url: ftp://x",
     "base URL 'ftp://x' must be a full address like https://example.org/ or https://example.org/jbcc/"),
    (b"default_language: en", b"default_language: fr",
     "default_language 'fr' is not one of the languages (en, zh-hant, zh-hans)"),
    (b'date: "2018-10-24"', b'date: "24/10/2018"', "date '24/10/2018' must be written YYYY-MM-DD, like \"2018-10-24\""),
    (b'issued_at: "17:08"', b'issued_at: "5pm"', "issued_at '5pm' must be a 24-hour time like \"17:08\""),
    (b"prefix: tc", b"prefix: static", "prefix 'static' is the name of a folder the site already has"),
    (b"prefix: tc", b"prefix: livereload", "prefix 'livereload' is the name of a folder the site already has"),
    (b"og_locale: zh_HK", b"og_locale: zh-hk", "og_locale 'zh-hk' must look like en_GB or zh_HK"),
    (b"hreflang: zh-HK", b"hreflang: zh_HK!", "hreflang 'zh_HK!' is not a language tag like en or zh-HK"),
    (b"url: https://www.info.gov.hk", b"url: http://www.info.gov.hk", "the release's url must be an https:// address"),
])
def test_a_bad_setting_is_named_at_its_line(old, new, message):
    data = SITE.replace(old, new, 1)
    assert settings_errors(data) == [f"content/site.yaml:{line_of(data, new)}: {message}"]


def test_a_list_limit_out_of_range_is_refused_and_a_missing_one_is_the_default():
    settings, errors = gathered(read_settings, SITE + b"list_limit: 0\n")
    assert [e.message for e in errors] == ["list_limit must be a number from 1 to 100000 (got 0)"]
    assert gathered(read_settings, SITE)[0].list_limit == 60


def test_an_unknown_key_suggests_the_closest_one():
    errors = gathered(read_settings, SITE.replace(b"default_language:", b"default_langauge:"))[1]
    assert [(e.message, e.hint) for e in errors] == [("unknown key 'default_langauge' in this file",
                                                       "did you mean 'default_language'?")]


def test_a_missing_required_key_stops_the_reading_of_site_yaml_there():
    errors = gathered(read_settings, SITE.replace(b"\nareas:", b"\nareaz:"))[1]
    assert [e.message for e in errors] == ["unknown key 'areaz' in this file"]
    assert errors[0].hint == "did you mean 'areas'?"


def page(kind: str, yaml: bytes, texts: dict[str, bytes] | None = None):
    """Read one page folder from bytes: its YAML file and texts."""
    files = ((f"{kind}.yaml", yaml), *((texts or {}).items()))
    return gathered(read_page, kind, AREA.removeprefix("content/"), files, LANGS, {})


AREA_YAML = (REPO / AREA / "area.yaml").read_bytes()
TEXTS = {name: (REPO / AREA / name).read_bytes() for name in ("en.md", "zh-hant.md", "zh-hant.translated-from.md")}


def test_the_bundled_area_is_read_from_bytes():
    found, errors = page("area", AREA_YAML, TEXTS)
    assert errors == () and found.slug == "youth-development" and found.key == "areas/youth-development/"


@pytest.mark.parametrize(("old", "new", "message", "hint"), [
    (b"order: 7", b"order: 0", "order must be 1 or more (got 0)", "use the area's number in content/site.yaml"),
    (b"order: 7", b"order: seven", "'order' must be a whole number (got 'seven')", ""),
    (b"slug: youth-development", b"slug: Youth_Development",
     "slug 'Youth_Development' must be lower-case letters and digits joined by hyphens, like youth-development, "
     "at most 80 characters", ""),
])
def test_a_bad_area_value_is_named_at_its_line(old, new, message, hint):
    data = AREA_YAML.replace(old, new, 1)
    found, errors = page("area", data, TEXTS)
    assert found is None
    assert [(e.line, e.message, e.hint) for e in errors] == [(line_of(data, new), message, hint)]


def test_a_title_in_only_one_written_language_is_refused():
    data = AREA_YAML.replace('  zh-hant: "青年發展"\n'.encode(), b"", 1)
    errors = page("area", data, TEXTS)[1]
    assert [e.message for e in errors] == ["'title' is missing 'zh-hant'"]


def test_what_the_annex_holds_is_one_of_two_values():
    annex = (REPO / "content/annex/annex.yaml").read_bytes()
    texts = {"zh-hant.md": (REPO / "content/annex/zh-hant.md").read_bytes()}
    found, errors = page("annex", annex.replace(b"holds: summary", b"holds: the memorandum"), texts)
    assert found is None
    assert [(e.message, e.hint) for e in errors] == [
        ("'holds' must be 'summary' or 'full text' (got 'the memorandum')",
         "say 'full text' only when the page holds the memorandum itself")]
    assert page("annex", annex.replace(b"holds: summary\n", b""), texts)[0].holds == "summary"


def test_a_text_must_say_where_it_comes_from():
    texts = dict(TEXTS, **{"zh-hant.md": TEXTS["zh-hant.md"].replace(b"text: translation from en", b"text: machine")})
    errors = page("area", AREA_YAML, texts)[1]
    assert [(e.path, e.line, e.message) for e in errors] == [
        (f"{AREA}/zh-hant.md", 2, "'text' must be 'official' or 'translation from <language>' (got 'machine')")]


def test_phrases_are_pairs_of_text_and_an_empty_phrase_is_refused():
    pairs, errors = gathered(read_phrases, "phrases:\n  於: 于\n  ' ': x\n".encode())
    assert pairs == (("於", "于"),)
    assert [(e.line, e.message) for e in errors] == [(3, "a phrase cannot be empty or only spaces")]
