"""The built site, read back with an HTML parser: pages, links, languages, metadata."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import REPO, parse_html, text_of

SETTINGS = yaml.safe_load((REPO / "content/site.yaml").read_text(encoding="utf-8"))
BASE = SETTINGS["base_url"]
PREFIXES = {lang["prefix"]: lang for lang in SETTINGS["languages"]}
AREAS = SETTINGS["areas"]
EXPECTED_LANG = {"en": "en", "tc": "zh-HK", "sc": "zh-CN"}


def page_paths(prefix: str) -> list[str]:
    """Return the content pages a language should have."""
    return [f"{prefix}/index.html", f"{prefix}/annex/index.html"] + [
        f"{prefix}/areas/{slug}/index.html" for slug in AREAS]


ALL_PAGES = [path for prefix in PREFIXES for path in page_paths(prefix)]


def resolve(site: Path, url: str) -> Path | None:
    """Map a site URL (root-relative or absolute on the base URL) to the built file it names."""
    if url.startswith(BASE):
        url = "/" + url[len(BASE):]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    target = site / parts.path.lstrip("/")
    return target / "index.html" if parts.path.endswith("/") else target


def test_every_page_exists_in_every_language(built):
    missing = [path for path in ALL_PAGES if not (built / path).is_file()]
    assert missing == []


def test_the_root_has_a_language_chooser_and_404_pages_exist(built):
    assert (built / "index.html").is_file()
    assert (built / "404.html").is_file()
    for prefix in PREFIXES:
        assert (built / prefix / "404.html").is_file()


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_declares_its_language_and_has_one_h1(built, path):
    doc = parse_html(built / path)
    assert doc.get("lang") == EXPECTED_LANG[path.split("/")[0]]
    assert len(doc.findall(".//h1")) == 1
    assert doc.find(".//main[@id='main']") is not None


@pytest.mark.parametrize("path", ALL_PAGES)
def test_skip_link_is_the_first_link_and_targets_main(built, path):
    doc = parse_html(built / path)
    first = doc.find(".//body").find(".//a")
    assert first.get("href") == "#main"


@pytest.mark.parametrize("path", ALL_PAGES)
def test_page_has_a_description_and_a_canonical_url_of_its_own(built, path):
    doc = parse_html(built / path)
    description = doc.find(".//meta[@name='description']").get("content")
    assert len(description) > 10
    canonical = doc.find(".//link[@rel='canonical']").get("href")
    assert canonical == BASE + path.removesuffix("index.html")


def test_titles_and_descriptions_are_unique_per_page(built):
    titles = [text_of(parse_html(built / p).find(".//title")) for p in ALL_PAGES]
    assert len(set(titles)) == len(titles)


def test_every_internal_link_resolves_to_a_built_file(built):
    broken = []
    for html in built.rglob("*.html"):
        doc = parse_html(html)
        for element in doc.iter():
            href = element.get("href") or element.get("src")
            if element.tag in ("a", "link", "img") and href and not href.startswith("#"):
                target = resolve(built, href)
                if target is not None and not target.is_file():
                    broken.append((str(html.relative_to(built)), href))
    assert broken == []


@pytest.mark.parametrize("path", ALL_PAGES)
def test_language_switcher_goes_to_the_same_page_in_each_other_language(built, path):
    prefix, rest = path.split("/", 1)
    nav = parse_html(built / path).find(".//nav[@class='languages']")
    links = nav.findall(".//a")
    current = nav.findall(".//span[@class='current']")
    assert len(current) == 1 and current[0].get("lang") == EXPECTED_LANG[prefix]
    assert sorted(a.get("hreflang") for a in links) == sorted(v for k, v in EXPECTED_LANG.items() if k != prefix)
    for a in links:
        target_prefix = next(k for k, v in EXPECTED_LANG.items() if v == a.get("hreflang"))
        assert a.get("href") == f"/{target_prefix}/{rest.removesuffix('index.html')}"
        assert a.get("lang") == a.get("hreflang")
    assert {text_of(e) for e in links + current} == {"English", "繁體", "简体"}


@pytest.mark.parametrize("path", ALL_PAGES)
def test_hreflang_alternates_include_the_page_itself_and_x_default_and_resolve(built, path):
    doc = parse_html(built / path)
    alternates = {link.get("hreflang"): link.get("href") for link in doc.findall(".//link[@rel='alternate']")}
    canonical = doc.find(".//link[@rel='canonical']").get("href")
    assert "x-default" in alternates
    assert canonical in alternates.values()
    for href in alternates.values():
        assert resolve(built, href).is_file(), href


def test_hreflang_alternates_are_reciprocal(built):
    def alternates(path: Path) -> dict:
        doc = parse_html(path)
        return {link.get("hreflang"): link.get("href") for link in doc.findall(".//link[@rel='alternate']")}

    for path in ALL_PAGES:
        mine = alternates(built / path)
        for lang, href in mine.items():
            if lang != "x-default":
                assert alternates(resolve(built, href)) == mine, (path, href)


def test_annex_exists_in_chinese_and_english_page_is_a_notice_linking_both(built):
    tc = parse_html(built / "tc/annex/index.html")
    assert "京港合作會議第四次會議備忘錄" in text_of(tc.find(".//h1"))
    assert {link.get("hreflang") for link in tc.findall(".//link[@rel='alternate']")} == {"zh-HK", "zh-CN", "x-default"}
    en = parse_html(built / "en/annex/index.html")
    main = en.find(".//main")
    assert "Chinese only" in text_of(main)
    hrefs = {a.get("href") for a in main.findall(".//a")}
    assert hrefs == {"/tc/annex/", "/sc/annex/"}


def test_area_pages_link_to_every_area_and_to_their_neighbours(built):
    for i, slug in enumerate(AREAS):
        doc = parse_html(built / f"en/areas/{slug}/index.html")
        nav_links = {a.get("href") for a in doc.find(".//nav[@class='areas-nav']").findall(".//a")}
        assert {f"/en/areas/{s}/" for s in AREAS} <= nav_links
        prev = doc.find(".//a[@rel='prev']")
        nxt = doc.find(".//a[@rel='next']")
        assert (prev.get("href") if prev is not None else None) == (f"/en/areas/{AREAS[i - 1]}/" if i else None)
        assert (nxt.get("href") if nxt is not None else None) == (f"/en/areas/{AREAS[i + 1]}/" if i + 1 < len(AREAS) else None)


def test_home_page_lists_the_eight_areas_with_links(built):
    for prefix in PREFIXES:
        doc = parse_html(built / f"{prefix}/index.html")
        listed = [a.get("href") for a in doc.find(".//ol[@class='area-list']").findall(".//a")]
        assert listed == [f"/{prefix}/areas/{slug}/" for slug in AREAS]


def test_dates_are_written_in_each_languages_own_form(built):
    assert "24 October 2018" in text_of(parse_html(built / "en/areas/youth-development/index.html").find(".//main"))
    assert "2018年10月24日" in text_of(parse_html(built / "tc/areas/youth-development/index.html").find(".//main"))
    assert "Ends/Wednesday, October 24, 2018" in text_of(parse_html(built / "en/index.html").find(".//main"))
    closing = [text_of(p) for p in parse_html(built / "tc/index.html").findall(".//footer[@class='dateline']/p")]
    assert closing == ["完", "2018年10月24日（星期三）", "香港時間17時08分"]


def notes(built, path: str) -> list:
    """Return the paragraphs of a page's note about where its text comes from."""
    note = parse_html(built / path).find(".//div[@role='note']")
    return [] if note is None else note.findall("p")


def test_sitemap_lists_every_page_with_the_same_alternates_as_the_page(built):
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(built / "sitemap.xml").getroot()
    entries = {u.find("s:loc", ns).text: {l.get("hreflang"): l.get("href") for l in u.findall("x:link", ns)}
               for u in root.findall("s:url", ns)}
    assert set(entries) == {BASE} | {BASE + p.removesuffix("index.html") for p in ALL_PAGES}
    for path in ALL_PAGES:
        doc = parse_html(built / path)
        on_page = {link.get("hreflang"): link.get("href") for link in doc.findall(".//link[@rel='alternate']")}
        assert entries[BASE + path.removesuffix("index.html")] == on_page


def test_robots_txt_names_the_sitemap(built):
    assert f"Sitemap: {BASE}sitemap.xml" in (built / "robots.txt").read_text()


def test_chooser_works_without_script_and_offers_each_language(built):
    doc = parse_html(built / "index.html")
    assert doc.find(".//script") is None
    hrefs = [a.get("href") for a in doc.findall(".//main//a")]
    assert hrefs == ["/en/", "/tc/", "/sc/"]


def test_no_page_loads_scripts_or_anything_from_another_site(built):
    for html in built.rglob("*.html"):
        doc = parse_html(html)
        assert all(s.get("type") == "application/ld+json" and not s.get("src") for s in doc.findall(".//script")), html
        for element in doc.findall(".//link") + doc.findall(".//img"):
            url = element.get("href") or element.get("src")
            if element.get("rel") in ("canonical", "alternate"):
                continue
            assert url.startswith("/"), (html, url)


def test_stylesheet_is_fingerprinted(built):
    doc = parse_html(built / "en/index.html")
    href = doc.find(".//link[@rel='stylesheet']").get("href")
    name = href.rsplit("/", 1)[1]
    stem, digest, ext = name.split(".")
    assert (stem, ext, len(digest)) == ("site", "css", 10)


def test_404_pages_are_not_indexed_and_link_home(built):
    for prefix in PREFIXES:
        doc = parse_html(built / prefix / "404.html")
        assert doc.find(".//meta[@name='robots']").get("content") == "noindex"
        assert f"/{prefix}/" in [a.get("href") for a in doc.findall(".//main//a")]
    root = parse_html(built / "404.html")
    assert [s.get("lang") for s in root.findall(".//section")] == ["en", "zh-HK", "zh-CN"]
