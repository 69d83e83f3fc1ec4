"""`python build.py serve` as an editor uses it: a process, a real browser, edits, mistakes and fixes."""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import time

import html5lib
import pytest

from conftest import run_build
from conftest import text_of as text_of_element
from support.devserver import DevServer, fetch, wait_for
from support.fixture import copy_fixture
from support.edits import snapshot

AREA = "content/areas/youth-development"


@pytest.fixture
def server(project):
    """The dev server over a copy of the project, ready to answer."""
    dev = DevServer(project).ready()
    yield dev
    dev.stop()


@pytest.fixture(scope="module")
def untouched(tmp_path_factory):
    """One dev server over the fixture site that no test changes, for the tests that only read from it."""
    dev = DevServer(copy_fixture(tmp_path_factory.mktemp("untouched") / "project")).ready()
    yield dev
    dev.stop()


def open_page(server: DevServer, page, path: str) -> None:
    """Open a page and wait until its live-reload connection to the server is up."""
    connected = sum("Browser Connected" in line for line in server.lines)
    page.goto(f"{server.url}{path}")
    wait_for(lambda: sum("Browser Connected" in line for line in server.lines) > connected)


def append(project, rel: str, text: str) -> None:
    """Add text to the end of a project file, as an editor's save does."""
    path = project / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def text_of(server: DevServer, path: str) -> str:
    """Return a served page as text."""
    return server.get(path)[1].decode("utf-8")


def test_serve_uses_its_own_address_in_links(untouched):
    assert f'<link rel="canonical" href="{untouched.url}/en/">' in text_of(untouched, "/en/")


def test_editing_a_page_reloads_it_in_the_browser_with_the_new_text(server, page):
    open_page(server, page, "/en/areas/youth-development/")
    loads = []
    page.on("load", lambda: loads.append(time.monotonic()))
    append(server.project, f"{AREA}/en.md", "\nA sentence added while the page was open.\n")
    page.wait_for_function("document.body && document.body.innerText.includes('A sentence added while the page was open.')",
                           timeout=10_000)
    page.wait_for_timeout(500)  # not time.sleep: Playwright delivers the page's events only while it waits
    assert len(loads) == 1


def test_a_burst_of_saves_is_one_rebuild_and_one_reload(server, page):
    open_page(server, page, "/en/areas/youth-development/")
    before = server.rebuilds()
    loads = []
    page.on("load", lambda: loads.append(1))
    path = server.project / f"{AREA}/en.md"
    original = path.read_text(encoding="utf-8")
    for i in range(5):
        path.write_text(original + f"\nSave number {i}.\n", encoding="utf-8")
    page.wait_for_function("document.body && document.body.innerText.includes('Save number 4.')", timeout=10_000)
    page.wait_for_timeout(1000)  # not time.sleep: Playwright delivers the page's events only while it waits
    assert server.rebuilds() - before == 1
    assert len(loads) == 1


def test_a_page_whose_socket_connects_after_a_rebuild_reloads_itself(server, page):
    let_through, held = [], []

    def hold_the_servers_replies(ws):
        """Pass the page's socket to the server, but keep the server's replies back until the test lets them go."""
        to_server = ws.connect_to_server()
        to_server.on_message(lambda message: ws.send(message) if let_through else held.append((ws, message)))

    page.route_web_socket("**/livereload", hold_the_servers_replies)
    page.goto(f"{server.url}/en/areas/youth-development/")
    wait_for(lambda: page.evaluate("1") and held)  # the server's hello waits: the page is not listening yet
    before = server.rebuilds()
    append(server.project, f"{AREA}/en.md", "\nSaved while the page was connecting.\n")
    server.settle(before)  # its reload went to no one
    let_through.append(True)
    for ws, message in held:
        ws.send(message)
    page.wait_for_function("document.body && document.body.innerText.includes('Saved while the page was connecting.')", timeout=10_000)


def test_a_phrase_table_entry_changes_the_simplified_pages_at_once(server):
    before = server.builds()
    append(server.project, "content/phrases.yaml", "  務實合作: 务实合作XX\n")
    server.settle(before)
    assert "务实合作XX" in text_of(server, "/sc/areas/belt-and-road/")
    assert "务实合作XX" not in text_of(server, "/tc/areas/belt-and-road/")


def test_a_yaml_mistake_shows_an_error_page_and_the_fix_brings_the_page_back(server, page):
    open_page(server, page, "/en/areas/youth-development/")
    stylesheet = next(line.split('href="')[1].split('"')[0] for line in text_of(server, "/en/").splitlines()
                      if 'rel="stylesheet"' in line)
    area = server.project / f"{AREA}/area.yaml"
    good = area.read_text(encoding="utf-8")
    area.write_text(good.replace("order: 3", "order: seven"), encoding="utf-8")
    page.wait_for_selector("#build-error", timeout=10_000)
    assert f"{AREA}/area.yaml:2: 'order' must be a whole number (got 'seven')" in page.inner_text("#build-error")
    assert f"{AREA}/area.yaml:2: 'order' must be a whole number" in "\n".join(server.lines)
    assert server.get(stylesheet)[0] == 200  # the last good site's files stay available
    area.write_text(good, encoding="utf-8")
    page.wait_for_selector("h1:text('Youth Development')", timeout=10_000)
    assert page.query_selector("#build-error") is None


def test_a_template_mistake_names_the_template_and_line(server, page):
    open_page(server, page, "/en/")
    template = server.project / "templates/area.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% endblock %}", "{% endblok %}", 1), encoding="utf-8")
    page.wait_for_selector("#build-error", timeout=10_000)
    assert "templates/area.html:" in page.inner_text("#build-error")
    template.write_text(good, encoding="utf-8")
    page.wait_for_function("!document.querySelector('#build-error')", timeout=10_000)


def test_created_deleted_and_renamed_files_are_noticed(server):
    from microsite.assets import fingerprinted

    static = server.project / "static/notes.txt"
    static.write_text("hello")
    published = fingerprinted("notes.txt", b"hello")
    wait_for(lambda: server.get(published)[0] == 200)
    static.unlink()
    wait_for(lambda: server.get(published)[0] == 404)
    text = server.project / f"{AREA}/zh-hant.md"
    text.rename(text.with_name("zh-hant.md.bak"))
    wait_for(lambda: "the 'zh-hant' text is missing" in html.unescape(text_of(server, "/en/")))
    text.with_name("zh-hant.md.bak").rename(text)
    wait_for(lambda: server.get("/en/")[0] == 200)


def test_a_new_area_folder_and_a_deleted_one_are_picked_up(server):
    before = server.builds()
    assert run_build("new", "area", "trade-in-services", "--root", str(server.project)).code == 0
    server.settle(before)
    assert server.get("/en/areas/trade-in-services/")[0] == 200
    before = server.builds()
    shutil.rmtree(server.project / "content/areas/trade-in-services")
    site_yaml = server.project / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("  - trade-in-services\n", ""), encoding="utf-8")
    server.settle(before)
    assert server.get("/en/areas/trade-in-services/")[0] == 404
    assert server.get("/en/")[0] == 200


def test_replacing_the_content_folder_as_a_whole_keeps_the_preview_live(server):
    project = server.project
    shutil.copytree(project / "content", project / "content.new")
    append(project, "content.new/areas/youth-development/en.md", "\nWritten in the replacement folder.\n")
    before = server.builds()
    os.rename(project / "content", project / "content.old")
    os.rename(project / "content.new", project / "content")
    server.settle(before)
    wait_for(lambda: "Written in the replacement folder." in text_of(server, "/en/areas/youth-development/"))
    before = server.builds()
    append(project, f"{AREA}/en.md", "\nSaved after the replacement.\n")
    server.settle(before)
    assert "Saved after the replacement." in text_of(server, "/en/areas/youth-development/")


def test_a_whole_serve_session_leaves_the_published_folder_untouched(project):
    assert run_build("--root", str(project)).code == 0
    published = snapshot(project / "_site")
    dev = DevServer(project).ready()
    try:
        before = dev.builds()
        append(project, f"{AREA}/en.md", "\nAn edit during the session.\n")
        dev.settle(before)
        assert dev.get("/en/areas/youth-development/")[0] == 200
    finally:
        dev.stop()
    assert snapshot(project / "_site") == published


def test_a_save_prints_how_long_the_rebuild_took_and_how_many_files_changed(server):
    before = server.rebuilds()
    append(server.project, f"{AREA}/en.md", "\nA paragraph added.\n")
    server.settle(before)
    line = [line for line in server.lines if line.startswith("Rebuilt in")][-1]
    assert re.fullmatch(r"Rebuilt in \d+\.\d{3} s; 1 file changed", line), line  # the one English page


def test_unknown_addresses_get_the_languages_404_page(untouched):
    status, body = untouched.get("/tc/no-such-page/")
    assert status == 404 and "找不到網頁" in body.decode()


def test_a_non_loopback_host_prints_a_warning(project):
    dev = DevServer(project, "--host", "0.0.0.0").ready()
    try:
        assert any(line.startswith("warning: serving on 0.0.0.0") for line in dev.lines)
    finally:
        dev.stop()


def test_a_preview_started_on_broken_content_says_so_and_shows_the_error(project):
    area = project / f"{AREA}/area.yaml"
    area.write_text(area.read_text(encoding="utf-8").replace("order: 3", "order: seven"), encoding="utf-8")
    dev = DevServer(project).ready()
    try:
        assert "The preview shows this error until the content is fixed." in dev.lines
        status, body = dev.get("/en/")
        assert status == 500
        page = html5lib.parse(body, treebuilder="etree", namespaceHTMLElements=False)
        assert page.findtext(".//title") == "Build error"
        assert text_of_element(page.find(".//h1")) == "The site could not be built"
        assert "Fix the file named below and save it: this page reloads by itself." in text_of_element(page.find(".//main"))
        assert "'order' must be a whole number (got 'seven')" in text_of_element(page.find(".//*[@id='build-error']"))
    finally:
        dev.stop()


def test_ctrl_c_stops_the_preview_with_a_word_and_status_0(server):
    server.proc.send_signal(signal.SIGINT)
    assert server.proc.wait(timeout=10) == 0
    wait_for(lambda: "Stopped." in server.lines)
    assert not any("Traceback" in line for line in server.lines)


def test_a_port_already_in_use_is_a_message_and_exit_2(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_build("serve", "--root", str(project), "--port", str(port))
    assert result.code == 2, result.err
    assert f"cannot listen on 127.0.0.1:{port}" in result.err
    assert "Traceback" not in result.err


def test_the_default_host_is_loopback_without_a_warning(untouched):
    assert f"Serving {untouched.url}/ (Ctrl+C to stop)" in untouched.lines, untouched.lines[:3]
    assert not any(line.startswith("warning:") for line in untouched.lines)


def test_the_server_survives_hundreds_of_rapid_broken_edits_and_recovers(server):
    area = server.project / f"{AREA}/area.yaml"
    good = area.read_text(encoding="utf-8")
    for i in range(300):
        area.write_text(good.replace("order: 3", f"order: broken-{i}") if i % 3 else f"title: [unclosed {i}",
                        encoding="utf-8")
        if i % 50 == 0:
            time.sleep(0.1)  # let some rebuilds run in the middle of the storm
    wait_for(lambda: fetch(f"{server.url}/en/")[0] == 500)
    area.write_text(good, encoding="utf-8")
    wait_for(lambda: fetch(f"{server.url}/en/areas/youth-development/")[0] == 200)
    assert server.proc.poll() is None
    assert "Traceback" not in "\n".join(server.lines)
