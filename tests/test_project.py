"""The project around the site: README commands, CI script, packaging, Netlify config."""

from __future__ import annotations

import re
import tomllib

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[str]:
    """Return the shell commands of the README's code blocks, in order."""
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_readme_starts_with_a_serve_command_and_a_test_command():
    serve, tests = readme_commands()[:2]
    assert README.index(serve) < README.index("## ")
    assert "pip install" in serve and "build.py serve" in serve
    assert "pip install" in tests and "pytest" in tests


def test_ci_runs_the_readmes_test_command_exactly():
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_pyproject_names_the_five_packages_and_the_kept_library_with_bounds_and_test_extras_apart():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~ ]", dep)[0].lower(): dep for dep in project["dependencies"]}
    assert set(names) == {"jinja2", "markdown-it-py", "pyyaml", "opencc", "livereload", "watchfiles"}
    assert all(">=" in dep and "<" in dep for dep in names.values())
    assert "pytest" not in " ".join(project["dependencies"])
    assert any(dep.startswith("pytest") for dep in project["optional-dependencies"]["test"])
    assert project["requires-python"] == ">=3.11"


def test_netlify_builds_with_build_py_and_publishes_the_build_output():
    config = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    assert config["build"]["publish"] == "_site"
    assert "build.py" in config["build"]["command"]
    assert config["build"]["environment"]["PYTHON_VERSION"].startswith("3.")


def test_build_output_is_ignored_by_git():
    assert "_site/" in (REPO / ".gitignore").read_text().splitlines()
