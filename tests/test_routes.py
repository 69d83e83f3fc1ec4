"""The routing table: one route per page and language, computed once, and the only place a site path is spelled."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import html5lib
import pytest

from conftest import REPO
from microsite import routes
from microsite.errors import ContentErrors
from microsite.pipeline import prepare
from microsite.sources import Tree, read_tree

AREA = "content/areas/youth-development"


@pytest.fixture(scope="module")
def bundled() -> Tree:
    """The bundled project as the build reads it: bytes by path."""
    return read_tree(REPO)


def edited(tree: Tree, changes: dict[str, bytes | None]) -> Tree:
    """Return a copy of a snapshot with files replaced, added or (None) removed."""
    files = {rel: data for rel, data in tree.files.items()}
    for rel, data in changes.items():
        if data is None:
            files.pop(rel, None)
        else:
            files[rel] = data
    folders = set(tree.folders)
    for rel in files:
        parts = rel.split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
    return Tree(tree.root, files, folders)


def english_only(tree: Tree) -> Tree:
    """Return the snapshot with one area written in English only."""
    yaml = tree.get(f"{AREA}/area.yaml").replace(b"slug: youth-development\n",
                                                  b"slug: youth-development\nlanguages: [en]\n")
    return edited(tree, {f"{AREA}/area.yaml": yaml, f"{AREA}/zh-hant.md": None,
                         f"{AREA}/zh-hant.translated-from.md": None})


def table(tree: Tree) -> routes.Routes:
    """Return the routing table of a snapshot."""
    return prepare(tree).routes


def test_every_page_has_one_route_per_language_and_every_path_is_unique(bundled):
    found = table(bundled)
    pages = found.of_kind(*routes.CONTENT_KINDS)
    assert len(pages) == 10 * 3
    assert len({route.path for route in found.routes}) == len(found.routes)
    assert {(route.key, route.code) for route in pages} == {(key, lang) for key in {r.key for r in pages}
                                                            for lang in ("en", "zh-hant", "zh-hans")}


def test_a_written_text_a_translation_and_a_converted_text_each_say_where_they_come_from(bundled):
    found = table(bundled)
    english = found.page("areas/youth-development/", "en")
    traditional = found.page("areas/youth-development/", "zh-hant")
    simplified = found.page("areas/youth-development/", "zh-hans")
    assert (english.state, english.made_from) == (routes.OFFICIAL, None)
    assert (traditional.state, traditional.made_from) == (routes.TRANSLATION, "en")
    assert (simplified.state, simplified.made_from, simplified.translated_from) == (routes.CONVERTED, "zh-hant", "en")
    assert simplified.path == "sc/areas/youth-development/index.html"
    assert simplified.url == "/sc/areas/youth-development/"
    assert simplified.absolute == "https://jbcc.example.org/sc/areas/youth-development/"
    assert simplified.template == "area.html"


def test_the_english_annex_is_a_notice_written_for_the_annex(bundled):
    route = table(bundled).page("annex/", "en")
    assert (route.state, route.template) == (routes.FALLBACK, "annex-notice.html")
    assert [alt.hreflang for alt in route.alternates] == ["en", "x-default"]


def test_an_area_without_a_chinese_text_gets_the_general_notice_not_the_annexs(bundled):
    found = table(english_only(bundled))
    for lang in ("zh-hant", "zh-hans"):
        route = found.page("areas/youth-development/", lang)
        assert (route.state, route.template) == (routes.FALLBACK, "fallback.html")
    assert [route.code for route in found.texts("areas/youth-development/")] == ["en"]
    english = found.page("areas/youth-development/", "en")
    assert [alt.hreflang for alt in english.alternates] == ["en", "x-default"]


def test_the_notice_for_an_english_only_area_links_to_the_english_page(bundled):
    from microsite.pipeline import site_files

    files = {file.path: file.data for file in site_files(prepare(english_only(bundled)))}
    main = html5lib.parse(files["tc/areas/youth-development/index.html"], namespaceHTMLElements=False).find(".//main")
    assert [a.get("href") for a in main.iter("a")] == ["/en/areas/youth-development/"]
    words = "".join(main.itertext())
    assert "青年發展" in words and "附件" not in words and "備忘錄" not in words


def test_alternates_list_each_language_with_a_text_and_x_default(bundled):
    route = table(bundled).page("areas/belt-and-road/", "zh-hant")
    assert [(alt.hreflang, alt.href) for alt in route.alternates] == [
        ("en", "https://jbcc.example.org/en/areas/belt-and-road/"),
        ("zh-HK", "https://jbcc.example.org/tc/areas/belt-and-road/"),
        ("zh-CN", "https://jbcc.example.org/sc/areas/belt-and-road/"),
        ("x-default", "https://jbcc.example.org/en/areas/belt-and-road/")]
    home = table(bundled).page("", "en")
    assert home.alternates[-1].href == "https://jbcc.example.org/"


def test_the_switcher_links_every_other_language_and_marks_the_current_one(bundled):
    route = table(bundled).page("annex/", "zh-hans")
    assert [(target.language.code, target.href) for target in route.switcher] == [
        ("en", "/en/annex/"), ("zh-hant", "/tc/annex/"), ("zh-hans", None)]


def test_a_long_list_of_areas_adds_list_pages_in_every_language(bundled):
    site_yaml = bundled.get("content/site.yaml") + b"\nlist_limit: 3\n"
    found = table(edited(bundled, {"content/site.yaml": site_yaml}))
    lists = found.of_kind(routes.LIST)
    assert sorted({route.key for route in lists}) == ["area-list/2/", "area-list/3/"]
    assert {route.code for route in lists} == {"en", "zh-hant", "zh-hans"}
    assert all(route.state == routes.GENERATED and route.template == "area-list-page.html" for route in lists)


def test_the_base_path_is_in_every_url_but_not_in_any_output_path(bundled):
    found = prepare(bundled, base_url="https://example.org/jbcc").routes
    route = found.page("annex/", "zh-hant")
    assert (route.path, route.url) == ("tc/annex/index.html", "/jbcc/tc/annex/")
    assert found.links.home("en") == "/jbcc/en/"


@pytest.mark.parametrize(("request_path", "page"), [
    ("en/no-such-page/", "en/404.html"), ("tc", "tc/404.html"), ("sc/areas/x/", "sc/404.html"),
    ("elsewhere/", "404.html"), ("", "404.html"), ("english/", "404.html")])
def test_an_address_without_a_file_gets_the_not_found_page_of_its_language(bundled, request_path, page):
    assert table(bundled).not_found_for(request_path).path == page


def test_every_template_a_route_names_is_one_the_renderer_requires():
    assert set(routes.TEMPLATES) == {"home.html", "area.html", "annex.html", "annex-notice.html", "fallback.html",
                                     "area-list-page.html", "404.html", "chooser.html", "root-404.html"}
    assert all((REPO / "templates" / name).is_file() for name in routes.TEMPLATES)


# A site path: a page key, a file the site publishes at a fixed name, or a language folder built by hand.
SITE_PATH = re.compile(r"(?<![\w/.-])/?(areas|annex|area-list)/|(index|404)\.html|sitemap\.xml|robots\.txt")


def _docstrings(tree: ast.AST) -> set[int]:
    """Return the ids of the docstring nodes of a module and its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _spelled_paths(path: Path) -> list[str]:
    """Return the string literals of a module that spell a site path (docstrings and messages aside)."""
    tree = ast.parse(path.read_text())
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value.replace("content/areas", "")
            if SITE_PATH.search(text) and " " not in text.strip():  # a sentence for an editor is not a path
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    return found


def test_no_module_but_the_routing_module_spells_a_site_path():
    modules = [p for p in sorted((REPO / "microsite").glob("*.py")) if p.name != "routes.py"]
    assert [hit for module in modules for hit in _spelled_paths(module)] == []


def test_the_checker_finds_a_site_path_spelled_in_a_module(tmp_path):
    module = tmp_path / "example.py"
    module.write_text('def f(slug):\n    """Docstrings may say areas/x/."""\n    return f"areas/{slug}/"\n'
                      'PAGE = "404.html"\n')
    assert len(_spelled_paths(module)) == 2


def test_no_template_spells_a_site_path():
    spelled = [f"{path.name}: {match.group(0)}" for path in sorted((REPO / "templates").rglob("*.html"))
               for match in SITE_PATH.finditer(re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.S))]
    assert spelled == []



def test_a_not_found_page_is_rendered_without_the_home_pages_text(bundled):
    from microsite.cache import NO_CACHE
    from microsite.render import page_jobs

    prepared = prepare(bundled)
    jobs = list(page_jobs(prepared.site, prepared.html, prepared.routes, NO_CACHE, prepared.share))
    not_found = [job for job in jobs if job.route.kind == routes.NOT_FOUND]
    assert len(not_found) == 3 and all(job.body is None and job.page is None for job in not_found)


def test_a_text_in_a_language_the_page_does_not_list_is_refused_not_published(bundled):
    yaml = bundled.get(f"{AREA}/area.yaml").replace(b"slug: youth-development\n", b"slug: youth-development\nlanguages: [en]\n")
    tree = edited(bundled, {f"{AREA}/area.yaml": yaml, f"{AREA}/zh-hant.translated-from.md": None})
    with pytest.raises(ContentErrors) as raised:
        prepare(tree)
    assert [(e.path, e.message) for e in raised.value.errors] == [
        (f"{AREA}/zh-hant.md", "this page's 'languages' in area.yaml does not list 'zh-hant', so this text would not "
                               "be published")]


SIMPLIFIED = "---\ntext: translation from en\n---\n為青年提供交流機會。\n"


def test_a_simplified_text_written_by_hand_replaces_the_conversion_and_can_have_a_record(bundled):
    record = bundled.get(f"{AREA}/zh-hant.translated-from.md")
    tree = edited(bundled, {f"{AREA}/zh-hans.md": SIMPLIFIED.encode(), f"{AREA}/zh-hans.translated-from.md": record})
    route = table(tree).page("areas/youth-development/", "zh-hans")
    assert (route.state, route.made_from, route.template) == (routes.TRANSLATION, "en", "area.html")
    assert [r.code for r in table(tree).texts("areas/youth-development/")] == ["en", "zh-hant", "zh-hans"]


def test_a_translation_of_a_translation_is_refused(bundled):
    text = SIMPLIFIED.replace("from en", "from zh-hant").encode()
    with pytest.raises(ContentErrors) as raised:
        prepare(edited(bundled, {f"{AREA}/zh-hans.md": text}))
    assert [(e.path, e.message, e.hint) for e in raised.value.errors] == [
        (f"{AREA}/zh-hans.md", "'zh-hant' on this page is itself a translation from 'en'",
         "translate from the original: 'text: translation from en'")]


def test_the_translators_view_compares_the_traditional_translation_when_simplified_is_written_by_hand(bundled):
    from microsite.review import _rows

    prepared = prepare(edited(bundled, {f"{AREA}/zh-hans.md": SIMPLIFIED.encode()}))
    page = next(p for p in prepared.site.areas if p.slug == "youth-development")
    columns, _, state = _rows(prepared.site, prepared.routes, page, prepared.converters)
    assert [lang.code for lang in columns] == ["en", "zh-hant"]
    assert state.code == "zh-hant"


def test_a_notice_for_a_missing_translation_is_kept_out_of_search_but_the_annex_notice_is_not(bundled):
    from microsite.pipeline import site_files

    files = {file.path: file.data for file in site_files(prepare(english_only(bundled)))}
    sitemap = files["sitemap.xml"].decode()
    assert "/tc/areas/youth-development/</loc>" not in sitemap and "/en/areas/youth-development/</loc>" in sitemap
    assert "/en/annex/</loc>" in sitemap
    robots = [meta.get("content") for meta in html5lib.parse(files["tc/areas/youth-development/index.html"],
                                                             namespaceHTMLElements=False).iter("meta")
              if meta.get("name") == "robots"]
    assert robots == ["noindex"]
    annex = html5lib.parse(files["en/annex/index.html"], namespaceHTMLElements=False)
    assert not [meta for meta in annex.iter("meta") if meta.get("name") == "robots"]


def test_the_root_offers_only_the_languages_whose_home_page_has_a_text(bundled):
    from microsite.pipeline import site_files

    home = bundled.get("content/home/home.yaml") + b"languages: [en]\n"
    tree = edited(bundled, {"content/home/home.yaml": home, "content/home/zh-hant.md": None,
                            "content/home/zh-hant.translated-from.md": None})
    prepared = prepare(tree)
    chooser = prepared.routes.of_kind(routes.CHOOSER)[0]
    assert [alt.hreflang for alt in chooser.alternates] == ["en", "x-default"]
    redirects = {file.path: file.data for file in site_files(prepared)}["_redirects"].decode()
    assert "Language=" not in redirects
