"""The built site in real Chromium: accessibility (axe-core, keyboard, zoom, contrast), switching language, print."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from support import tools
from test_pages import ALL_PAGES, AREAS, EXPECTED_LANG

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
EVERY_PAGE = ALL_PAGES + ["index.html", "404.html", "en/404.html", "tc/404.html", "sc/404.html"]


def url_of(served: str, path: str) -> str:
    """Return the served URL of a built file."""
    return f"{served}/{path.removesuffix('index.html')}"


@pytest.fixture(scope="module")
def axe_source() -> str:
    """The axe-core script, from the test tools' node_modules."""
    return tools.node_module("axe-core", "axe.min.js").read_text(encoding="utf-8")


def dark_scheme_changes_only_colours(built) -> bool:
    """Say whether the stylesheet's dark colour scheme only gives its custom properties other values (colours)."""
    css = next(built.glob("static/css/site.*.css")).read_text(encoding="utf-8")
    blocks = re.findall(r"@media\s*\(prefers-color-scheme:\s*dark\)\s*\{((?:[^{}]|\{[^{}]*\})*)\}", css)
    rules = [rule for block in blocks for rule in re.findall(r"([^{}]+)\{([^{}]*)\}", block)]
    declarations = [d.strip() for _, body in rules for d in body.split(";") if d.strip()]
    return bool(blocks) and all(sel.strip() == ":root" for sel, _ in rules) and all(d.startswith("--") for d in declarations)


# Rules of the WCAG tags that read colours: the only ones whose result can change with the colour scheme when the
# dark scheme changes nothing but colours.
COLOUR_RULES = """tags => axe.getRules(['cat.color']).filter(r => r.tags.some(t => tags.includes(t))).map(r => r.ruleId)"""


SCREENSHOT_PAGES = {f"{prefix}/{path}": (prefix, label) for prefix in ("en", "tc", "sc")
                    for label, path in [("home", "index.html"), ("area", "areas/services-industries/index.html"),
                                        ("annex", "annex/index.html"), ("404", "404.html")]}
SCREENSHOT_PAGES.update({"index.html": ("root", "chooser"), "404.html": ("root", "404")})
# Widths a page must fit without scrolling sideways: a phone of 320 CSS px, and 200 % zoom of a 1280 px window
# (640 CSS px at two device pixels each); then the widths of the screenshots.
NARROW = [("320px", 320, 1), ("200-percent-zoom", 640, 2)]
SHOTS = [("phone", 390, 844), ("desktop", 1280, 900)]


def _fits(page, cdp, width: int, height: int, scale: int) -> bool:
    """Show the loaded page at a width and device scale (no reload: the layout follows); say if it fits."""
    cdp.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": scale,
                                                    "mobile": False})
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.fixture(scope="module")
def walk(browser, served, built, axe_source) -> dict:
    """Every page of the bundled site, loaded once each; what the checks below read from it: axe's violations in
    both colour schemes, whether the page fits the narrow widths, and screenshots of every kind of page.

    On each page: every WCAG rule in the light scheme, then the rules that read colours in the dark scheme (every
    rule again if the dark scheme ever changes more than colours); then the page is shown at each width by device
    emulation, which lays it out again without a reload."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    only_colours = dark_scheme_changes_only_colours(built)
    full = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
    colours = "tags => axe.run(document, {runOnly: {type: 'rule', values: (%s)(tags)}})" % COLOUR_RULES
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light", bypass_csp=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    found = {}
    for path in EVERY_PAGE:
        page.goto(url_of(served, path))
        page.evaluate(axe_source)
        seen = found[path] = {}
        for scheme, run in (("light", full), ("dark", colours if only_colours else full)):
            page.emulate_media(color_scheme=scheme)
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
            result = page.evaluate(run, AXE_TAGS)
            seen[scheme] = (len(result["passes"]), [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
                                                    for v in result["violations"]])
        page.emulate_media(color_scheme="light")
        for name, width, scale in NARROW:
            seen[name] = _fits(page, cdp, width, 800, scale)
        if path in SCREENSHOT_PAGES:
            prefix, label = SCREENSHOT_PAGES[path]
            for name, width, height in SHOTS:
                seen[name] = _fits(page, cdp, width, height, 1)
                page.screenshot(path=str(SCREENSHOTS / f"{prefix}-{label}-{name}.png"), full_page=True)
        cdp.send("Emulation.clearDeviceMetricsOverride")
        page.set_viewport_size({"width": 1280, "height": 900})
    context.close()
    return found


def test_no_axe_violations_on_any_page_in_either_colour_scheme(walk):
    assert set(walk) == set(EVERY_PAGE)
    for scheme in ("light", "dark"):
        assert all(walk[path][scheme][0] > 0 for path in EVERY_PAGE), f"axe checked nothing in the {scheme} scheme"
    failures = [f"{path} ({scheme}): {v}" for path in EVERY_PAGE for scheme in ("light", "dark") for v in walk[path][scheme][1]]
    assert failures == []


def test_the_dark_scheme_is_checked_by_the_colour_rules_and_they_find_a_dark_only_failure(browser, served, built,
                                                                                          axe_source):
    assert dark_scheme_changes_only_colours(built), "the dark scheme changes more than colours: every rule runs in it"
    context = browser.new_context(color_scheme="dark", bypass_csp=True)
    page = context.new_page()
    page.goto(url_of(served, "en/index.html"))
    page.evaluate(axe_source)
    rules = page.evaluate(COLOUR_RULES, AXE_TAGS)
    assert "color-contrast" in rules and "link-in-text-block" in rules
    # Dark grey text: unreadable on the dark scheme's background, fine on the light one.
    page.evaluate("document.querySelector('main p').style.color = '#2a2a2a'")
    found = {}
    for scheme in ("dark", "light"):
        page.emulate_media(color_scheme=scheme)
        result = page.evaluate("ids => axe.run(document, {runOnly: {type: 'rule', values: ids}})", rules)
        found[scheme] = {v["id"] for v in result["violations"]}
    context.close()
    assert found == {"dark": {"color-contrast"}, "light": set()}


def test_axe_does_find_a_violation_when_there_is_one(page, served, axe_source):
    page.goto(url_of(served, "en/index.html"))
    page.evaluate("document.querySelector('img, h1').outerHTML = '<img src=x>'")
    page.evaluate(axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert "image-alt" in {v["id"] for v in result["violations"]}


@pytest.mark.parametrize("path", ["en/index.html", "tc/areas/youth-development/index.html", "sc/annex/index.html"])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_into_main(page, served, path):
    page.goto(url_of(served, path))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.evaluate("document.activeElement.getBoundingClientRect().top >= 0")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside main or after it, never back in the header
    assert page.evaluate("""() => { const main = document.querySelector('main'), el = document.activeElement;
        return main.contains(el) || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING); }""")


FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    key: el.tagName + ' ' + (el.getAttribute('href') || el.textContent.trim()),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
  };
}"""
INTERACTIVE = """() => Array.from(document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]'))
  .filter(el => el.tabIndex >= 0 && el.getClientRects().length > 0)
  .map(el => el.tagName + ' ' + (el.getAttribute('href') || el.textContent.trim()))"""


@pytest.mark.parametrize("path", ["en/index.html", "tc/areas/services-industries/index.html", "en/annex/index.html", "sc/404.html"])
def test_every_interactive_element_is_reached_by_tab_with_a_visible_outline(page, served, path):
    page.goto(url_of(served, path))
    expected = page.evaluate(INTERACTIVE)
    reached = []
    for _ in range(len(expected)):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        assert state["outline"], f"no visible focus outline on {state['key']}"
        reached.append(state["key"])
    assert reached == expected


@pytest.mark.parametrize("path", ["en/index.html", "tc/annex/index.html", "sc/areas/youth-development/index.html"])
def test_language_switcher_targets_are_at_least_24_css_pixels(browser, served, path):
    for width in (320, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(url_of(served, path))
        boxes = [e.bounding_box() for e in page.query_selector_all("nav.languages a")]
        context.close()
        assert len(boxes) == 2
        assert all(b["width"] >= 24 and b["height"] >= 24 for b in boxes), boxes


@pytest.mark.parametrize("width", [name for name, _, _ in NARROW])
def test_pages_reflow_without_horizontal_scrolling(walk, width):
    assert [path for path in EVERY_PAGE if not walk[path][width]] == []


def test_the_width_check_does_find_a_page_that_scrolls_sideways(browser, served):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    page.goto(url_of(served, "en/index.html"))
    page.evaluate("document.querySelector('main p').style.minWidth = '500px'")  # fits 640 px, not 320 px
    found = {name: _fits(page, cdp, width, 800, scale) for name, width, scale in NARROW}
    assert page.evaluate("[innerWidth, devicePixelRatio]") == [640, 2]
    context.close()
    assert found == {"320px": False, "200-percent-zoom": True}


# A walk through all six switches between the three languages, each from the page the one before landed on.
SWITCHES = ["tc", "sc", "en", "sc", "tc", "en"]


@pytest.fixture(scope="module")
def tab(browser):
    """One browser tab for tests that only follow links."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("rest", sorted({p.split("/", 1)[1] for p in ALL_PAGES}))
def test_clicking_the_language_switcher_lands_on_the_same_page_in_that_language(tab, served, rest):
    assert {(a, b) for a, b in zip(["en"] + SWITCHES, SWITCHES)} == {(a, b) for a in EXPECTED_LANG for b in EXPECTED_LANG
                                                                    if a != b}  # every switch, once
    tab.goto(url_of(served, f"en/{rest}"))
    for target in SWITCHES:
        lang = EXPECTED_LANG[target]
        with tab.expect_navigation(wait_until="domcontentloaded"):  # what is checked is in the document itself
            tab.click(f"nav.languages a[hreflang='{lang}']")
        assert tab.url == url_of(served, f"{target}/{rest}")
        assert tab.evaluate("document.documentElement.lang") == lang


def test_english_reader_reaches_the_chinese_annex_in_one_click_and_is_told_why(page, served):
    page.goto(url_of(served, "en/index.html"))
    page.click("main a[href='/en/annex/']")
    assert "Chinese only" in page.inner_text("main")
    page.click("main a[hreflang='zh-HK']")
    assert page.url == url_of(served, "tc/annex/index.html")
    assert "京港合作會議第四次會議備忘錄" in page.inner_text("h1")


def tab_to(page, href: str, limit: int = 80) -> None:
    """Press Tab until the link to href has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == href:
            return
    raise AssertionError(f"no link to {href} reachable by Tab")


def test_keyboard_only_walk_from_home_to_an_area_and_back(page, served):
    page.goto(url_of(served, "en/index.html"))
    tab_to(page, f"/en/areas/{AREAS[2]}/")
    page.keyboard.press("Enter")
    page.wait_for_url(url_of(served, f"en/areas/{AREAS[2]}/index.html"))
    tab_to(page, f"/en/areas/{AREAS[3]}/")
    page.keyboard.press("Enter")
    page.wait_for_url(url_of(served, f"en/areas/{AREAS[3]}/index.html"))
    tab_to(page, "/en/")
    page.keyboard.press("Enter")
    page.wait_for_url(url_of(served, "en/index.html"))


def test_printing_an_area_page_keeps_title_date_text_and_address_without_navigation(page, served):
    path = "en/areas/youth-development/index.html"
    page.goto(url_of(served, path))
    page.emulate_media(media="print")
    visible = page.evaluate("""() => Object.fromEntries(
        ['h1', 'main time', 'main p', '.print-url', 'nav.languages', 'nav.areas-nav', 'nav.pager', '.skip-link']
        .map(s => [s, !!document.querySelector(s) && document.querySelector(s).getClientRects().length > 0 &&
                       getComputedStyle(document.querySelector(s)).visibility !== 'hidden']))""")
    assert visible == {"h1": True, "main time": True, "main p": True, ".print-url": True,
                       "nav.languages": False, "nav.areas-nav": False, "nav.pager": False, ".skip-link": False}
    assert page.inner_text(".print-url") == "https://jbcc.example.org/en/areas/youth-development/"
    assert page.pdf()[:4] == b"%PDF"


def test_screenshots_of_every_kind_of_page_at_phone_and_desktop_widths(walk):
    for path, (prefix, label) in SCREENSHOT_PAGES.items():
        for name, _, _ in SHOTS:
            assert (SCREENSHOTS / f"{prefix}-{label}-{name}.png").stat().st_size > 5000, (path, name)
            assert walk[path][name], f"{path} scrolls sideways at the {name} width"


@pytest.fixture(scope="module")
def many_areas(thousand_areas):
    """A generated site of 1,000 areas, whose pages show the navigation around them, on a local server."""
    from support.static_server import StaticServer

    with StaticServer(thousand_areas) as server:
        yield server.url


def test_the_navigation_of_a_site_with_many_areas_passes_axe(browser, many_areas, axe_source):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    failures = []
    for path in ["en/areas/area-00050/", "tc/area-list/2/", "sc/index.html", "en/areas/area-00100/"]:
        page.goto(f"{many_areas}/{path}")
        page.evaluate(axe_source)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        failures += [f"{path}: {v['id']}" for v in result["violations"]]
    context.close()
    assert failures == []


def test_a_keyboard_reaches_the_neighbouring_areas_and_the_full_list(page, many_areas):
    page.goto(f"{many_areas}/en/areas/area-00050/")
    assert page.inner_text("nav.areas-nav .nav-position") == "Areas 47 to 53 of 1000"
    tab_to(page, "/en/areas/area-00053/")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{many_areas}/en/areas/area-00053/")
    page.goto(f"{many_areas}/en/areas/area-00070/")  # areas 61 to 120 are listed on the second list page
    tab_to(page, "/en/area-list/2/")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{many_areas}/en/area-list/2/")
    assert page.inner_text("h1") == "Co-operation areas, page 2 of 17"
