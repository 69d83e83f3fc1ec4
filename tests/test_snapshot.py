"""Messages quote the lines of the files as the build read them, not as the disk holds them later."""

from __future__ import annotations

import pytest

from conftest import REPO
from microsite.errors import ContentError, ContentErrors, quoted_line
from microsite.pipeline import prepare
from microsite.sources import Tree, read_tree


def errors_with(rel: str, added: bytes) -> ContentErrors:
    """Return the errors of the bundled project with bytes added to one file, in memory only."""
    tree = read_tree(REPO)
    files = dict(tree.files, **{rel: tree.get(rel) + added})
    with pytest.raises(ContentErrors) as raised:
        prepare(Tree(tree.root, files, set(tree.folders)))
    return raised.value


def test_an_error_quotes_its_line_from_the_snapshot_the_build_read():
    described = errors_with("content/home/home.yaml", b"\nbroken: [line that is only in memory\n").describe()
    assert "content/home/home.yaml:" in described
    assert "    broken: [line that is only in memory" in described  # the disk's home.yaml has no such line


@pytest.mark.parametrize(("data", "line", "quoted"), [
    (b"one\ntwo\n", 2, "two"),
    (b"\xef\xbb\xbfone\r\ntwo\r\n", 1, "one"),
    (b"one\rtwo", 2, "two"),
    (b"one\xe2\x80\xa8still one\ntwo\n", 2, "two"),  # a Unicode line separator does not end a line for YAML here
    (b"one\n", 3, None),
    (b"\xff\xfe broken\n", 1, "\ufffd\ufffd broken"),
])
def test_a_quoted_line_is_counted_as_yaml_and_markdown_count_lines(data, line, quoted):
    assert quoted_line({"f.md": data}, "f.md", line) == quoted


def test_a_line_over_two_hundred_characters_is_shortened():
    assert quoted_line({"f.md": b"x" * 300}, "f.md", 1) == "x" * 200 + "…"


def test_nothing_is_quoted_for_a_file_the_snapshot_does_not_hold():
    assert ContentError("content/x.yaml", 1, "bad").describe({}) == "content/x.yaml:1: bad"


@pytest.mark.parametrize("unshown", ["\x1b]52;c;aGk=\x07", "\x1b[2J", "\u202e", "\u2028", "\x00", "\r"])
def test_a_message_never_prints_a_control_or_invisible_character_raw(unshown):
    error = ContentError(f"content/a{unshown}.md", 2, f"link '{unshown}' is wrong", f"remove '{unshown}'")
    described = error.describe({f"content/a{unshown}.md": f"one\n[x]({unshown})\n".encode()})
    assert unshown not in described
    assert unshown.encode("unicode_escape").decode() in described


def test_chinese_text_and_its_full_width_space_are_shown_as_they_are():
    assert ContentError("content/x.md", None, "「青年發展」\u3000標題").describe() == "content/x.md: 「青年發展」\u3000標題"


def test_an_error_at_the_end_of_a_file_quotes_no_empty_line():
    assert quoted_line({"f.yaml": b"a: 1\n"}, "f.yaml", 2) is None
    assert quoted_line({"f.yaml": b""}, "f.yaml", 1) is None


def test_a_template_syntax_error_is_a_content_error_naming_its_line():
    errors = errors_with("templates/area.html", b"{% if %}\n")
    line = (REPO / "templates/area.html").read_bytes().count(b"\n") + 1
    assert [str(e) for e in errors.errors] == [
        f"templates/area.html:{line}: template error: Expected an expression, got 'end of statement block'"]


def test_a_missing_word_in_a_template_names_the_template_without_stray_quotes():
    from microsite.templates import _unquoted

    assert _unquoted("'zh-hant'") == "zh-hant"
    assert _unquoted("'no_such_thing' is undefined") == "'no_such_thing' is undefined"
