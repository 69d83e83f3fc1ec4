"""Simplified Chinese: hk2s plus the phrase table, on text only, checked on the built pages."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
import yaml

from conftest import REPO, parse_html, run_build, text_of

CASES = yaml.safe_load((REPO / "tests/data/conversion-cases.yaml").read_text(encoding="utf-8"))
HK2S = opencc.OpenCC("hk2s")


@pytest.fixture(scope="module")
def converter(site_model):
    """The project's converter, with the bundled phrase table."""
    from microsite.convert import Converter

    return Converter(site_model.phrases)


@pytest.fixture(scope="module")
def convert(converter):
    """The project's conversion of one text."""
    return converter.convert


@pytest.fixture(scope="module")
def mainland(site_model):
    """The converter of the Simplified pages: phrase table and mainland punctuation."""
    from microsite.convert import Converter

    return Converter(site_model.phrases, mainland_punctuation=True).convert


@pytest.mark.parametrize(("traditional", "simplified"), CASES["text"], ids=lambda v: v[:12])
def test_text_converts_as_expected(convert, traditional, simplified):
    assert convert(traditional) == simplified


@pytest.fixture(scope="module")
def links(site_model):
    """The site's addresses at the root of a host, as texts' links are made with."""
    from microsite.routes import Links

    return Links("https://example.org/", site_model.languages, site_model.default_language, site_model.assets)


@pytest.mark.parametrize("case", CASES["markdown"], ids=lambda c: c["input"][:16])
def test_markdown_converts_text_but_never_code_urls_or_markup(converter, links, case):
    from microsite import markup
    from microsite.convert import converted_html

    assert "".join(converted_html(markup.parse(case["input"]), (links, "zh-hans"), converter)) == case["html"]


def test_parsed_traditional_tokens_are_not_changed_by_conversion(converter, links):
    from microsite import markup
    from microsite.convert import converted_html

    tokens = markup.parse("隨著[發展](/annex/)")
    converted_html(tokens, (links, "zh-hans"), converter)
    assert "".join(markup.render(tokens, (links, "zh-hant"))) == '<p>隨著<a href="/tc/annex/">發展</a></p>\n'


def own_language_text(element, lang: str) -> str:
    """Return the text of element, leaving out parts marked as another language."""
    if element.get("lang") not in (None, lang):
        return element.tail or ""
    parts = [element.text or ""]
    for child in element:
        parts.append(own_language_text(child, lang))
    parts.append(element.tail or "")
    return "".join(parts)


def visible_text(path: Path, lang: str = "zh-CN") -> str:
    """Return the title, description and body text of a page that is in lang."""
    doc = parse_html(path)
    return " ".join([text_of(doc.find(".//title")), doc.find(".//meta[@name='description']").get("content"),
                     own_language_text(doc.find(".//body"), lang)])


def test_simplified_pages_have_nothing_left_that_hk2s_would_change(built):
    pages = sorted((built / "sc").rglob("*.html"))
    assert len(pages) >= 11
    for page in pages:
        text = visible_text(page)
        leftover = {a for a, b in zip(text, HK2S.convert(text)) if a != b}
        assert leftover == set(), (page, leftover)


def test_simplified_pages_apply_the_phrase_table(built, site_model):
    text = " ".join(visible_text(p) for p in (built / "sc").rglob("*.html"))
    traditional = " ".join(visible_text(p, "zh-HK") for p in (built / "tc").rglob("*.html"))
    used = [(t, s) for t, s in site_model.phrases if t in traditional]
    for trad, simp in used:
        assert trad not in text and simp in text


def test_phrase_table_entry_overrides_hk2s_in_the_built_page(project):
    page = project / "content/areas/youth-development/zh-hant.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n隨著時代發展，意味著新機遇。\n", encoding="utf-8")
    out = project / "_site"
    assert run_build("--root", str(project)).code == 0
    body = text_of(parse_html(out / "sc/areas/youth-development/index.html").find(".//main"))
    assert "随着时代发展，意味着新机遇。" in body


def test_hand_written_simplified_text_replaces_the_generated_one(project):
    (project / "content/areas/youth-development/zh-hans.md").write_text(
        "---\ntext: translation from en\n---\n编辑亲自撰写的简体文本。\n", encoding="utf-8")
    assert run_build("--root", str(project)).code == 0
    main = text_of(parse_html(project / "_site/sc/areas/youth-development/index.html").find(".//main"))
    assert "编辑亲自撰写的简体文本。" in main
    assert "继续推行" not in main


def test_slugs_urls_and_file_names_are_never_converted(built):
    doc = parse_html(built / "sc/areas/youth-development/index.html")
    hrefs = [a.get("href") for a in doc.findall(".//a")]
    assert "/sc/areas/facilitation-for-hong-kong-people/" in hrefs
    assert all(h.isascii() for h in hrefs)
