"""Changes that commands make to content files: a new area's files and its line in site.yaml, a file replaced whole.

Each change is computed first and refused before anything is touched when it cannot be made; a file is
replaced whole (written beside, then renamed), keeping its byte-order mark and line ends.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .documents import decode, parse_yaml
from .errors import ContentError, ContentErrors, gathered
from .model import Settings
from .settings import MAX_SLUG, SITE_YAML, is_slug, read_settings


AREA_YAML = """slug: {slug}
order: {order}
title:
{titles}summary:
{summaries}# photos:
#   - file: photos/example.jpg
#     alt:
{alts}"""
AREA_TEXT = "---\ntext: {provenance}\n---\nWrite the text here. Separate paragraphs with a blank line.\n"


def area_files(slug: str, order: int, written: tuple[str, ...], first: str) -> dict[str, str]:
    """Return the files of a new area, with a placeholder for each language editors write.

    The text in `first` (the default language) is marked as the published text, the others as its translations."""
    lines = "".join(f'  {code}: "New area: {slug}"\n' for code in written)
    summaries = "".join(f"  {code}: One sentence that says what this area covers.\n" for code in written)
    alts = "".join(f"#       {code}: What the photo shows\n" for code in written)
    files = {"area.yaml": AREA_YAML.format(slug=slug, order=order, titles=lines, summaries=summaries, alts=alts)}
    for code in written:
        files[f"{code}.md"] = AREA_TEXT.format(provenance="official" if code == first else f"translation from {first}")
    return files


def with_area(root: Path, slug: str) -> tuple[str, Settings]:
    """Return site.yaml's text with the slug added to its areas (every other line kept), and its settings now."""
    if not is_slug(slug):
        raise ContentError(SITE_YAML, None, f"cannot create area '{slug}': a slug is lower-case letters and digits "
                           f"joined by hyphens, like youth-development, at most {MAX_SLUG} characters")
    if (root / "content" / "areas" / slug).exists():
        raise ContentError(SITE_YAML, None, f"cannot create area '{slug}': content/areas/{slug}/ already exists")
    text = decode(SITE_YAML, read_site_yaml(root / SITE_YAML))
    before = parse_yaml(SITE_YAML, text)  # the project's own rules first: a broken file is named, never rewritten
    settings, problems = gathered(read_settings, text.encode("utf-8"))
    if problems:
        raise ContentErrors(list(problems), {SITE_YAML: text.encode("utf-8")})
    listed = list(settings.areas)
    if slug in listed:
        raise ContentError(SITE_YAML, before.line("areas"), f"cannot create area '{slug}': it is already listed")
    candidate = _added(text, slug)
    wanted = {**before.data, "areas": [*listed, slug]}
    try:
        if candidate is not None and parse_yaml(SITE_YAML, candidate).data == wanted:
            return candidate, settings
    except ContentError:
        pass
    raise ContentError(SITE_YAML, before.line("areas"), "cannot add the area to this file's list safely",
                       f"add '- {slug}' to the end of 'areas' by hand")


def _added(text: str, slug: str) -> str | None:
    """Return text with the slug added at the end of the 'areas' list, changing nothing else, or None.

    A block list gets a line like its last item; a [..] list gets ', slug' before its ']'."""
    import yaml

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    node = next((value for key, value in root.value if key.value == "areas"), None) if root else None
    if not isinstance(node, yaml.SequenceNode):
        return None
    if node.flow_style:
        end = node.end_mark.index - 1  # the index of its ']'
        return text[:end] + (", " if node.value else "") + slug + text[end:]
    if not node.value:
        return None
    last = node.value[-1]
    lines = text.split("\n")
    item = lines[last.start_mark.line]
    dash = item.rfind("-", 0, last.start_mark.column)
    lines.insert(last.end_mark.line + 1, item[:dash] + f"- {slug}")
    return "\n".join(lines)


def read_site_yaml(path: Path, quiet: bool = False) -> bytes | None:
    """Read site.yaml before the command changes it, or raise ContentError naming it (quiet: return None)."""
    try:
        return path.read_bytes()
    except OSError as err:
        if quiet:
            return None
        raise ContentError(SITE_YAML, None, f"cannot read the file ({err.strerror})") from None


def replace_text(path: Path, change, create: bool = False) -> None:
    """Replace a text file with change(its text), keeping its byte-order mark and line ends, in one step."""
    raw = path.read_bytes() if not create or path.exists() else b""
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    newline = "\r\n" if b"\r\n" in raw else "\r" if b"\r" in raw else "\n"
    text = raw[len(bom):].decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    data = bom + change(text).replace("\n", newline).encode("utf-8")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(temp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
