"""Synthetic areas: one English and one Traditional Chinese page each, reproducible for any N; the two shapes of site.

Shapes: `bounded` is the generator's default (list_limit 60): past 60 areas each page's navigation
shows the areas around the current one, and the list of areas is split over list pages. `full`
raises list_limit to at least N, so every page's navigation lists every area.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from microsite import render, settings

# The generator's own settings, so that both sites follow them.
DEFAULT_LIST_LIMIT = settings.DEFAULT_LIST_LIMIT
NAV_WINDOW = render.NAV_WINDOW

SHAPES = ("bounded", "full")


@dataclass(frozen=True)
class Area:
    """One synthetic co-operation area, in the two languages editors write."""

    slug: str
    order: int
    title: dict
    summary: dict
    body: dict


def list_limit(shape: str, n: int) -> int:
    """Return the list_limit of a shape at n areas: the generator's default, or never fewer than n."""
    return DEFAULT_LIST_LIMIT if shape == "bounded" else max(n, DEFAULT_LIST_LIMIT)


def list_pages(shape: str, n: int) -> int:
    """Return how many pages the list of areas takes in a shape (the home page holds the first)."""
    return render.list_page_count(n, list_limit(shape, n))


def make_areas(n: int, seed: int = 2018) -> list[Area]:
    """Return n areas, the same for the same n and seed."""
    words = _vocabulary(REPO)
    slugs = [f"area-{i:05d}" for i in range(1, n + 1)]
    return [_area(random.Random(f"{seed}-{i}"), i, slugs, words) for i in range(1, n + 1)]


def _vocabulary(repo: Path) -> dict:
    """Collect English words and Traditional Chinese two-character words from the bundled content."""
    en = " ".join(p.read_text(encoding="utf-8") for p in sorted(repo.glob("content/**/en.md")))
    zh = " ".join(p.read_text(encoding="utf-8") for p in sorted(repo.glob("content/**/zh-hant.md")))
    english = sorted({w.lower() for w in re.findall(r"[A-Za-z]{3,}", en)})
    runs = re.findall(r"[\u4e00-\u9fff]{2,}", zh)
    chinese = sorted({run[i:i + 2] for run in runs for i in range(0, len(run) - 1, 2)})
    return {"en": english, "zh-hant": chinese}


def _area(rng: random.Random, i: int, slugs: list[str], words: dict) -> Area:
    """Build area i: titles, summaries and a body per language."""
    other = slugs[(i + rng.randrange(1, len(slugs))) % len(slugs)] if len(slugs) > 1 else slugs[0]
    title = {"en": f"{_phrase(rng, words['en'], 3).title()} {i}", "zh-hant": f"{_cjk(rng, words['zh-hant'], 3)}{i}"}
    summary = {"en": _sentence(rng, words["en"], 14), "zh-hant": _cjk(rng, words["zh-hant"], 14) + "。"}
    body = {"en": _english_body(rng, words["en"], other), "zh-hant": _chinese_body(rng, words["zh-hant"], other)}
    return Area(slugs[i - 1], i, title, summary, body)


def _phrase(rng: random.Random, words: list[str], n: int) -> str:
    """Return n random English words."""
    return " ".join(rng.choice(words) for _ in range(n))


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    """Return an English sentence of n words."""
    return _phrase(rng, words, n).capitalize() + "."


def _cjk(rng: random.Random, words: list[str], n: int) -> str:
    """Return n random two-character Chinese words run together."""
    return "".join(rng.choice(words) for _ in range(n))


def _english_body(rng: random.Random, words: list[str], other: str) -> str:
    """Return ~300 words: 4 paragraphs, 3 headings, a 4-item list, an internal and an external link."""
    para = [" ".join(_sentence(rng, words, rng.randint(9, 15)) for _ in range(5)) for _ in range(4)]
    para[0] += f" See also [{_phrase(rng, words, 2)}](/areas/{other}/)."
    para[2] += f" Read more on [{_phrase(rng, words, 2)}](https://www.info.gov.hk/gia/general/201810/24/P{rng.randrange(10**6):06d}.htm)."
    items = "\n".join(f"- {_phrase(rng, words, 6)}" for _ in range(4))
    heads = [f"## {_phrase(rng, words, 3).capitalize()}" for _ in range(3)]
    return "\n\n".join([para[0], heads[0], para[1], items, heads[1], para[2], heads[2], para[3]]) + "\n"


def _chinese_body(rng: random.Random, words: list[str], other: str) -> str:
    """Return ~600 characters of the same shape as the English body."""
    para = ["，".join(_cjk(rng, words, rng.randint(6, 10)) for _ in range(8)) + "。" for _ in range(4)]
    para[0] += f"另見[{_cjk(rng, words, 2)}](/areas/{other}/)。"
    para[2] += f"詳情見[{_cjk(rng, words, 2)}](https://www.info.gov.hk/gia/general/201810/24/P{rng.randrange(10**6):06d}.htm)。"
    items = "\n".join(f"- {_cjk(rng, words, 4)}" for _ in range(4))
    heads = [f"## {_cjk(rng, words, 3)}" for _ in range(3)]
    return "\n\n".join([para[0], heads[0], para[1], items, heads[1], para[2], heads[2], para[3]]) + "\n"
