"""The bundled content: the whole release in English, verbatim; the Chinese complete and named right."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, parse_html, text_of

RELEASE = (REPO / "tests/data/press-release.txt").read_text(encoding="utf-8").splitlines()
HEADLINE = RELEASE[1].strip()
# Lines of the source page that are the government site's chrome, not the release.
CHROME = {"Go to main content", "Today's Press Releases", HEADLINE}


def release_paragraphs() -> list[str]:
    """Return every line of the release's text: paragraphs, area headings, the dateline."""
    return [line.strip() for line in RELEASE if line.strip() and line.strip() not in CHROME]


def english_text(built) -> str:
    """Return the visible text of every English page, joined."""
    return " ".join(text_of(parse_html(path).find(".//main")) for path in sorted((built / "en").rglob("index.html")))


def normalise(text: str) -> str:
    """Collapse whitespace so paragraphs compare as text."""
    return " ".join(text.split())


@pytest.mark.parametrize("paragraph", release_paragraphs(), ids=lambda p: p[:40])
def test_every_line_of_the_release_is_published_verbatim_in_english(built, paragraph):
    assert normalise(paragraph) in english_text(built)


def test_home_headline_is_the_releases_own_without_the_photo_note_while_there_are_no_photos(built):
    h1 = text_of(parse_html(built / "en/index.html").find(".//h1"))
    assert HEADLINE == f"{h1} (with photos)"


def test_each_area_page_is_titled_with_the_releases_heading(built):
    headings = [text_of(parse_html(p).find(".//h1")) for p in sorted((built / "en/areas").glob("*/index.html"))]
    for heading in headings:
        assert heading in release_paragraphs()
    assert len(headings) == 8


OFFICIAL_NAMES = [
    ("home", "行政長官林鄭月娥"),
    ("home", "北京市市長陳吉寧"),
    ("home", "京港合作會議第四次會議"),
    ("home", "財政司司長陳茂波"),
    ("home", "政制及內地事務局局長聶德權"),
    ("home", "商務及經濟發展局局長邱騰華"),
    ("home", "行政長官辦公室主任陳國基"),
    ("home", "國務院港澳事務辦公室副主任宋哲"),
    ("home", "中央人民政府駐香港特別行政區聯絡辦公室副主任仇鴻"),
    ("annex", "北京市副市長殷勇"),
    ("annex", "《京港合作會議第四次會議備忘錄》"),
    ("areas/services-industries", "香港貿易發展局"),
    ("areas/services-industries", "亞洲金融論壇"),
    ("areas/cultural-and-creative-industries", "西九文化區"),
    ("areas/cultural-and-creative-industries", "北京天橋藝術中心"),
    ("areas/education-and-civil-service-training", "京港大學聯盟"),
    ("areas/city-management-and-public-services", "香港鐵路有限公司"),
    ("areas/facilitation-for-hong-kong-people", "北京市人民政府"),
]


@pytest.mark.parametrize(("folder", "name"), OFFICIAL_NAMES)
def test_traditional_text_uses_the_official_chinese_name(folder, name):
    assert name in (REPO / f"content/{folder}/zh-hant.md").read_text(encoding="utf-8")


def paragraphs(path) -> list[str]:
    """Return the paragraphs and list items of a Markdown file (headings excluded)."""
    blocks = re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip())
    return [b for b in blocks if not b.startswith("#")]


@pytest.mark.parametrize("folder", ["home"] + [f"areas/{p.name}" for p in sorted((REPO / "content/areas").iterdir())])
def test_traditional_translation_has_a_paragraph_for_each_english_one(folder):
    assert len(paragraphs(REPO / f"content/{folder}/zh-hant.md")) == len(paragraphs(REPO / f"content/{folder}/en.md"))


def test_annex_sets_out_the_parties_date_place_and_eight_areas(built):
    main = parse_html(built / "tc/annex/index.html").find(".//main")
    text = text_of(main)
    for fact in ("香港特別行政區政府", "北京市人民政府", "財政司司長陳茂波", "北京市副市長殷勇", "2018年10月24日", "北京"):
        assert fact in text
    assert len(main.findall(".//h2")) == 8
    assert "涵蓋的八個合作範疇" in text


def test_no_simplified_text_is_committed():
    assert list((REPO / "content").rglob("zh-hans.*")) == []
