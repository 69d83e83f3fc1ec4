"""Writes the same synthetic areas as a Hugo multilingual site (en, tc, sc) with equivalent templates."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml

from devserver import Edit
from synth import REPO, Area

LAYOUTS = Path(__file__).resolve().parent / "hugo_layouts"
PREFIX = {"en": "en", "zh-hant": "tc", "zh-hans": "sc"}


class Simplifier:
    """OpenCC hk2s with the project's phrase table applied first, as the build converts text."""

    def __init__(self):
        import opencc

        self._opencc = opencc.OpenCC("hk2s")
        table = yaml.safe_load((REPO / "content/phrases.yaml").read_text(encoding="utf-8"))["phrases"] or {}
        self._table = table
        keys = sorted(table, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def __call__(self, text: str) -> str:
        """Return text in Simplified Chinese."""
        if self._pattern is None:
            return self._opencc.convert(text)
        parts, last = [], 0
        for match in self._pattern.finditer(text):
            parts += [self._opencc.convert(text[last:match.start()]), self._table[match.group(0)]]
            last = match.end()
        return "".join(parts + [self._opencc.convert(text[last:])])


def write_hugo_site(areas: list[Area], folder: Path) -> Path:
    """Write a complete Hugo site for these areas, Simplified text converted ahead of time; return it."""
    shutil.rmtree(folder, ignore_errors=True)
    simplify = Simplifier()
    shutil.copytree(LAYOUTS, folder / "layouts")
    shutil.copytree(REPO / "static", folder / "assets")
    site = yaml.safe_load((REPO / "content/site.yaml").read_text(encoding="utf-8"))
    ui = {lang: yaml.safe_load((REPO / f"content/ui/{lang}.yaml").read_text(encoding="utf-8")) for lang in ("en", "zh-hant")}
    ui["zh-hans"] = {key: simplify(value) if isinstance(value, str) else value for key, value in ui["zh-hant"].items()}
    (folder / "hugo.toml").write_text(_config(site, ui, simplify), encoding="utf-8")
    for lang, words in ui.items():
        _write(folder / f"i18n/{PREFIX[lang]}.yaml", _i18n(words))
    _write_home(folder, simplify)
    _write_annex(folder, simplify, len(areas) + 1)
    for area in areas:
        texts = {**{lang: (area.title[lang], area.summary[lang], area.body[lang]) for lang in area.body},
                 "zh-hans": tuple(simplify(t) for t in (area.title["zh-hant"], area.summary["zh-hant"], area.body["zh-hant"]))}
        for lang, (title, summary, body) in texts.items():
            _write(folder / f"content/areas/{area.slug}.{PREFIX[lang]}.md", _page(title, summary, body, area.order))
    return folder


def _config(site: dict, ui: dict, simplify) -> str:
    """Return hugo.toml: three languages in prefixes, no feeds or taxonomies, Goldmark as CommonMark-like as it goes."""
    lines = [f'baseURL = "{site["base_url"]}"', 'defaultContentLanguage = "en"', "defaultContentLanguageInSubdir = true",
             'disableKinds = ["taxonomy", "term", "RSS", "section"]', "enableRobotsTXT = true",
             "[markup.goldmark.extensions]", "typographer = false", "linkify = false",
             "[markup.goldmark.parser]", "autoHeadingID = false"]
    place = site["event"]["place"]
    for i, lang in enumerate(site["languages"], start=1):
        code = lang["code"]
        words = ui[code]
        date = words["date"].format(day=24, month=words["months"][9], year=2018)
        lines += [f"[languages.{lang['prefix']}]", f"weight = {i}", f'languageCode = "{lang["hreflang"]}"',
                  f"languageName = {json.dumps(lang['label'], ensure_ascii=False)}",
                  f"[languages.{lang['prefix']}.params]", f'htmlLang = "{lang["html_lang"]}"', f'ogLocale = "{lang["og_locale"]}"',
                  f"dateText = {json.dumps(date, ensure_ascii=False)}",
                  f"place = {json.dumps(place.get(code) or simplify(place['zh-hant']), ensure_ascii=False)}"]
    return "\n".join(lines) + "\n"


def _i18n(words: dict) -> str:
    """Return a Hugo i18n file of the UI strings, {name} placeholders as Go template fields."""
    strings = {key: re.sub(r"\{([a-z_]+)\}", r"{{ .\1 }}", value) for key, value in words.items() if isinstance(value, str)}
    return yaml.safe_dump(strings, allow_unicode=True, sort_keys=True)


def _page(title: str, description: str, body: str, weight: int) -> str:
    """Return a content file with YAML front matter."""
    front = {"title": title, "description": description, "weight": weight}
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body


def _write_home(folder: Path, simplify) -> None:
    """Write the home page in each language from the bundled home text (the areas list is the template's)."""
    meta = yaml.safe_load((REPO / "content/home/home.yaml").read_text(encoding="utf-8"))
    texts = {lang: (REPO / f"content/home/{lang}.md").read_text(encoding="utf-8").replace("[[areas]]\n", "")
             for lang in ("en", "zh-hant")}
    texts["zh-hans"] = simplify(texts["zh-hant"])
    for lang, body in texts.items():
        title = meta["title"].get(lang) or simplify(meta["title"]["zh-hant"])
        description = meta["description"].get(lang) or simplify(meta["description"]["zh-hant"])
        _write(folder / f"content/_index.{PREFIX[lang]}.md", _page(title, description, body, 0))


def _write_annex(folder: Path, simplify, weight: int) -> None:
    """Write the annex: the Chinese text, Simplified converted, and an English notice page."""
    meta = yaml.safe_load((REPO / "content/annex/annex.yaml").read_text(encoding="utf-8"))
    text = (REPO / "content/annex/zh-hant.md").read_text(encoding="utf-8")
    notice = yaml.safe_load((REPO / "content/ui/en.yaml").read_text(encoding="utf-8"))["annex_chinese_only"]
    pages = {"en": (meta["title"]["en"], meta["description"]["en"], notice + "\n"),
             "zh-hant": (meta["title"]["zh-hant"], meta["description"]["zh-hant"], text),
             "zh-hans": (simplify(meta["title"]["zh-hant"]), simplify(meta["description"]["zh-hant"]), simplify(text))}
    for lang, (title, description, body) in pages.items():
        _write(folder / f"content/annex.{PREFIX[lang]}.md", _page(title, description, body, weight))


def _write(path: Path, text: str) -> None:
    """Write a UTF-8 file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def body_edit(site: Path, out: Path, slug: str, token: str) -> Edit:
    """Put token at the start of an area's first English paragraph; it shows on that page."""
    path = site / f"content/areas/{slug}.en.md"
    text = path.read_text(encoding="utf-8").replace("\n---\n", f"\n---\n{token} ", 1)
    return Edit(path, text, (out / f"en/areas/{slug}/index.html",), token)


def title_edit(site: Path, out: Path, slug: str, other: str, token: str) -> Edit:
    """Put token in an area's English title; it shows on that page and in every page's navigation."""
    path = site / f"content/areas/{slug}.en.md"
    text = re.sub(r"(?m)^title: ", f"title: {token} ", path.read_text(encoding="utf-8"), count=1)
    return Edit(path, text, (out / f"en/areas/{slug}/index.html", out / f"en/areas/{other}/index.html"), token)
