"""The build: gather and validate everything, render it, then write it in one swap."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from . import markup
from .content import load_site, normalise_base_url
from .convert import Converter, convert_site, convert_tokens
from .errors import ContentError, ErrorList
from .model import Site
from .pages import render_site
from .render import Templates
from .urls import Links


def build_site(root: Path, base_url: str | None = None) -> dict[str, bytes]:
    """Build the whole site in memory as {path: bytes}; raise ContentErrors on any mistake."""
    errors = ErrorList()
    site = load_site(root, errors)
    docs = parse_bodies(site, errors)
    errors.raise_if_any()
    convert = Converter(site.phrases).convert
    site = convert_site(site, convert)
    docs = convert_bodies(site, docs, convert)
    links = Links(site, normalise_base_url(base_url or site.base_url))
    templates = Templates(root / "templates", root)
    static = {rel: (root / "static" / rel).read_bytes() for rel, _ in site.assets}
    try:
        return render_site(site, docs, templates, links, static)
    except ContentError as err:
        errors = ErrorList()
        errors.extend([err])
        errors.raise_if_any()
        raise  # unreachable: raise_if_any always raises here


def parse_bodies(site: Site, errors: ErrorList) -> dict:
    """Parse every Markdown body once and check it; return {(key, lang): tokens}."""
    keys = site.page_keys
    docs = {}
    for page in site.pages:
        allowed = markup.PLACEHOLDERS if page.kind == "home" else ()
        for body in page.bodies:
            tokens = markup.parse(body.text)
            errors.extend(markup.check_tokens(tokens, body.source, keys, allowed))
            docs[page.key, body.lang] = tokens
    return docs


def convert_bodies(site: Site, docs: dict, convert) -> dict:
    """Add the converted-language tokens of every page that has no hand-written text."""
    docs = dict(docs)
    for page in site.pages:
        for lang in site.languages:
            source = (page.key, lang.convert_from)
            if lang.convert_from and (page.key, lang.code) not in docs and source in docs:
                docs[page.key, lang.code] = convert_tokens(docs[source], convert)
    return docs


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write the site to a fresh folder beside out, then swap it into place."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel in sorted(files):
            target = fresh / rel
            if not target.resolve().is_relative_to(fresh):
                raise ValueError(f"refusing to write outside the output folder: {rel}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[rel])
        _swap(fresh, out)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def _swap(fresh: Path, out: Path) -> None:
    """Put fresh where out is, moving the old folder aside first and deleting it after."""
    os.chmod(fresh, 0o755)
    if not out.exists():
        os.rename(fresh, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, old / out.name)
    os.rename(fresh, out)
    shutil.rmtree(old, ignore_errors=True)
