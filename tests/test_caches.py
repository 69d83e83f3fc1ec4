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
