"""Draw the share cards: one static PNG per language, used as the pages' og:image.

For every language in content/site.yaml this writes static/share/<code>.png, a
1200 x 630 card with the site name and tagline (content/ui/<code>.yaml) set in
the site's own fonts and colours (static/css/site.css). A language with
`convert_from` (Simplified Chinese) has its words converted from the source
language by the build's own pipeline.

Run it again, and commit the PNGs, after changing the site name, the tagline,
the phrase table or the colours and fonts in site.css:

    .venv/bin/python scripts/share_cards.py [--root PROJECT]

It needs Playwright and the Debian Chromium at /usr/bin/chromium, and fails
loudly if a card's text would not fit. Running it twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

import yaml

# 1200 x 630 (1.91:1) is the size Open Graph (Facebook, LinkedIn) and X's
# summary_large_image recommend; most other platforms scale or crop from it.
WIDTH, HEIGHT = 1200, 630
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
COLOURS = ("--text", "--bg", "--accent", "--accent-text", "--panel", "--line")
SIZE_TARGET = 60_000

CARD_CSS = """
html, body {{ margin: 0; width: {width}px; height: {height}px; }}
html {{ color-scheme: light; }}
body {{
  background: var(--bg); color: var(--text); font-family: {font};
  display: flex; flex-direction: column;
}}
:root {{ {colours} }}
.band {{
  flex: 1 1 auto; display: flex; flex-direction: column; justify-content: center;
  background: var(--accent); color: var(--accent-text);
  padding: 56px 88px;
}}
.rule {{ width: 96px; height: 8px; background: var(--accent-text); margin-bottom: 40px; }}
.nowrap {{ white-space: nowrap; }}
h1 {{
  margin: 0 0 12px; font-size: {name_size}px; line-height: {name_leading}; font-weight: 700;
  letter-spacing: {name_spacing}; text-wrap: balance;
}}
.foot {{
  flex: 0 0 auto; background: var(--panel); border-top: 2px solid var(--line);
  padding: 40px 88px 48px;
}}
p {{ margin: 0; font-size: {tagline_size}px; line-height: {tagline_leading}; letter-spacing: {tagline_spacing}; }}
"""

# Per-script type: Han characters are set larger, a little tracked and with more leading, as on the
# site (Noto Sans CJK's glyph boxes are 1.45 em tall: less leading makes them overflow the line).
TYPE = {
    "latin": {"name_size": 68, "name_leading": 1.18, "name_spacing": "-0.01em",
              "tagline_size": 40, "tagline_leading": 1.35, "tagline_spacing": "0"},
    "han": {"name_size": 100, "name_leading": 1.45, "name_spacing": "0.06em",
            "tagline_size": 44, "tagline_leading": 1.5, "tagline_spacing": "0.04em"},
}

CHECK_JS = """() => {
  const doc = document.scrollingElement;
  const over = [...document.querySelectorAll('h1, p, .band, .foot')]
    .filter(e => e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight)
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
  return {width: doc.scrollWidth, height: doc.scrollHeight, over,
          lines: [...document.querySelectorAll('h1, p')].map(
            e => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)))};
}"""


def parse_args(argv=None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the project folder (default: the folder above scripts/)")
    return parser.parse_args(argv)


def load_yaml(path: Path):
    """Read one YAML file safely."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def top_level_rules(css: str) -> list[tuple[str, str]]:
    """Return (selector, declarations) for each rule outside @media and other at-rule blocks."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules, depth, start = [], 0, 0
    for i, ch in enumerate(css):
        if ch == "{":
            if depth == 0:
                selector, start = css[start:i].strip(), i + 1
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                if not selector.startswith("@"):
                    rules.append((selector, css[start:i]))
                start = i + 1
    return rules


def declarations(body: str) -> dict[str, str]:
    """Split a rule's declarations into {property: value}."""
    pairs = (d.split(":", 1) for d in body.split(";") if ":" in d)
    return {k.strip(): " ".join(v.split()) for k, v in pairs}


def site_colours(rules) -> dict[str, str]:
    """Return the light-scheme colour custom properties from the :root rule."""
    root = {}
    for selector, body in rules:
        if selector == ":root":
            root.update(declarations(body))
    missing = [name for name in COLOURS if name not in root]
    if missing:
        sys.exit(f"static/css/site.css: :root does not set {', '.join(missing)}")
    return {name: root[name] for name in COLOURS}


def font_stack(rules, html_lang: str) -> str:
    """Return the font-family of the last top-level rule that selects :lang(<html_lang>)."""
    stack = None
    for selector, body in rules:
        if f":lang({html_lang})" in selector.replace(" ", ""):
            stack = declarations(body).get("font-family", stack)
    if stack is None:
        sys.exit(f"static/css/site.css: no :lang({html_lang}) rule sets font-family")
    return stack


def card_words(root: Path) -> dict[str, dict[str, str]]:
    """Return each language's site name and tagline as the build makes them (Simplified converted, with punctuation)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from microsite.errors import ContentErrors
    from microsite.pipeline import prepare
    from microsite.sources import read_tree

    try:
        site = prepare(read_tree(root)).site
    except ContentErrors as errors:
        sys.exit(errors.describe("fix them, then draw the cards again."))
    return {lang.code: {key: site.words[lang.code][key] for key in ("site_name", "site_tagline")} for lang in site.languages}


def is_han(text: str) -> bool:
    """Tell whether a text is mostly Han characters (so is set with the CJK sizes)."""
    han = sum("\u3400" <= ch <= "\u9fff" for ch in text)
    return han * 2 > sum(not ch.isspace() for ch in text)


def unbroken(text: str) -> str:
    """Escape a text for HTML, keeping words such as "Co-operation" and "Kong/Beijing" on one line."""
    return " ".join(f'<span class="nowrap">{html.escape(w)}</span>' if re.search(r"\w[-/]\w", w) else html.escape(w)
                    for w in text.split(" "))


def card_html(words: dict, html_lang: str, font: str, colours: dict) -> str:
    """Return the card's self-contained HTML page (no external resources)."""
    sizes = TYPE["han" if is_han(words["site_name"]) else "latin"]
    css = CARD_CSS.format(width=WIDTH, height=HEIGHT, font=font,
                          colours=" ".join(f"{k}: {v};" for k, v in colours.items()), **sizes)
    return (f'<!doctype html><html lang="{html.escape(html_lang)}"><head><meta charset="utf-8">'
            f"<style>{css}</style></head><body>"
            f'<div class="band"><div class="rule"></div><h1>{unbroken(words["site_name"])}</h1></div>'
            f'<div class="foot"><p>{unbroken(words["site_tagline"])}</p></div></body></html>')


def fonts_used(page) -> list[str]:
    """Return the font families Chromium actually drew the card's text with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    names = set()
    for selector in ("h1", "p"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        names.update(f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"])
    cdp.detach()
    return sorted(names)


def render(browser, page_html: str, label: str) -> tuple[bytes, list[str], list[int]]:
    """Screenshot one card; fail if it loads anything or its text overflows."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1,
                                  color_scheme="light")
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.route("**/*", lambda route: route.abort())
    page.set_content(page_html, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    check = page.evaluate(CHECK_JS)
    if requests:
        sys.exit(f"{label}: the card tried to load {requests}")
    if check["width"] > WIDTH or check["height"] > HEIGHT or check["over"]:
        sys.exit(f"{label}: the text does not fit the card (page {check['width']}x{check['height']}, "
                 f"overflowing: {check['over'] or 'the page'}); shorten the words or reduce TYPE sizes")
    fonts = fonts_used(page)
    png = page.screenshot(type="png", clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
    context.close()
    return png, fonts, check["lines"]


def alt_text(words: dict, html_lang: str) -> str:
    """Propose the image's alt text: what the card says, as one sentence."""
    sep = "：" if html_lang.startswith("zh") else ": "
    return f"{words['site_name']}{sep}{words['site_tagline']}"


def main(argv=None) -> None:
    """Draw and write every language's card, then print the files, sizes and proposed alt texts."""
    from playwright.sync_api import sync_playwright

    root = parse_args(argv).root.resolve()
    languages = load_yaml(root / "content/site.yaml")["languages"]
    rules = top_level_rules((root / "static/css/site.css").read_text(encoding="utf-8"))
    colours = site_colours(rules)
    words_of = card_words(root)
    out = root / "static/share"
    out.mkdir(parents=True, exist_ok=True)
    report = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for lang in languages:
                words = words_of[lang["code"]]
                page_html = card_html(words, lang["html_lang"], font_stack(rules, lang["html_lang"]), colours)
                png, fonts, lines = render(browser, page_html, lang["code"])
                path = out / f"{lang['code']}.png"
                changed = not path.exists() or path.read_bytes() != png
                if changed:  # leave an unchanged file alone, so a watching build does not rebuild
                    path.write_bytes(png)
                report.append((lang, path, changed, len(png), fonts, lines, alt_text(words, lang["html_lang"])))
        finally:
            browser.close()
    for lang, path, changed, size, fonts, lines, alt in report:
        flag = "" if size <= SIZE_TARGET else f"  (over the {SIZE_TARGET // 1000} KB target)"
        print(f"{'wrote' if changed else 'unchanged'} {path.relative_to(root)}  {size:,} bytes{flag}  "
              f"[{WIDTH}x{HEIGHT}; name {lines[0]} line(s), tagline {lines[1]}; fonts: {', '.join(fonts)}]")
    print("\nproposed alt text:")
    for lang, *_, alt in report:
        print(f"  {lang['code']}: {alt}")


if __name__ == "__main__":
    main()
