"""What the pages say about their texts: provenance notices, the footer's source, structured data, the annex,
and the conventions of the Simplified pages (punctuation, vocabulary)."""

from __future__ import annotations

import json

import pytest

from conftest import parse_html, run_build, text_of
from support.edits import edit

AREA = "content/areas/youth-development"
RELEASE = "https://www.info.gov.hk/gia/general/201810/24/P2018102400619.htm"


def notes(site, path: str) -> list:
    """Return the paragraphs of a page's note about where its text comes from."""
    note = parse_html(site / path).find(".//div[@role='note']")
    return [] if note is None else note.findall("p")


def json_ld(site, path: str) -> dict:
    """Return a page's structured data."""
    script = next(s for s in parse_html(site / path).findall(".//script") if s.get("type") == "application/ld+json")
    return json.loads(script.text)


@pytest.mark.parametrize("page", ["", "annex/", "areas/youth-development/"])
def test_the_official_english_text_has_no_notice(built, page):
    assert notes(built, f"en/{page}index.html") == []


@pytest.mark.parametrize("page", ["", "areas/youth-development/"])
def test_a_translated_page_says_it_is_a_translation_and_that_the_english_prevails(built, page):
    [note] = notes(built, f"tc/{page}index.html")
    assert "本網站翻譯的中文譯本" in text_of(note) and "並非政府發出的中文文本" in text_of(note)
    assert note.find("a").get("href") == f"/en/{page}" and note.find("a").get("hreflang") == "en"


def test_the_translated_annex_points_to_the_english_release_on_the_home_page(built):
    [note] = notes(built, "tc/annex/index.html")
    assert note.find("a").get("href") == "/en/"


@pytest.mark.parametrize("page", ["", "annex/", "areas/youth-development/"])
def test_a_converted_page_says_it_was_converted_and_that_its_source_is_a_translation(built, page):
    converted, translated = notes(built, f"sc/{page}index.html")
    assert "自动转换" in text_of(converted) and converted.find("a").get("href") == f"/tc/{page}"
    assert "本网站翻译的中文译本" in text_of(translated)


def test_an_official_chinese_text_loses_the_translation_notices_when_one_field_changes(project):
    edit(project, f"{AREA}/zh-hant.md", "text: translation from en", "text: official")
    assert run_build("--root", str(project)).code == 0
    site = project / "_site"
    assert notes(site, "tc/areas/youth-development/index.html") == []
    [converted] = notes(site, "sc/areas/youth-development/index.html")
    assert "自动转换" in text_of(converted)
    assert json_ld(site, "tc/areas/youth-development/index.html")["isBasedOn"]["url"] == RELEASE
    assert "translationOfWork" not in json_ld(site, "sc/areas/youth-development/index.html")


def test_structured_data_names_the_release_each_text_comes_from_and_never_the_government_as_publisher(built):
    english = json_ld(built, "en/areas/youth-development/index.html")
    assert english["isBasedOn"]["url"] == RELEASE
    assert english["isBasedOn"]["publisher"]["@type"] == "GovernmentOrganization"
    traditional = json_ld(built, "tc/areas/youth-development/index.html")
    assert traditional["translationOfWork"]["url"] == RELEASE and traditional["translationOfWork"]["inLanguage"] == "en"
    assert traditional["translator"]["@type"] == "Organization"
    simplified = json_ld(built, "sc/areas/youth-development/index.html")
    assert simplified["isBasedOn"]["url"].endswith("/tc/areas/youth-development/")
    assert simplified["translationOfWork"]["url"] == RELEASE
    for data in (english, traditional, simplified):
        assert data["publisher"]["@type"] == "Organization"


@pytest.mark.parametrize(("prefix", "sentence", "linked"), [
    ("en", "This site is based on the press release of 24 October 2018 issued by the Government of the Hong Kong "
           "Special Administrative Region.", "the press release of 24 October 2018"),
    ("tc", "本網站內容取材自香港特別行政區政府2018年10月24日發出的英文新聞公報。", "2018年10月24日發出的英文新聞公報"),
    ("sc", "本网站内容取材自香港特别行政区政府2018年10月24日发出的英文新闻公报。", "2018年10月24日发出的英文新闻公报"),
])
def test_the_footer_names_the_english_release_the_site_is_based_on(built, prefix, sentence, linked):
    footer = parse_html(built / f"{prefix}/index.html").find(".//footer[@class='site-footer']")
    link = footer.find(".//a")
    assert link.get("href") == RELEASE and link.get("hreflang") == "en"
    assert text_of(link) == linked
    assert text_of(footer).startswith(sentence + " ")  # then the page's own address, for print


def test_simplified_pages_use_mainland_punctuation_and_traditional_pages_keep_hong_kong_punctuation(built):
    simplified = text_of(parse_html(built / "sc/areas/cultural-and-creative-industries/index.html").find(".//main"))
    traditional = text_of(parse_html(built / "tc/areas/cultural-and-creative-industries/index.html").find(".//main"))
    assert "“北京·香港经济合作研讨洽谈会”" in simplified
    assert not set("「」『』‧") & set(simplified)
    assert "「北京‧香港經濟合作研討洽談會」" in traditional


def test_mainland_punctuation_is_a_setting_of_the_converted_language(project):
    edit(project, "content/site.yaml", "    mainland: true\n", "    mainland: false\n")
    assert run_build("--root", str(project)).code == 0
    text = text_of(parse_html(project / "_site/sc/areas/belt-and-road/index.html").find(".//main"))
    assert "「北京‧香港经济合作研讨洽谈会」" in text


def check(project, *extra):
    """Run check on a project."""
    return run_build("check", "--root", str(project), *extra)


def test_a_hong_kong_term_in_a_text_gives_one_warning_with_the_mainland_term(project):
    edit(project, "content/phrases.yaml", "  透過: 通过\n", "")
    result = check(project)
    warnings = [line for line in result.err.splitlines() if "'透過' is Hong Kong usage" in line]
    files = {line.split(":", 1)[0] for line in warnings}
    assert len(warnings) == len(files) >= 2  # once per file, though some texts say it twice
    assert "mainland readers expect '通过'" in warnings[0]
    assert "add '透過: 通过' to content/phrases.yaml" in result.err
    assert check(project, "--strict").code == 1


def test_a_keep_terms_entry_settles_a_hong_kong_term(project):
    edit(project, "content/phrases.yaml", "  透過: 通过\n", "")
    edit(project, "content/site.yaml", "      - 姊妹學校", "      - 透過\n      - 姊妹學校")
    assert check(project, "--strict").code == 0


def test_the_simplified_pages_words_follow_the_vocabulary_audit_too(project):
    edit(project, "content/phrases.yaml", "  主頁: 首页\n", "")
    result = check(project)
    assert "content/ui/zh-hant.yaml:" in result.err and "'主頁' is Hong Kong usage" in result.err


def test_the_bundled_site_passes_check_strictly(bundled_project):
    result = check(bundled_project, "--strict")
    assert result.code == 0, result.err
    assert "Texts: en: 9 official; zh-hant: 10 translated from en; zh-hans: 10 converted from zh-hant." in result.out


def test_the_english_annex_page_says_the_chinese_page_is_a_summary_not_the_memorandum(built):
    main = text_of(parse_html(built / "en/annex/index.html").find(".//main"))
    assert "exists in Chinese only" in main and "its full text is not published on this site" in main
    assert "summary in Chinese" in main


def test_the_chinese_annex_is_titled_as_a_summary_and_cites_its_sources(built):
    doc = parse_html(built / "tc/annex/index.html")
    assert text_of(doc.find(".//h1")) == "《京港合作會議第四次會議備忘錄》相關合作事項摘要"
    main = doc.find(".//main")
    assert "本頁並非《京港合作會議第四次會議備忘錄》全文" in text_of(main)
    hrefs = {a.get("href") for a in main.findall(".//a")}
    assert "https://www.info.gov.hk/gia/general/201810/24/P2018102400846.htm" in hrefs
    assert "簽署雙方" not in text_of(main)


def test_the_chinese_home_page_no_longer_says_the_memorandum_is_in_the_annex(built):
    main = text_of(parse_html(built / "tc/index.html").find(".//main"))
    assert "備忘錄》載於附件" not in main
    assert "備忘錄》只有中文版本，其全文並未在本網站登載" in main and "以中文摘要載於附件" in main


def test_the_annex_pages_follow_what_the_annex_holds_and_link_the_signed_pdf(project):
    edit(project, "content/annex/annex.yaml", "holds: summary", "holds: full text")
    (project / "static/documents").mkdir()
    (project / "static/documents/memorandum.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 12_000)
    edit(project, "content/annex/annex.yaml", "# attachment: documents/memorandum.pdf", "attachment: documents/memorandum.pdf")
    assert run_build("--root", str(project)).code == 0
    main = parse_html(project / "_site/en/annex/index.html").find(".//main")
    assert "It has not been translated into English." in text_of(main)
    assert "summary" not in text_of(main)
    assert text_of(main.find(".//p[@class='attachment']/a")) == "Signed memorandum (PDF, 12 KB, in Chinese)"


@pytest.mark.parametrize(("prefix", "alt"), [("en", "Hong Kong/Beijing Co-operation Conference: Fourth Plenary Session"),
                                             ("tc", "京港合作會議：第四次會議"), ("sc", "京港合作会议：第四次会议")])
def test_every_page_has_a_share_card_of_its_language_with_size_and_alt_text(built, prefix, alt):
    from microsite.images import image_size

    meta = {m.get("property"): m.get("content") for m in parse_html(built / f"{prefix}/index.html").findall(".//meta[@property]")}
    assert meta["og:image:alt"].startswith(alt)
    published = built / meta["og:image"].split("/", 3)[3]
    assert image_size(published.read_bytes()) == (int(meta["og:image:width"]), int(meta["og:image:height"])) == (1200, 630)
