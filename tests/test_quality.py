"""Standards checked on the built files: valid HTML (Nu Html Checker), size budget, search and sharing data."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import parse_html, text_of
from support import tools
from test_pages import ALL_PAGES, BASE

BUDGET_BYTES = 14 * 1024  # what arrives in the first round trip: ~10 TCP packets


def html_files(built) -> list:
    """Return every HTML file of the built site."""
    return sorted(built.rglob("*.html"))


@pytest.fixture(scope="module")
def checked(built, tmp_path_factory) -> tuple[set, list[dict]]:
    """What the Nu Html Checker says about every page of the bundled site, and about one invalid page put beside
    them to show it does report errors: one run of the checker (a Java start costs seconds)."""
    vnu = tools.node_module("vnu-jar", "build", "dist", "vnu.jar")
    control = tmp_path_factory.mktemp("vnu") / "bad.html"
    control.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></p>")
    result = subprocess.run([tools.java(), "-jar", str(vnu), "--format", "json", "--verbose", "--skip-non-html",
                             str(built), str(control)], capture_output=True, text=True, timeout=300)
    checked = {Path(line) for line in result.stdout.splitlines()}  # --verbose names each file it checks
    return checked, json.loads(result.stderr)["messages"]


def test_every_page_is_valid_html_by_the_nu_html_checker(built, checked):
    files, messages = checked
    assert set(html_files(built)) <= files and len(html_files(built)) >= 35
    errors = [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m["type"] == "error" and not m.get("url", "").endswith("/bad.html")]
    assert errors == []


def test_the_checker_does_report_invalid_html(checked):
    assert any(m["type"] == "error" and m.get("url", "").endswith("/bad.html") for m in checked[1])


def stylesheet(built, page) -> bytes:
    """Return the bytes of the one stylesheet a page links."""
    links = parse_html(page).findall(".//link[@rel='stylesheet']")
    assert len(links) == 1
    return (built / links[0].get("href").lstrip("/")).read_bytes()


@pytest.mark.parametrize("path", ALL_PAGES + ["index.html", "404.html"])
def test_page_and_its_css_fit_the_first_round_trip_compressed(built, path):
    page = built / path
    size = len(gzip.compress(page.read_bytes(), 9)) + len(gzip.compress(stylesheet(built, page), 9))
    assert size <= BUDGET_BYTES, f"{path}: {size} bytes gzip, budget {BUDGET_BYTES}"


@pytest.fixture(scope="module")
def large_site(thousand_areas):
    """A generated site of 1,000 areas (the benchmark's synthetic content), built as a user would."""
    return thousand_areas


def test_every_page_of_a_site_of_a_thousand_areas_fits_the_first_round_trip(large_site):
    css = len(gzip.compress(next(large_site.glob("static/css/site.*.css")).read_bytes(), 9))
    pages = sorted(large_site.rglob("*.html"))
    assert len(pages) > 3000
    sizes = {page: len(gzip.compress(page.read_bytes(), 9)) + css for page in pages}
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] <= BUDGET_BYTES, f"{largest}: {sizes[largest]} bytes gzip, budget {BUDGET_BYTES}"


def test_a_large_site_lists_its_areas_on_numbered_pages_and_each_page_its_neighbours(large_site):
    home = parse_html(large_site / "en/index.html")
    assert len(home.findall(".//ol[@class='area-list']/li")) == 60
    pager = [a.get("href") for a in home.findall(".//nav[@class='list-pages']//a")]
    assert pager[0] == "/en/area-list/2/" and pager[-1] == "/en/area-list/17/"
    nav = parse_html(large_site / "en/areas/area-00500/index.html").find(".//nav[@class='areas-nav']")
    listed = [a.get("href") for a in nav.findall(".//ol//a")]
    assert listed == [f"/en/areas/area-{n:05d}/" for n in range(497, 504)]
    assert nav.find(".//a[@aria-current='page']").get("href") == "/en/areas/area-00500/"
    assert "/en/area-list/9/" in [a.get("href") for a in nav.findall(".//p/a")]  # areas 481 to 540
    last = parse_html(large_site / "en/area-list/17/index.html")
    assert [li.get("value") for li in last.findall(".//ol[@class='area-list']/li")][0] == "961"


@pytest.mark.parametrize("path", ALL_PAGES)
def test_nothing_blocks_rendering_but_one_stylesheet(built, path):
    head = parse_html(built / path).find(".//head")
    assert len(head.findall(".//link[@rel='stylesheet']")) == 1
    scripts = head.findall(".//script")
    assert all(s.get("type") == "application/ld+json" and not s.get("src") for s in scripts)
    assert parse_html(built / path).find(".//style") is None


def test_every_static_asset_has_a_content_hash_in_its_name(built):
    for path in (built / "static").rglob("*"):
        if path.is_file():
            assert re.search(r"\.[0-9a-f]{10}\.[a-z0-9]+$", path.name), path


def test_descriptions_are_unique_per_page_and_language(built):
    descriptions = [parse_html(built / p).find(".//meta[@name='description']").get("content") for p in ALL_PAGES]
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize("path", ALL_PAGES)
def test_open_graph_names_the_locale_and_its_alternates(built, path):
    doc = parse_html(built / path)
    og = {}
    for meta in doc.findall(".//meta[@property]"):
        og.setdefault(meta.get("property"), []).append(meta.get("content"))
    locales = {"en": "en_GB", "tc": "zh_HK", "sc": "zh_CN"}
    mine = locales[path.split("/")[0]]
    assert og["og:locale"] == [mine]
    alternates = {link.get("hreflang") for link in doc.findall(".//link[@rel='alternate']")} - {"x-default"}
    expected = {v for k, v in locales.items() if v != mine and {"en": "en", "tc": "zh-HK", "sc": "zh-CN"}[k] in alternates}
    assert set(og.get("og:locale:alternate", [])) == expected
    assert og["og:url"] == [BASE + path.removesuffix("index.html")]
    for key in ("og:title", "og:description", "og:type", "og:site_name"):
        assert og[key][0]


@pytest.mark.parametrize("path", ALL_PAGES)
def test_json_ld_describes_each_page_with_schema_org_types_and_this_site_as_publisher(built, path):
    doc = parse_html(built / path)
    blocks = [s for s in doc.findall(".//script") if s.get("type") == "application/ld+json"]
    if path == "en/annex/index.html":  # a notice standing in for a text that exists in Chinese only
        assert blocks == []
        return
    assert len(blocks) == 1
    data = json.loads(blocks[0].text)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["publisher"] == {"@type": "Organization", "name": data["isPartOf"]["name"], "url": BASE}
    assert data["datePublished"] == "2018-10-24T17:08:00+08:00"
    assert data["inLanguage"] == doc.get("lang")
    assert data["headline"] == text_of(doc.find(".//h1"))
    assert data["url"] == doc.find(".//link[@rel='canonical']").get("href")


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
HAN = re.compile(r"[\u3400-\u9fff]")


def foreign_text(element, page_lang: str, pattern, inherited: str | None = None) -> list[str]:
    """Return text runs matching pattern that sit in an element of the page's own language."""
    if element.get("class") == "print-url":  # only printed, never read out: a URL, not English
        return []
    lang = element.get("lang") or inherited or page_lang
    found = []
    if lang == page_lang:
        for text in (element.text or "",):
            found += pattern.findall(text)
    for child in element:
        found += foreign_text(child, page_lang, pattern, lang)
        if lang == page_lang:
            found += pattern.findall(child.tail or "")
    return found


@pytest.mark.parametrize("path", [p for p in ALL_PAGES if not p.startswith("en/")])
def test_english_inside_chinese_pages_carries_its_own_lang(built, path):
    doc = parse_html(built / path)
    assert foreign_text(doc.find(".//body"), doc.get("lang"), LATIN_WORD) == []


@pytest.mark.parametrize("path", [p for p in ALL_PAGES if p.startswith("en/")])
def test_chinese_inside_english_pages_carries_its_own_lang(built, path):
    doc = parse_html(built / path)
    assert foreign_text(doc.find(".//body"), "en", HAN) == []
