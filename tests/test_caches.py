"""Caches kept between runs are keyed by everything the cached step reads."""

from __future__ import annotations

from conftest import REPO
from microsite import routes


def test_a_word_the_code_needs_is_checked_even_with_an_older_list_of_words_kept_in_the_cache(tmp_path, monkeypatch):
    from microsite import templates as module

    sources = tuple((name, (REPO / "templates" / name).read_text()) for name in routes.TEMPLATES)
    assert "words_added_in_code" not in module.Templates(tmp_path, sources).words_used()
    assert list((tmp_path / module.CACHE_FOLDER).glob("words-*.txt"))  # the list is kept for the next run
    monkeypatch.setitem(module.CODE_WORDS, "words_added_in_code", set())
    assert "words_added_in_code" in module.Templates(tmp_path, sources).words_used()


def _counting_reader():
    """Return a reader that reports one error per call, and the list of inputs it was called with."""
    from microsite.errors import ContentError

    calls = []

    def reader(errors, value):
        """Read value, finding one mistake in it."""
        calls.append(value)
        errors.append(ContentError("content/x.yaml", 3, f"bad {value}"))
        return value * 2

    return reader, calls


def test_a_readers_errors_come_back_each_time_its_value_is_reused():
    from microsite.cache import Cache, read

    reader, calls = _counting_reader()
    cache = Cache()
    first, second = [], []
    assert read(cache, "slot", reader, first, 21) == 42
    assert read(cache, "slot", reader, second, 21) == 42
    assert calls == [21]
    assert [e.message for e in first] == [e.message for e in second] == ["bad 21"]


def test_a_slot_is_computed_again_when_any_input_changes_and_forgotten_when_unused():
    from microsite.cache import Cache, read

    reader, calls = _counting_reader()
    cache = Cache()
    read(cache, "slot", reader, [], 1)
    read(cache, "slot", reader, [], 2)
    assert calls == [1, 2]
    cache.sweep()  # "slot" was used since the last sweep: kept
    read(cache, "slot", reader, [], 2)
    assert calls == [1, 2]
    cache.sweep()
    cache.sweep()  # unused for a whole rebuild: dropped
    read(cache, "slot", reader, [], 2)
    assert calls == [1, 2, 2]


def test_a_leaf_reader_that_raises_becomes_one_error_and_no_value():
    from microsite.cache import NO_CACHE, read
    from microsite.errors import ContentError

    def reader(errors, data):
        """A leaf that refuses its input."""
        raise ContentError("content/site.yaml", 2, "this file is not valid UTF-8 text")

    errors = []
    assert read(NO_CACHE, "slot", reader, errors, b"\xff") is None
    assert [str(e) for e in errors] == ["content/site.yaml:2: this file is not valid UTF-8 text"]
