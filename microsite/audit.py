"""The conversion audit: Traditional text checked for what the Simplified conversion may get wrong.

Three findings, all warnings (errors with --strict):
- a Simplified-only character typed into Traditional text;
- generated Simplified text that hk2s would still change (something escaped conversion);
- a character that converts ambiguously, where no phrase-table entry or [..]{keep} settles it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import ContentError
from .model import LangText, Site

# Characters whose Simplified form depends on the word; hk2s picks one reading.
AMBIGUOUS = {
    "著": "the particle is 着, but 著 stays in 著名 and 著作",
    "於": "the preposition is 于, but the surname 於 stays 於",
    "乾": "乾 (dry) is 干, but 乾 stays in 乾隆 and 乾坤",
    "後": "後 (after) is 后, which is also 后 (queen)",
    "裏": "裏 (inside) is 里, which is also 里 (village, mile)",
    "徵": "徵 (levy) is 征, but 徵 stays as the musical note",
    "瞭": "瞭 (understand) is 了, but 瞭 stays in 瞭望",
    "藉": "藉 (by means of) is 借, but 藉 stays in 狼藉 and 慰藉",
    "鍾": "the surname 鍾 and 鍾 (goblet) become 钟, like 鐘 (bell)",
    "髮": "髮 (hair) and 發 (send) both become 发",
    "麵": "麵 becomes 面, like 面 (face)",
}
# HK standard forms that OpenCC's dictionary lists only as Simplified.
HK_STANDARD = set("峰")
_SENTENCE = re.compile(r"[^。！？；\n]*[。！？；]?")
_DATA = Path(__file__).parent / "data" / "simplified-only.txt"


@lru_cache(maxsize=1)
def simplified_only() -> frozenset[str]:
    """Return the characters that exist only in Simplified Chinese."""
    lines = _DATA.read_text(encoding="utf-8").splitlines()
    return frozenset("".join(line for line in lines if not line.startswith("#"))) - HK_STANDARD


def traditional_texts(site: Site, lang: str):
    """Yield (path, line, text) for every text editors write in lang: bodies, YAML values, UI words."""
    for page in site.pages:
        body = page.body(lang)
        if body is not None:
            for offset, line in enumerate(body.text.split("\n")):
                yield body.source, body.first_line + offset, line
        for value in _lang_texts(page):
            if value.has(lang):
                yield value.source, value.line, value.get(lang)


def _lang_texts(page) -> list[LangText]:
    """Return the per-language texts of a page: title, description, photo alt texts and captions."""
    found = [page.title, page.description]
    for photo in page.photos:
        found += [photo.alt] + ([photo.caption] if photo.caption else [])
    return found


def simplified_in_traditional(site: Site, lang: str) -> list[ContentError]:
    """Warn about Simplified-only characters in Traditional text."""
    found = []
    chars = simplified_only()
    for path, line, text in traditional_texts(site, lang):
        typed = sorted({c for c in text if c in chars})
        if typed:
            found.append(ContentError(path, line, f"Simplified character{'s' if len(typed) > 1 else ''} "
                                      f"{' '.join(typed)} in Traditional text", "type the Traditional form",
                                      warning=True))
    return found


def ambiguous_characters(site: Site, lang: str, convert, phrases: tuple[tuple[str, str], ...]) -> list[ContentError]:
    """Warn about each ambiguous character no phrase-table entry or keep-span settles."""
    found = []
    for path, line, text in traditional_texts(site, lang):
        settled = _settled_spans(text, phrases)
        for match in _SENTENCE.finditer(text):
            sentence = match.group(0)
            for i, char in enumerate(sentence):
                if char in AMBIGUOUS and not any(a <= match.start() + i < b for a, b in settled):
                    found.append(ContentError(path, line, f"'{char}' converts ambiguously ({AMBIGUOUS[char]}): "
                                              f"{sentence.strip()} → {convert(sentence.strip())}",
                                              "if the result is right, add the phrase to content/phrases.yaml; "
                                              "to keep the character, write [" + char + "]{keep}", warning=True))
    return found


def _settled_spans(text: str, phrases: tuple[tuple[str, str], ...]) -> list[tuple[int, int]]:
    """Return the character ranges a phrase-table entry or a [..]{keep} span already decides."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\[[^\]]*\]\{[^}]*keep[^}]*\}", text)]
    for phrase, _ in phrases:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text)]
    return spans


def leftovers(texts, hk2s, phrases: tuple[tuple[str, str], ...]) -> list[ContentError]:
    """Warn about generated Simplified text that hk2s would still change (phrase-table results aside)."""
    found = []
    results = [simplified for _, simplified in phrases]
    for path, line, text in texts:
        for result in results:
            text = text.replace(result, "")
        again = hk2s(text)
        changed = sorted({a for a, b in zip(text, again) if a != b})
        if changed:
            found.append(ContentError(path, line, f"the Simplified text still has {' '.join(changed)}, "
                                      f"which hk2s converts: {text.strip()[:60]}",
                                      "check the phrase table entry or [..]{keep} span for this text",
                                      warning=True))
    return found
