"""Markdown: the parser with only the rules this site's texts use, and the checks run on its tokens.

The syntax, and nothing else: paragraphs, `## ` headings, lists, links, *emphasis*, **strong**, `code`, plus
`[text]{lang=en}` (a language), `[text]{keep}` (not converted), a paragraph that is only `[[areas]]` (where the list
of areas goes) and links like `/areas/<slug>/` (that page in the reader's language). Raw HTML is off, so a text
cannot inject markup; images are refused (photos go in YAML).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .errors import ContentError

_ATTRS = re.compile(r"\{(\s*(?:keep|lang=[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,3})(?:\s+(?:keep|lang=[a-zA-Z]{2,3}"
                    r"(?:-[a-zA-Z0-9]{2,8}){0,3})){0,2})\s*\}")
_PLACEHOLDER = re.compile(r"\[\[([a-z-]{1,40})\]\]\Z")
_REFERENCE = re.compile(r"\[[^\]\n]{1,200}\]:[ \t]*\S")
PLACEHOLDERS = ("areas",)  # the placeholders the home page may hold
PLACEHOLDER_MARK = "\x00"  # cannot occur in a text: decoding refuses NUL
BLOCK_RULES = ["list", "heading", "paragraph"]
INLINE_RULES = ["text", "newline", "escape", "backticks", "emphasis", "link", "image", "autolink", "entity"]
SAFE_SCHEMES = ("http://", "https://", "mailto:")
LINK_HINT = "link to a page as /areas/<slug>/, /annex/ or / (the home page), or to https://..."


@cache
def markdown() -> MarkdownIt:
    """Return the site's Markdown parser, made on first use (it holds no content)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.block.ruler.enableOnly(BLOCK_RULES)
    md.inline.ruler.enableOnly(INLINE_RULES)
    md.validateLink = lambda url: True  # every link is made, then checked: a bad one is an error, not text
    md.inline.ruler.before("link", "span", _span_rule)
    md.core.ruler.push("placeholder", _placeholder_rule)
    md.add_render_rule("span_open", _render_span)
    md.add_render_rule("span_close", _render_span)
    md.add_render_rule("placeholder", _render_placeholder)
    md.add_render_rule("link_open", _render_link)
    return md


def parse(text: str) -> list[Token]:
    """Parse Markdown into tokens."""
    return markdown().parse(text, {})


def render(tokens: list[Token], links: tuple) -> tuple[str, ...]:
    """Render tokens to HTML parts: HTML strings, and between them the names of placeholders."""
    md = markdown()
    return tuple(md.renderer.render(tokens, md.options, {"links": links}).split(PLACEHOLDER_MARK))


@dataclass(frozen=True)
class TextRun:
    """A piece of text in a Markdown text: where it sits, and whether a {keep} span holds it."""

    inline: int
    child: int
    text: str
    kept: bool
    line: int


def text_runs(tokens: list[Token], first_line: int = 1):
    """Yield every text piece of the tokens, in order, marking those inside [..]{keep} spans."""
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        line = first_line + (token.map[0] if token.map else 0)
        keep = 0
        for j, child in enumerate(token.children or ()):
            if child.type in ("span_open", "span_close") and child.meta.get("keep"):
                keep += 1 if child.type == "span_open" else -1
            elif child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "text":
                yield TextRun(i, j, child.content, keep > 0, line)


def _render_span(self, tokens, idx, options, env) -> str:
    """Render a span only when it carries a language; a bare {keep} leaves no trace."""
    token = tokens[idx]
    if not token.meta.get("lang"):
        return ""
    return f'<span lang="{token.meta["lang"]}">' if token.nesting == 1 else "</span>"


def _render_placeholder(self, tokens, idx, options, env) -> str:
    """Render a placeholder as a mark the page replaces with its content."""
    return f"{PLACEHOLDER_MARK}{tokens[idx].meta['name']}{PLACEHOLDER_MARK}"


def _render_link(self, tokens, idx, options, env) -> str:
    """Render a link, pointing site paths at the page in the current language."""
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    token = token.copy(attrs=dict(token.attrs))
    if internal(href):
        path, _, fragment = href[1:].partition("#")
        if path and not path.endswith("/"):
            path += "/"
        links, code = env["links"]  # the site's Links, and the language of the page the text is rendered for
        token.attrSet("href", links.url(path, code) + (f"#{fragment}" if fragment else ""))
    elif not href.startswith((*SAFE_SCHEMES, "#")):
        token.attrSet("href", "#")  # never reached: the check refuses such links before rendering
    return self.renderToken([token], 0, options, env)


def internal(href: str) -> bool:
    """Say whether a link goes to a page of this site (/areas/x/), not to another host (//host)."""
    return href.startswith("/") and not href.startswith("//")


def _span_rule(state: StateInline, silent: bool) -> bool:
    """Parse `[text]{attrs}` into span_open, the inner inline tokens, span_close."""
    if state.src[state.pos] != "[" or _next_span_end(state) < 0:
        return False
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if label_end < 0 or state.src[label_end + 1:label_end + 2] != "{":
        return False
    match = _ATTRS.match(state.src, label_end + 1, min(state.posMax, label_end + 120))
    if not match:
        return False
    if not silent:
        words = match.group(1).split()
        meta = {"keep": "keep" in words, "lang": next((w[5:] for w in words if w.startswith("lang=")), None)}
        state.push("span_open", "span", 1).meta = meta
        start, end = state.pos, state.posMax
        state.pos, state.posMax = start + 1, label_end
        state.md.inline.tokenize(state)
        state.pos, state.posMax = start, end
        state.push("span_close", "span", -1).meta = meta
    state.pos = match.end()
    return True


def _next_span_end(state: StateInline) -> int:
    """Return where the next ']{' after the current position is, or -1; found once per text, not per '['."""
    found = state.env.get("next_span_end")
    if found is None or found[0] != state.src or 0 <= found[1] < state.pos:
        found = (state.src, state.src.find("]{", state.pos))
        state.env["next_span_end"] = found
    return found[1]


def _placeholder_rule(state: StateCore) -> None:
    """Replace each paragraph that is exactly `[[name]]` by one placeholder token."""
    tokens, out, i = state.tokens, [], 0
    while i < len(tokens):
        token = tokens[i]
        inline = tokens[i + 1] if i + 1 < len(tokens) else None
        match = _PLACEHOLDER.match(inline.content.strip()) if token.type == "paragraph_open" and inline else None
        if match:  # the paragraph's three tokens become one
            token = Token("placeholder", "", 0, map=token.map, meta={"name": match.group(1)}, block=True)
        out.append(token)
        i += 3 if match else 1
    state.tokens = out


def check_tokens(tokens: list[Token], path: str, pages: frozenset[str], placeholders: tuple[str, ...],
                 first_line: int = 1) -> list[ContentError]:
    """Return the mistakes in one parsed text: headings, images, links, placeholders, spans."""
    errors, seen = [], set()
    deepest = markdown().options.maxNesting - 1  # where the parser stops, dropping what is nested deeper
    for token in tokens:
        line = token.map[0] + first_line if token.map else None
        if token.level >= deepest and token.nesting == 1:
            errors.append(ContentError(path, line, "lists nested this deep are not part of the texts' syntax",
                                       "use at most nine levels of lists inside each other"))
            break
        if token.type == "placeholder" and token.meta["name"] in seen:  # seen holds only allowed placeholders
            errors.append(ContentError(path, line, f"[[{token.meta['name']}]] appears a second time",
                                       "a placeholder marks one place on the page: keep only one"))
        elif token.type == "placeholder" and token.meta["name"] in placeholders:
            seen.add(token.meta["name"])
        elif token.type == "heading_open" and token.tag == "h1":
            errors.append(ContentError(path, line, "a '# ' heading makes a second page title",
                                       "use '## ' for headings; the title comes from the YAML file"))
        elif token.type == "placeholder":  # one the page does not allow
            allowed = ", ".join(f"[[{p}]]" for p in placeholders) or "none"
            errors.append(ContentError(path, line, f"unknown placeholder [[{token.meta['name']}]]",
                                       f"placeholders allowed on this page: {allowed}"))
        elif token.type == "inline" and _REFERENCE.match(token.content):
            errors.append(ContentError(path, line, "reference-style links ([text][name] and [name]: address) "
                                       "are not part of the texts' syntax", "write the link as [text](address)"))
        elif token.type == "inline":
            errors.extend(_check_inline(token, path, line or 1, pages))
    return errors


def _check_inline(inline: Token, path: str, line: int, pages: frozenset[str]) -> list[ContentError]:
    """Check the links, images and spans inside one paragraph or heading, whose first line is line."""
    errors = []
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "image":
            errors.append(ContentError(path, line, "images are not written in the text",
                                       "add photos to the page's YAML file under 'photos:'"))
        elif child.type == "link_open":
            problem = link_problem(str(child.attrGet("href") or ""), pages)
            if problem:
                errors.append(ContentError(path, line, problem, LINK_HINT))
        elif child.type == "text" and "]{" in child.content:  # the marking after the first ']{', shortened
            start = child.content.index("]{")
            end = child.content.find("}", start, start + 40)
            stray = child.content[start:end + 1] if end > 0 else child.content[start:start + 20] + "..."
            errors.append(ContentError(path, line, f"'{stray}' is not a known marking",
                                       "use [text]{lang=en} or [text]{keep}"))
    return errors


def link_problem(href: str, pages: frozenset[str]) -> str:
    """Say what is wrong with a link target, or return ''."""
    written = unquote(href)  # as the editor typed it: markdown-it percent-encodes the address
    shown = written if len(written) <= 80 else written[:77] + "..."
    if not href:
        return "this link has no address"
    if href.strip().lower().startswith(("javascript:", "data:", "vbscript:", "file:")):
        return f"link '{shown}' is not allowed: links may go to pages of this site, https://, http:// or mailto:"
    if href.startswith(SAFE_SCHEMES) or href.startswith("#"):
        return ""
    if not internal(href) or "\\" in href or "?" in href:
        return f"link '{shown}' must start with / (a page of this site), https://, http:// or mailto:"
    path = href.split("#", 1)[0].lstrip("/")
    if path not in pages and path + "/" not in pages:
        return f"link '{shown}' goes to a page that does not exist"
    return ""
