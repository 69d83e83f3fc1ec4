"""Deploying: netlify.toml and the generated _redirects and _headers, read by Netlify's own parsers."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from build import deploy_url, parse_args
from conftest import REPO, parse_html, run_build
from support import tools
from support.static_server import StaticServer

PARSE = REPO / "tests/tools/netlify-parse.mjs"
CONFIG = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
SETTINGS = yaml.safe_load((REPO / "content/site.yaml").read_text(encoding="utf-8"))
LANGUAGES = {lang["prefix"]: lang for lang in SETTINGS["languages"]}
CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'none'"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
PATHS = ["/", "/404.html", "/en/", "/tc/areas/youth-development/", "/sc/annex/", "/en/404.html",
         "/static/css/site.0123456789.css", "/sitemap.xml", "/robots.txt", "/no-such-page"]


def netlify_parse(project: Path, *paths: str) -> dict:
    """Run Netlify's parsers (tests/tools/netlify-parse.mjs) on a project folder; return what they say."""
    node = tools.require(shutil.which("node"), "Node.js is not installed (apt-get install nodejs)")
    for package in ("config", "redirect-parser", "headers-parser"):
        tools.node_module("@netlify", package, "package.json")
    result = subprocess.run([node, str(PARSE), str(project), *paths], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def publish(site: Path, dest: Path) -> Path:
    """Lay out a project as Netlify sees it: netlify.toml, and a built site in the publish folder it names."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "netlify.toml", dest / "netlify.toml")
    shutil.copytree(site, dest / CONFIG["build"]["publish"])
    return dest


@pytest.fixture(scope="module")
def netlify(built, tmp_path_factory) -> dict:
    """What Netlify's parsers make of netlify.toml and the bundled site's _redirects and _headers."""
    return netlify_parse(publish(built, tmp_path_factory.mktemp("netlify")), *PATHS)


def root_rules(parsed: dict) -> list[dict]:
    """Return the redirect rules for the site root, in the order Netlify tries them."""
    return [rule for rule in parsed["redirects"]["rules"] if rule["from"] == "/"]


# -- netlify.toml ---------------------------------------------------------------------------

def test_netlify_accepts_the_configuration_and_the_generated_rules_without_a_warning(netlify):
    assert netlify["warnings"] == []
    assert netlify["redirects"]["errors"] == []
    assert netlify["headers"]["errors"] == []
    assert len(netlify["config"]["redirects"]) == len(netlify["redirects"]["rules"]) > 0
    assert len(netlify["config"]["headers"]) == len(netlify["headers"]["rules"]) > 0


def test_the_parsers_do_report_broken_rules(built, tmp_path):
    project = publish(built, tmp_path / "broken")
    (project / "_site/_redirects").write_text("/only-a-source\n", encoding="utf-8")
    (project / "_site/_headers").write_text("  X-Orphan: no path above\n", encoding="utf-8")
    parsed = netlify_parse(project)
    assert "Missing destination" in parsed["redirects"]["errors"][0]
    assert "Path should come before header" in parsed["headers"]["errors"][0]
    assert len(parsed["warnings"]) == 2


def test_build_command_installs_the_project_then_builds_with_python_3_11(netlify):
    build = netlify["build"]
    assert build["command"] == "python -m pip install --quiet -e . && python build.py"
    assert build["environment"]["PYTHON_VERSION"] == "3.11"


def test_publish_folder_is_the_folder_the_build_writes(netlify):
    assert Path(netlify["build"]["publish"]).name == CONFIG["build"]["publish"] == "_site"
    assert parse_args([]).output == REPO / CONFIG["build"]["publish"]


def test_language_facts_live_only_in_the_site_settings_not_in_netlify_toml():
    assert set(CONFIG) == {"build"}
    assert "redirects" not in CONFIG and "headers" not in CONFIG


# -- _redirects -----------------------------------------------------------------------------

def test_root_redirects_302_forced_by_browser_language_regional_chinese_first(netlify):
    rules = root_rules(netlify)
    assert [(r["to"], r["status"], r["force"], r["conditions"]) for r in rules] == [
        ("/tc/", 302, True, {"Language": ["zh-hk", "zh-tw", "zh-mo", "zh-hant"]}),
        ("/sc/", 302, True, {"Language": ["zh"]}),
        ("/en/", 302, True, {}),
    ]


def test_root_language_targets_are_the_prefixes_of_content_site_yaml(netlify):
    by_target = {rule["to"].strip("/"): rule for rule in root_rules(netlify)}
    assert set(by_target) == set(LANGUAGES)
    assert by_target[next(p for p, lang in LANGUAGES.items() if lang["hreflang"] == "zh-HK")]["conditions"]
    default = next(p for p, lang in LANGUAGES.items() if lang["code"] == SETTINGS["default_language"])
    assert root_rules(netlify)[-1]["to"] == f"/{default}/" and root_rules(netlify)[-1]["conditions"] == {}


def test_only_the_root_is_redirected_deep_links_never(netlify):
    redirecting = [r for r in netlify["redirects"]["rules"] if 300 <= r["status"] < 400]
    assert {r["from"] for r in redirecting} == {"/"}
    for rule in netlify["redirects"]["rules"]:
        if rule["from"] != "/":
            assert (rule["status"], rule["force"], rule["conditions"]) == (404, False, {})


def test_each_language_folder_has_its_own_404_page_and_the_root_one_catches_the_rest(netlify, built):
    not_found = [(r["from"], r["to"]) for r in netlify["redirects"]["rules"] if r["status"] == 404]
    assert not_found == [(f"/{p}/*", f"/{p}/404.html") for p in LANGUAGES] + [("/*", "/404.html")]
    for _, target in not_found:
        assert (built / target.lstrip("/")).is_file()


# -- _headers -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
def test_every_address_gets_the_security_headers(netlify, path):
    headers = netlify["headersFor"][path]
    assert headers["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]


@pytest.mark.parametrize("path", PATHS)
def test_no_two_rules_set_the_same_header_on_one_address(netlify, path):
    assert netlify["setTwice"][path] == []


def test_fingerprinted_assets_are_cached_for_a_year_and_pages_revalidate(netlify, built):
    immutable = [r["for"] for r in netlify["headers"]["rules"] if r["values"].get("Cache-Control") == IMMUTABLE]
    assert immutable == ["/static/*"]
    assert all(re.search(r"\.[0-9a-f]{10}\.[a-z0-9]+$", p.name) for p in (built / "static").rglob("*") if p.is_file())
    assert netlify["headersFor"]["/static/css/site.0123456789.css"]["Cache-Control"] == IMMUTABLE
    for path in ["/", "/404.html", "/en/", "/tc/areas/youth-development/", "/sc/annex/", "/sitemap.xml"]:
        assert netlify["headersFor"][path]["Cache-Control"] == REVALIDATE


def test_content_language_follows_the_language_folder(netlify):
    headers = netlify["headersFor"]
    assert headers["/en/"]["Content-Language"] == LANGUAGES["en"]["html_lang"] == "en"
    assert headers["/tc/areas/youth-development/"]["Content-Language"] == LANGUAGES["tc"]["html_lang"] == "zh-HK"
    assert headers["/sc/annex/"]["Content-Language"] == LANGUAGES["sc"]["html_lang"] == "zh-CN"
    assert headers["/"]["Content-Language"] == headers["/404.html"]["Content-Language"] == "en, zh-HK, zh-CN"


# -- rules written from the site settings ---------------------------------------------------

def test_rules_follow_the_language_settings(project, tmp_path):
    site_yaml = project / "content/site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    text = text.replace("prefix: tc", "prefix: hant").replace("html_lang: zh-CN", "html_lang: zh-SG")
    site_yaml.write_text(text, encoding="utf-8")
    assert run_build("--root", str(project)).code == 0
    parsed = netlify_parse(publish(project / "_site", tmp_path / "netlify"), "/hant/", "/sc/")
    assert [r["to"] for r in root_rules(parsed)] == ["/hant/", "/sc/", "/en/"]
    assert ("/hant/*", "/hant/404.html") in [(r["from"], r["to"]) for r in parsed["redirects"]["rules"]]
    assert parsed["headersFor"]["/hant/"]["Content-Language"] == "zh-HK"
    assert parsed["headersFor"]["/sc/"]["Content-Language"] == "zh-SG"


def test_with_a_base_url_path_redirects_name_the_address_and_rules_match_the_publish_folder(project, tmp_path):
    assert run_build("--root", str(project), "--base-url", "https://example.org/jbcc/").code == 0
    parsed = netlify_parse(publish(project / "_site", tmp_path / "netlify"), "/static/css/a.css", "/tc/")
    assert parsed["redirects"]["errors"] == [] and parsed["headers"]["errors"] == []
    rules = [(r["from"], r["to"], r["status"]) for r in parsed["redirects"]["rules"]]
    assert rules[:3] == [("/", "/jbcc/tc/", 302), ("/", "/jbcc/sc/", 302), ("/", "/jbcc/en/", 302)]
    assert rules[3:] == [("/en/*", "/en/404.html", 404), ("/tc/*", "/tc/404.html", 404),
                         ("/sc/*", "/sc/404.html", 404), ("/*", "/404.html", 404)]
    assert parsed["headersFor"]["/static/css/a.css"]["Cache-Control"] == IMMUTABLE
    assert parsed["headersFor"]["/tc/"]["Content-Language"] == "zh-HK"


def test_accepted_tags_put_hong_kong_taiwan_and_macau_on_traditional_and_other_chinese_on_simplified():
    from microsite.hosting import accepted_tags

    traditional = ("zh-hk", "zh-tw", "zh-mo", "zh-hant")
    assert accepted_tags("zh-HK") == accepted_tags("zh-TW") == accepted_tags("zh-Hant") == traditional
    assert accepted_tags("zh-CN") == accepted_tags("zh-Hans") == ("zh",)
    assert accepted_tags("en") == accepted_tags("en-GB") == ("en",)


# -- the site's address on Netlify ----------------------------------------------------------

@pytest.mark.parametrize("environ, expected", [
    ({}, None),
    ({"URL": "https://example.org"}, None),
    ({"NETLIFY": "true", "CONTEXT": "production", "URL": "https://jbcc.example.org",
      "DEPLOY_PRIME_URL": "https://main--jbcc.netlify.app"}, "https://jbcc.example.org"),
    ({"NETLIFY": "true", "CONTEXT": "deploy-preview", "URL": "https://jbcc.example.org",
      "DEPLOY_PRIME_URL": "https://deploy-preview-7--jbcc.netlify.app"}, "https://deploy-preview-7--jbcc.netlify.app"),
    ({"NETLIFY": "true", "CONTEXT": "branch-deploy", "URL": "https://jbcc.example.org",
      "DEPLOY_PRIME_URL": "https://staging--jbcc.netlify.app"}, "https://staging--jbcc.netlify.app"),
    ({"NETLIFY": "true", "CONTEXT": "branch-deploy", "URL": "https://jbcc.example.org"}, "https://jbcc.example.org"),
    ({"NETLIFY": "true", "CONTEXT": "production", "URL": ""}, None),
])
def test_deploy_url_reads_netlifys_environment(environ, expected):
    assert deploy_url(environ) == expected


def canonical(site: Path, path: str = "en/index.html") -> str:
    """Return the canonical URL a built page declares."""
    return parse_html(site / path).find(".//link[@rel='canonical']").get("href")


def test_a_deploy_preview_is_built_with_its_own_address(project, monkeypatch):
    for name, value in {"NETLIFY": "true", "CONTEXT": "deploy-preview", "URL": "https://jbcc.example.org",
                        "DEPLOY_PRIME_URL": "https://deploy-preview-7--jbcc.netlify.app"}.items():
        monkeypatch.setenv(name, value)
    assert run_build("--root", str(project)).code == 0
    assert canonical(project / "_site") == "https://deploy-preview-7--jbcc.netlify.app/en/"


def test_base_url_option_overrides_netlifys_address(project, monkeypatch):
    for name, value in {"NETLIFY": "true", "CONTEXT": "production", "URL": "https://jbcc.example.org"}.items():
        monkeypatch.setenv(name, value)
    assert run_build("--root", str(project), "--base-url", "https://example.org/jbcc/").code == 0
    assert canonical(project / "_site") == "https://example.org/jbcc/en/"


# -- as Netlify builds it: a fresh copy, a fresh virtual environment ------------------------

def working_tree(dest: Path) -> Path:
    """Copy what a clone of the repository would hold: every file git does not ignore."""
    ignored = [line.rstrip("/") for line in (REPO / ".gitignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    shutil.copytree(REPO, dest, ignore=shutil.ignore_patterns(".git", *ignored))
    return dest


def build_in_a_fresh_virtual_environment(folder: Path):
    """Start what Netlify does: a fresh virtual environment, then netlify.toml's build command in a clean checkout."""
    from support.early import Job

    checkout = working_tree(folder / "checkout")
    unset = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "NETLIFY", "CONTEXT", "URL", "DEPLOY_PRIME_URL")
    environ = {name: value for name, value in os.environ.items() if name not in unset}
    environ.update(PATH=f"{folder / 'venv/bin'}{os.pathsep}{environ['PATH']}",
                   NETLIFY="true", CONTEXT="production", URL="https://example.netlify.app")
    script = f'"$0" -m venv "$1" && {CONFIG["build"]["command"]}'
    return Job(["bash", "-c", script, sys.executable, str(folder / "venv")], cwd=checkout, env=environ, folder=folder)


@pytest.mark.early(start=build_in_a_fresh_virtual_environment)
def test_build_command_from_netlify_toml_builds_the_site_in_a_fresh_virtual_environment(early):
    result = early.wait(timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    site = early.folder / "checkout" / CONFIG["build"]["publish"]
    assert canonical(site) == "https://example.netlify.app/en/"
    assert canonical(site, "index.html") == "https://example.netlify.app/"
    assert "https://example.netlify.app/tc/annex/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert (site / "_redirects").is_file() and (site / "_headers").is_file()


# -- in a browser, with the headers applied -------------------------------------------------

NOT_FOUND = "Failed to load resource: the server responded with a status of 404"


def watch(page) -> list[str]:
    """Record console errors and warnings, page errors and CSP violation events of a tab; return the live list.

    Left out: a 404 for /favicon.ico (the site has none; browsers ask anyway) and for the page
    itself when the test asks for a missing page on purpose.
    """
    problems: list[str] = []

    def console(msg) -> None:
        url = msg.location.get("url", "")
        expected = msg.text.startswith(NOT_FOUND) and (url.endswith("/favicon.ico") or url == page.url)
        if msg.type in ("error", "warning") and not expected:
            problems.append(f"console {msg.type}: {msg.text} ({url})")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.add_init_script("""document.addEventListener('securitypolicyviolation',
        e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI), true)""")
    return problems


@pytest.mark.parametrize("path", ["/", "/en/", "/tc/areas/youth-development/", "/sc/annex/", "/en/no-such-page/"])
def test_pages_load_in_chromium_with_the_headers_and_no_csp_violation(page, served, path):
    problems = watch(page)
    response = page.goto(served + path, wait_until="load")
    assert response.status == (404 if "no-such-page" in path else 200)
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert page.evaluate("document.styleSheets.length") == 1
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 0
    assert problems == []


def test_chromium_does_report_a_csp_violation_when_a_page_breaks_the_policy(page, built, tmp_path):
    site = tmp_path / "_site"
    shutil.copytree(built, site)
    page_file = site / "en/index.html"
    html = page_file.read_text(encoding="utf-8")
    page_file.write_text(html.replace("</main>", '<p style="color: red">inline</p></main>'), encoding="utf-8")
    problems = watch(page)
    with StaticServer(site) as server:
        page.goto(server.url + "/en/", wait_until="load")
    assert any("CSP violation: style-src" in problem for problem in problems), problems
