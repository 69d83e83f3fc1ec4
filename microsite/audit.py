"""The conversion audit: Traditional text checked for what the Simplified conversion may get wrong.

Warnings (errors with --strict): a Simplified-only character typed into Traditional text; generated Simplified
text that hk2s would still change; a character that converts ambiguously, where no phrase-table entry or
[..]{keep} settles it; and, for mainland languages, Hong Kong terms (vocabulary.py). Each pass is linear in the
text, and each file gets at most MAX_PER_FILE warnings of a kind.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from . import markup
from .convert import Converter
from .errors import ContentError, capped
from .model import LangText, Page, Site
from .routes import CONVERTED, Routes
from .vocabulary import vocabulary_audit

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
MAX_PER_FILE = 20
SHOWN = 60  # characters of a sentence shown in a warning
_SENTENCE_END = re.compile(r"[。！？；\n]")
_DATA = Path(__file__).parent / "data" / "simplified-only.txt"


@lru_cache(maxsize=1)
def simplified_only() -> frozenset[str]:
    """Return the characters that exist only in Simplified Chinese (data shipped with the code)."""
    lines = _DATA.read_text(encoding="utf-8").splitlines()
    return frozenset("".join(line for line in lines if not line.startswith("#"))) - HK_STANDARD


def conversion_audit(site: Site, routes: Routes, converters: dict[str, Converter]) -> list[ContentError]:
    """Run the conversion checks on every converted language."""
    found = []
    for lang in site.languages:
        if lang.convert_from:
            converter = converters[lang.code]
            written, converted = _texts(site, routes, lang.code, converter)
            found += capped_warnings(simplified_in_traditional(site, lang.convert_from))
            found += capped_warnings(ambiguous_characters(written, converter))
            found += capped_warnings(leftovers(converted, site.phrases))
            if lang.mainland:
                source = [(path, line, text) for path, line, text, _ in written]
                source += _words(site.word_files.get(lang.convert_from))
                found += capped_warnings(vocabulary_audit(source, lang, converter))
    return found


def _words(doc) -> list[tuple[str, int, str]]:
    """Return (path, line, text) for each UI word of a language's file."""
    if doc is None:
        return []
    found = []
    for key, value in doc.data.items():
        for i, text in enumerate(value if isinstance(value, list) else [value]):
            found.append((doc.path, doc.line(key, i) if isinstance(value, list) else doc.line(key), text))
    return found


def _texts(site: Site, routes: Routes, code: str, converter: Converter) -> tuple[list, list]:
    """Return the runs of text of every page for one converted language: the source language's and the result."""
    written, converted = [], []
    source = site.language(code).convert_from
    for page in site.pages:
        is_converted = routes.page(page.key, code).state == CONVERTED
        body = page.body(source if is_converted else code)  # a text written for this language is published instead
        parsed = markup.text_runs(markup.parse(body.text), body.first_line) if body else []
        runs = [run for run in parsed if not run.kept]
        if is_converted:
            written += [(body.path, run.line, run.text, True) for run in runs]
        converted += [(body.path, run.line, converter.convert(run.text) if is_converted else run.text) for run in runs]
        written += [(v.path, v.line, v.get(source), False) for v in _lang_texts(page) if v.has(source)]
    return written, converted


def capped_warnings(found: list[ContentError]) -> list[ContentError]:
    """Keep at most MAX_PER_FILE warnings of one kind per file, and say how many more there are."""
    return capped(found, MAX_PER_FILE, "and {} more warnings like those above", warning=True)


def _lang_texts(page: Page) -> list[LangText]:
    """Return the per-language texts of a page: title, description, photo alt texts and captions."""
    found = [page.title, page.description]
    for photo in page.photos:
        found += [photo.alt] + ([photo.caption] if photo.caption else [])
    return found


def simplified_in_traditional(site: Site, code: str) -> list[ContentError]:
    """Warn about Simplified-only characters in Traditional text."""
    found, chars = [], simplified_only()
    for page in site.pages:
        body = page.body(code)
        lines = [(body.path, body.first_line + i, text) for i, text in enumerate(body.text.split("\n"))] if body else []
        lines += [(v.path, v.line, v.get(code)) for v in _lang_texts(page) if v.has(code)]
        for path, line, text in lines:
            typed = sorted({c for c in text if c in chars})
            if typed:
                found.append(ContentError(path, line, f"Simplified character{'s' if len(typed) > 1 else ''} "
                                          f"{' '.join(typed[:10])} in Traditional text", "type the Traditional form",
                                          warning=True))
    return found


def ambiguous_characters(written: list, converter: Converter) -> list[ContentError]:
    """Warn once per sentence holding ambiguous characters that no phrase-table entry or keep-span settles."""
    found = []
    for path, line, text, markdown in written:
        settled = converter.settled(text)
        start = 0
        for match in _SENTENCE_END.finditer(text + "\n"):
            sentence = text[start:match.end()].strip()
            chars = sorted({c for i, c in enumerate(text[start:match.end()], start)
                            if c in AMBIGUOUS and i not in settled})
            start = match.end()
            if chars:
                found.append(_ambiguous(path, line, sentence, chars, converter, markdown))
    return found


def _ambiguous(path: str, line: int, sentence: str, chars: list[str], converter: Converter,
               markdown: bool) -> ContentError:
    """Describe the ambiguous characters of one sentence, with the sentence and its conversion."""
    shown = sentence if len(sentence) <= SHOWN else sentence[:SHOWN] + "…"
    reasons = "; ".join(AMBIGUOUS[c] for c in chars[:3])
    keep = f"; to keep the character, write [{chars[0]}]{{keep}}" if markdown else ""
    return ContentError(path, line, f"'{''.join(chars)}' converts ambiguously ({reasons}): "
                        f"{shown} → {converter.convert(shown)}",
                        f"if the result is right, add the phrase to content/phrases.yaml{keep}", warning=True)


def leftovers(converted: list, phrases: tuple[tuple[str, str], ...]) -> list[ContentError]:
    """Warn about Simplified text that hk2s would still change (phrase-table results aside)."""
    found = []
    hk2s = Converter().convert
    for path, line, text in converted:
        for _, result in phrases:
            text = text.replace(result, "")
        again = hk2s(text)
        changed = sorted({a for a, b in zip(text, again) if a != b})
        if changed:
            shown = text.strip()[:SHOWN]
            found.append(ContentError(path, line, f"the Simplified text still has {' '.join(changed[:10])}, "
                                      f"which hk2s converts: {shown}",
                                      "check the phrase table entry or [..]{keep} span for this text", warning=True))
    return found
