"""Markdown: the parser with this site's rules, and the checks run on its tokens.

Rules added to markdown-it's CommonMark preset (raw HTML off, so content
cannot inject markup):
- spans: `[text]{lang=en}` marks a language; `[text]{keep}` keeps text unconverted;
- placeholders: a paragraph that is only `[[areas]]` marks where a list goes;
- internal links: `/areas/youth-development/` is rewritten for each language.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .errors import ContentError

_ATTRS = re.compile(r"\{((?:\s*(?:keep|lang=[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*))+)\s*\}")
_PLACEHOLDER = re.compile(r"\[\[([a-z-]+)\]\]\Z")
_STRAY_SPAN = re.compile(r"\]\{[^}]*\}")
PLACEHOLDERS = ("areas",)


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """Return the site's Markdown parser (built once)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.inline.ruler.before("link", "span", _span_rule)
    md.core.ruler.push("placeholder", _placeholder_rule)
    md.add_render_rule("span_open", _render_span)
    md.add_render_rule("span_close", _render_span)
    md.add_render_rule("placeholder", _render_placeholder)
    md.add_render_rule("link_open", _render_link)
    return md


def render(tokens: list[Token], link_prefix: str, placeholders: dict[str, str]) -> str:
    """Render tokens to HTML; internal links get link_prefix, placeholders their HTML."""
    md = markdown()
    return md.renderer.render(tokens, md.options, {"link_prefix": link_prefix, "placeholders": placeholders})


def _render_span(self, tokens, idx, options, env) -> str:
    """Render a span only when it carries a language; a bare {keep} leaves no trace."""
    token = tokens[idx]
    if not token.meta.get("lang"):
        return ""
    return f'<span lang="{token.meta["lang"]}">' if token.nesting == 1 else "</span>"


def _render_placeholder(self, tokens, idx, options, env) -> str:
    """Render a placeholder as the HTML the page supplies for it."""
    return env["placeholders"][tokens[idx].meta["name"]] + "\n"


def _render_link(self, tokens, idx, options, env) -> str:
    """Render a link, pointing site paths at the page in the current language."""
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if href.startswith("/"):
        path, _, fragment = href[1:].partition("#")
        if path and not path.endswith("/"):
            path += "/"
        token = token.copy(attrs=dict(token.attrs))
        token.attrSet("href", env["link_prefix"] + path + (f"#{fragment}" if fragment else ""))
    return self.renderToken([token], 0, options, env)


def parse(text: str) -> list[Token]:
    """Parse Markdown into tokens."""
    return markdown().parse(text, {})


def _span_rule(state: StateInline, silent: bool) -> bool:
    """Parse `[text]{attrs}` into span_open, the inner inline tokens, span_close."""
    if state.src[state.pos] != "[":
        return False
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if label_end < 0:
        return False
    match = _ATTRS.match(state.src, label_end + 1, state.posMax)
    if not match:
        return False
    if not silent:
        words = match.group(1).split()
        lang = next((w[5:] for w in words if w.startswith("lang=")), None)
        meta = {"keep": "keep" in words, "lang": lang}
        opening = state.push("span_open", "span", 1)
        opening.meta = meta
        if lang:
            opening.attrSet("lang", lang)
        start, end = state.pos, state.posMax
        state.pos, state.posMax = start + 1, label_end
        state.md.inline.tokenize(state)
        state.pos, state.posMax = start, end
        state.push("span_close", "span", -1).meta = meta
    state.pos = match.end()
    return True


def _placeholder_rule(state: StateCore) -> None:
    """Replace each paragraph that is exactly `[[name]]` by one placeholder token."""
    tokens = state.tokens
    i = 0
    while i + 2 < len(tokens):
        opening, inline = tokens[i], tokens[i + 1]
        match = _PLACEHOLDER.match(inline.content.strip()) if opening.type == "paragraph_open" else None
        if match:
            token = Token("placeholder", "", 0, map=opening.map, meta={"name": match.group(1)}, block=True)
            tokens[i:i + 3] = [token]
        i += 1


def check_tokens(tokens: list[Token], source: str, pages: set[str], placeholders: tuple[str, ...],
                 first_line: int = 1) -> list[ContentError]:
    """Return the mistakes in one parsed body: headings, images, links, placeholders, spans."""
    errors = []
    for token in tokens:
        line = token.map[0] + first_line if token.map else None
        if token.type == "heading_open" and token.tag == "h1":
            errors.append(ContentError(source, line, "a '# ' heading makes a second page title",
                                       "use '## ' for headings; the title comes from the YAML file"))
        elif token.type == "placeholder" and token.meta["name"] not in placeholders:
            allowed = ", ".join(f"[[{p}]]" for p in placeholders) or "none"
            errors.append(ContentError(source, line, f"unknown placeholder [[{token.meta['name']}]]",
                                       f"placeholders allowed on this page: {allowed}"))
        elif token.type == "inline":
            errors.extend(_check_inline(token, source, line or 1, pages))
    return errors


def _check_inline(inline: Token, source: str, first_line: int, pages: set[str]) -> list[ContentError]:
    """Check the links, images and spans inside one paragraph or heading."""
    errors = []
    line = first_line
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "image":
            errors.append(ContentError(source, line, "images are not written in the text",
                                       "add photos to the page's YAML file under 'photos:'"))
        elif child.type == "link_open":
            problem = link_problem(str(child.attrGet("href") or ""), pages)
            if problem:
                errors.append(ContentError(source, line, problem, "link to a page as /areas/<slug>/, /annex/ or / (the home page)"))
        elif child.type == "text" and _STRAY_SPAN.search(child.content):
            errors.append(ContentError(source, line, f"'{_STRAY_SPAN.search(child.content).group(0)}' is not a known marking",
                                       "use [text]{lang=en} or [text]{keep}"))
    return errors


def link_problem(href: str, pages: set[str]) -> str:
    """Say what is wrong with a link target, or return ''."""
    if not href:
        return "this link has no valid address (javascript: and data: links are not allowed)"
    if href.startswith(("http://", "https://", "mailto:", "#")):
        return ""
    if not href.startswith("/"):
        return f"link '{href}' must start with / (a page of this site) or https://"
    path = href.split("#", 1)[0].lstrip("/")
    if path not in pages and path + "/" not in pages:
        return f"link '{href}' goes to a page that does not exist"
    return ""
