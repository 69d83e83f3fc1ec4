"""Changes a test makes to a project, as an editor (or an editor's tools, or an accident) would make them.

Each maker returns a function of the project folder, so a table of cases can name its input in one line.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import stat
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[2]
PNG = (REPO / "tests/data/meeting.png").read_bytes()  # 64 x 48 pixels


def edit(project: Path, rel: str, old: str, new: str) -> None:
    """Replace text in one project file, failing loudly if the text is not there."""
    sub(rel, old, new)(project)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under folder with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sub(rel: str, old: str, new: str) -> Callable:
    """Replace the first occurrence of old in a project text file."""
    def apply(project: Path) -> None:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def block(rel: str, pattern: str, new: str) -> Callable:
    """Replace the first match of a multi-line regular expression in a project text file."""
    def apply(project: Path) -> None:
        path = project / rel
        text = path.read_text(encoding="utf-8")
        changed, count = re.subn(pattern, lambda _: new, text, count=1, flags=re.M)
        assert count == 1, f"{pattern!r} not in {rel}"
        path.write_text(changed, encoding="utf-8")
    return apply


def append(rel: str, text: str) -> Callable:
    """Add text at the end of a project text file, after a blank line."""
    def apply(project: Path) -> None:
        path = project / rel
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text, encoding="utf-8")
    return apply


def put(rel: str, data) -> Callable:
    """Write a file (bytes, or text as UTF-8), making its folder."""
    def apply(project: Path) -> None:
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return apply


def transform(rel: str, change: Callable[[bytes], bytes]) -> Callable:
    """Replace a file's bytes by change(its bytes)."""
    def apply(project: Path) -> None:
        path = project / rel
        path.write_bytes(change(path.read_bytes()))
    return apply


def remove(rel: str) -> Callable:
    """Delete a file or a folder."""
    def apply(project: Path) -> None:
        path = project / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    return apply


def folder_for(rel: str) -> Callable:
    """Put a folder (holding one file) where a file belongs."""
    def apply(project: Path) -> None:
        path = project / rel
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        path.mkdir(parents=True)
        (path / "inside.txt").write_text("x")
    return apply


def file_for(rel: str) -> Callable:
    """Put a file where a folder belongs."""
    def apply(project: Path) -> None:
        path = project / rel
        if path.is_dir():
            shutil.rmtree(path)
        path.write_text("not a folder\n")
    return apply


def fifo(rel: str) -> Callable:
    """Make a named pipe (reading it would block forever)."""
    return lambda project: os.mkfifo(project / rel)


def unix_socket(rel: str) -> Callable:
    """Make a Unix socket file."""
    def apply(project: Path) -> None:
        try:
            os.mknod(project / rel, stat.S_IFSOCK | 0o644)
        except OSError:
            here = os.getcwd()
            os.chdir((project / rel).parent)
            try:
                with socket.socket(socket.AF_UNIX) as sock:
                    sock.bind((project / rel).name)
            finally:
                os.chdir(here)
    return apply


def link(rel: str, target: str) -> Callable:
    """Make a symbolic link (target as written, relative or absolute)."""
    return lambda project: os.symlink(target, project / rel)


def sparse(rel: str, size: int) -> Callable:
    """Make a file of `size` bytes that takes no disk space (a sparse file)."""
    def apply(project: Path) -> None:
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            f.truncate(size)
    return apply


def bad_name(folder: str, name: bytes, data: bytes = b"x") -> Callable:
    """Make a file whose name is not valid UTF-8, through a bytes path."""
    def apply(project: Path) -> None:
        fd = os.open(os.fsencode(project / folder) + b"/" + name, os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, data)
        os.close(fd)
    return apply


def chmod(rel: str, mode: int) -> Callable:
    """Change a file's or folder's permissions (the project fixture restores them)."""
    return lambda project: os.chmod(project / rel, mode)


def chain(*steps: Callable) -> Callable:
    """Apply several setups in order."""
    def apply(project: Path) -> None:
        for step in steps:
            step(project)
    return apply


def truncated_png() -> bytes:
    """A PNG cut off inside its header."""
    return PNG[:20]


def png_of_size(width: int, height: int) -> bytes:
    """A PNG header claiming a size (the rest of the file is the real image's)."""
    return PNG[:16] + width.to_bytes(4, "big") + height.to_bytes(4, "big") + PNG[24:]


def text_of_size(size: int) -> str:
    """An English text (front matter and paragraphs) of exactly size bytes."""
    front = "---\ntext: official\n---\n"
    paragraphs = "Words and more words.\n\n" * (size // 20)
    return front + paragraphs[:size - len(front) - 1] + "\n"


def nested(depth: int) -> str:
    """A YAML value nested depth levels deep."""
    return "[" * depth + "]" * depth


def padded(text: str, size: int, comment: str = "#") -> str:
    """Return text padded with comment lines to exactly size bytes (UTF-8)."""
    room = size - len(text.encode())
    line = comment + " " + "x" * 98 + "\n"
    pad = line * (room // len(line))
    rest = room - len(pad)
    return text + pad + (comment + "x" * (rest - 2) + "\n" if rest >= 2 else " " * rest)


def grow(project: Path, count: int, model: str = "youth-development") -> list[str]:
    """Add copies of one area as the next areas, listed at the end of site.yaml; return their slugs."""
    source = project / "content/areas" / model
    site_yaml = project / "content/site.yaml"
    text = (source / "area.yaml").read_text(encoding="utf-8")
    order = re.search(r"(?m)^order: (\d+)$", text)
    listed = len(re.findall(r"(?m)^  - [a-z0-9-]+$", site_yaml.read_text(encoding="utf-8").split("\nareas:", 1)[1]))
    slugs = []
    for i in range(count):
        slug = f"extra-area-{i:04d}"
        folder = project / "content/areas" / slug
        shutil.copytree(source, folder)
        changed = text.replace(f"slug: {model}", f"slug: {slug}").replace(order.group(0), f"order: {listed + 1 + i}")
        changed = re.sub(r'(?m)^(title:\n  en: ")[^"]*', rf"\g<1>Extra area {i}", changed)
        (folder / "area.yaml").write_text(changed, encoding="utf-8")
        slugs.append(slug)
    lines = "".join(f"  - {slug}\n" for slug in slugs)
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").rstrip("\n") + "\n" + lines, encoding="utf-8")
    return slugs
