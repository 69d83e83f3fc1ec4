"""Slow outside jobs (a fresh virtual environment, the benchmark) started when the test session starts.

A test marked @pytest.mark.early(start=...) is moved to the end of the run; start(folder) is called once the tests
are collected and returns a Job, a process that then runs while the other tests do. The test reads the
finished job from the 'early' fixture and makes its assertions as before. Nothing else changes: the job is
the same command the test used to run itself.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

JOBS = pytest.StashKey[dict]()
FOLDER = pytest.StashKey[Path]()


@dataclass
class Finished:
    """What a job's process did."""

    returncode: int
    stdout: str
    stderr: str


class Job:
    """One process started early, its output kept in files."""

    def __init__(self, args: list[str], cwd: Path, env: dict | None = None, folder: Path | None = None):
        self.args = args
        self.folder = folder
        self._out, self._err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=self._out,
                                     stderr=self._err)

    def wait(self, timeout: float) -> Finished:
        """Wait for the process (fail the test after timeout s) and return what it did."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            pytest.fail(f"{' '.join(self.args)} did not finish within {timeout} s")
        texts = []
        for f in (self._out, self._err):
            f.seek(0)
            texts.append(f.read().decode("utf-8", "backslashreplace"))
        return Finished(self.proc.returncode, *texts)

    def stop(self) -> None:
        """Kill the process if it still runs."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def start_jobs(session: pytest.Session) -> None:
    """Move the tests marked early to the end and start their jobs (not when only collecting)."""
    marked = [item for item in session.items if item.get_closest_marker("early")]
    if not marked or session.config.option.collectonly:
        return
    session.items[:] = [item for item in session.items if item not in marked] + marked
    base = Path(tempfile.mkdtemp(prefix="jbcc-early-"))
    session.config.stash[FOLDER] = base
    jobs = session.config.stash[JOBS] = {}
    for i, item in enumerate(marked):
        folder = base / str(i)
        folder.mkdir()
        jobs[item.nodeid] = item.get_closest_marker("early").kwargs["start"](folder)


def stop_jobs(session: pytest.Session) -> None:
    """Stop what still runs and delete the jobs' folders."""
    for job in session.config.stash.get(JOBS, {}).values():
        job.stop()
    if FOLDER in session.config.stash:
        shutil.rmtree(session.config.stash[FOLDER], ignore_errors=True)


def job_of(request: pytest.FixtureRequest) -> Job:
    """Return the test's job (started now if the session did not start it)."""
    jobs = request.config.stash.setdefault(JOBS, {})
    if request.node.nodeid not in jobs:
        folder = Path(tempfile.mkdtemp(prefix="jbcc-early-"))
        request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))
        jobs[request.node.nodeid] = request.node.get_closest_marker("early").kwargs["start"](folder)
    return jobs[request.node.nodeid]
