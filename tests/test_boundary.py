"""Hostile and boundary input, every input kind against every command, each held to one contract.

The contract, for `build`, `serve`, `check`, `status`, `new area <slug>` and `mark-translated`:

- exit 0 with a correct result, or exit 1 (content error) / 2 (wrong usage) with a message that names the
  file (`path:line: message`, or `path: message`); each case states which;
- never "Traceback" in what the command prints; Ctrl-C during a build exits 130 quietly;
- `_site/` (built before every case) and every file outside the output folder byte-identical afterwards,
  unless changing them is the command's job: build replaces the output folder, `new area` adds
  content/areas/<slug>/ and one line of content/site.yaml, `mark-translated` rewrites the named translations
  (and the record beside each);
- done within 60 s: these cases only say "does not hang"; bench/pathological.py has the numbers.

Each case is one parametrized test whose id reads as a sentence. A failing case is a bug in the generator:
the assertion states the correct behaviour.

Every case starts from a copy of the fixture site (tests/fixture-site/), already built, and runs build; check and
status, which read and validate through the same code, are held to build's outcome on every case of files and
folders and on the first refusal and the first build of each other table (see agreeing()). How commands are run
(tests/support/commands.py): build.py's main() in the test process, for every case that needs no process;
in forked children for inputs that could block a reader (named pipes, 10 GB files: a child that hangs is
killed); as real processes for what needs one (file permissions under setpriv, Ctrl-C, memory, the dev
server), and for every case when BOUNDARY_REAL_PROCESSES=1 is set. The copies live in /dev/shm where it
exists (BOUNDARY_SCRATCH to choose another folder), as file-system time dominates on a slow disk.

Cases about file permissions run as root made subject to them (`setpriv --bounding-set=-dac_override,
-dac_read_search`), or directly when the tests do not run as root.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.commands import (REAL, REPO, TIMEOUT, Run, assert_names, assert_unchanged, differences, line_of,
                              load_build, names, no_traceback, path_line, run, run_together, snap, usage_exit, without)
from support.edits import (PNG, append, bad_name, block, chain, chmod, fifo, file_for, folder_for, grow, link, nested,
                           padded, png_of_size, put, remove, sparse, sub, text_of_size, transform, truncated_png,
                           unix_socket)
from microsite.urls import base_url_problem
from support.fixture import AREAS, Bench, copy_fixture

HYPOTHESIS = dict(deadline=None, derandomize=os.environ.get("CI") == "true",
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

SITE = "content/site.yaml"
AREA = "content/areas/youth-development"  # the fixture's third and last area
AREA_YAML = f"{AREA}/area.yaml"
EN = f"{AREA}/en.md"
ZH = f"{AREA}/zh-hant.md"
UI_EN = "content/ui/en.yaml"
UI_ZH = "content/ui/zh-hant.yaml"
PHRASES = "content/phrases.yaml"
HOME_YAML = "content/home/home.yaml"
HOME_EN = "content/home/en.md"
ANNEX_YAML = "content/annex/annex.yaml"
ANNEX_ZH = "content/annex/zh-hant.md"
BASE_URL = "base_url: https://jbcc.example.org/"
LIMIT = 150_000  # microsite/sources.py LIMITS["content"]
STATIC_LIMIT = 50_000_000  # LIMITS["static"]
ORDER = "order: 3"  # youth-development's


# --- Setting up inputs ---------------------------------------------------------------------------------


def photo(file: str) -> Callable:
    """Give the youth development area one photo, the file named as given (JSON-quoted YAML)."""
    return sub(AREA_YAML, "title:", f"photos:\n  - file: {json.dumps(file)}\n    alt:\n      en: A meeting\n"
                                    f"      zh-hant: 會議\ntitle:")


# --- Checks of a good result ----------------------------------------------------------------------------

def site_text(project: Path) -> str:
    """Return every HTML, XML and text file of the built site, joined."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted((project / "_site").rglob("*"))
                     if p.is_file() and p.suffix in (".html", ".xml", ".txt", ""))


def shows_escaped(raw: str, escaped: str) -> Callable:
    """Check the built pages hold the text escaped and never raw."""
    def verify(project: Path) -> None:
        text = site_text(project)
        assert raw not in text, f"{raw!r} reached a page unescaped"
        assert escaped in text, f"{escaped!r} is not on any page"
    return verify


def page_has(rel: str, *needles: str) -> Callable:
    """Check one built file holds each needle."""
    def verify(project: Path) -> None:
        text = (project / "_site" / rel).read_text(encoding="utf-8")
        for needle in needles:
            assert needle in text, f"{needle!r} not in _site/{rel}"
    return verify


def page_lacks(rel: str, *needles: str) -> Callable:
    """Check one built file holds none of the needles."""
    def verify(project: Path) -> None:
        text = (project / "_site" / rel).read_text(encoding="utf-8")
        for needle in needles:
            assert needle not in text, f"{needle!r} in _site/{rel}"
    return verify


def shallow(rel: str, text: str, depth: int = 100) -> Callable:
    """Check a built page holds text and no element nested deeper than depth (a browser's DOM stays small)."""
    from conftest import parse_html

    def deepest(element, level: int = 0) -> int:
        return max([level] + [deepest(child, level + 1) for child in element])

    def verify(project: Path) -> None:
        doc = parse_html(project / "_site" / rel)
        assert text in "".join(doc.find(".//main").itertext()), f"{text!r} not in the main text of _site/{rel}"
        assert deepest(doc) <= depth, f"_site/{rel} nests elements {deepest(doc)} deep"
    return verify


def published_as(project: Path, prefix: str, data: bytes) -> None:
    """Check one published file's path starts with prefix (a fingerprint follows) and holds the data."""
    found = [p for p in (project / "_site").rglob("*") if p.relative_to(project / "_site").as_posix().startswith(prefix)]
    assert len(found) == 1 and found[0].read_bytes() == data, found


def not_published(fragment: str) -> Callable:
    """Check no published file's path contains fragment."""
    def verify(project: Path) -> None:
        found = [p for p in (project / "_site").rglob("*") if fragment in p.as_posix()]
        assert not found, f"published: {found}"
    return verify


def no_active_markup(project: Path) -> None:
    """Check no page's <main> holds a script, iframe, style, event handler or script URL."""
    from conftest import parse_html

    for path in (project / "_site").rglob("*.html"):
        main = parse_html(path).find(".//main")
        if main is None:
            continue
        for element in main.iter():
            if element.tag == "img" and element.get("src", "").startswith("/static/photos/delegates."):
                continue  # the fixture's own photo
            assert element.tag not in ("script", "iframe", "style", "svg", "img", "object", "embed"), (path, element.tag)
            assert not any(name.lower().startswith("on") for name in element.attrib), (path, element.attrib)
            href = (element.get("href") or element.get("src") or "").strip().lower()
            assert not href.startswith(("javascript:", "data:", "vbscript:")), (path, href)


# --- Fixtures ---------------------------------------------------------------------------------------------

def fresh_folder(scratch: Path, name: str) -> Path:
    """Return a new empty folder under scratch."""
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=scratch))


@pytest.fixture(scope="session")
def bench(scratch) -> Bench:
    """The fixture site, copied and built once: every case starts from a copy of it, `_site/` included."""
    return Bench(fresh_folder(scratch, "boundary"), copy_fixture, built=True)


@pytest.fixture(scope="session")
def pristine(bench) -> Path:
    """The built fixture site every case starts from (read only)."""
    return bench.kept / "project"


@pytest.fixture
def project(bench) -> Path:
    """A private copy of the built project, and an empty working folder beside it for commands to run in."""
    copy = bench.fresh()
    (copy.parent / "cwd").mkdir()
    yield copy
    bench.clean()


def cwd_of(project: Path) -> Path:
    """The working folder commands run in: empty, beside the project."""
    return project.parent / "cwd"


# --- The case runner ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Expect:
    """What the build must do with an input: its exit status, the file (and line) a failure names, and its words."""

    code: int = 1
    blame: str | tuple | None = None
    line: int | str | None = None  # a line number, or a text whose (first) line the message must name
    says: str | tuple | None = None  # words the message must hold (each of several)
    hint: str | None = None  # words of the hint printed under the message
    verify: Callable | None = None  # checks of the built site when the build succeeds
    not_blamed: str | None = None  # a file the message must not blame (it is right; another file is wrong)
    unprivileged: bool = False  # run as a user that file permissions apply to
    status: int | None = None  # status's exit status where it differs from build's (status renders no page)
    agree: bool = False  # also run check and status, and hold them to build's outcome (see agreeing())
    within: float | None = None  # seconds each command may take at most (an input refused "at once"); such an
    # input could block a reader, so its commands run in forked children that are killed if they hang


def case(sentence: str, setup: Callable, expect: Expect, marks=()):
    """One parametrized case, its id the sentence with underscores."""
    return pytest.param(setup, expect, id=sentence.replace(" ", "_"), marks=marks)


def agreeing(cases: list, every: bool = False) -> list:
    """Mark the cases whose check and status runs are held to build's outcome: every case of the table of files
    and folders (in-process, cheap), else the first refusal and the first build of the table (for permissions,
    where each command is a process of its own).

    check reads, validates and renders through the same prepare() and site_files() as build, and status through the
    same prepare(): running them on every input would assert the same agreement hundreds of times over."""
    marked, seen = [], set()
    for param in cases:
        setup, expect = param.values
        kind = expect.code == 0
        if every or kind not in seen or expect.status is not None:
            seen.add(kind)
            param = pytest.param(setup, dataclasses.replace(expect, agree=True), id=param.id, marks=param.marks)
        marked.append(param)
    return marked


def run_commands(project: Path, expect: Expect) -> dict[str, Run]:
    """Run build (and check and status, if the case asks) on the project: in this process, or each in a process of
    its own if the case needs one (file permissions, an input that could block)."""
    names = ("build", "check", "status") if expect.agree or REAL else ("build",)
    commands = [(c, "--root", project) for c in names]
    if expect.unprivileged or expect.within is not None or REAL:
        results = run_together(commands, cwd_of(project), expect.unprivileged)
    else:
        results = [run(*args, cwd=cwd_of(project)) for args in commands]
    return dict(zip(names, results))


def exercise(project: Path, setup: Callable, expect: Expect) -> None:
    """Apply the input, then hold build, check and status to the contract."""
    setup(project)
    line = expect.line
    if isinstance(line, str):
        blame = expect.blame if isinstance(expect.blame, str) else expect.blame[0]
        line = line_of(project, blame, line)
    base = project.parent
    before = snap(base)
    results = run_commands(project, expect)
    after = snap(base)
    built = results["build"]
    for result in results.values():
        no_traceback(result)
        assert expect.within is None or result.seconds <= expect.within, \
            f"took {result.seconds:.1f} s, more than {expect.within} s\n{result}"
    assert built.code == expect.code, f"expected exit {expect.code}{f' (an error naming {expect.blame})' if expect.blame else ''}" \
                                      f"\n{built}"
    others = [results[name] for name in ("check", "status") if name in results]
    if others:
        check, status = others
        assert check.code == built.code, f"check and build disagree: check exit {check.code}, build exit {built.code}\n" \
                                         f"{check}\n{built}"
        wanted_status = built.code if expect.status is None else expect.status
        assert status.code == wanted_status, f"expected status to exit {wanted_status}\n{status}"
    blamed = expect.blame or ("content/*", "templates/*", "static/*")
    if built.code == 0:
        assert_unchanged(without(before, "project/_site"), without(after, "project/_site"), built,
                         "build (or check or status) changed files outside the output folder:")
        assert (project / "_site/.jbcc-microsite").is_file()
        if expect.verify:
            expect.verify(project)
        return
    assert_unchanged(before, after, built, "a failed build (and check and status) changed files (the old _site/ must stay):")
    for result in [built] + [other for other in others if other.code == 1]:
        assert_names(result, blamed, line)
    for words in (expect.says,) if isinstance(expect.says, str) else expect.says or ():
        assert words in built.err, f"{words!r} not in the message\n{built}"
    if expect.hint:
        assert f"hint: {expect.hint}" in built.err, f"the hint {expect.hint!r} is not given\n{built}"
    if expect.not_blamed:
        assert not names(built.err, expect.not_blamed), f"{expect.not_blamed} is blamed for another file's mistake\n{built}"


# --- content/site.yaml ---------------------------------------------------------------------------------

BAD_BASE_URLS = [
    ("a second host after a double slash", "https://jbcc.example.org//evil.example/"),
    ("backslashes", "https://jbcc.example.org\\evil.example\\"),
    ("a backslash for the slashes", "https:\\\\evil.example\\"),
    ("no scheme", "jbcc.example.org/"),
    ("only two slashes", "//jbcc.example.org/"),
    ("a javascript scheme", "javascript:alert(1)//"),
    ("a data scheme", "data:text/html,x"),
    ("an ftp scheme", "ftp://jbcc.example.org/"),
    ("userinfo", "https://a@b/"),
    ("userinfo hiding the real host", "https://jbcc.example.org@evil.example/"),
    ("a space", "https://jbcc example.org/"),
    ("a newline and a header", "https://jbcc.example.org/\nSet-Cookie: a=b"),
    ("port 0", "https://jbcc.example.org:0/"),
    ("port 99999", "https://jbcc.example.org:99999/"),
    ("a port that is not a number", "https://jbcc.example.org:http/"),
    ("no host", "https:///jbcc/"),
    ("a dot dot segment", "https://jbcc.example.org/jbcc/../"),
    ("a query", "https://jbcc.example.org/?a=1"),
    ("a fragment", "https://jbcc.example.org/#top"),
    ("percent escapes", "https://jbcc.example.org/%2e%2e/"),
    ("a host label starting with a hyphen", "https://-jbcc.example.org/"),
    ("non ascii", "https://例子.example/"),
    ("an unclosed ipv6 bracket", "http://[::1/"),
    ("brackets round a name", "https://[evil.example]/"),
    ("quotes", 'https://jbcc.example.org/"onmouseover="x/'),
    ("angle brackets", "https://jbcc.example.org/<script>/"),
    ("an empty address", ""),
]

# Inputs the generator accepts though it should not (each case states the correct behaviour).
FULL_ADDRESS = "must be a full address like https://example.org/"  # what every unusable address is told
AREA_SLUG = "must be lower-case words joined by hyphens, at most 80 characters"  # a bad slug in the list of areas
AREA_ITEM = "'areas' item 4 must be a slug like youth-development"  # an entry added after the third that is not text

SITE_CASES = [
    case(f"a base url with {name} is refused", sub(SITE, BASE_URL, f"base_url: {json.dumps(value)}"),
         Expect(1, SITE, "base_url:", says=FULL_ADDRESS if value else "'base_url' is empty"))
    for name, value in BAD_BASE_URLS
] + [
    case("a base url that is a number is refused", sub(SITE, BASE_URL, "base_url: 42"),
         Expect(1, SITE, "base_url:", says="'base_url' must be text (got 42)", hint="put text in double quotes")),
    case("a base url that is a list is refused", sub(SITE, BASE_URL, "base_url: [https://jbcc.example.org/]"),
         Expect(1, SITE, "base_url:", says="'base_url' must be text (got a list)")),
    case("a base url left empty is refused", sub(SITE, BASE_URL, "base_url:"),
         Expect(1, SITE, "base_url:", says="'base_url' must be text (got nothing)")),
    case("a base url under a path is used in every link", sub(SITE, BASE_URL, "base_url: https://example.org/jbcc/"),
         Expect(0, verify=page_has("en/index.html", 'href="https://example.org/jbcc/en/"'))),
    case("a base url with a port is used", sub(SITE, BASE_URL, "base_url: https://example.org:8443/"),
         Expect(0, verify=page_has("sitemap.xml", "https://example.org:8443/en/"))),
    # languages
    case("a language code that climbs out of content is refused",
         sub(SITE, "  - code: zh-hant\n", "  - code: ../../../../etc/x\n"),
         Expect(1, SITE, "../../../../etc/x", says="must be a lower-case language code like en or zh-hant")),
    case("an upper case language code is refused", sub(SITE, "  - code: zh-hant\n", "  - code: ZH-HANT\n"),
         Expect(1, SITE, "ZH-HANT", says='must be a lower-case language code')),
    case("a language code with a slash is refused", sub(SITE, "  - code: zh-hant\n", "  - code: zh/hant\n"),
         Expect(1, SITE, "zh/hant")),
    case("a language code listed twice is refused", sub(SITE, "  - code: zh-hant\n    prefix: tc",
                                                       "  - code: en\n    prefix: tc"),
         Expect(1, SITE, says="language 'en' is listed twice", hint="delete one of the two")),
    case("a language prefix listed twice is refused", sub(SITE, "    prefix: tc\n", "    prefix: en\n"),
         Expect(1, SITE, says="prefix 'en' is already the prefix of language 'en'")),
    case("a language prefix with a slash is refused", sub(SITE, "    prefix: tc\n", "    prefix: /tc\n"),
         Expect(1, SITE, "prefix: /tc", says="prefix must be lower-case letters, digits or hyphens, like en or tc")),
    case("a language prefix of dot dot is refused", sub(SITE, "    prefix: tc\n", "    prefix: ..\n"),
         Expect(1, SITE, "prefix: ..", says="prefix must be lower-case letters, digits or hyphens")),
    case("a language prefix that climbs is refused", sub(SITE, "    prefix: tc\n", "    prefix: tc/../../x\n"),
         Expect(1, SITE, "prefix: tc/", says="prefix must be lower-case letters, digits or hyphens")),
    case("an empty language prefix is refused", sub(SITE, "    prefix: tc\n", '    prefix: ""\n'),
         Expect(1, SITE, 'prefix: ""', says="'languages' item 2 'prefix' is empty")),
    case("a language prefix that is the static folder is refused", sub(SITE, "    prefix: tc\n", "    prefix: static\n"),
         Expect(1, SITE, "prefix: static", says='is the name of a folder the site already has',
                hint="choose another, like en or tc")),
    case("a bad html lang is refused", sub(SITE, "    html_lang: zh-HK\n", "    html_lang: zh_HK\n"),
         Expect(1, SITE, "html_lang: zh_HK", says='is not a language tag')),
    case("an html lang that breaks out of its attribute is refused",
         sub(SITE, "    html_lang: zh-HK\n", "    html_lang: 'zh-HK\" onload=\"alert(1)'\n"), Expect(1, SITE, "onload")),
    case("a bad hreflang is refused", sub(SITE, "    hreflang: zh-HK\n", "    hreflang: 'zh-HK<x>'\n"),
         Expect(1, SITE, "hreflang: 'zh-HK<x>'", says="hreflang 'zh-HK<x>' is not a language tag like en or zh-HK")),
    case("a bad og locale is refused", sub(SITE, "    og_locale: zh_HK\n", "    og_locale: zh-HK\n"),
         Expect(1, SITE, "og_locale: zh-HK", says="og_locale 'zh-HK' must look like en_GB or zh_HK")),
    case("an empty language label is refused", sub(SITE, "    label: 繁體\n", '    label: ""\n'),
         Expect(1, SITE, 'label: ""')),
    case("a language label with markup is shown as text", sub(SITE, "    label: 繁體\n", '    label: "<b>繁體</b>"\n'),
         Expect(0, verify=shows_escaped("<b>繁體</b>", "&lt;b&gt;繁體&lt;/b&gt;"))),
    case("a language without a label is refused", sub(SITE, "    label: English\n", ""), Expect(1, SITE)),
    case("a misspelt language key is refused", sub(SITE, "    label: English\n", "    labl: English\n"),
         Expect(1, SITE, "labl")),
    case("a mainland setting that is not true or false is refused", sub(SITE, "    mainland: true\n", "    mainland: yes\n"),
         Expect(1, SITE, "mainland: yes", says="'languages' item 3 'mainland' must be true or false (got 'yes')")),
    case("convert from an unknown language is refused", sub(SITE, "    convert_from: zh-hant\n", "    convert_from: fr\n"),
         Expect(1, SITE, "convert_from: fr", says="convert_from 'fr' is not a language editors write")),
    case("convert from itself is refused", sub(SITE, "    convert_from: zh-hant\n", "    convert_from: zh-hans\n"),
         Expect(1, SITE, "convert_from: zh-hans", says="convert_from 'zh-hans' is not a language editors write")),
    case("convert from a converted language is refused",
         sub(SITE, "\n# The language that", "\n  - code: zh-sg\n    prefix: sg\n    html_lang: zh-SG\n    hreflang: zh-SG\n"
                                           "    og_locale: zh_SG\n    label: 新加坡\n    convert_from: zh-hans\n"
                                           "\n# The language that"), Expect(1, SITE, "convert_from: zh-hans")),
    case("languages that are not a list are refused", block(SITE, r"^languages:\n(?:[ ].*\n)*", "languages: en\n"),
         Expect(1, SITE, "languages:")),
    case("an empty list of languages is refused", block(SITE, r"^languages:\n(?:[ ].*\n)*", "languages: []\n"),
         Expect(1, SITE, "languages:", says='at least one language is needed')),
    case("languages given as bare codes are refused",
         block(SITE, r"^languages:\n(?:[ ].*\n)*", "languages:\n  - en\n  - zh-hant\n"), Expect(1, SITE)),
    case("an unknown default language is refused", sub(SITE, "default_language: en", "default_language: fr"),
         Expect(1, SITE, "default_language", says="default_language 'fr' is not one of the languages (en, zh-hant")),
    case("an upper case default language is refused", sub(SITE, "default_language: en", "default_language: EN"),
         Expect(1, SITE, "default_language", says="default_language 'EN' is not one of the languages")),
    case("a default language given as a list is refused", sub(SITE, "default_language: en", "default_language: [en]"),
         Expect(1, SITE, "default_language")),
    case("a missing default language is refused", sub(SITE, "default_language: en\n", ""), Expect(1, SITE)),
    case("a converted default language is the x default", sub(SITE, "default_language: en", "default_language: zh-hans"),
         Expect(0, verify=page_has("en/areas/belt-and-road/index.html", '<link rel="alternate" hreflang="x-default" '
                                                                      'href="https://jbcc.example.org/sc/areas/belt-and-road/">'))),
    # event
    case("an impossible event date is refused", sub(SITE, 'date: "2018-10-24"', 'date: "2018-02-30"'),
         Expect(1, SITE, "2018-02-30", says="date '2018-02-30' must be written YYYY-MM-DD")),
    case("an event date in another format is refused", sub(SITE, 'date: "2018-10-24"', 'date: "24/10/2018"'),
         Expect(1, SITE, "24/10/2018", says='must be written YYYY-MM-DD')),
    case("an event date that is a number is refused", sub(SITE, 'date: "2018-10-24"', "date: 2018"),
         Expect(1, SITE, "date: 2018")),
    case("an event date with a five digit year is refused", sub(SITE, 'date: "2018-10-24"', 'date: "99999-01-01"'),
         Expect(1, SITE, "99999")),
    case("an unquoted event date is read as text", sub(SITE, 'date: "2018-10-24"', "date: 2018-10-24"), Expect(0)),
    case("an event time past midnight is refused", sub(SITE, 'issued_at: "17:08"', 'issued_at: "25:00"'),
         Expect(1, SITE, "25:00", says="issued_at '25:00' must be a 24-hour time like \"17:08\"")),
    case("an event time in words is refused", sub(SITE, 'issued_at: "17:08"', "issued_at: 5pm"),
         Expect(1, SITE, "5pm", says="issued_at '5pm' must be a 24-hour time")),
    case("an event time that is a number is refused", sub(SITE, 'issued_at: "17:08"', "issued_at: 1708"),
         Expect(1, SITE, "1708", says="'event' 'issued_at' must be text (got 1708)", hint="put text in double quotes")),
    case("an event place without its chinese is refused", sub(SITE, "    zh-hant: 北京\n", ""), Expect(1, SITE)),
    case("an event place given as one text is refused", block(SITE, r"^  place:\n(?:    .*\n)*", "  place: Beijing\n"),
         Expect(1, SITE, "place:")),
    case("an event place in an unknown language is refused",
         sub(SITE, "    zh-hant: 北京\n", "    zh-hant: 北京\n    fr: Pékin\n"),
         Expect(1, SITE, "fr: P")),
    case("co chairs given as one text are refused", block(SITE, r"^  co_chairs:\n(?:    .*\n)*", "  co_chairs: Mrs Lam\n"),
         Expect(1, SITE, "co_chairs")),
    case("a co chair given as one text is refused", block(SITE, r"^  co_chairs:\n(?:    .*\n)*",
                                                         "  co_chairs:\n    - Mrs Lam\n"), Expect(1, SITE, "- Mrs Lam")),
    case("an empty list of co chairs is refused", block(SITE, r"^  co_chairs:\n(?:    .*\n)*", "  co_chairs: []\n"),
         Expect(1, SITE, "co_chairs: []", says="'co_chairs' must name at least one co-chair")),
    case("a release address that is not https is refused",
         sub(SITE, "    url: https://www.info.gov.hk/", "    url: http://www.info.gov.hk/"),
         Expect(1, SITE, "url: http://", says="the release's url must be an https:// address")),
    case("a release in a language editors do not write is refused", sub(SITE, "    language: en\n", "    language: zh-hans\n"),
         Expect(1, SITE, "language: zh-hans", says="language 'zh-hans' is not one of the languages editors write")),
    case("an unknown event key is refused", sub(SITE, '  issued_at: "17:08"\n', '  issued_at: "17:08"\n  venue: Beijing\n'),
         Expect(1, SITE, "venue")),
    case("a missing event is refused", block(SITE, r"^event:\n(?:[ ].*\n|\n(?=[ ]))*", ""), Expect(1, SITE)),
    case("an event given as a list is refused", block(SITE, r"^event:\n(?:[ ].*\n|\n(?=[ ]))*", "event: [a, b]\n"),
         Expect(1, SITE, "event:", says="must be a set of 'key: value' lines, not a list")),
    # areas
    case("an area slug that is a number is refused", sub(SITE, "  - youth-development\n", "  - youth-development\n  - 42\n"),
         Expect(1, SITE, "  - 42", says=f"{AREA_ITEM} (got 42)")),
    case("an area slug that is a list is refused", sub(SITE, "  - youth-development\n", "  - youth-development\n  - [a, b]\n"),
         Expect(1, SITE, "[a, b]", says=f"{AREA_ITEM} (got a list)")),
    case("an area slug that is a mapping is refused",
         sub(SITE, "  - youth-development\n", "  - youth-development\n  - {a: b}\n"), Expect(1, SITE, "{a: b}", says=f"{AREA_ITEM} (got a set of 'key: value' lines)")),
    case("an empty area entry is refused", sub(SITE, "  - youth-development\n", "  - youth-development\n  -\n"),
         Expect(1, SITE, says=f"{AREA_ITEM} (got nothing)")),
    case("an area listed twice is refused", sub(SITE, "  - youth-development\n", "  - youth-development\n  - youth-development\n"),
         Expect(1, SITE, says="'youth-development' is listed twice", hint="delete one of the two lines")),
    case("a 300 character area slug is refused",
         sub(SITE, "  - youth-development\n", "  - youth-development\n  - " + "a" * 300 + "\n"),
         Expect(1, SITE, "a" * 300, says=AREA_SLUG)),
    case("an unknown area slug is refused", sub(SITE, "  - youth-development\n", "  - youth-development\n  - no-such-area\n"),
         Expect(1, SITE, "no-such-area", says="no area has the slug 'no-such-area'",
                hint="check the spelling, or the 'slug' in the area's area.yaml")),
    case("an area slug that climbs is refused", sub(SITE, "  - youth-development\n", "  - youth-development\n  - ../../etc\n"),
         Expect(1, SITE, "../../etc", says=f"area slug '../../etc' {AREA_SLUG}")),
    case("an upper case area slug is refused", sub(SITE, "  - youth-development\n", "  - Youth-Development\n"),
         Expect(1, SITE, "Youth-Development", says=AREA_SLUG)),
    case("an empty list of areas is refused while area folders exist", block(SITE, r"^areas:\n(?:  - .*\n)*", "areas: []\n"),
         Expect(1, (SITE, "content/areas/*"))),
    case("areas given as one text are refused", block(SITE, r"^areas:\n(?:  - .*\n)*", "areas: youth-development\n"),
         Expect(1, SITE, "areas:")),
    case("a missing list of areas is refused", block(SITE, r"^areas:\n(?:  - .*\n)*", ""), Expect(1, SITE)),
    # list_limit
    *[case(f"a list limit of {name} is refused", append(SITE, f"list_limit: {value}\n"),
           Expect(1, SITE, "list_limit", says=says))
      for name, value, says in (("0", "0", "from 1 to 100000"), ("minus one", "-1", "from 1 to 100000"),
                                ("ten in words", "ten", "must be a whole number"),
                                ("ten to the thirtieth", 10 ** 30, "must be a whole number"),
                                ("true", "true", "must be a whole number"), ("one and a half", "1.5", "must be a whole number"),
                                ("100001", "100001", "from 1 to 100000"), ("a list", "[10]", "must be a whole number"))],
    case("a list limit of 1 makes a page per area", append(SITE, "list_limit: 1\n"),
         Expect(0, verify=page_has("en/area-list/3/index.html", "youth-development"))),
    case("a list limit of 100000 builds", append(SITE, "list_limit: 100000\n"), Expect(0)),
    # the whole file
    case("an empty site yaml is refused", put(SITE, b""), Expect(1, SITE)),
    case("a site yaml of only a comment is refused", put(SITE, "# nothing here\n"), Expect(1, SITE)),
    case("a site yaml that is a list is refused", put(SITE, "- base_url\n- languages\n"), Expect(1, SITE)),
    case("a misspelt top level key is refused", sub(SITE, BASE_URL, "base_ur: https://jbcc.example.org/"),
         Expect(1, SITE, "base_ur:")),
    case("a top level key given twice is refused", append(SITE, "default_language: en\n"),
         Expect(1, SITE, says='appears twice', hint="delete one of them")),
    case("a tab in the indentation is refused", sub(SITE, "    prefix: tc\n", "\tprefix: tc\n"),
         Expect(1, SITE, says='YAML syntax error', hint="indent with spaces, never tabs")),
    case("a yaml alias is refused", sub(SITE, "default_language: en", "default_language: &d en\nx: *d"),
         Expect(1, SITE, "x: *d", says="YAML anchors and aliases (& and *) are not allowed", hint="write the value out in full")),
    case("a python yaml tag is refused", sub(SITE, "default_language: en", "default_language: !!python/name:os.system en"),
         Expect(1, SITE, "default_language")),
    case("a value nested five thousand levels deep is refused", append(SITE, f"deep: {nested(5000)}\n"),
         Expect(1, SITE, says='use fewer levels of lists and indentation')),
    case("a value nested as deep as the size limit allows is refused", append(SITE, f"deep: {nested(70_000)}\n"),
         Expect(1, SITE)),
    case("a site yaml one byte over the limit is refused by size",
         lambda p: put(SITE, padded((p / SITE).read_text(encoding="utf-8"), LIMIT + 1))(p),
         Expect(1, SITE, says="file is 150,001 bytes; the limit is 150,000")),
    case("a site yaml of exactly the limit builds",
         lambda p: put(SITE, padded((p / SITE).read_text(encoding="utf-8"), LIMIT))(p), Expect(0)),
    case("a site yaml with a bom and crlf line ends builds",
         transform(SITE, lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")), Expect(0)),
    case("a site yaml with lone cr line ends builds", transform(SITE, lambda b: b.replace(b"\n", b"\r")), Expect(0)),
    case("a nul byte in site yaml is refused with its line",
         transform(SITE, lambda b: b.replace(b"default_language:", b"default\x00_language:")),
         Expect(1, SITE, "default\x00", says="this file contains a NUL character", hint="save it again as plain text")),
    case("invalid utf 8 in site yaml is refused", transform(SITE, lambda b: b.replace(b"\xe7\xb9\x81", b"\xff\xfe", 1)),
         Expect(1, SITE, says="this file is not valid UTF-8 text", hint="save the file as UTF-8 in your editor")),
    case("utf 16 site yaml is refused", transform(SITE, lambda b: b.decode("utf-8").encode("utf-16")),
         Expect(1, SITE)),
    case("a folder in place of site yaml is refused", folder_for(SITE),
         Expect(1, SITE, says='this is a folder, not a file', hint="a file of this name is needed here")),
    case("a missing site yaml is refused", remove(SITE), Expect(1, SITE)),
    case("a ten gigabyte site yaml is refused at once", sparse(SITE, 10 ** 10), Expect(1, SITE, says="bytes", within=5)),
]


@pytest.mark.parametrize(("setup", "expect"), agreeing(SITE_CASES))
def test_site_yaml(project, setup, expect):
    exercise(project, setup, expect)


# --- content/ui/*.yaml and content/phrases.yaml ------------------------------------------------------------

UI_CASES = [
    case("a word missing from en yaml is blamed on en yaml", sub(UI_EN, "home: Home\n", ""), Expect(1, UI_EN, not_blamed=UI_ZH)),
    case("a word missing from zh hant yaml is blamed on zh hant yaml", sub(UI_ZH, "home: 主頁\n", ""),
         Expect(1, UI_ZH, not_blamed=UI_EN)),
    case("a misspelt key in en yaml is blamed on en yaml", sub(UI_EN, "home: Home\n", "hom: Home\n"),
         Expect(1, UI_EN, "hom: Home", not_blamed=UI_ZH)),
    case("a misspelt placeholder in en yaml is blamed on en yaml",
         sub(UI_EN, '"Area {number} of {total}"', '"Area {numbr} of {total}"'),
         Expect(1, UI_EN, "{numbr}", not_blamed=UI_ZH, says="'area_number' must contain {number}, {total}, not {numbr}",
                hint="write placeholders exactly as in the other languages' files")),
    case("an unknown placeholder in en yaml is blamed on en yaml",
         sub(UI_EN, '"Area {number} of {total}"', '"Area {number} of {total} {unknown}"'),
         Expect(1, UI_EN, "{unknown}", not_blamed=UI_ZH)),
    case("an unknown placeholder in both word files is refused",
         chain(sub(UI_EN, "home: Home\n", 'home: "Home {unknown}"\n'), sub(UI_ZH, "home: 主頁\n", 'home: "主頁{unknown}"\n')),
         Expect(1, (UI_EN, UI_ZH))),
    case("an unknown placeholder in zh hant yaml is blamed on zh hant yaml",
         sub(UI_ZH, "home: 主頁\n", 'home: "主頁{unknown}"\n'), Expect(1, UI_ZH, "{unknown}", not_blamed=UI_EN)),
    case("a stray opening brace in a word is refused", sub(UI_EN, "home: Home\n", 'home: "Home {"\n'),
         Expect(1, UI_EN, "home:", says='a brace that is not part of a {placeholder}',
                hint="write placeholders as {name}, exactly as in the other languages' files")),
    case("a stray closing brace in a word is refused", sub(UI_ZH, "home: 主頁\n", 'home: "主頁}"\n'),
         Expect(1, UI_ZH, "home:", says="'home' has a brace that is not part of a {placeholder}: '}'",
                hint="write placeholders as {name}")),
    case("an upper case placeholder is refused", sub(UI_EN, '"Area {number} of {total}"', '"Area {Number} of {total}"'),
         Expect(1, UI_EN, "{Number}")),
    case("a list where a word belongs is refused", sub(UI_EN, "home: Home\n", "home: [Home, Start]\n"),
         Expect(1, UI_EN, "home:", says='must be one text, not a list')),
    case("a text where the months belong is refused", block(UI_EN, r"^months: .*\n", "months: January\n"),
         Expect(1, UI_EN, "months:")),
    case("eleven months are refused", block(UI_EN, r"^months: .*\n",
                                            "months: [January, February, March, April, May, June, July, August, "
                                            "September, October, November]\n"),
         Expect(1, UI_EN, "months:", says='must be a list of 12 texts')),
    case("thirteen months are refused", block(UI_ZH, r"^months: .*\n", 'months: ["1", "2", "3", "4", "5", "6", "7", "8",'
                                                                         ' "9", "10", "11", "12", "13"]\n'),
         Expect(1, UI_ZH, "months:")),
    case("six weekdays are refused", block(UI_EN, r"^weekdays: .*\n", "weekdays: [Mon, Tue, Wed, Thu, Fri, Sat]\n"),
         Expect(1, UI_EN, "weekdays:")),
    case("months given as numbers are refused", block(UI_EN, r"^months: .*\n", "months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]\n"),
         Expect(1, UI_EN, "months:")),
    case("an empty word is refused", sub(UI_EN, "home: Home\n", "home:\n"), Expect(1, UI_EN, "home:")),
    case("a word that is a number is refused", sub(UI_EN, "home: Home\n", "home: 42\n"),
         Expect(1, UI_EN, "home:", says='must be text or a list of texts')),
    case("a word with markup is shown as text", sub(UI_EN, "home: Home\n", 'home: "<script>alert(1)</script>"\n'),
         Expect(0, verify=shows_escaped("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"))),
    case("a word file that is a list is refused", put(UI_EN, "- home\n- Home\n"),
         Expect(1, UI_EN, says="must be a set of 'key: value' lines")),
    case("an empty word file is refused", put(UI_ZH, b""), Expect(1, UI_ZH)),
    case("a missing word file is refused", remove(UI_ZH),
         Expect(1, UI_ZH, says="the words for 'zh-hant' are missing", hint="copy content/ui/en.yaml and translate it")),
    case("a folder in place of a word file is refused", folder_for(UI_EN), Expect(1, UI_EN)),
    case("a broken simplified word file is refused", put("content/ui/zh-hans.yaml", "home: [unclosed\n"),
         Expect(1, "content/ui/zh-hans.yaml", says="YAML syntax error",
                hint="check the indentation and quotes on this line and the one before")),
    case("a word file for an unknown language is refused as unexpected", put("content/ui/fr.yaml", "home: [unclosed\n"),
         Expect(1, "content/ui/fr.yaml", says="unexpected file; the words files are named en.yaml, zh-hans.yaml, "
                                               "zh-hant.yaml")),
    case("a word file with a yaml alias is refused", sub(UI_EN, "home: Home\n", "home: &h Home\nfooter: *h\n"),
         Expect(1, UI_EN)),
]

PHRASE_CASES = [
    case("a phrase table that is a list is refused", put(PHRASES, "- 隨著\n- 随着\n"), Expect(1, PHRASES)),
    case("phrases given as a list are refused", put(PHRASES, "phrases: [隨著, 随着]\n"),
         Expect(1, PHRASES, "phrases:", says="must be lines of 'Traditional: Simplified'")),
    case("an empty phrase is refused", append(PHRASES, '  "": 空\n'),
         Expect(1, PHRASES, '"": 空', says='a phrase cannot be empty', hint="delete the line")),
    case("a phrase that is only a space is refused", append(PHRASES, '  " ": 空\n'), Expect(1, PHRASES, '" ": 空')),
    case("a number as a phrase's simplified form is refused", append(PHRASES, "  京港: 42\n"), Expect(1, PHRASES, "京港: 42")),
    case("a number as a phrase is refused", append(PHRASES, "  42: 四二\n"), Expect(1, PHRASES, "42: 四二")),
    case("a phrase without its simplified form is refused", append(PHRASES, "  京港:\n"), Expect(1, PHRASES, "京港:")),
    case("a list as a phrase's simplified form is refused", append(PHRASES, "  京港: [京港]\n"), Expect(1, PHRASES, "京港: [")),
    case("a phrase given twice is refused", append(PHRASES, "  隨著: 随着\n"),
         Expect(1, PHRASES, says="'隨著' appears twice", hint="delete one of them")),
    case("an unknown key beside the phrases is refused", append(PHRASES, "phrase: {}\n"), Expect(1, PHRASES, "phrase:")),
    case("a missing phrase table builds", remove(PHRASES), Expect(0)),
    case("an empty phrase table file is refused", put(PHRASES, b""),
         Expect(1, PHRASES, 1, says="this file must be a set of 'key: value' lines, not nothing")),
    case("a phrase with markup in its simplified form is shown as text", append(PHRASES, "  青年: \"<i>青年</i>\"\n"),
         Expect(0, verify=shows_escaped("<i>青年</i>", "&lt;i&gt;青年&lt;/i&gt;"))),
]


@pytest.mark.parametrize(("setup", "expect"), agreeing(UI_CASES) + agreeing(PHRASE_CASES))
def test_words_and_phrases(project, setup, expect):
    exercise(project, setup, expect)


# --- area.yaml, home.yaml, annex.yaml ------------------------------------------------------------------------

PAGE_YAML_CASES = [
    case("an area order of 0 is an error not a dropped area", sub(AREA_YAML, ORDER, "order: 0"),
         Expect(1, AREA_YAML, "order: 0", says='order must be 1 or more', hint="use the area's number in content/site.yaml")),
    case("a negative area order is refused", sub(AREA_YAML, ORDER, "order: -1"),
         Expect(1, AREA_YAML, "order: -1", says='order must be 1 or more')),
    case("an area order past the last area is refused", sub(AREA_YAML, ORDER, "order: 999"),
         Expect(1, AREA_YAML, "order: 999")),
    case("an area order that does not match site yaml is refused", sub(AREA_YAML, ORDER, "order: 2"),
         Expect(1, (AREA_YAML, "content/areas/innovation-and-technology/area.yaml"),
                says="order is 2, but content/site.yaml lists 'youth-development' as number 3", hint="make the two agree")),
    case("an area order in words is refused", sub(AREA_YAML, ORDER, "order: seven"), Expect(1, AREA_YAML, "order:")),
    case("a quoted area order is refused", sub(AREA_YAML, ORDER, 'order: "3"'), Expect(1, AREA_YAML, "order:")),
    case("a fractional area order is refused", sub(AREA_YAML, ORDER, "order: 3.0"), Expect(1, AREA_YAML, "order:")),
    case("an area order of true is refused", sub(AREA_YAML, ORDER, "order: true"), Expect(1, AREA_YAML, "order:")),
    case("a thirty digit area order is refused", sub(AREA_YAML, ORDER, f"order: {10 ** 30}"),
         Expect(1, AREA_YAML, "order:")),
    case("a missing area order is refused", sub(AREA_YAML, ORDER + "\n", ""), Expect(1, AREA_YAML)),
    case("a slug that does not match site yaml is refused",
         sub(AREA_YAML, "slug: youth-development", "slug: youth-development-2"),
         Expect(1, (AREA_YAML, SITE), says="area 'youth-development-2' is not listed under 'areas' in content/site.yaml",
                hint="add its slug there to publish it")),
    case("a slug that climbs is refused", sub(AREA_YAML, "slug: youth-development", "slug: ../../x"),
         Expect(1, AREA_YAML, "slug:", says="slug '../../x' must be lower-case letters and digits joined by hyphens")),
    case("an upper case slug is refused", sub(AREA_YAML, "slug: youth-development", "slug: Youth"),
         Expect(1, AREA_YAML, "slug:")),
    case("an empty slug is refused", sub(AREA_YAML, "slug: youth-development", 'slug: ""'), Expect(1, AREA_YAML, "slug:")),
    case("a 300 character slug is refused", sub(AREA_YAML, "slug: youth-development", "slug: " + "a" * 300),
         Expect(1, AREA_YAML, "slug:")),
    case("a slug that is a number is refused", sub(AREA_YAML, "slug: youth-development", "slug: 42"),
         Expect(1, AREA_YAML, "slug:")),
    case("a photo that does not exist is refused", photo("photos/missing.png"),
         Expect(1, AREA_YAML, "photos/missing.png", says="'photos/missing.png' does not exist under static/",
                hint="name a file inside static/")),
    case("a photo outside static is refused", photo("../content/site.yaml"),
         Expect(1, AREA_YAML, "../content/site.yaml", says="must be a path inside static/, without '..' or a leading '/'")),
    case("a photo with an absolute path is refused", photo("/etc/passwd"), Expect(1, AREA_YAML, "/etc/passwd")),
    case("a photo path with backslashes is refused", photo("photos\\..\\..\\build.py"), Expect(1, AREA_YAML, "build.py")),
    case("a photo path with a dot segment is refused", chain(put("static/photos/m.png", PNG), photo("photos/./m.png")),
         Expect(1, AREA_YAML, "photos/./m.png")),
    case("a photo named in the wrong case is refused", chain(put("static/photos/Meeting.png", PNG), photo("photos/meeting.png")),
         Expect(1, AREA_YAML, "photos/meeting.png",
                says="does not exist under static/ (check upper and lower case: static/photos/Meeting.png)")),
    case("a truncated png photo is an error not a traceback", chain(put("static/photos/cut.png", truncated_png()),
                                                                    photo("photos/cut.png")),
         Expect(1, AREA_YAML, "photos/cut.png", says="is not a PNG, JPEG, GIF or WebP image, or the file is damaged")),
    case("a png photo of zero width is refused", chain(put("static/photos/flat.png", png_of_size(0, 10)),
                                                       photo("photos/flat.png")), Expect(1, AREA_YAML, "photos/flat.png")),
    case("an empty photo file is refused", chain(put("static/photos/empty.png", b""), photo("photos/empty.png")),
         Expect(1, AREA_YAML, "photos/empty.png")),
    case("a stylesheet used as a photo is refused", photo("css/site.css"), Expect(1, AREA_YAML, "css/site.css")),
    case("a folder used as a photo is refused", photo("css"), Expect(1, AREA_YAML, "css")),
    case("a jpeg cut inside its size is refused", chain(put("static/photos/cut.jpg", b"\xff\xd8\xff\xc0\x00\x11\x08\x00"),
                                                        photo("photos/cut.jpg")), Expect(1, AREA_YAML, "photos/cut.jpg")),
    case("a jpeg whose segments loop is refused", chain(put("static/photos/loop.jpg", b"\xff\xd8" + b"\xff\xe0\x00\x00" * 8),
                                                        photo("photos/loop.jpg")), Expect(1, AREA_YAML, "photos/loop.jpg")),
    case("a webp with a short header is refused", chain(put("static/photos/cut.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 "),
                                                        photo("photos/cut.webp")), Expect(1, AREA_YAML, "photos/cut.webp")),
    case("a good photo is shown with its size", chain(put("static/photos/meeting.png", PNG), photo("photos/meeting.png")),
         Expect(0, verify=page_has("en/areas/youth-development/index.html", "<img", 'width="', 'height="'))),
    case("photos given as one text are refused", sub(AREA_YAML, "title:", "photos: meeting.png\ntitle:"),
         Expect(1, AREA_YAML, "photos:")),
    case("a photo without alt text is refused", chain(put("static/photos/m.png", PNG),
                                                      sub(AREA_YAML, "title:", "photos:\n  - file: photos/m.png\ntitle:")),
         Expect(1, AREA_YAML)),
    case("a photo without chinese alt text is refused",
         chain(put("static/photos/m.png", PNG), sub(AREA_YAML, "title:", "photos:\n  - file: photos/m.png\n    alt:\n"
                                                                          "      en: A meeting\ntitle:")),
         Expect(1, AREA_YAML)),
    case("a misspelt photo key is refused", chain(put("static/photos/m.png", PNG), photo("photos/m.png"),
                                                  sub(AREA_YAML, "    alt:", "    captoin: x\n    alt:")),
         Expect(1, AREA_YAML, "captoin")),
    case("a misspelt area key is refused", sub(AREA_YAML, "summary:", "sumary:"), Expect(1, AREA_YAML, "sumary:")),
    case("an area in an unknown language is refused", append(AREA_YAML, "languages: [fr]\n"),
         Expect(1, AREA_YAML, "languages:", says="'languages' must list some of")),
    case("an area in no language is refused", append(AREA_YAML, "languages: []\n"), Expect(1, AREA_YAML, "languages:")),
    case("area languages given as one text are refused", append(AREA_YAML, "languages: zh-hant\n"),
         Expect(1, AREA_YAML, "languages:")),
    case("an area title without its chinese is refused", sub(AREA_YAML, '  zh-hant: "青年發展"\n', ""), Expect(1, AREA_YAML)),
    case("an area title given as one text is refused",
         block(AREA_YAML, r"^title:\n(?:  .*\n)*", "title: Youth Development\n"), Expect(1, AREA_YAML, "title:")),
    case("an area title with markup is shown as text", sub(AREA_YAML, '"Youth Development"', '"Youth <script>x</script>"'),
         Expect(0, verify=shows_escaped("Youth <script>x</script>", "Youth &lt;script&gt;x&lt;/script&gt;"))),
    case("an empty area yaml is refused", put(AREA_YAML, b""), Expect(1, AREA_YAML)),
    case("an area yaml that is a list is refused", put(AREA_YAML, "- slug\n- order\n"), Expect(1, AREA_YAML)),
    case("an area yaml nested deeply is refused", append(AREA_YAML, f"deep: {nested(5000)}\n"), Expect(1, AREA_YAML)),
    case("a title with an unquoted colon is refused with advice to quote it",
         sub(AREA_YAML, '  en: "Youth Development"', "  en: Youth: Development"),
         Expect(1, AREA_YAML, "Youth: Development", says="YAML syntax error",
                hint="a value containing ': ' must be in quotes")),
    case("a folder in place of area yaml is refused", folder_for(AREA_YAML), Expect(1, AREA_YAML)),
    case("a missing area yaml is refused", remove(AREA_YAML),
         Expect(1, (AREA, AREA_YAML), says='this folder has no area.yaml',
                hint="run: python build.py new area <slug>, or delete the folder")),
    case("a missing home yaml is refused", remove(HOME_YAML),
         Expect(1, ("content/home", HOME_YAML), says="this folder has no home.yaml", hint="restore the file")),
    case("a misspelt home key is refused", sub(HOME_YAML, "description:", "descripton:"), Expect(1, HOME_YAML, "descripton:")),
    case("an attachment on the home page is refused", append(HOME_YAML, "attachment: css/site.css\n"),
         Expect(1, HOME_YAML, "attachment:")),
    case("a home title without english is refused", block(HOME_YAML, r"^title:\n  en: .*\n", "title:\n"),
         Expect(1, HOME_YAML)),
    case("an annex attachment outside static is refused", append(ANNEX_YAML, "attachment: ../build.py\n"),
         Expect(1, ANNEX_YAML, "^attachment:")),
    case("an annex attachment with an absolute path is refused", append(ANNEX_YAML, "attachment: /etc/passwd\n"),
         Expect(1, ANNEX_YAML, "^attachment:")),
    case("a missing annex attachment is refused", append(ANNEX_YAML, "attachment: documents/memorandum.pdf\n"),
         Expect(1, ANNEX_YAML, "^attachment:")),
    case("a folder as the annex attachment is refused", append(ANNEX_YAML, "attachment: css\n"),
         Expect(1, ANNEX_YAML, "^attachment:")),
    case("an annex attachment that is a link out of static is refused",
         chain(link("static/memo.pdf", "/etc/passwd"), append(ANNEX_YAML, "attachment: memo.pdf\n")),
         Expect(1, (ANNEX_YAML, "static/memo.pdf"))),
    case("a good annex attachment is linked with its size",
         chain(put("static/documents/memorandum.pdf", b"%PDF-1.4\n" + b"0" * 5000),
               append(ANNEX_YAML, "attachment: documents/memorandum.pdf\n")),
         Expect(0, verify=page_has("tc/annex/index.html", "memorandum."))),
    case("an annex that holds something else is refused", sub(ANNEX_YAML, "holds: summary", "holds: everything"),
         Expect(1, ANNEX_YAML, "holds: everything", says="'holds' must be 'summary' or 'full text'",
                hint="say 'full text' only when the page holds the memorandum itself")),
    case("an annex in an unknown language is refused", sub(ANNEX_YAML, "languages: [zh-hant]", "languages: [fr]"),
         Expect(1, ANNEX_YAML, "languages:")),
    case("an annex in english without an english text is refused",
         sub(ANNEX_YAML, "languages: [zh-hant]", "languages: [en, zh-hant]"), Expect(1, ("content/annex/en.md", ANNEX_YAML))),
]


@pytest.mark.parametrize(("setup", "expect"), agreeing(PAGE_YAML_CASES))
def test_page_yaml(project, setup, expect):
    exercise(project, setup, expect)


# --- Markdown texts ---------------------------------------------------------------------------------------------

def md(rel: str, text: str) -> Callable:
    """Add a paragraph at the end of a Markdown text (its front matter stays)."""
    return append(rel, text + "\n")


def md_error(rel: str, needle: str, says: str | None = None, hint: str | None = None) -> Expect:
    """A text the build must refuse, naming the file and the line holding needle."""
    return Expect(1, rel, needle, says, hint=hint)


# What a link the site cannot publish is told (microsite/markup.py), and the advice under it.
NOT_ALLOWED = "is not allowed: links may go to pages of this site, https://, http:// or mailto:"
NOT_SITE_PAGE = "must start with / (a page of this site), https://, http:// or mailto:"
NO_PAGE = "goes to a page that does not exist"
REFERENCE = "reference-style links ([text][name] and [name]: address) are not part of the texts' syntax"
LINK_HINT = "link to a page as /areas/<slug>/, /annex/ or / (the home page), or to https://..."

SCRIPT_LINKS = [
    ("javascript", "[x](javascript:alert(1))", NOT_ALLOWED),
    ("upper case javascript", "[x](JaVaScRiPt:alert(1))", NOT_ALLOWED),
    ("javascript with an entity", "[x](jav&#x61;script:alert(1))", NOT_ALLOWED),
    ("javascript in angle brackets with spaces", "[x](<  javascript:alert(1)>)", NOT_ALLOWED),
    ("javascript with a tab escape", "[x](java%09script:alert(1))", NOT_SITE_PAGE),
    ("an autolinked javascript", "<javascript:alert(1)>", NOT_ALLOWED),
    ("data", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", NOT_ALLOWED),
    ("vbscript", "[x](vbscript:msgbox(1))", NOT_ALLOWED),
    ("an autolinked vbscript", "<vbscript:msgbox(1)>", NOT_ALLOWED),
    ("file", "[x](file:///etc/passwd)", NOT_ALLOWED),
    ("reference style javascript", "[x][evil]\n\n[evil]: javascript:alert(1)", REFERENCE),
    ("reference style data", "[x][evil]\n\n[evil]: <data:text/html,x>", REFERENCE),
]

BAD_LINKS = [
    ("two slashes before a page", "[x](//areas/youth-development/)", NOT_SITE_PAGE),
    ("two slashes before a host", "[x](//evil.example/)", NOT_SITE_PAGE),
    ("a slash and a backslash", "[x](/\\evil.example/)", "link '/\\evil.example/' " + NO_PAGE),  # as typed, not %5C
    ("backslashes only", "[x](\\\\evil.example\\share)", NOT_SITE_PAGE),
    ("backslashes in the path", "[x](/areas/youth-development/\\a\\b/)", NO_PAGE),
    ("an unknown page", "[x](/nope/)", "link '/nope/' goes to a page that does not exist"),
    ("an unknown page in chinese", "[x](/關於/)", "link '/關於/' goes to a page that does not exist"),
    ("a language prefix", "[x](/en/annex/)", NO_PAGE),
    ("a query", "[x](/annex/?a=1)", "link '/annex/?a=1' " + NOT_SITE_PAGE),
    ("no address", "[x]()", "this link has no address"),
    ("a relative path", "[x](../annex/)", NOT_SITE_PAGE),
    ("a relative path climbing", "[x](../../../etc/passwd)", NOT_SITE_PAGE),
]

MARKDOWN_CASES = [
    *[case(f"a {name} link is an error naming the line", md(EN, text),
           md_error(EN, text.split("\n")[-1], says, "write the link as [text](address)" if says == REFERENCE else LINK_HINT))
      for name, text, says in SCRIPT_LINKS],
    *[case(f"a link with {name} is an error naming the line", md(EN, text), md_error(EN, text, says, LINK_HINT))
      for name, text, says in BAD_LINKS],
    case("a javascript link in a chinese text is an error naming the line", md(ZH, "[甲](javascript:alert(1))"),
         md_error(ZH, "javascript", "link 'javascript:alert(1)' " + NOT_ALLOWED, LINK_HINT)),
    case("a javascript link on the home page is an error naming the line", md(HOME_EN, "[x](javascript:alert(1))"),
         md_error(HOME_EN, "javascript", NOT_ALLOWED, LINK_HINT)),
    case("a javascript link in the annex is an error naming the line", md(ANNEX_ZH, "[甲](javascript:alert(1))"),
         md_error(ANNEX_ZH, "javascript", NOT_ALLOWED, LINK_HINT)),
    case("a link to a page without its slash works", md(EN, "[x](/annex)"),
         Expect(0, verify=page_has("en/areas/youth-development/index.html", 'href="/en/annex/"'))),
    case("a link to another site works", md(EN, "[x](https://evil.example/)"), Expect(0)),
    case("a link title with markup is shown as text", md(EN, '[x](https://a.example/ "t\\"><script>alert(1)</script>")'),
         Expect(0, verify=no_active_markup)),
    case("a script element is shown as text", md(EN, "<script>alert(1)</script>"),
         Expect(0, verify=no_active_markup)),
    case("an image tag with an event handler is shown as text", md(EN, '<img src="x" onerror="alert(1)">'),
         Expect(0, verify=no_active_markup)),
    case("an svg with an event handler is shown as text", md(EN, "<svg onload=alert(1)>"),
         Expect(0, verify=no_active_markup)),
    case("an html comment is shown as text", md(EN, "<!-- hidden -->"), Expect(0, verify=no_active_markup)),
    case("a first level heading is refused with its line", md(EN, "# Second title"),
         md_error(EN, "# Second title", "a '# ' heading makes a second page title",
                  "use '## ' for headings; the title comes from the YAML file")),
    case("a first level heading in chinese is refused with its line", md(ZH, "# 第二標題"),
         md_error(ZH, "# 第二標題", "a '# ' heading makes a second page title")),
    case("an image is refused with its line", md(EN, "![x](/static/favicon.svg)"),
         md_error(EN, "![x]", "images are not written in the text", "add photos to the page's YAML file under 'photos:'")),
    case("an image with a script address is refused with its line", md(EN, "![x](javascript:alert(1))"),
         md_error(EN, "![x]", "images are not written in the text")),
    case("an unknown marking is refused with its line", md(EN, "[x]{onclick=alert(1)}"),
         md_error(EN, "[x]{onclick", says='is not a known marking', hint="use [text]{lang=en} or [text]{keep}")),
    case("an unclosed marking is refused with its line", md(EN, "[x]{lang=en"), md_error(EN, "[x]{lang=en")),
    case("a marking that breaks out of its attribute is refused", md(EN, '[x]{lang=en" onmouseover="alert(1)}'),
         md_error(EN, "[x]{lang")),
    case("a language marking in chinese is kept", md(ZH, "[Fintech]{lang=en}"),
         Expect(0, verify=page_has("tc/areas/youth-development/index.html", '<span lang="en">Fintech</span>'))),
    case("an unknown placeholder on the home page is refused with its line", md(HOME_EN, "[[unknown]]"),
         md_error(HOME_EN, "[[unknown]]", "unknown placeholder [[unknown]]", "placeholders allowed on this page: [[areas]]")),
    case("a second areas placeholder on the home page is refused with its line", md(HOME_EN, "[[areas]]"),
         Expect(1, HOME_EN, says="[[areas]] appears a second time",
                hint="a placeholder marks one place on the page: keep only one")),
    case("a reference style link is refused with its line", md(EN, "[x][ref]\n\n[ref]: https://a.example/"),
         md_error(EN, "[ref]: https", "reference-style links", "write the link as [text](address)")),
    case("the areas placeholder in an area text is refused with its line", md(EN, "[[areas]]"),
         md_error(EN, "[[areas]]", "unknown placeholder [[areas]]", "placeholders allowed on this page: none")),
    case("the areas placeholder in the annex is refused with its line", md(ANNEX_ZH, "[[areas]]"),
         md_error(ANNEX_ZH, "[[areas]]", "unknown placeholder [[areas]]")),
    case("a nul byte in a text is refused with its line", md(EN, "before\x00after"),
         md_error(EN, "before", "this file contains a NUL character, so it is not a text file", "save it again as plain text")),
    case("invalid utf 8 in a text is refused with its line", chain(md(EN, "marker line"),
                                                                   transform(EN, lambda b: b.replace(b"marker", b"mar\xffker"))),
         Expect(1, EN, says="this file is not valid UTF-8 text", hint="save the file as UTF-8 in your editor")),
    case("an overlong utf 8 slash is refused", transform(EN, lambda b: b + b"\n\n\xc0\xaf\n"), Expect(1, EN, says="UTF-8")),
    case("an encoded surrogate is refused", transform(EN, lambda b: b + b"\n\n\xed\xa0\x80\n"), Expect(1, EN, says="UTF-8")),
    case("a utf 16 text is refused", transform(EN, lambda b: b.decode("utf-8").encode("utf-16")), Expect(1, EN)),
    case("a text with a bom builds", transform(EN, lambda b: b"\xef\xbb\xbf" + b), Expect(0)),
    case("a chinese text with a bom and crlf builds", transform(ZH, lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")),
         Expect(0)),
    case("a text with crlf line ends builds", transform(EN, lambda b: b.replace(b"\n", b"\r\n")), Expect(0)),
    case("a text with lone cr line ends builds", transform(EN, lambda b: b.replace(b"\n", b"\r")), Expect(0)),
    case("a text with unicode line separators builds", md(EN, "one\u2028two\u2029three\x85four"), Expect(0)),
    case("a text with bidi overrides builds", md(EN, "abc\u202edcba\u202c and \u200b"), Expect(0)),
    case("a text with a nul character reference builds", md(EN, "a&#0;b&#x0;c"), Expect(0)),
    case("a text of one very long line builds", md(EN, "word " * 20_000), Expect(0)),
    case("blockquotes nested ten thousand deep build a shallow page", md(EN, ">" * 10_000 + " deep"),
         Expect(0, verify=shallow("en/areas/youth-development/index.html", "deep"))),
    case("lists nested deeper than the parser reads are refused, not dropped", md(EN, "- " * 1000 + "deepest"),
         Expect(1, EN, says="lists nested this deep are not part of the texts' syntax",
                hint="use at most nine levels of lists inside each other")),
    case("lists nested nine deep keep their text", md(EN, "- " * 9 + "deepest"),
         Expect(0, verify=shallow("en/areas/youth-development/index.html", "deepest"))),
    case("front matter without its closing line is refused", transform(ZH, lambda b: b.replace(b"\n---\n", b"\n", 1)),
         Expect(1, ZH, 1, says="the front matter that starts with '---' has no closing '---' line",
                hint="add a line with just --- after the front matter")),
    case("front matter that is a list is refused", transform(ZH, lambda b: b"---\n- a\n- b\n---\n" + b.split(b"\n---\n", 1)[1]),
         Expect(1, ZH)),
    case("front matter that is empty is refused", transform(ZH, lambda b: b"---\n---\n" + b.split(b"\n---\n", 1)[1]),
         Expect(1, ZH)),
    case("an unknown front matter key is refused", transform(ZH, lambda b: b.replace(b"---\n", b"---\nauthor: me\n", 1)),
         Expect(1, ZH, "author: me")),
    case("the retired hash record in front matter is refused as an unknown key",
         transform(ZH, lambda b: b.replace(b"---\n", b"---\ntranslated_from: 0123abcd\n", 1)),
         Expect(1, ZH, "translated_from", says="unknown key 'translated_from' in this file")),
    case("a front matter alias is refused", transform(ZH, lambda b: b.replace(b"---\n", b"---\na: &x 1\nb: *x\n", 1)),
         Expect(1, ZH)),
    case("front matter nested deeply is refused",
         transform(ZH, lambda b: b.replace(b"---\n", f"---\nx: {nested(5000)}\n".encode(), 1)),
         Expect(1, ZH)),
    case("a translation from an unknown language is refused",
         transform(ZH, lambda b: re.sub(rb"text: translation from \S+", b"text: translation from fr", b)), Expect(1, ZH, "text:")),
    case("a text that says it comes from nowhere known is refused",
         transform(ZH, lambda b: re.sub(rb"text: translation from \S+", b"text: machine translated", b)),
         Expect(1, ZH, "text:", says="'text' must be 'official' or 'translation from <language>'")),
    case("a translation from itself is refused",
         transform(ZH, lambda b: re.sub(rb"text: translation from \S+", b"text: translation from zh-hant", b)),
         Expect(1, ZH, "text:")),
    case("a text without front matter is refused", transform(ZH, lambda b: b.split(b"\n---\n", 1)[1]),
         Expect(1, ZH, 1, says="say where this text comes from in a front matter block at the top of the file",
                hint="start the file with three lines: ---, then 'text: official' (the published text) or")),
    case("a text of only front matter builds a page without a body", transform(EN, lambda b: b.split(b"\n---\n", 1)[0] + b"\n---\n"),
         Expect(0, verify=page_lacks("en/areas/youth-development/index.html", "volunteer services"))),
    case("a hand edited translation record file is refused",
         transform(f"{AREA}/zh-hant.translated-from.md", lambda b: b.replace(b"language: en", b"language: [en]")),
         Expect(1, f"{AREA}/zh-hant.translated-from.md", "language: [en]",
                says=("this record is written by 'python build.py mark-translated'; do not edit it",
                      "'language' must be text (got a list)"),
                hint="run: python build.py mark-translated on the translation beside it")),
    case("a translation record file that is not a mapping is refused",
         put(f"{AREA}/zh-hant.translated-from.md", "---\n- a\n---\ntext\n"),
         Expect(1, f"{AREA}/zh-hant.translated-from.md",
                says="this record is written by 'python build.py mark-translated'; do not edit it",
                hint="run: python build.py mark-translated on the translation beside it")),
    case("an unknown text file in an area is refused", put(f"{AREA}/fr.md", "Bonjour.\n"),
         Expect(1, f"{AREA}/fr.md", says="unexpected file; a page's texts are named en.md, zh-hans.md, zh-hant.md",
                hint="rename it")),
    case("a hand written simplified text builds",
         put(f"{AREA}/zh-hans.md", "---\ntext: translation from en\n---\n青年发展。\n"),
         Expect(0, verify=page_has("sc/areas/youth-development/index.html", "青年发展。"))),
]


@pytest.mark.parametrize(("setup", "expect"), agreeing(MARKDOWN_CASES))
def test_markdown(project, setup, expect):
    exercise(project, setup, expect)


# --- static/, folders, sizes, permissions ------------------------------------------------------------------------

FILE_CASES = [
    case("a named pipe in static is refused without blocking", fifo("static/pipe"),
         Expect(1, "static/pipe", within=5, says='this is not an ordinary file',
                hint="delete it: only files and folders belong here")),
    case("a named pipe in content that no page uses is ignored without blocking", fifo(f"{AREA}/en.md.pipe"),
         Expect(0, within=5, verify=not_published("en.md.pipe"))),
    case("a named pipe in place of a text is refused without blocking", chain(remove(EN), fifo(EN)),
         Expect(1, EN, within=5)),
    case("a socket in static is refused", unix_socket("static/sock"),
         Expect(1, "static/sock", says="this is not an ordinary file", hint="delete it: only files and folders belong here")),
    case("a broken symlink in static is refused", link("static/broken.png", "nowhere.png"),
         Expect(1, "static/broken.png", says='this link points to nothing',
                hint="delete it, or point it at an existing file")),
    case("a symlink to a folder in static is refused", link("static/styles", "css"),
         Expect(1, "static/styles", says="this is a link to a folder", hint="links to folders are not followed: move the folder here")),
    case("a symlink out of static is refused", link("static/leak.txt", "../content/site.yaml"),
         Expect(1, "static/leak.txt", says="this is a link to a file outside static/", hint="copy it into the project instead")),
    case("an absolute symlink out of static is refused", link("static/passwd", "/etc/passwd"), Expect(1, "static/passwd")),
    case("a symlink loop in static is refused", link("static/loop", "loop"), Expect(1, "static/loop")),
    case("a symlink inside static builds", link("static/icon.svg", "favicon.svg"),
         Expect(0, verify=lambda p: published_as(p, "static/icon.", (p / "static/favicon.svg").read_bytes()))),
    case("a text that is a symlink out of content is refused", chain(remove(EN), link(EN, "/etc/hostname")), Expect(1, EN)),
    case("an area folder that is a symlink to another area is refused", link("content/areas/twin", "youth-development"),
         Expect(1, "content/areas/twin", says="this is a link to a folder",
                hint="links to folders are not followed: move the folder here")),
    case("the static folder as a symlink out of the project is refused",
         chain(lambda p: shutil.move(p / "static", p.parent / "static-elsewhere"), link("static", "../static-elsewhere")),
         Expect(1, "static", says="this is a link to a folder elsewhere", hint="copy it into the project instead")),
    case("two static files that differ only in case are refused", chain(put("static/Notes.txt", "a"), put("static/notes.txt", "b")),
         Expect(1, ("static/Notes.txt", "static/notes.txt"), says="differs only in upper/lower case from static/",
                hint="rename one: some hosts cannot tell them apart")),
    case("a truncated png that no page uses builds", put("static/cut.png", truncated_png()), Expect(0)),
    case("an empty static file builds", put("static/empty.txt", b""), Expect(0)),
    case("a static file over the size limit is refused", sparse("static/huge.bin", STATIC_LIMIT + 1),
         Expect(1, "static/huge.bin", says="file is 50,000,001 bytes; the limit is 50,000,000", hint="make the file smaller")),
    case("a ten gigabyte static file is refused at once", sparse("static/huge.bin", 10 ** 10),
         Expect(1, "static/huge.bin", within=5)),
    case("a static file name that is not utf 8 is refused", bad_name("static", b"bad\xff.txt"),
         Expect(1, "static/*", says="this file's name is not valid text", hint="rename it using letters, digits and hyphens")),
    case("a text file name that is not utf 8 is refused", bad_name(AREA, b"\xffen.md"), Expect(1, f"{AREA}/*")),
    case("an area folder name that is not utf 8 is refused", lambda p: os.mkdir(os.fsencode(p / "content/areas") + b"/\xff"),
         Expect(1, "content/areas/*")),
    case("a static file name with a newline is refused", put("static/a\nb.txt", "x"),
         Expect(1, "static/*", says="this file's name is not valid text", hint="rename it using letters")),
    case("a static ds store file is ignored", put("static/.DS_Store", b"\x00\x00\x00\x01Bud1"),
         Expect(0, verify=not_published("DS_Store"))),
    case("a hidden folder in static is ignored", put("static/.git/HEAD", "ref: refs/heads/main\n"),
         Expect(0, verify=not_published(".git"))),
    # folders
    case("an empty folder under areas is named", lambda p: (p / "content/areas/empty-folder").mkdir(),
         Expect(1, "content/areas/empty-folder", says="this folder has no area.yaml",
                hint="run: python build.py new area <slug>, or delete the folder")),
    case("a hidden draft folder is ignored", chain(put("content/areas/.draft/area.yaml", "slug: [broken\n"),
                                                   put("content/areas/.draft/en.md", "\x00")),
         Expect(0, verify=not_published("draft"))),
    case("ds store files in content are ignored", chain(put("content/.DS_Store", b"\x00\xff"), put("content/areas/.DS_Store", b"\x00"),
                                                        put(f"{AREA}/.DS_Store", b"\xff")), Expect(0)),
    case("editor leftovers are ignored", chain(put(f"{AREA}/en.md~", "\x00"), put(f"{AREA}/.en.md.swp", b"\xff"),
                                               put(f"{AREA}/#en.md#", "[x](javascript:1)")), Expect(0)),
    case("a stray file among the areas is ignored", put("content/areas/notes.txt", "notes\n"),
         Expect(0, verify=not_published("notes"))),
    case("a stray file in an area is ignored", put(f"{AREA}/notes.txt", "notes\n"), Expect(0, verify=not_published("notes"))),
    case("a file in place of the areas folder is refused", file_for("content/areas"),
         Expect(1, "content/areas", says="this should be the folder of the areas, but it is a file",
                hint="make it a folder holding one folder per area", not_blamed=SITE)),
    case("a file in place of the ui folder is refused", file_for("content/ui"), Expect(1, ("content/ui", "content/ui/*"))),
    case("a file in place of the home folder is refused", file_for("content/home"), Expect(1, ("content/home", "content/home/*"))),
    case("a file in place of an area folder is refused", file_for(AREA),
         Expect(1, AREA, says="this should be the folder of the area 'youth-development', but it is a file",
                hint="make it a folder holding area.yaml and the texts", not_blamed=SITE)),
    case("a folder in place of a text is refused", folder_for(EN),
         Expect(1, EN, says="this is a folder, not a file", hint="a file of this name is needed here")),
    case("a folder in place of home yaml is refused", folder_for(HOME_YAML), Expect(1, HOME_YAML)),
    case("a missing area text is refused", remove(EN),
         Expect(1, EN, says="the 'en' text is missing", hint="every page needs its text in each language editors write")),
    case("a missing ui folder is refused", remove("content/ui"), Expect(1, "content/ui/*")),
    case("a missing templates folder is refused", remove("templates"),
         Expect(1, ("templates", "templates/*"), says='this folder is missing', hint="restore templates/ from the project")),
    case("a missing static folder is refused", remove("static"), Expect(1, ("static", "static/*", "templates/*"))),
    case("a missing template is refused", remove("templates/area.html"),
         Expect(1, "templates/*", says='this template is missing', hint="restore it from the project")),
    case("a template with invalid utf 8 is refused", transform("templates/area.html", lambda b: b"\xff" + b),
         Expect(1, "templates/area.html")),
    # sizes
    case("a text one byte over the limit is refused by size", put(EN, text_of_size(LIMIT + 1)),
         Expect(1, EN, says="file is 150,001 bytes; the limit is 150,000", hint="split the text into smaller pages")),
    case("a text of exactly the limit builds", put(EN, text_of_size(LIMIT)), Expect(0)),
    case("a ten gigabyte text is refused at once", sparse(EN, 10 ** 10), Expect(1, EN, says="10,000,000,000 bytes", within=5)),
    case("a ten gigabyte stray file in content is ignored at once", sparse("content/huge.bin", 10 ** 10),
         Expect(0, within=5, verify=not_published("huge"))),
    case("a template over the limit is refused by size", put("templates/huge.html", "x" * (LIMIT + 1)),
         Expect(1, "templates/huge.html", says="file is 150,001 bytes", hint="make the file smaller")),
]


@pytest.mark.parametrize(("setup", "expect"), agreeing(FILE_CASES, every=True))
def test_files_and_folders(project, setup, expect):
    exercise(project, setup, expect)


def test_the_sized_inputs_have_the_sizes_the_cases_say():
    assert len(text_of_size(LIMIT).encode()) == LIMIT
    assert len(text_of_size(LIMIT + 1).encode()) == LIMIT + 1
    site = (REPO / SITE).read_text(encoding="utf-8")
    assert len(padded(site, LIMIT).encode()) == LIMIT and len(padded(site, LIMIT + 1).encode()) == LIMIT + 1


def test_a_file_over_the_static_limit_is_refused_without_being_read(project):
    baseline = _peak_rss_of_build(project)
    sparse("static/huge.bin", STATIC_LIMIT + 1)(project)
    started = time.monotonic()
    peak = _peak_rss_of_build(project, expected=1)
    assert time.monotonic() - started < 10
    assert peak - baseline < 25_000, f"the build grew by {peak - baseline} KiB: it read the file"


def _peak_rss_of_build(project: Path, expected: int = 0) -> int:
    """Build as a process; return its own peak resident memory in KiB (wait4)."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(project)],
                                stdout=out, stderr=out, cwd=cwd_of(project))
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "backslashreplace")
    assert proc.returncode == expected, text
    assert "Traceback" not in text, text
    return usage.ru_maxrss


# --- File permissions: run as a user that permissions apply to ---------------------------------------------------

def _can_drop_permissions() -> bool:
    """Say whether this machine can run a command that file permissions apply to."""
    if os.geteuid() != 0:
        return True
    path = Path(tempfile.mkdtemp()) / "secret"
    path.write_text("x")
    path.chmod(0)
    try:
        proc = subprocess.run(["setpriv", "--bounding-set=-dac_override,-dac_read_search", sys.executable, "-c",
                               f"open({str(path)!r}).read()"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        shutil.rmtree(path.parent)
    return proc.returncode != 0 and b"PermissionError" in proc.stderr


needs_permissions = pytest.mark.skipif(not _can_drop_permissions(),
                                       reason="cannot run commands subject to file permissions here (no setpriv)")


def test_root_is_really_subject_to_permissions_under_setpriv():
    if os.geteuid() != 0:
        pytest.skip("not root: permissions apply anyway")
    assert _can_drop_permissions(), "setpriv --bounding-set=-dac_override,-dac_read_search does not drop root's access"


PERMISSION_CASES = [
    case("an unreadable text is refused", chmod(EN, 0),
         Expect(1, EN, unprivileged=True, says='this file cannot be read', hint="check its permissions")),
    case("an unreadable area folder is named", chmod(AREA, 0),
         Expect(1, AREA, unprivileged=True, says='this folder cannot be read', hint="check its permissions",
                not_blamed=SITE)),
    case("an unreadable site yaml is refused", chmod(SITE, 0), Expect(1, SITE, unprivileged=True)),
    case("an unreadable word file is refused", chmod(UI_EN, 0), Expect(1, UI_EN, unprivileged=True)),
    case("an unreadable stylesheet is refused", chmod("static/css/site.css", 0),
         Expect(1, "static/css/site.css", unprivileged=True)),
    case("an unreadable template is refused", chmod("templates/area.html", 0),
         Expect(1, "templates/area.html", unprivileged=True)),
    case("an unreadable ui folder is named", chmod("content/ui", 0), Expect(1, "content/ui", unprivileged=True)),
    case("an unreadable static folder is named", chmod("static/css", 0), Expect(1, "static/css", unprivileged=True)),
    case("an unreadable template cache still builds", chmod(".cache", 0), Expect(0, unprivileged=True)),
]


@needs_permissions
@pytest.mark.parametrize(("setup", "expect"), agreeing(PERMISSION_CASES))
def test_permissions(project, setup, expect):
    exercise(project, setup, expect)


@needs_permissions
def test_an_output_folder_that_cannot_be_written_is_an_error_not_a_traceback(project):
    tmp_path = project.parent
    parent = tmp_path / "readonly"
    parent.mkdir()
    before = snap(tmp_path)
    parent.chmod(0o555)
    try:
        result = run("--root", project, "--output", parent / "_site", cwd=cwd_of(project), unprivileged=True)
    finally:
        parent.chmod(0o755)
    no_traceback(result)
    assert result.code == 1, str(result)
    assert result.err == f"{parent}/._site.lock: cannot write the site (Permission denied); the previous site is as it was\n", \
        str(result)
    assert_unchanged(before, snap(tmp_path), result)


# --- Command-line options ----------------------------------------------------------------------------------------

def cli(project: Path, *args, code, says: str | None = None, env: dict | None = None, changes=()) -> Run:
    """Run a command line against the project and hold it to the contract; changes: paths it may change."""
    base = project.parent
    before = snap(base)
    result = run(*args, cwd=cwd_of(project), env=env)
    no_traceback(result)
    assert result.code == code, f"expected exit {code}\n{result}"
    if says:
        assert says in result.out + result.err, f"{says!r} not printed\n{result}"
    after = snap(base)
    if result.code == 0:
        assert_unchanged(without(before, *changes), without(after, *changes), result)
    else:
        assert_unchanged(before, after, result, "a refused command changed files:")
    return result


def test_a_root_that_does_not_exist_is_wrong_usage(project):
    result = cli(project, "--root", project.parent / "nowhere", code=2, says="usage:")
    assert f"no content/ folder in {project.parent / 'nowhere'}" in result.err, str(result)


def test_a_root_that_is_a_file_is_wrong_usage(project):
    result = cli(project, "--root", project / SITE, code=2, says="usage:")
    assert "no content/ folder in" in result.err, str(result)


def test_a_root_without_content_is_wrong_usage(project):
    result = cli(project, "--root", project / "templates", code=2, says="usage:")
    assert f"no content/ folder in {project / 'templates'}" in result.err, str(result)


@pytest.mark.parametrize("command", ["check", "status", "new", "mark-translated", "serve"])
def test_every_command_refuses_a_root_without_content(project, command):
    extra = {"new": ("area", "x"), "mark-translated": ("--all",), "serve": ("--port", "1")}.get(command, ())
    result = cli(project, command, *extra, "--root", project / "static", code=2, says="usage:")
    assert "no content/ folder in" in result.err, str(result)


OUTPUTS = [
    ("the project root", lambda p: p, 2),
    ("the folder holding the project", lambda p: p.parent, 2),
    ("a git folder with files", lambda p: _with_files(p / ".git", {"HEAD": "ref: refs/heads/main\n"}), 2),
    ("a code folder", lambda p: _with_files(p / "microsite", {"__init__.py": "", "build.py": "print(1)\n"}), 2),
    ("a folder of someone's files elsewhere", lambda p: _with_files(p.parent / "photos", {"a.jpg": "x"}), 2),
    ("a path that is a file", lambda p: p / SITE, 2),
    ("a folder inside content", lambda p: p / "content/out", 2),
    ("the content folder", lambda p: p / "content", 2),
    ("a folder inside templates", lambda p: p / "templates/out", 2),
    ("a folder inside static", lambda p: p / "static/out", 2),
    ("a symlink to the project", lambda p: _symlink(p.parent / "alias", p), 2),
    ("a symlink to a folder of other files", lambda p: _symlink(p.parent / "alias",
                                                                _with_files(p.parent / "docs", {"a.txt": "x"})), 2),
    ("a folder with only a hidden file", lambda p: _with_files(p.parent / "hidden", {".keep": ""}), 2),
    ("an empty folder", lambda p: _with_files(p.parent / "empty", {}), 0),
    ("a new folder several levels down", lambda p: p.parent / "a/b/c/site", 0),
    ("a folder an earlier build wrote", lambda p: p / "_site", 0),
]


def _with_files(folder: Path, files: dict) -> Path:
    """Make a folder holding the given files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def _symlink(path: Path, target: Path) -> Path:
    """Make a symlink and return its path."""
    os.symlink(target, path)
    return path


@pytest.mark.parametrize(("make", "code"), [pytest.param(make, code, id=f"an_output_of_{name.replace(' ', '_')}_"
                                                                            f"{'is_wrong_usage' if code else 'is_allowed'}")
                                            for name, make, code in OUTPUTS])
def test_output_folder(project, make, code):
    out = make(project)
    rel = os.path.relpath(out, project.parent)
    allowed = rel if rel.startswith("project/") else rel.split("/")[0]  # with the folders made to hold it
    result = cli(project, "--root", project, "--output", out, code=code, changes=(allowed,))
    if code == 0:
        assert (out / ".jbcc-microsite").is_file() and (out / "en/index.html").is_file(), str(result)
    else:
        assert "usage:" in result.err, str(result)


@pytest.mark.parametrize("value", [value for _, value in BAD_BASE_URLS if value],
                         ids=[f"a_base_url_option_with_{name.replace(' ', '_')}_is_wrong_usage" for name, value in BAD_BASE_URLS
                              if value])
def test_base_url_option(project, value):
    result = cli(project, "--root", project, "--base-url", value, code=2, says="usage:")
    assert FULL_ADDRESS in result.err, str(result)


def test_an_empty_base_url_option_is_wrong_usage(project):
    cli(project, "--root", project, "--base-url", "", code=2, says="usage:")


def test_a_good_base_url_option_wins_over_site_yaml(project):
    cli(project, "--root", project, "--base-url", "https://example.net/sub/", code=0, changes=("project/_site",))
    assert 'href="https://example.net/sub/en/"' in (project / "_site/en/index.html").read_text(encoding="utf-8")


NETLIFY_URLS = [("a javascript scheme", "javascript:alert(1)"), ("userinfo", "https://a@b/"),
                ("a double slash", "https://x.example//evil/"), ("an unclosed ipv6 bracket", "http://[::1/")]


@pytest.mark.parametrize("url", [url for _, url in NETLIFY_URLS],
                         ids=[f"a_netlify_address_with_{name.replace(' ', '_')}_exits_2_with_a_message"
                              for name, _ in NETLIFY_URLS])
def test_a_bad_netlify_address_is_refused_with_a_message(project, url):
    result = cli(project, "--root", project, code=2, says="Netlify's address is not usable: ",
                 env={"NETLIFY": "true", "CONTEXT": "production", "URL": url})
    assert FULL_ADDRESS in result.err, str(result)


@pytest.mark.parametrize("port", ["-1", "0", "70000", "abc", "", "8000.5", "1e3", "0x50"],
                         ids=lambda port: f"serve_with_port_{port or 'empty'}_is_wrong_usage")
def test_a_bad_port_is_wrong_usage(project, port):
    result = cli(project, "serve", "--root", project, "--port", port, code=2, says="usage:")
    assert "is not a port number from 1 to 65535" in result.err, str(result)


NOT_A_HOST = "is not a host name or an IPv4 address"
GARBAGE_HOSTS = [("words", "not a host", NOT_A_HOST), ("300 characters", "a" * 300, NOT_A_HOST),
                 ("an empty label", "bad..host", NOT_A_HOST),
                 ("an address out of range", "999.999.999.999", None),  # reads as a name: refused when serve listens
                 ("a url", "http://127.0.0.1/", NOT_A_HOST), ("a port", "127.0.0.1:8000", NOT_A_HOST),
                 ("a dash", "-", f"'-' {NOT_A_HOST}")]


@pytest.mark.parametrize(("host", "says"), [(host, says) for _, host, says in GARBAGE_HOSTS],
                         ids=[f"serve_with_a_host_of_{name.replace(' ', '_')}_exits_2_with_a_message"
                              for name, _, _ in GARBAGE_HOSTS])
def test_a_garbage_host_is_refused_with_a_message(project, host, says):
    from support.devserver import free_port

    result = cli(project, "serve", "--root", project, "--port", str(free_port()), f"--host={host}", code=2, says=says)
    assert result.err.strip(), str(result)


@pytest.mark.parametrize("args", [
    ("check", "--bogus"), ("status", "--strict"), ("build", "--port", "1"), ("new", "thing", "x"), ("new", "area"),
    ("new",), ("mark-translated", "--output", "x"), ("serve", "--output", "x"), ("frobnicate",), ("--strict",),
    ("check", "--strict=yes"), ("status", "extra"),
], ids=lambda a: "_".join(a).replace("-", "") or "none")
def test_wrong_usage_exits_2(project, args):
    cli(project, *args, "--root", project, code=2, says="usage:")


def test_check_strict_fails_on_a_warning_naming_the_file_and_line(project):
    sub(ZH, "青年專項交流計劃", "青年专项交流计划")(project)
    line = line_of(project, ZH, "青年专项")
    plain = cli(project, "check", "--root", project, code=0)
    assert path_line(ZH, line).search(plain.err), str(plain)
    strict = cli(project, "check", "--strict", "--root", project, code=1)
    assert path_line(ZH, line).search(strict.err), str(strict)


# --- new area --------------------------------------------------------------------------------------------------------

def new_area(project: Path, slug: str, code: int) -> Run:
    """Run `new area slug`; check it made all of its change (and the site still builds) or none of it."""
    base = project.parent
    site_before = (project / SITE).read_bytes() if (project / SITE).is_file() else None
    before = snap(base)
    result = run("new", "area", slug, "--root", project, cwd=cwd_of(project))
    no_traceback(result)
    assert result.code == code, f"expected exit {code}\n{result}"
    after = snap(base)
    if result.code != 0:
        assert_unchanged(before, after, result, "a refused 'new area' changed files (it must do all or nothing):")
        assert result.err.strip(), str(result)
        if result.code == 1:
            assert_names(result, ("content/*",))
        return result
    folder = f"project/content/areas/{slug}"
    assert_unchanged(without(before, folder, f"project/{SITE}"), without(after, folder, f"project/{SITE}"), result,
                     "'new area' changed files besides the new folder and site.yaml:")
    assert {"area.yaml", "en.md", "zh-hant.md"} <= {p.name for p in (project / "content/areas" / slug).iterdir()}
    site_after = (project / SITE).read_bytes()
    assert site_after.startswith(b"\xef\xbb\xbf") == site_before.startswith(b"\xef\xbb\xbf"), "the byte-order mark changed"
    if b"\r\n" in site_before:
        assert b"\n" not in site_after.replace(b"\r\n", b""), "site.yaml's CRLF line ends were not kept"
    old, new = site_before.decode("utf-8-sig").splitlines(), site_after.decode("utf-8-sig").splitlines()
    ops = [op for op in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes() if op[0] != "equal"]
    assert len(ops) == 1 and ops[0][2] - ops[0][1] <= 1 and all(slug in line for line in new[ops[0][3]:ops[0][4]]), \
        f"site.yaml changed by more than one line holding the slug: {ops}\n{result}"
    built = run("--root", project, cwd=cwd_of(project))
    assert built.code == 0, f"the site does not build after 'new area {slug}'\n{built}"
    assert (project / f"_site/en/areas/{slug}/index.html").is_file()
    return result


AREAS_BLOCK = r"^areas:\n(?:  - .*\n)*"
SLUGS = list(AREAS)


def without_areas(project: Path) -> None:
    """Delete every area folder (for site.yaml layouts with an empty list)."""
    for folder in (project / "content/areas").iterdir():
        shutil.rmtree(folder)


NEW_AREA_CASES = [
    ("an unindented list", block(SITE, AREAS_BLOCK, "areas:\n" + "".join(f"- {s}\n" for s in SLUGS)), 0),
    ("a list in brackets", block(SITE, AREAS_BLOCK, f"areas: [{', '.join(SLUGS)}]\n"), 0),
    ("a list in brackets over several lines", block(SITE, AREAS_BLOCK, "areas: [\n" + ",\n".join(f"  {s}" for s in SLUGS) + "\n]\n"),
     0),
    ("a comment after areas", block(SITE, AREAS_BLOCK, "areas:  # in the order of the release\n"
                                                        + "".join(f"  - {s}\n" for s in SLUGS)), 0),
    ("a comment after the last area", block(SITE, AREAS_BLOCK, "areas:\n" + "".join(f"  - {s}\n" for s in SLUGS[:-1])
                                            + f"  - {SLUGS[-1]}  # the last one\n"), 0),
    ("a comment between areas", block(SITE, AREAS_BLOCK, "areas:\n" + "".join(f"  - {s}\n" for s in SLUGS[:2])
                                      + "  # the second half\n" + "".join(f"  - {s}\n" for s in SLUGS[2:])), 0),
    ("a key after the list", block(SITE, AREAS_BLOCK, "areas:\n" + "".join(f"  - {s}\n" for s in SLUGS)
                                   + "\n# How many areas a list page shows.\nlist_limit: 60\n"), 0),
    ("quoted slugs", block(SITE, AREAS_BLOCK, "areas:\n" + "".join(f'  - "{s}"\n' for s in SLUGS)), 0),
    ("a deeper indent", block(SITE, AREAS_BLOCK, "areas:\n" + "".join(f"      - {s}\n" for s in SLUGS)), 0),
    ("no newline at the end", lambda p: (p / SITE).write_bytes((p / SITE).read_bytes().rstrip(b"\n")), 0),
    ("a bom and crlf line ends", transform(SITE, lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")), 0),
    ("an empty list in brackets", chain(without_areas, block(SITE, AREAS_BLOCK, "areas: []\n")), 0),
    ("an empty areas key", chain(without_areas, block(SITE, AREAS_BLOCK, "areas:\n")), 1),  # build refuses it too
    ("a yaml syntax error", sub(SITE, "default_language: en", "default_language: [en"), 1),
    ("a list limit of 0", append(SITE, "list_limit: 0\n"), 1),
    ("a bad base url", sub(SITE, BASE_URL, "base_url: javascript:alert(1)"), 1),
    ("areas that are not slugs", block(SITE, AREAS_BLOCK, "areas:\n  - 42\n"), 1),
    ("areas given as one text", block(SITE, AREAS_BLOCK, "areas: youth-development\n"), 1),
    ("no areas key", block(SITE, AREAS_BLOCK, ""), 1),
    ("a folder in its place", folder_for(SITE), 1),
    ("no site yaml", remove(SITE), 1),
    ("nul bytes", transform(SITE, lambda b: b + b"\x00"), 1),
]


@pytest.mark.parametrize(("setup", "code"), [pytest.param(setup, code, id=f"new_area_with_{name.replace(' ', '_')}_in_site_yaml_"
                                                                           f"{'works' if code == 0 else 'does_all_or_nothing'}")
                                             for name, setup, code in NEW_AREA_CASES])
def test_new_area_site_yaml(project, setup, code):
    setup(project)
    result = new_area(project, "trade-in-services", code)
    if code == 1:
        assert_names(result, (SITE, "content/*"))
        assert result.err.lower().endswith("nothing was changed.\n"), str(result)


BAD_SLUGS = [("empty", ""), ("a hyphen", "-"), ("two hyphens together", "a--b"),
             ("a trailing hyphen", "x-"), ("upper case", "A"), ("an underscore", "a_b"), ("dot dot", "../x"),
             ("a slash", "a/b"), ("a space", "a b"), ("an accent", "é"), ("a backslash", "a\\b"), ("a dot", ".hidden"),
             ("81 characters", "a" * 81), ("300 characters", "a" * 300),
             ("a newline", "a\nb")]
BAD_SLUG = "a slug is lower-case letters and digits joined by hyphens, like youth-development, at most 80 characters"


@pytest.mark.parametrize("slug", [slug for _, slug in BAD_SLUGS],
                         ids=[f"new_area_refuses_a_slug_with_{name.replace(' ', '_')}" for name, _ in BAD_SLUGS])
def test_new_area_refuses_a_bad_slug(project, slug):
    result = new_area(project, slug, 1)
    shown = slug.replace("\n", "\\n")  # a control character in a message is printed as an escape
    assert result.err == f"{SITE}: cannot create area '{shown}': {BAD_SLUG}\nNothing was changed.\n", str(result)


def test_new_area_refuses_an_existing_slug(project):
    result = new_area(project, "youth-development", 1)
    assert result.err == f"{SITE}: cannot create area 'youth-development': {AREA}/ already exists\nNothing was changed.\n"


def test_new_area_takes_a_slug_starting_with_a_hyphen_for_an_option(project):
    result = cli(project, "new", "area", "-x", "--root", project, code=2, says="usage:")
    assert "the following arguments are required: slug" in result.err, str(result)


def test_new_area_refuses_a_slug_listed_without_a_folder(project):
    remove(AREA)(project)
    result = new_area(project, "youth-development", 1)
    assert f"{SITE}:{line_of(project, SITE, '^areas:')}: cannot create area 'youth-development': it is already listed" \
        in result.err, str(result)


def test_new_area_refuses_a_list_it_cannot_extend_safely_and_says_how_to_do_it(project):
    block(SITE, AREAS_BLOCK, f"areas: [{', '.join(SLUGS)}, ]\n")(project)  # a trailing comma: valid, but ", x" breaks it
    result = new_area(project, "trade-in-services", 1)
    assert "cannot add the area to this file's list safely" in result.err, str(result)
    assert "add '- trade-in-services' to the end of 'areas' by hand" in result.err, str(result)


def test_new_area_accepts_an_80_character_slug(project):
    new_area(project, "a" * 80, 0)


def test_new_area_with_a_file_in_place_of_the_areas_folder_is_an_error(project):
    file_for("content/areas")(project)
    result = new_area(project, "trade-in-services", 1)
    assert_names(result, ("content/areas", SITE))


NEW_AREA_PERMISSIONS = [
    # (what cannot be done, the path made unwritable or unreadable, its mode, what the message names, its words)
    ("site_yaml_cannot_be_replaced", "content", 0o555, ("content", "content/*"), ("cannot write", "nothing was changed")),
    ("site_yaml_cannot_be_read", SITE, 0, (SITE,), (f"{SITE}: cannot read the file", "Nothing was changed.")),
    ("the_areas_folder_cannot_be_written", "content/areas", 0o555, ("content/areas", "content/areas/*"),
     ("cannot create the folder", "nothing was changed")),
]


@needs_permissions
@pytest.mark.parametrize(("rel", "mode", "named", "says"), [case[1:] for case in NEW_AREA_PERMISSIONS],
                         ids=[f"new_area_when_{case[0]}_names_it_and_changes_nothing" for case in NEW_AREA_PERMISSIONS])
def test_new_area_permissions(project, rel, mode, named, says):
    base = project.parent
    before = snap(base)
    kept = stat.S_IMODE(os.stat(project / rel).st_mode)
    os.chmod(project / rel, mode)
    try:
        result = run("new", "area", "trade-in-services", "--root", project, cwd=cwd_of(project), unprivileged=True)
    finally:
        os.chmod(project / rel, kept)
    no_traceback(result)
    assert result.code == 1, str(result)
    assert_names(result, named)
    for words in says:
        assert words in result.err, f"{words!r} not in the message\n{result}"
    assert_unchanged(before, snap(base), result, "a refused 'new area' changed files (it must do all or nothing):")


# --- mark-translated -------------------------------------------------------------------------------------------------

def mark(project: Path, *args, code: int, unprivileged: bool = False) -> Run:
    """Run mark-translated; a refusal must change nothing, a success only translations and their records."""
    base = project.parent
    before = snap(base)
    result = run("mark-translated", *args, "--root", project, cwd=cwd_of(project), unprivileged=unprivileged)
    no_traceback(result)
    assert result.code == code, f"expected exit {code}\n{result}"
    after = snap(base)
    if result.code != 0:
        assert_unchanged(before, after, result, "a refused mark-translated changed files:")
        assert result.err.strip(), str(result)
    else:
        changed = differences(without(before, "project/.cache"), without(after, "project/.cache"))
        stray = [line for line in changed if not re.search(r"project/content/.*/zh-hant\.[^/]*$", line)]
        assert not stray, f"mark-translated changed files besides translations and their records: {stray}\n{result}"
    return result


NOT_A_TRANSLATION = "not a translation of a text on the same page (expected a file like content/areas/<folder>/zh-hant.md with 'text: translation from en')"
NOT_TRANSLATIONS = [
    ("a file that is not a translation", lambda p: p / EN, lambda p: EN),
    ("a translation outside the project", lambda p: p.parent / "elsewhere" / ZH, lambda p: str(p.parent / "elsewhere" / ZH)),
    ("a path that climbs out", lambda p: f"{p}/content/../../project/../etc/passwd",
     lambda p: f"{p}/content/../../project/../etc/passwd"),
    ("a file that does not exist", lambda p: p / f"{AREA}/zh-hans.md", lambda p: f"{AREA}/zh-hans.md"),
]


@pytest.mark.parametrize(("path", "shown"), [(path, shown) for _, path, shown in NOT_TRANSLATIONS],
                         ids=[f"mark_translated_refuses_{name.replace(' ', '_')}" for name, _, _ in NOT_TRANSLATIONS])
def test_mark_translated_refuses_what_is_not_a_translation_of_the_project(project, path, shown):
    (project.parent / "elsewhere" / AREA).mkdir(parents=True)
    shutil.copy(project / ZH, project.parent / "elsewhere" / ZH)
    result = mark(project, path(project), code=1)
    assert result.err == f"{shown(project)}: {NOT_A_TRANSLATION}\n", str(result)


def test_mark_translated_without_files_is_refused(project):
    result = mark(project, code=1)
    assert result.err == "name the translated files to mark, or use --all\n", str(result)


def test_mark_translated_refuses_on_a_broken_project(project):
    sub(AREA_YAML, ORDER, "order: 0")(project)
    result = mark(project, "--all", code=1)
    assert_names(result, AREA_YAML)


def _stale(project: Path) -> None:
    """Change the English of the youth development area, so its translation is out of date."""
    sub(EN, "volunteer services", "volunteering services")(project)


LINE_ENDS = [("a bom and crlf", b"\xef\xbb\xbf", b"\r\n"), ("crlf", b"", b"\r\n"), ("lone cr", b"", b"\r"),
             ("a bom and lone cr", b"\xef\xbb\xbf", b"\r")]


@pytest.mark.parametrize(("bom", "newline"), [(bom, newline) for _, bom, newline in LINE_ENDS],
                         ids=[f"mark_translated_on_a_file_with_{name.replace(' ', '_')}_leaves_it_byte_for_byte"
                              for name, _, _ in LINE_ENDS])
def test_mark_translated_line_ends(project, bom, newline):
    _stale(project)
    path = project / ZH
    path.write_bytes(bom + path.read_bytes().replace(b"\n", newline))
    before = path.read_bytes()
    stale = run("check", "--root", project, cwd=cwd_of(project))
    assert stale.code == 0 and f"{ZH}:" in stale.err and "warning: out of date: the English text at" in stale.err, str(stale)
    mark(project, path, code=0)
    assert path.read_bytes() == before, "mark-translated changed the translation itself"
    check = run("check", "--strict", "--root", project, cwd=cwd_of(project))
    no_traceback(check)
    assert check.code == 0, f"the translation is not up to date after mark-translated\n{check}"


def test_mark_translated_all_marks_every_translation_and_nothing_else(project):
    _stale(project)
    result = mark(project, "--all", code=0)
    assert ZH in result.out, str(result)
    check = run("check", "--strict", "--root", project, cwd=cwd_of(project))
    assert check.code == 0, str(check)


@needs_permissions
def test_mark_translated_in_a_folder_that_cannot_be_written_is_an_error(project):
    _stale(project)
    os.chmod(project / AREA, 0o555)
    try:
        result = mark(project, project / ZH, code=1, unprivileged=True)
    finally:
        os.chmod(project / AREA, 0o755)
    assert_names(result, (ZH, AREA, f"{AREA}/*"))
    assert "cannot write" in result.err, str(result)


# --- Ctrl-C during a build ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def grown(pristine, scratch) -> Path:
    """A copy of the built project with 150 more areas (so a build runs long enough to interrupt, on every core)."""
    project = fresh_folder(scratch, "grown") / "project"
    shutil.copytree(pristine, project, symlinks=True)
    grow(project, 150)
    result = run("--root", project, real=True)
    assert result.code == 0, str(result)
    return project


def _start_build(project: Path, cwd: Path) -> tuple[subprocess.Popen, float]:
    """Start a build in its own process group; return it once it holds its lock, and when that was."""
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(project)], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    lock = project / "._site.lock"
    deadline = time.monotonic() + 20
    while not lock.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    return proc, time.monotonic()


def _children(pid: int) -> list[str]:
    """Return the process ids of a process's children (Linux), or []."""
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def test_ctrl_c_during_a_build_exits_130_quietly_and_leaves_the_site_intact(grown, scratch):
    tmp_path = fresh_folder(scratch, "ctrl-c")
    project = tmp_path / "project"
    shutil.copytree(grown, project, symlinks=True)
    proc, locked = _start_build(project, tmp_path)
    proc.communicate(timeout=TIMEOUT)
    length = time.monotonic() - locked  # how long a build runs after taking its lock
    assert proc.returncode == 0
    before = snap(project)
    problems, interrupted = [], 0
    # Moments through the build: while its worker processes render pages on every core (0, 20 and 50 ms
    # after they start), then at fractions of a whole build: reading and checking, rendering, writing, and
    # the last moments, after the new site is in place, while Python shuts down.
    moments = [("workers", 0.0), ("workers", 0.02), ("workers", 0.05)] + [
        ("build", f) for f in (0.05, 0.3, 0.55, 0.8, 0.9, 0.95, 0.98, 1.0)]
    for kind, moment in moments:
        proc, locked = _start_build(project, tmp_path)
        if kind == "workers":
            deadline = time.monotonic() + 10
            while not _children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.0005)
            time.sleep(moment)
            when = f"Ctrl-C {moment * 1000:.0f} ms after the render workers started"
        else:
            time.sleep(max(0.0, locked + moment * length - time.monotonic()))
            when = f"Ctrl-C {moment:.0%} into the build"
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: to the whole foreground group
        try:
            out, err = proc.communicate(timeout=10)  # the whole build takes about a second
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            problems.append(f"{when}: still running 10 s later (hung)")
            break
        text = (out + err).decode("utf-8", "backslashreplace")
        last = text.strip().splitlines()[-1] if text.strip() else ""
        if proc.returncode == 130:
            interrupted += 1
        if proc.returncode not in (0, 130):
            problems.append(f"{when}: exit {proc.returncode}; last line {last!r}")
        elif "Traceback" in text or "KeyboardInterrupt" in text:
            problems.append(f"{when}: exit {proc.returncode} with a traceback:\n{text[-1500:]}")
        elif proc.returncode == 130 and err.decode().strip() != "Interrupted; nothing was changed.":
            problems.append(f"{when}: exit 130 but printed {text!r}")
        if proc.returncode == 0:  # it finished first: the new site is the build's job
            before = snap(project)
        changed = differences(before, snap(project))
        if changed:
            problems.append(f"{when}: exit {proc.returncode} and files changed: {changed[:5]}")
            before = snap(project)
        leftovers = [p.name for p in project.iterdir() if p.name.startswith("._site")]
        if leftovers:
            problems.append(f"{when}: left {leftovers} beside the site")
    assert not problems, "Ctrl-C during a build:\n" + "\n".join(problems)
    assert interrupted, "no attempt interrupted the build: make the project bigger"


# --- The dev server ---------------------------------------------------------------------------------------------------

def raw_status(port: int, request: bytes) -> tuple[int, bytes]:
    """Send one raw HTTP request; return the status code and the whole response."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"101 Switching Protocols" in chunks[0] or (b"403" in chunks[0][:20]):
                break
    response = b"".join(chunks)
    return int(response.split()[1]), response


@pytest.fixture(scope="module")
def dev(scratch, pristine):
    """One dev server over a copy of the project, for the request cases."""
    from support.devserver import DevServer

    project = fresh_folder(scratch, "dev") / "project"
    shutil.copytree(pristine, project, symlinks=True)
    server = DevServer(project).ready()
    yield server
    server.stop()


@pytest.mark.parametrize("path", ["/%00", "/../content/site.yaml", "/en/..%2f..%2fcontent/site.yaml",
                                  "/%2e%2e/%2e%2e/build.py", "/en/%5c..%5c..%5ccontent%5csite.yaml", "//etc/passwd",
                                  "/static/../../content/site.yaml", "/en/%00/", "/.jbcc-microsite/../content/site.yaml",
                                  "/content/site.yaml", "/templates/base.html", "/%2e%2e/content/site.yaml"],
                         ids=lambda p: f"GET_{p}_is_404")
def test_the_dev_server_serves_nothing_outside_the_site(dev, path):
    for version, host in (("1.1", f"127.0.0.1:{dev.port}"), ("1.0", "localhost")):
        status, response = raw_status(dev.port, f"GET {path} HTTP/{version}\r\nHost: {host}\r\n"
                                                f"Connection: close\r\n\r\n".encode())
        assert status == 404, (path, version, response[:200])
        assert b"base_url" not in response and b"root:" not in response and b"{%" not in response
    assert dev.proc.poll() is None


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:80", "127.0.0.1.attacker.example",
                                  "localhost.attacker.example", "[::1].attacker.example"])
def test_the_dev_server_refuses_another_host_name(dev, host):
    status, response = raw_status(dev.port, f"GET /en/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    assert status == 403 and b"403: Unknown host" in response, (host, response[:300])


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1.evil.example", "file://"])
def test_the_live_reload_socket_refuses_another_origin(dev, origin):
    status, _ = raw_status(dev.port, (f"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:{dev.port}\r\nUpgrade: websocket\r\n"
                                      f"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                      f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n").encode())
    assert status == 403, origin


def test_the_live_reload_socket_accepts_the_previews_own_pages(dev):
    status, response = raw_status(dev.port, (f"GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:{dev.port}\r\nUpgrade: websocket\r\n"
                                             f"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                             f"Sec-WebSocket-Version: 13\r\nOrigin: {dev.url}\r\n\r\n").encode())
    assert status == 101, response[:300]


def test_the_dev_server_answers_its_own_pages(dev):
    status, response = raw_status(dev.port, f"GET /en/ HTTP/1.1\r\nHost: localhost:{dev.port}\r\n"
                                            f"Connection: close\r\n\r\n".encode())
    assert status == 200
    assert "Traceback" not in "\n".join(dev.lines)


STORM = {
    SITE: b"base_url: [unclosed\n",
    UI_EN: b"\xff\xfe\x00",
    AREA_YAML: b"slug: youth-development\norder: 0\n",
    EN: b"---\ntext: official\n---\n[x](javascript:alert(1))\n\x00",
    "templates/base.html": b"{% block %}{% endfor %}",
    PHRASES: b'phrases:\n  "": x\n',
    ANNEX_YAML: b"attachment: ../../build.py\n",
}


def test_a_storm_of_broken_saves_leaves_the_dev_server_up_and_the_fix_brings_the_site_back(project):
    from support.devserver import DevServer, fetch, wait_for, without_live_script

    good = {rel: (project / rel).read_bytes() for rel in STORM}
    server = DevServer(project).ready()
    try:
        for round_ in range(6):
            for rel, bad in STORM.items():
                (project / rel).write_bytes(bad if round_ % 2 == 0 else bad[: len(bad) // 2])
                time.sleep(0.005)
            if round_ == 0:
                fifo("static/pipe")(project)
            if round_ == 1:
                bad_name("static", b"bad\xff.txt")(project)
            time.sleep(0.05)
        status, page = wait_for(lambda: (lambda r: r if r[0] == 500 else None)(fetch(f"{server.url}/en/")))
        shown = html.unescape(page.decode("utf-8", "replace"))
        assert any(rel in shown for rel in STORM), f"the error page names none of the broken files:\n{shown[:2000]}"
        for rel, data in good.items():
            (project / rel).write_bytes(data)
        os.unlink(project / "static/pipe")
        os.unlink(os.fsencode(project / "static") + b"/bad\xff.txt")
        wait_for(lambda: fetch(f"{server.url}/en/areas/youth-development/")[0] == 200, timeout=30)
        assert server.proc.poll() is None, "the dev server stopped"
        reference = project.parent / "reference"
        built = run("--root", project, "--output", reference, "--base-url", server.url + "/", cwd=cwd_of(project))
        assert built.code == 0, str(built)
        for page_path in ("en/", "tc/areas/youth-development/", "sc/annex/"):
            status, served = fetch(f"{server.url}/{page_path}")
            assert status == 200 and without_live_script(served) == (reference / page_path / "index.html").read_bytes(), page_path
    finally:
        server.stop()
        log = "\n".join(server.lines)
    assert "Traceback" not in log, log[-5000:]


BROKEN_AT_START = [
    ("a named pipe in static", fifo("static/pipe"), "static/pipe"),
    ("a static file name that is not utf 8", bad_name("static", b"bad\xff.txt"), "static/bad"),
    ("a nul byte in a text", md(EN, "a\x00b"), EN),
    ("an area order of 0", sub(AREA_YAML, ORDER, "order: 0"), AREA_YAML),
    ("a ten gigabyte text", sparse(EN, 10 ** 10), EN),
]


@pytest.mark.parametrize(("setup", "blame"), [(setup, blame) for _, setup, blame in BROKEN_AT_START],
                         ids=[f"serve_started_with_{name.replace(' ', '_')}_names_it_and_stays_up"
                              for name, _, _ in BROKEN_AT_START])
def test_the_dev_server_started_on_broken_content(project, setup, blame):
    from support.devserver import DevServer, fetch, wait_for

    setup(project)
    server = DevServer(project).ready()
    try:
        status, page = wait_for(lambda: (lambda r: r if r[0] == 500 else None)(fetch(f"{server.url}/en/")))
        shown = html.unescape(page.decode("utf-8", "replace"))
        assert blame in shown, f"the error page does not name {blame}:\n{shown[:2000]}"
        assert server.proc.poll() is None
    finally:
        server.stop()
        log = "\n".join(server.lines)
    assert "Traceback" not in log and "internal error" not in log, log[-5000:]
    assert any(line.startswith(blame) for line in server.lines), log[-3000:]


# --- Random input (hypothesis) -------------------------------------------------------------------------------------------

FUZZ_TARGETS = [SITE, UI_EN, UI_ZH, PHRASES, AREA_YAML, HOME_YAML, ANNEX_YAML, EN, ZH, HOME_EN, ANNEX_ZH,
                f"{AREA}/zh-hant.translated-from.md"]


@pytest.fixture(scope="module")
def fuzz_project(pristine, scratch) -> Path:
    """One copy of the built project that the random cases change and restore."""
    project = fresh_folder(scratch, "fuzz") / "project"
    shutil.copytree(pristine, project, symlinks=True)
    (project.parent / "cwd").mkdir()
    return project


def verdict(project: Path, command: str) -> int:
    """Return the exit status a command must give on the project: 1 if reading, checking (and, but for status,
    rendering) it raises content errors, else 0. The generator's own stages, called in-process."""
    from microsite.errors import ContentErrors
    from microsite.pipeline import prepare, site_files
    from microsite.sources import read_tree

    try:
        prepared = prepare(read_tree(project))
        if command != "status":
            for _ in site_files(prepared):
                pass
    except ContentErrors:
        return 1
    return 0


@settings(max_examples=40, **HYPOTHESIS)
@given(target=st.sampled_from(FUZZ_TARGETS), where=st.floats(0, 1), blob=st.binary(min_size=1, max_size=24),
       command=st.sampled_from(["build", "check", "status"]))
def test_random_bytes_in_any_input_file_give_a_build_or_an_error_naming_it(fuzz_project, target, where, blob, command):
    path = fuzz_project / target
    original = path.read_bytes()
    at = int(len(original) * where)
    try:
        path.write_bytes(original[:at] + blob + original[at:])
        expected = verdict(fuzz_project, command)
        before = snap(fuzz_project)
        result = run(command, "--root", fuzz_project, cwd=cwd_of(fuzz_project))
        no_traceback(result)
        assert result.code == expected, f"expected exit {expected}, as the stages decide\n{result}"
        after = snap(fuzz_project)
        if result.code == 1:
            assert_unchanged(before, after, result)
            assert names(result.err, target), f"{target} is not named\n{result}"
        elif command != "build":
            assert_unchanged(before, after, result)
        else:
            assert_unchanged(without(before, "_site"), without(after, "_site"), result)
    finally:
        path.write_bytes(original)


TOKENS = ["--root", "--output", "--base-url", "--port", "--host", "--strict", "--all", "--help", "-h", "area", "new",
          "build", "check", "status", "mark-translated", "serve", ".", "..", "content", "_site", "x", "",
          "https://example.org/", "javascript:alert(1)", "0", "-1", "99999", "content/areas/youth-development/zh-hant.md",
          "content/areas/youth-development/en.md", "Youth", "trade-in-services", "a" * 100]
WORD = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/\\\x00", exclude_categories=("Cs",)), max_size=12)


def expected_exit(args: list, project: Path, cwd: Path) -> int:
    """Return the exit status a command line must give on the (valid, built) fixture project: what the command-line
    parser decides (2 for wrong usage, 0 for --help); else 0 for build, check and status; for 'new area <slug>', 0
    if the slug is a new valid one; for mark-translated, 0 only with --all (files named on these command lines are
    relative to the empty working folder, so never the project's translations)."""
    from microsite.settings import is_slug

    usage = usage_exit(args, cwd)
    if usage is not None:
        return usage
    parsed = load_build().parse_args([str(a) for a in args])
    if parsed.command == "new":
        return 0 if is_slug(parsed.slug) and not (project / "content/areas" / parsed.slug).exists() else 1
    if parsed.command == "mark-translated":
        return 0 if parsed.all else 1
    return 0


@settings(max_examples=40, **HYPOTHESIS)
@given(command=st.sampled_from(["build", "check", "status", "new", "mark-translated", None]),
       tokens=st.lists(st.one_of(st.sampled_from(TOKENS), WORD), max_size=6))
def test_random_command_lines_exit_0_1_or_2_and_never_touch_what_they_must_not(fuzz_project, command, tokens):
    args = ([command] if command else []) + [t for t in tokens if t not in ("serve", "--")]
    if "serve" in args[:1] or (not command and args and args[0] == "serve"):
        return
    args += ["--root", str(fuzz_project)]
    sandbox = cwd_of(fuzz_project)
    before = snap(fuzz_project.parent)
    kept = {p: p.read_bytes() for p in [fuzz_project / SITE, *(fuzz_project / "content").rglob("zh-hant*")]}
    try:
        expected = expected_exit(args, fuzz_project, sandbox)
        result = run(*args, cwd=sandbox, timeout=30)
        no_traceback(result)
        assert result.code == expected, f"expected exit {expected}\n{result}"
        after = snap(fuzz_project.parent)
        if result.code != 0:
            assert_unchanged(before, after, result)
        else:  # what the command may change: its output, a new area, translations
            allowed = ["project/_site", "cwd", f"project/{SITE}"]
            allowed += [f"project/content/areas/{t}" for t in args if t and "/" not in t]
            allowed += [f"project/{p.relative_to(fuzz_project)}" for p in kept]
            assert_unchanged(without(before, *allowed), without(after, *allowed), result)
    finally:
        for path, data in kept.items():
            path.write_bytes(data)
        for path in (fuzz_project / "content").rglob("zh-hant*"):
            if path not in kept:  # a record mark-translated wrote
                path.unlink()
        for folder in (fuzz_project / "content/areas").iterdir():
            if folder.name not in SLUGS:
                shutil.rmtree(folder)
        shutil.rmtree(sandbox)
        sandbox.mkdir()


URL_CHARS = st.text(alphabet="hts:/.[]@%?#\\ -_~0123456789aexmplorg例", max_size=30)


@settings(max_examples=25, **HYPOTHESIS)
@given(url=st.one_of(URL_CHARS, st.builds(lambda a, b: f"https://{a}/{b}", URL_CHARS, URL_CHARS)))
def test_base_url_option_and_site_yaml_accept_the_same_addresses(fuzz_project, url):
    path = fuzz_project / SITE
    original = path.read_bytes()
    try:
        usable = not base_url_problem(url)
        option = run("build", "--root", fuzz_project, "--output", fuzz_project.parent / "cwd" / "out", "--base-url", url,
                     cwd=cwd_of(fuzz_project))
        no_traceback(option)
        path.write_bytes(original.replace(BASE_URL.encode(), f"base_url: {json.dumps(url)}".encode(), 1))
        setting = run("check", "--root", fuzz_project, cwd=cwd_of(fuzz_project))
        no_traceback(setting)
        # Both follow the one rule: usable, or wrong usage (option) / a content error (site.yaml).
        assert (option.code, setting.code) == ((0, 0) if usable else (2, 1)), \
            f"--base-url and base_url on {url!r} (usable: {usable}):\n{option}\n{setting}"
        if setting.code == 1:
            assert_names(setting, SITE, line_of(fuzz_project, SITE, "base_url:"))
    finally:
        path.write_bytes(original)
        shutil.rmtree(fuzz_project.parent / "cwd" / "out", ignore_errors=True)
