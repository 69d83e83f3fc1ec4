"""Hugo's side: the same synthetic areas as a Hugo multilingual site (en, tc, sc) with templates mirroring ours,
its build and serve commands, and its edits.

The layouts in hugo_layouts/ read two site parameters written here, as the project's templates read
list_limit: listLimit (the shape's list_limit) and navWindow (the generator's NAV_WINDOW). With at most
listLimit areas every page lists every area; with more, the navigation shows the areas around the current
one and the list of areas is split over list pages.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml

from devserver import Edit
from synth import NAV_WINDOW, REPO, Area, list_limit, list_pages

LAYOUTS = Path(__file__).resolve().parent / "hugo_layouts"
PREFIX = {"en": "en", "zh-hant": "tc", "zh-hans": "sc"}


class Simplifier:
    """The build's own converter: OpenCC hk2s, the project's phrase table, mainland punctuation."""

    def __init__(self):
        from microsite.convert import Converter

        table = yaml.safe_load((REPO / "content/phrases.yaml").read_text(encoding="utf-8"))["phrases"] or {}
        self._converter = Converter(tuple(table.items()), mainland_punctuation=True)

    def __call__(self, text: str) -> str:
        """Return text in Simplified Chinese."""
        return self._converter.convert(text)


def _text_of(path: Path) -> str:
    """Return a content file's Markdown without its front matter (Hugo gets its own)."""
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def build_command(site: Path, out: Path) -> list[str]:
    """Return the command that builds the site into out."""
    return ["hugo", "--quiet", "--source", str(site), "--destination", str(out)]


def serve_command(site: Path, port: int) -> list[str]:
    """Return the command that serves the site from memory on 127.0.0.1:port, re-rendering every page on a change.

    Live reload stays on, as in ours: both servers put a live-reload script in every page and signal
    connected browsers after a rebuild (none is connected while timing).
    """
    return ["hugo", "server", "--source", str(site), "--disableFastRender", "--bind", "127.0.0.1", "--port", str(port)]


def write_hugo_site(areas: list[Area], folder: Path, shape: str = "bounded") -> Path:
    """Write a complete Hugo site for these areas in a shape, Simplified text converted ahead of time; return it."""
    shutil.rmtree(folder, ignore_errors=True)
    simplify = Simplifier()
    shutil.copytree(LAYOUTS, folder / "layouts")
    shutil.copytree(REPO / "static", folder / "assets")
    site = yaml.safe_load((REPO / "content/site.yaml").read_text(encoding="utf-8"))
    ui = {lang: yaml.safe_load((REPO / f"content/ui/{lang}.yaml").read_text(encoding="utf-8")) for lang in ("en", "zh-hant")}
    ui["zh-hans"] = {key: simplify(value) if isinstance(value, str) else value for key, value in ui["zh-hant"].items()}
    (folder / "hugo.toml").write_text(_config(site, ui, simplify, list_limit(shape, len(areas))), encoding="utf-8")
    for lang, words in ui.items():
        _write(folder / f"i18n/{PREFIX[lang]}.yaml", _i18n(words))
    _write_home(folder, simplify)
    _write_annex(folder, simplify, len(areas) + 1)
    _write_list_pages(folder, ui, len(areas), list_pages(shape, len(areas)))
    for area in areas:
        texts = {**{lang: (area.title[lang], area.summary[lang], area.body[lang]) for lang in area.body},
                 "zh-hans": tuple(simplify(t) for t in (area.title["zh-hant"], area.summary["zh-hant"], area.body["zh-hant"]))}
        for lang, (title, summary, body) in texts.items():
            _write(folder / f"content/areas/{area.slug}.{PREFIX[lang]}.md", _page(title, summary, body, area.order))
    return folder


def _config(site: dict, ui: dict, simplify, limit: int) -> str:
    """Return hugo.toml: three languages in prefixes, no feeds or taxonomies, Goldmark as CommonMark-like as it goes."""
    lines = [f'baseURL = "{site["base_url"]}"', 'defaultContentLanguage = "en"', "defaultContentLanguageInSubdir = true",
             'disableKinds = ["taxonomy", "term", "RSS", "section"]', "enableRobotsTXT = true",
             "[markup.goldmark.extensions]", "typographer = false", "linkify = false",
             "[markup.goldmark.parser]", "autoHeadingID = false",
             "[params]", f"listLimit = {limit}", f"navWindow = {NAV_WINDOW}",
             f'releaseURL = "{site["event"]["release"]["url"]}"',
             f"releaseTitle = {json.dumps(site['event']['release']['title'], ensure_ascii=False)}"]
    place = site["event"]["place"]
    for i, lang in enumerate(site["languages"], start=1):
        code = lang["code"]
        words = ui[code]
        date = words["date"].format(day=24, month=words["months"][9], year=2018)
        lines += [f"[languages.{lang['prefix']}]", f"weight = {i}", f'languageCode = "{lang["hreflang"]}"',
                  f"languageName = {json.dumps(lang['label'], ensure_ascii=False)}",
                  f"[languages.{lang['prefix']}.params]", f'htmlLang = "{lang["html_lang"]}"', f'ogLocale = "{lang["og_locale"]}"',
                  f'code = "{code}"',
                  f"dateText = {json.dumps(date, ensure_ascii=False)}",
                  f"place = {json.dumps(place.get(code) or simplify(place['zh-hant']), ensure_ascii=False)}"]
    return "\n".join(lines) + "\n"


def _i18n(words: dict) -> str:
    """Return a Hugo i18n file of the UI strings, {name} placeholders as Go template fields."""
    strings = {key: re.sub(r"\{([a-z_]+)\}", r"{{ .\1 }}", value) for key, value in words.items() if isinstance(value, str)}
    return yaml.safe_dump(strings, allow_unicode=True, sort_keys=True)


def _page(title: str, description: str, body: str, weight: int, **params) -> str:
    """Return a content file with YAML front matter."""
    front = {"title": title, "description": description, "weight": weight, **params}
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body


def _write_home(folder: Path, simplify) -> None:
    """Write the home page in each language from the bundled home text (the areas list is the template's)."""
    meta = yaml.safe_load((REPO / "content/home/home.yaml").read_text(encoding="utf-8"))
    texts = {lang: _text_of(REPO / f"content/home/{lang}.md").replace("[[areas]]\n", "")
             for lang in ("en", "zh-hant")}
    texts["zh-hans"] = simplify(texts["zh-hant"])
    for lang, body in texts.items():
        title = meta["title"].get(lang) or simplify(meta["title"]["zh-hant"])
        description = meta["description"].get(lang) or simplify(meta["description"]["zh-hant"])
        _write(folder / f"content/_index.{PREFIX[lang]}.md", _page(title, description, body, 0))


def _write_annex(folder: Path, simplify, weight: int) -> None:
    """Write the annex: the Chinese text, Simplified converted, and an English notice page."""
    meta = yaml.safe_load((REPO / "content/annex/annex.yaml").read_text(encoding="utf-8"))
    text = _text_of(REPO / "content/annex/zh-hant.md")
    notice = yaml.safe_load((REPO / "content/ui/en.yaml").read_text(encoding="utf-8"))["annex_summary_notice"]
    pages = {"en": (meta["title"]["en"], meta["description"]["en"], notice + "\n"),
             "zh-hant": (meta["title"]["zh-hant"], meta["description"]["zh-hant"], text),
             "zh-hans": (simplify(meta["title"]["zh-hant"]), simplify(meta["description"]["zh-hant"]), simplify(text))}
    for lang, (title, description, body) in pages.items():
        _write(folder / f"content/annex.{PREFIX[lang]}.md", _page(title, description, body, weight))


def _write_list_pages(folder: Path, ui: dict, total: int, pages: int) -> None:
    """Write list pages 2 to pages of the list of areas in each language (the home page holds the first).

    They are content pages rather than the home page's pagination: Hugo paginates through the home
    template, under the home page's permalink and translations, and adds an alias page for page 1,
    while ours makes each list page a page of its own with its title, canonical address and alternates.
    """
    for lang, words in ui.items():
        for number in range(2, pages + 1):
            title = _fill(words["area_list_title"], number=number, pages=pages)
            description = _fill(words["area_list_description"], total=total)
            _write(folder / f"content/area-list/{number}.{PREFIX[lang]}.md",
                   _page(title, description, "", total + 1 + number, number=number))


def _fill(template: str, **values) -> str:
    """Fill {name} placeholders of a UI string."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: str(values[m.group(1)]), template)


def _write(path: Path, text: str) -> None:
    """Write a UTF-8 file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def body_edit(site: Path, slug: str, token: str) -> Edit:
    """Put token at the start of an area's first English paragraph; it shows on that page."""
    path = site / f"content/areas/{slug}.en.md"
    text = path.read_text(encoding="utf-8").replace("\n---\n", f"\n---\n{token} ", 1)
    return Edit(path, text, (f"en/areas/{slug}/",), token)


def title_edit(site: Path, slug: str, neighbour: str, token: str) -> Edit:
    """Put token in an area's English title; it shows on that page and in its neighbours' navigation and links."""
    path = site / f"content/areas/{slug}.en.md"
    text = re.sub(r"(?m)^title: ", f"title: {token} ", path.read_text(encoding="utf-8"), count=1)
    return Edit(path, text, (f"en/areas/{slug}/", f"en/areas/{neighbour}/"), token)
