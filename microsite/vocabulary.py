"""The vocabulary audit: Hong Kong terms in text that mainland readers of the Simplified pages write otherwise.

OpenCC changes the script, not the words: 透過 becomes 透过 where a mainland reader expects 通过. For each
mainland converted language, `check` warns once per term of data/hk-mainland-vocabulary.txt and file in the text
it is converted from, unless a phrase-table entry covers the term or the language's keep_terms lists it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .errors import ContentError
from .model import Language

_DATA = Path(__file__).parent / "data" / "hk-mainland-vocabulary.txt"


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """Return the Hong Kong terms and their mainland equivalents (data shipped with the code)."""
    lines = _DATA.read_text(encoding="utf-8").splitlines()
    pairs = (line.split("\t") for line in lines if line and not line.startswith("#"))
    return {term: mainland.replace(" ", " or ") for term, mainland in pairs}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    """Return one pattern matching any term, longest first."""
    return re.compile("|".join(map(re.escape, sorted(vocabulary(), key=len, reverse=True))))


def vocabulary_audit(texts, lang: Language, converter) -> list[ContentError]:
    """Warn once per term and file about Hong Kong terms no phrase-table entry or keep_terms settles.

    texts yields (path, line, text) for everything lang is converted from; lang's converter decides what is settled."""
    seen, found = set(), []
    for path, line, text in texts:
        covered = converter.settled(text)
        for match in _pattern().finditer(text):
            term = match.group(0)
            if term in lang.keep_terms or (path, term) in seen or any(i in covered for i in range(*match.span())):
                continue
            seen.add((path, term))
            found.append(ContentError(
                path, line, f"'{term}' is Hong Kong usage: the {lang.label} pages would read it as written, where "
                f"mainland readers expect '{vocabulary()[term]}'",
                f"add '{term}: {vocabulary()[term].split(' or ')[0]}' to content/phrases.yaml, or list '{term}' "
                f"under keep_terms of language {lang.code} in content/site.yaml to keep it", warning=True))
    return found
