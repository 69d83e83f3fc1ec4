"""Reading the project's input folders: one snapshot of every file's bytes, checked at the boundary.

Nothing after this module reads a project file, except the editing commands (edits.py). A file must be a
regular file inside its folder (a link may point only inside the same folder) and is read at most up to its
folder's size limit; one that cannot be used keeps the reason, so the build can name it when it is needed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

FOLDERS = ("content", "templates", "static")
# The largest file each folder may hold. A page's text is a few kilobytes: 150 KB is a long book chapter.
LIMITS = {"content": 150_000, "templates": 150_000, "static": 50_000_000}
_EDITOR_LEFTOVERS = ("~", ".swp", ".swx", ".swo", ".tmp", ".kate-swp")


@dataclass(frozen=True)
class Unreadable:
    """Why a file (or a folder) of the project cannot be used."""

    message: str
    hint: str = ""
    folder: bool = False


class Tree:
    """The bytes of every file under content/, templates/ and static/, by path like content/site.yaml."""

    def __init__(self, root: Path, files: dict, folders: set):
        self.root = root
        self.files = files
        self.folders = frozenset(folders)
        self._children: dict[str, list[str]] = {}
        for rel in sorted((*files, *folders)):  # sorted paths give each folder its names in order
            parent, _, name = rel.rpartition("/")
            self._children.setdefault(parent, []).append(name)

    def get(self, rel: str):
        """Return a file's bytes, an Unreadable, or None if there is no such file."""
        if rel in self.folders:
            return Unreadable("this is a folder, not a file", "a file of this name is needed here")
        return self.files.get(rel)

    def listing(self, folder: str) -> tuple[str, ...]:
        """Return the names of the files and folders directly inside a folder, sorted."""
        return tuple(self._children.get(folder.rstrip("/"), ()))

    def under(self, folder: str) -> list[str]:
        """Return the path of every file below a folder, sorted (a folder that could not be read is not
        one of them: problems() reports it)."""
        found = []
        for name in self.listing(folder):
            rel = f"{folder.rstrip('/')}/{name}"
            if rel in self.folders:
                found.extend(self.under(rel))
            elif not self.unreadable_folder(rel):
                found.append(rel)
        return found

    def unreadable_folder(self, rel: str) -> bool:
        """Say whether rel is a folder that could not be read (problems() names it)."""
        return isinstance(self.files.get(rel), Unreadable) and self.files[rel].folder


def read_tree(root: Path) -> Tree:
    """Read every input file of the project at root."""
    files, folders = {}, set()
    for top in FOLDERS:
        _scan(root, top, files, folders)
    return Tree(root, files, folders)


def problems(tree: Tree) -> list[tuple[str, Unreadable]]:
    """Return the input folders that are missing or could not be read: nothing in them can be used."""
    found = [(f"{top}/", Unreadable("this folder is missing", f"restore {top}/ from the project", True))
             for top in FOLDERS if top not in tree.folders and top not in tree.files]
    found += [(f"{rel}/", data) for rel, data in tree.files.items() if tree.unreadable_folder(rel)]
    return found


def updated(tree: Tree, changed: set[str]) -> Tree:
    """Return the snapshot with the given absolute paths read again (files, folders or deletions)."""
    files, folders = dict(tree.files), set(tree.folders)
    for rel in sorted(_relative(tree.root, path) for path in changed):
        if rel is None:
            continue
        files = {f: data for f, data in files.items() if not (f == rel or f.startswith(rel + "/"))}
        folders -= {d for d in folders if d == rel or d.startswith(rel + "/")}
        if not is_hidden(rel):
            _scan(tree.root, rel, files, folders)
    return Tree(tree.root, files, folders)


def _relative(root: Path, path: str) -> str | None:
    """Return a changed path relative to root, if it lies in one of the input folders."""
    rel = Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else ""
    return rel if rel.split("/", 1)[0] in FOLDERS else None


def is_hidden(rel: str) -> bool:
    """Say whether any part of a path (like content/.x/a.md) is hidden or an editor's temporary file, never content."""
    return any(part.startswith((".", "#")) or part.endswith(_EDITOR_LEFTOVERS) for part in rel.split("/"))


def _scan(root: Path, rel: str, files: dict, folders: set) -> None:
    """Add a file, or a folder and everything below it, to the snapshot."""
    path = root / rel
    try:
        info = os.lstat(path)
    except OSError:
        return
    if stat.S_ISDIR(info.st_mode):
        try:
            names = sorted(os.listdir(path))
        except OSError as err:
            files[rel] = Unreadable(f"this folder cannot be read ({err.strerror})", "check its permissions", True)
            return
        folders.add(rel)
        for name in names:
            if not is_hidden(name):
                _scan(root, f"{rel}/{name}", files, folders)
    else:
        files[rel] = _read(root, rel, info)


def _read(root: Path, rel: str, info: os.stat_result):
    """Return a file's bytes after checking what it is, where it leads and how big it is."""
    top = rel.split("/", 1)[0]
    if not rel.isprintable() or "\ufffd" in rel:  # undecodable bytes become unprintable surrogates
        return Unreadable("this file's name is not valid text", "rename it using letters, digits and hyphens")
    path = root / rel
    if stat.S_ISLNK(info.st_mode):
        if rel == top or not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root / top)):
            what = "folder" if os.path.isdir(path) else "file"
            return Unreadable(f"this is a link to a {what} outside {top}/" if rel != top else
                              "this is a link to a folder elsewhere", "copy it into the project instead",
                              what == "folder")
        try:
            info = os.stat(path)
        except OSError:
            return Unreadable("this link points to nothing", "delete it, or point it at an existing file")
        if stat.S_ISDIR(info.st_mode):
            return Unreadable("this is a link to a folder", "links to folders are not followed: move the folder here", True)
    if not stat.S_ISREG(info.st_mode):
        return Unreadable("this is not an ordinary file", "delete it: only files and folders belong here")
    limit = LIMITS[top]
    if info.st_size > limit:
        return Unreadable(f"file is {info.st_size:,} bytes; the limit is {limit:,}",
                          "split the text into smaller pages" if rel.endswith(".md") else "make the file smaller")
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as err:
        return Unreadable(f"this file cannot be read ({err.strerror})", "check its permissions")
    if len(data) > limit:
        return Unreadable(f"file is over {limit:,} bytes", "make the file smaller")
    return data
