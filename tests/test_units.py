"""Unit tests, in-process and fed with bytes: each validator, the routing table, the cache.

The front half of the generator reads nothing but a Tree, a snapshot of the project's bytes by path; these
tests make one from the fixture site's files (tests/support/fixture.py) with one file changed, and call the
stage under test directly. Milliseconds each: no process, no folder to copy.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from microsite.cache import NO_CACHE, Cache
from microsite.documents import decode, parse_yaml, split_front_matter
from microsite.errors import ContentError, ContentErrors
from microsite.images import image_size
from microsite.markup import check_tokens, link_problem, parse
from microsite.sources import Tree, Unreadable, problems
from microsite.urls import base_url_problem, host_problem
from support.fixture import AREAS, PHOTO, PHOTO_AREA, fixture_files

AREA = "content/areas/youth-development"
PNG = (Path(__file__).parent / "data/meeting.png").read_bytes()


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A folder for the trees' root: where the build keeps its compiled templates (.cache/) between tests."""
    return tmp_path_factory.mktemp("units")


def tree_of(root: Path, files: dict) -> Tree:
    """Return a snapshot of the given files (bytes or Unreadable, by path) with every folder that holds them."""
    folders = {"/".join(rel.split("/")[:i]) for rel in files for i in range(1, rel.count("/") + 1)}
    return Tree(root, dict(files), folders)


def fixture_with(**changes) -> dict:
    """Return the fixture site's files with some replaced (path=bytes, or None to delete); keys use __ for /."""
    files = fixture_files()
    for key, data in changes.items():
        rel = key.replace("__", "/")
        if data is None:
            del files[rel]
        else:
            files[rel] = data
    return files


def errors_of(root: Path, files: dict, render: bool = True) -> list[ContentError]:
    """Read, validate (and render) a project from its files; return its errors ([] if it builds)."""
    from microsite.pipeline import prepare, site_files

    try:
        prepared = prepare(tree_of(root, files))
        if render:
            for _ in site_files(prepared):
                pass
    except ContentErrors as errors:
        return errors.errors
    return []


def edited(rel: str, old: str, new: str, files: dict | None = None) -> dict:
    """Return the fixture's files with one text replaced in one file."""
    files = dict(files or fixture_files())
    text = files[rel].decode("utf-8")
    assert old in text, (old, rel)
    files[rel] = text.replace(old, new, 1).encode("utf-8")
    return files


def only(errors: list[ContentError]) -> tuple:
    """Return the one error as (path, line, message, hint)."""
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0].path, errors[0].line, errors[0].message, errors[0].hint


# --- The fixture site itself --------------------------------------------------------------------------------

def test_the_fixture_site_has_what_the_generator_tests_need(root):
    from microsite.pipeline import prepare, site_files

    prepared = prepare(tree_of(root, fixture_files()))
    site = prepared.site
    assert [lang.code for lang in site.languages] == ["en", "zh-hant", "zh-hans"]
    assert [lang.code for lang in site.languages if lang.convert_from] == ["zh-hans"]
    assert tuple(page.slug for page in site.areas) == AREAS
    assert [page.kind for page in site.pages] == ["home", "area", "area", "area", "annex"]
    [photo_area] = [page for page in site.areas if page.photos]
    assert photo_area.slug == PHOTO_AREA and photo_area.photos[0].file == PHOTO
    pages = sorted(f.path for f in site_files(prepared) if f.path.endswith("index.html"))
    assert len(pages) == 1 + 3 * 5  # the chooser, and five pages in three languages
    assert "en/annex/index.html" in pages  # the annex has no English text: a notice stands in for it


# --- Reading: bytes to text ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "line", "message"), [
    (b"a: 1\nb: \xff\n", 2, "this file is not valid UTF-8 text"),
    (b"a: 1\n\nb: 2\x00\n", 3, "this file contains a NUL character, so it is not a text file"),
    (b"\xc0\xaf", 1, "this file is not valid UTF-8 text"),  # an overlong slash
    (b"\xed\xa0\x80", 1, "this file is not valid UTF-8 text"),  # an encoded surrogate
    ("a: 1\n".encode("utf-16"), 1, "this file is not valid UTF-8 text"),
])
def test_decode_refuses_what_is_not_utf8_text_naming_the_line(data, line, message):
    with pytest.raises(ContentError) as caught:
        decode("content/x.yaml", data)
    assert (caught.value.path, caught.value.line, caught.value.message) == ("content/x.yaml", line, message)


@pytest.mark.parametrize(("data", "text"), [(b"\xef\xbb\xbfa\r\nb\rc\n", "a\nb\nc\n"), (b"\xe7\xb9\x81", "繁")])
def test_decode_drops_the_byte_order_mark_and_makes_every_line_end_a_newline(data, text):
    assert decode("content/x.md", data) == text


def test_decode_names_a_file_that_could_not_be_read_or_is_missing():
    with pytest.raises(ContentError) as caught:
        decode("static/pipe", Unreadable("this is not an ordinary file", "delete it"))
    assert (caught.value.message, caught.value.hint) == ("this is not an ordinary file", "delete it")
    with pytest.raises(ContentError) as caught:
        decode("content/site.yaml", None)
    assert caught.value.message == "this file is missing"


@pytest.mark.parametrize(("text", "line", "message", "hint"), [
    ("a: 1\nb: [unclosed\n", 2, "YAML syntax error: did not find expected ',' or ']'",
     "check the indentation and quotes on this line and the one before"),
    ("a:\n\tb: 1\n", 2, "YAML syntax error: found character that cannot start any token",
     "indent with spaces, never tabs"),
    ("title: Youth: Development\n", 1, "YAML syntax error: mapping values are not allowed in this context",
     "a value containing ': ' must be in quotes"),
    ("a: &x 1\nb: *x\n", 2, "YAML anchors and aliases (& and *) are not allowed", "write the value out in full"),
])
def test_yaml_mistakes_are_named_at_their_line_with_advice(text, line, message, hint):
    with pytest.raises(ContentError) as caught:
        parse_yaml("content/x.yaml", text)
    assert (caught.value.line, caught.value.message, caught.value.hint) == (line, message, hint)


def test_yaml_values_remember_their_lines_and_stay_text():
    doc = parse_yaml("content/x.yaml", "a: 1\nb:\n  - no\n  - 2018-10-24\n  - on\n")
    assert doc.data == {"a": 1, "b": ["no", "2018-10-24", "on"]}  # YAML 1.1's booleans and dates stay text
    assert (doc.line("a"), doc.line("b", 1), doc.line("b", 2), doc.line("c")) == (1, 4, 5, 1)


def test_front_matter_is_split_from_the_body_and_its_lines_are_the_files():
    meta, body, first = split_front_matter("content/x.md", "---\ntext: official\n---\nHello.\n")
    assert (meta.data, meta.line("text"), body, first) == ({"text": "official"}, 2, "Hello.\n", 4)
    assert split_front_matter("content/x.md", "Hello.\n")[0] is None
    with pytest.raises(ContentError) as caught:
        split_front_matter("content/x.md", "---\ntext: official\nHello.\n")
    assert (caught.value.line, caught.value.hint) == (1, "add a line with just --- after the front matter")


# --- Validators on the site's files --------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "problem"), [
    ("https://example.org/", False), ("https://example.org/jbcc/", False), ("http://127.0.0.1:8000/", False),
    ("https://example.org:8443/a-b/c_d/", False), ("https://example.org", False),
    ("", True), ("example.org/", True), ("//example.org/", True), ("javascript:alert(1)//", True),
    ("ftp://example.org/", True), ("https://a@b/", True), ("https://example.org//evil/", True),
    ("https://example.org/?a=1", True), ("https://example.org/#top", True), ("https://example.org/%2e%2e/", True),
    ("https://example.org/a/../", True), ("https://-x.example/", True), ("https://例子.example/", True),
    ("https://example.org:0/", True), ("https://example.org:99999/", True), ("http://[::1/", True),
    ("https://example.org\\evil\\", True), ("https://example.org/\nSet-Cookie: a=b", True),
])
def test_base_url_problem_accepts_only_a_plain_http_address(url, problem):
    said = base_url_problem(url)
    assert bool(said) == problem, said
    if problem:
        assert said.endswith("must be a full address like https://example.org/ or https://example.org/jbcc/")


@pytest.mark.parametrize(("host", "ok"), [("localhost", True), ("127.0.0.1", True), ("a.b-c.example", True),
                                          ("not a host", False), ("bad..host", False), ("-", False), ("a" * 300, False),
                                          ("http://127.0.0.1/", False), ("127.0.0.1:8000", False), ("", False)])
def test_host_problem_accepts_names_and_ipv4_addresses(host, ok):
    assert (host_problem(host) == "") == ok


PAGES = frozenset({"", "annex/", "areas/youth-development/"})
NOT_ALLOWED = "is not allowed: links may go to pages of this site, https://, http:// or mailto:"
NOT_SITE_PAGE = "must start with / (a page of this site), https://, http:// or mailto:"


@pytest.mark.parametrize(("href", "problem"), [
    ("/", ""), ("/annex/", ""), ("/annex", ""), ("/areas/youth-development/#top", ""), ("https://a.example/", ""),
    ("http://a.example/", ""), ("mailto:a@b.example", ""), ("#top", ""),
    ("", "this link has no address"),
    ("javascript:alert(1)", f"link 'javascript:alert(1)' {NOT_ALLOWED}"),
    ("JaVaScRiPt:alert(1)", f"link 'JaVaScRiPt:alert(1)' {NOT_ALLOWED}"),
    ("data:text/html,x", f"link 'data:text/html,x' {NOT_ALLOWED}"),
    ("file:///etc/passwd", f"link 'file:///etc/passwd' {NOT_ALLOWED}"),
    ("//evil.example/", f"link '//evil.example/' {NOT_SITE_PAGE}"),
    ("../annex/", f"link '../annex/' {NOT_SITE_PAGE}"),
    ("/annex/?a=1", f"link '/annex/?a=1' {NOT_SITE_PAGE}"),
    ("/nope/", "link '/nope/' goes to a page that does not exist"),
    ("/en/annex/", "link '/en/annex/' goes to a page that does not exist"),
    ("/%E9%97%9C%E6%96%BC/", "link '/關於/' goes to a page that does not exist"),  # shown as typed
])
def test_link_problem_allows_pages_of_the_site_and_web_addresses_only(href, problem):
    assert link_problem(href, PAGES) == problem


@pytest.mark.parametrize(("text", "line", "message"), [
    ("Intro.\n\n# Second title\n", 3, "a '# ' heading makes a second page title"),
    ("A\nB ![x](/static/a.png)\n", 2, "images are not written in the text"),
    ("[x](/nope/)\n", 1, "link '/nope/' goes to a page that does not exist"),
    ("[x]{onclick=alert(1)}\n", 1, "']{onclick=alert(1)}' is not a known marking"),
    ("[[areas]]\n", 1, "unknown placeholder [[areas]]"),
    ("[x][ref]\n\n[ref]: https://a.example/\n", 3,
     "reference-style links ([text][name] and [name]: address) are not part of the texts' syntax"),
])
def test_check_tokens_names_each_mistake_of_a_text_at_its_line(text, line, message):
    [error] = check_tokens(parse(text), "content/x.md", PAGES, (), first_line=1)
    assert (error.path, error.line, error.message) == ("content/x.md", line, message)


def test_a_placeholder_is_allowed_once_where_the_page_has_it():
    assert check_tokens(parse("[[areas]]\n"), "content/home/en.md", PAGES, ("areas",)) == []
    [error] = check_tokens(parse("[[areas]]\n\n[[areas]]\n"), "content/home/en.md", PAGES, ("areas",), first_line=4)
    assert (error.line, error.message) == (6, "[[areas]] appears a second time")


def test_image_sizes_are_read_from_png_gif_jpeg_and_webp_headers():
    assert image_size(PNG) == (64, 48)
    assert image_size(b"GIF89a" + struct.pack("<HH", 5, 7) + b"\x00" * 8) == (5, 7)
    jpeg = b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 4) + b"JF" + b"\xff\xc0" + struct.pack(">HBHH", 11, 8, 30, 40) + b"\x00" * 6
    assert image_size(jpeg) == (40, 30)
    webp = b"RIFF" + b"\x00" * 4 + b"WEBPVP8X" + b"\x00" * 8 + (99).to_bytes(3, "little") + (49).to_bytes(3, "little")
    assert image_size(webp) == (100, 50)
    assert image_size(b"<svg></svg>") is None


@pytest.mark.parametrize("data", [PNG[:20], PNG[:16] + (0).to_bytes(4, "big") + (10).to_bytes(4, "big") + PNG[24:],
                                  b"", b"\xff\xd8\xff\xc0\x00\x11\x08\x00", b"\xff\xd8" + b"\xff\xe0\x00\x00" * 8,
                                  b"RIFF\x00\x00\x00\x00WEBPVP8 "])
def test_a_damaged_or_empty_image_has_no_size(data):
    assert image_size(data) is None


# --- The whole front half, from bytes -------------------------------------------------------------------------

def test_the_fixture_site_builds_from_its_bytes_with_no_error(root):
    assert errors_of(root, fixture_files()) == []


@pytest.mark.parametrize(("rel", "old", "new", "expected"), [
    ("content/site.yaml", "default_language: en", "default_language: fr",
     ("content/site.yaml", 31, "default_language 'fr' is not one of the languages (en, zh-hant, zh-hans)", "")),
    ("content/site.yaml", 'issued_at: "17:08"', 'issued_at: "25:00"',
     ("content/site.yaml", 35, "issued_at '25:00' must be a 24-hour time like \"17:08\"", "")),
    (f"{AREA}/area.yaml", "order: 3", "order: 0",
     (f"{AREA}/area.yaml", 2, "order must be 1 or more (got 0)", "use the area's number in content/site.yaml")),
    (f"{AREA}/area.yaml", "summary:", "sumary:",
     (f"{AREA}/area.yaml", 6, "unknown key 'sumary' in this file", "did you mean 'summary'?")),
    (f"{AREA}/en.md", "---\ntext: official\n---\n", "",
     (f"{AREA}/en.md", 1, "say where this text comes from in a front matter block at the top of the file",
      "start the file with three lines: ---, then 'text: official' (the published text) or "
      "'text: translation from en', then ---")),
    ("content/ui/en.yaml", '"Area {number} of {total}"', '"Area {numbr} of {total}"',
     ("content/ui/en.yaml", 15, "'area_number' must contain {number}, {total}, not {numbr} (what the templates fill in)",
      "write placeholders exactly as in the other languages' files")),
    ("content/phrases.yaml", "  隨著: 随着\n", '  隨著: 随着\n  "": 空\n',
     ("content/phrases.yaml", 4, "a phrase cannot be empty or only spaces", "delete the line")),
    ("content/annex/annex.yaml", "holds: summary", "holds: everything",
     ("content/annex/annex.yaml", 7, "'holds' must be 'summary' or 'full text' (got 'everything')",
      "say 'full text' only when the page holds the memorandum itself")),
])
def test_one_mistake_in_the_bytes_is_one_error_naming_its_file_and_line(root, rel, old, new, expected):
    assert only(errors_of(root, edited(rel, old, new))) == expected


def test_two_areas_with_one_slug_are_named_together(root):
    files = edited("content/areas/belt-and-road/area.yaml", "slug: belt-and-road", "slug: youth-development")
    messages = [str(e) for e in errors_of(root, files)]
    assert f"{AREA}/area.yaml:1: slug 'youth-development' is already used by content/areas/belt-and-road/area.yaml:1" \
        in messages


def test_a_file_the_tree_could_not_read_is_named_only_where_it_is_needed(root):
    files = fixture_files()
    files[f"{AREA}/notes.pipe"] = Unreadable("this is not an ordinary file", "delete it")
    assert errors_of(root, files) == []  # nothing reads it
    files["static/pipe"] = Unreadable("this is not an ordinary file", "delete it: only files and folders belong here")
    assert only(errors_of(root, files)) == ("static/pipe", None, "this is not an ordinary file",
                                            "delete it: only files and folders belong here")


def test_missing_input_folders_are_problems_of_the_tree(root):
    files = {rel: data for rel, data in fixture_files().items() if not rel.startswith("templates/")}
    assert [(rel, data.message) for rel, data in problems(tree_of(root, files))] == [
        ("templates/", "this folder is missing")]


def test_static_names_that_differ_only_in_case_are_refused():
    from microsite.assets import find_assets
    from microsite.errors import gathered

    found, errors = gathered(find_assets, {"Notes.txt": b"a", "notes.txt": b"b", "css/site.css": b"x"})
    assert [rel for rel, _ in found] == ["Notes.txt", "css/site.css"]
    assert [(e.path, e.message) for e in errors] == [("static/notes.txt",
                                                      "differs only in upper/lower case from static/Notes.txt")]


def test_a_published_static_name_carries_a_hash_of_its_bytes():
    from microsite.assets import fingerprinted

    first, second = fingerprinted("css/site.css", b"a"), fingerprinted("css/site.css", b"b")
    assert first.startswith("static/css/site.") and first.endswith(".css") and first != second
    assert fingerprinted("css/site.css", b"a") == first


# --- The routing table on the fixture site, under a base path -----------------------------------------------------

@pytest.fixture(scope="module")
def site(root):
    """The fixture site, read from its bytes."""
    from microsite.pipeline import prepare

    return prepare(tree_of(root, fixture_files()), base_url="https://example.org/jbcc/")


def test_every_page_has_one_path_url_and_absolute_address_per_language(site):
    links = site.links
    assert links.base_path == "/jbcc/"
    assert [site.routes.page("areas/youth-development/", code).path for code in ("en", "zh-hant", "zh-hans")] == [
        "en/areas/youth-development/index.html", "tc/areas/youth-development/index.html",
        "sc/areas/youth-development/index.html"]
    assert links.home("zh-hans") == "/jbcc/sc/"
    assert site.routes.page("annex/", "zh-hant").absolute == "https://example.org/jbcc/tc/annex/"
    assert (links.root(), links.root(absolute=True)) == ("/jbcc/", "https://example.org/jbcc/")


def test_a_page_has_a_text_in_the_languages_written_and_those_converted_from_them(site):
    for key in ("", *(f"areas/{slug}/" for slug in AREAS)):
        assert [route.code for route in site.routes.texts(key)] == ["en", "zh-hant", "zh-hans"]
    assert [route.code for route in site.routes.texts("annex/")] == ["zh-hant", "zh-hans"]


def test_alternates_list_each_language_of_the_page_then_x_default(site):
    def alternates(key, code):
        return [(a.hreflang, a.href) for a in site.routes.page(key, code).alternates]

    assert alternates("areas/belt-and-road/", "zh-hant") == [
        ("en", "https://example.org/jbcc/en/areas/belt-and-road/"),
        ("zh-HK", "https://example.org/jbcc/tc/areas/belt-and-road/"),
        ("zh-CN", "https://example.org/jbcc/sc/areas/belt-and-road/"),
        ("x-default", "https://example.org/jbcc/en/areas/belt-and-road/")]
    assert alternates("", "en")[-1][1] == "https://example.org/jbcc/"  # the language chooser
    assert alternates("annex/", "zh-hans")[-1] == ("x-default", "https://example.org/jbcc/tc/annex/")  # no English
    assert alternates("annex/", "en") == [("en", "https://example.org/jbcc/en/annex/"),
                                          ("x-default", "https://example.org/jbcc/en/annex/")]


def test_the_switcher_links_every_other_language_and_marks_the_current_one(site):
    entries = [(e.language.code, e.href) for e in site.routes.page("annex/", "zh-hant").switcher]
    assert entries == [("en", "/jbcc/en/annex/"), ("zh-hant", None), ("zh-hans", "/jbcc/sc/annex/")]


def test_static_files_are_found_by_their_published_names_or_named_as_missing(site):
    links = site.links
    assert links.asset(PHOTO).startswith("/jbcc/static/photos/delegates.")
    assert links.asset_absolute(PHOTO) == "https://example.org" + links.asset(PHOTO)
    with pytest.raises(LookupError, match="there is no file static/photos/none.png"):
        links.asset("photos/none.png")


# --- The cache ---------------------------------------------------------------------------------------------------

class Counted:
    """A pure step that counts its calls."""

    def __init__(self):
        self.calls = []

    def __call__(self, *inputs):
        self.calls.append(inputs)
        return "+".join(map(str, inputs))


def test_a_slot_is_reused_while_every_input_is_equal_and_computed_again_when_one_changes():
    cache, step = Cache(), Counted()
    assert cache.get("page", step, b"text", "phrases v1") == "b'text'+phrases v1"
    assert cache.get("page", step, b"text", "phrases v1") == "b'text'+phrases v1"
    assert len(step.calls) == 1
    assert cache.get("page", step, b"text", "phrases v2") == "b'text'+phrases v2"  # one input of several changed
    assert cache.get("page", step, b"text", "phrases v1") == "b'text'+phrases v1"  # only the latest result is kept
    assert len(step.calls) == 3


def test_slots_a_rebuild_did_not_use_are_forgotten():
    cache, step = Cache(), Counted()
    cache.get("a", step, 1)
    cache.get("b", step, 2)
    cache.sweep()
    cache.get("a", step, 1)  # used again: kept
    cache.sweep()
    cache.get("a", step, 1)
    cache.get("b", step, 2)  # not used in the last rebuild: computed again
    assert step.calls == [(1,), (2,), (2,)]


def test_get_many_computes_only_the_slots_whose_inputs_changed_and_keeps_the_order():
    cache, step = Cache(), Counted()
    assert cache.get_many(step, [("a", (1,)), ("b", (2,))]) == ["1", "2"]
    assert cache.get_many(step, [("a", (1,)), ("b", (3,)), ("c", (4,))]) == ["1", "3", "4"]
    assert step.calls == [(1,), (2,), (3,), (4,)]


def test_without_a_cache_every_step_is_computed():
    step = Counted()
    NO_CACHE.get("a", step, 1)
    NO_CACHE.get("a", step, 1)
    assert list(NO_CACHE.get_many(step, [("a", (1,)), ("b", (2,))])) == ["1", "2"]
    NO_CACHE.sweep()
    assert len(step.calls) == 4


def test_a_phrase_table_edit_reaches_the_simplified_pages_through_the_cache(root):
    """The cache is keyed by everything a step reads: a prepared site made with a warm cache equals a cold one."""
    from microsite.pipeline import prepare, site_files

    cache = Cache()
    files = fixture_files()
    for _ in range(2):
        list(site_files(prepare(tree_of(root, files), cache=cache), cache))
        cache.sweep()
    files = edited("content/phrases.yaml", "  隨著: 随着\n", "  隨著: 随着\n  兩地: 两地XX\n", files)
    warm = {f.path: f.data for f in site_files(prepare(tree_of(root, files), cache=cache), cache)}
    cold = {f.path: f.data for f in site_files(prepare(tree_of(root, files)))}
    assert warm == cold
    assert "两地XX".encode() in warm["sc/areas/youth-development/index.html"]
