"""The translators' view of the preview, in Chromium: stale texts listed, word diffs in the right row, marks."""

from __future__ import annotations

import html5lib
import pytest

from conftest import REPO, run_build, text_of
from support.fixture import copy_fixture
from support import tools
from support.devserver import DevServer, wait_for
from support.edits import edit

AREA = "content/areas/youth-development"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


@pytest.fixture
def server(project):
    """The dev server over a copy of the project."""
    dev = DevServer(project).ready()
    yield dev
    dev.stop()


def saved(server: DevServer, change) -> None:
    """Make a change to the project and wait until the server has rebuilt."""
    before = server.builds()
    change()
    server.settle(before)


def row_of(page, area: str):
    """Return the text of the index rows of one page (one row per language)."""
    return page.inner_text(f"tbody th:has(a[href='/_translations/{area}'])")


def test_an_edited_english_paragraph_shows_as_stale_with_a_word_diff_until_it_is_marked(server, page):
    page.goto(f"{server.url}/_translations/")
    assert page.locator("tr.stale").count() == 0
    saved(server, lambda: edit(server.project, f"{AREA}/en.md", "volunteer services", "volunteering and other services"))
    page.reload()
    stale = page.locator("tr.stale")
    assert stale.count() == 1 and "stale since" in stale.inner_text()
    group = page.locator("tbody:has(a[href='/_translations/areas/youth-development/'])")
    assert group.locator("tr.stale").count() == 1 and "zh-hant" in group.locator("tr.stale").inner_text()
    page.click("a[href='/_translations/areas/youth-development/']")
    changed = page.locator("tr.changed")
    assert changed.count() == 1
    assert changed.locator("th").inner_text().startswith("paragraph")
    assert changed.locator("del").all_inner_texts() == ["volunteer"]
    assert changed.locator("ins").all_inner_texts() == ["volunteering and other"]
    assert f"{AREA}/en.md:4" in changed.inner_text()
    assert "兩地會繼續推行" in changed.inner_text()  # the translation of that paragraph, in the same row
    saved(server, lambda: run_build("mark-translated", "--root", str(server.project), str(server.project / f"{AREA}/zh-hant.md")))
    page.reload()
    assert page.locator("tr.changed").count() == 0 and "Up to date" in page.inner_text("p.state")


def test_the_view_follows_saves_like_every_preview_page(server, page):
    page.goto(f"{server.url}/_translations/areas/youth-development/")
    wait_for(lambda: any("Browser Connected" in line for line in server.lines))
    edit(server.project, f"{AREA}/en.md", "volunteer services", "volunteer work")
    page.wait_for_selector("tr.changed ins", timeout=10_000)


def test_marks_in_the_converted_column_show_the_traditional_on_focus(server, page):
    saved(server, lambda: edit(server.project, f"{AREA}/zh-hant.md", "提供志願服務。", "提供志願服務。隨著發展，[於]{keep}先生著名。"))
    page.goto(f"{server.url}/_translations/areas/youth-development/")
    for kind, shown, source in (("phrase", "随着", "隨著"), ("kept", "於", "於"), ("ambiguous", "著", "著")):
        mark = page.locator(f"td mark.{kind}").first
        assert not mark.locator(".source").is_visible()
        mark.focus()
        assert mark.locator(".source").is_visible() and mark.locator(".source").inner_text() == source
        assert mark.inner_text().startswith(shown)
    page.goto(f"{server.url}/_translations/areas/youth-development/")
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.className"))
    assert {"phrase", "kept", "ambiguous"} <= set(reached)  # every mark is reached by the keyboard


@pytest.fixture(scope="module")
def stale(tmp_path_factory):
    """The dev server over the fixture site with youth development's English changed since its translation, for
    tests that only look at the view."""
    project = copy_fixture(tmp_path_factory.mktemp("stale") / "project")
    edit(project, f"{AREA}/en.md", "volunteer services", "volunteering and other services")
    dev = DevServer(project).ready()
    yield dev
    dev.stop()


def test_the_view_passes_the_same_axe_checks_as_the_site(stale, browser):
    axe = tools.node_module("axe-core", "axe.min.js").read_text(encoding="utf-8")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    failures = []
    for path in ["/_translations/", "/_translations/areas/youth-development/", "/_translations/annex/"]:
        page.goto(f"{stale.url}{path}")
        page.evaluate(axe)
        for scheme in ("light", "dark"):  # every rule in each: the view's own styles are not the site's
            page.emulate_media(color_scheme=scheme)
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
            assert result["passes"], (path, scheme)
            failures += [(path, scheme, v["id"], v["nodes"][0]["target"]) for v in result["violations"]]
    context.close()
    assert failures == []
    assert stale.proc.poll() is None


def test_the_view_is_read_only(stale):
    import urllib.request

    request = urllib.request.Request(f"{stale.url}/_translations/", data=b"x", method="POST")
    try:
        urllib.request.urlopen(request, timeout=5)
        raise AssertionError("POST was accepted")
    except urllib.error.HTTPError as err:
        assert err.code == 405


def test_a_build_never_contains_the_view_and_the_sitemap_does_not_list_it(project):
    assert run_build("--root", str(project)).code == 0
    site = project / "_site"
    assert not any("_translations" in str(p) for p in site.rglob("*"))
    assert "_translations" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert not any(b"_translations" in p.read_bytes() for p in site.rglob("*.html"))


def test_a_screenshot_of_the_view_for_the_editor_guide(stale, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{stale.url}/_translations/areas/youth-development/")
    assert page.locator("tr.changed").count() == 1
    shot = SCREENSHOTS / "translations-review.png"
    page.screenshot(path=str(shot), full_page=True)
    context.close()
    assert shot.stat().st_size > 10_000


# --- The words of the view, over a project in the middle of translation work (fetched, parsed, no browser) ---

@pytest.fixture(scope="module")
def midway(tmp_path_factory):
    """The dev server over the fixture site, where each page's translation stands somewhere else: belt and road's
    was never marked; a paragraph was added to youth development's English and one removed from innovation's since
    theirs were marked; and youth development's Chinese holds a phrase-table entry and a {keep} span. The annex has
    no English to compare with."""
    project = copy_fixture(tmp_path_factory.mktemp("midway") / "project")
    areas = "content/areas"
    (project / f"{areas}/belt-and-road/zh-hant.translated-from.md").unlink()
    edit(project, f"{AREA}/en.md", "Beijing 2022.\n", "Beijing 2022.\n\nA paragraph written since the translation.\n")
    edit(project, f"{AREA}/zh-hant.md", "提供志願服務。", "提供志願服務。隨著發展，[於]{keep}先生著名。")
    innovation = project / f"{areas}/innovation-and-technology/en.md"
    paragraphs = innovation.read_text(encoding="utf-8").split("\n\n")
    assert len(paragraphs) == 2
    innovation.write_text(paragraphs[0] + "\n", encoding="utf-8")  # the second paragraph goes
    server = DevServer(project).ready()
    yield server
    server.stop()


def view(server: DevServer, key: str = ""):
    """Fetch the translators' index (or one page's view) and parse it as a browser would."""
    status, body = server.get(f"/_translations/{key}")
    assert status == 200, body[:1000]
    return html5lib.parse(body, treebuilder="etree", namespaceHTMLElements=False)


def state_of(index, key: str, lang: str) -> str:
    """Return the State cell of one page's row for one language in the index."""
    for group in index.iter("tbody"):
        if group.find(f".//a[@href='/_translations/{key}']") is not None:
            for row in group.iter("tr"):
                cells = row.findall("td")
                if cells and text_of(cells[0]) == lang:
                    return text_of(cells[2])
    raise AssertionError(f"no {lang} row for /{key} in the index")


def rows_of(page) -> list[tuple[str, str, list]]:
    """Return each row of a page's view: the kind of block, how it changed ('' if it did not), and its cells."""
    found = []
    for row in page.iter("tr"):
        heading, changed = row.find("th"), row.find("th/span[@class='state-label']")
        if row.find("td") is not None:
            found.append((heading.text.strip(), text_of(changed) if changed is not None else "", row.findall("td")))
    return found


def test_the_index_says_a_translation_was_never_marked(midway):
    assert state_of(view(midway), "areas/belt-and-road/", "zh-hant") == "missing: never marked as translated"


def test_the_index_says_a_translation_has_no_source_text_on_its_page_to_compare(midway):
    assert state_of(view(midway), "annex/", "zh-hant") == "no en text on this page to compare"


def test_the_view_of_a_never_marked_translation_says_what_it_was_made_from_is_not_known(midway):
    state = text_of(view(midway, "areas/belt-and-road/").find(".//p[@class='state']"))
    assert "This translation was never marked as translated, so what it was made from is not known" in state


def test_a_paragraph_added_since_the_translation_has_no_block_beside_it(midway):
    added = [cells for _, changed, cells in rows_of(view(midway, "areas/youth-development/")) if changed == "added"]
    assert len(added) == 1
    source, *others = added[0]
    assert "A paragraph written since the translation." in text_of(source)
    assert [text_of(cell) for cell in others] == ["(no block)", "(no block)"]  # the translation and its conversion


def test_a_paragraph_removed_since_the_translation_is_said_to_be_removed(midway):
    removed = [cells for _, changed, cells in rows_of(view(midway, "areas/innovation-and-technology/"))
               if changed == "removed"]
    assert len(removed) == 1
    assert text_of(removed[0][0].find(".//p[@class='where']")) == "(removed since the translation was marked)"


def test_the_marks_in_the_converted_column_say_why(midway):
    page = view(midway, "areas/youth-development/")
    reasons = {mark.get("class"): text_of(mark.find("span[@class='why']"))
               for mark in page.iter("mark") if mark.find("span[@class='why']") is not None}
    assert "phrase table" in reasons["phrase"]
    assert "kept as written ({keep})" in reasons["kept"]

