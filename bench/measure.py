"""Timing whole-process builds: wall clock, CPU and peak memory of the child, medians of alternating runs."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


SAMPLE_EVERY = 0.02
PR_SET_CHILD_SUBREAPER = 36


@dataclass(frozen=True)
class Sample:
    """One build: wall seconds, CPU seconds (user + sys of the child and of every descendant, detached ones too),
    peak RSS of its largest process, peak PSS of its whole process tree in KiB, and seconds until the last
    descendant (such as a detached clean-up) exited."""

    wall: float
    cpu: float
    rss_kib: int
    tree_pss_kib: int = 0
    settled: float = 0.0


@dataclass(frozen=True)
class Tool:
    """A build to time: its command, the folder it writes and its environment (None: the harness's own)."""

    cmd: list[str]
    out: Path
    env: dict[str, str] | None = None


class TreeMemory:
    """Samples the summed PSS of a process and its descendants in the background; keeps the peak."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        """Sample until stopped."""
        while not self._done.wait(SAMPLE_EVERY):
            self.peak = max(self.peak, sum(_pss(pid) for pid in _tree(self.pid)))

    def stop(self) -> int:
        """Stop sampling and return the peak in KiB."""
        self._done.set()
        self._thread.join()
        return self.peak


def _tree(pid: int) -> list[int]:
    """Return pid and all its descendants that are still running."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return found


def _pss(pid: int) -> int:
    """Return a process's proportional set size in KiB (shared pages split between sharers), 0 if gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_once(cmd: list[str], env: dict[str, str] | None = None) -> Sample:
    """Run cmd to completion and measure it; raise RuntimeError if it fails."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        memory = TreeMemory(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        orphans_cpu = _reap_orphans()
        settled = time.perf_counter() - started
        tree_pss = memory.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err.read().decode(errors='replace')[-2000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime + orphans_cpu, usage.ru_maxrss, tree_pss, settled)


def become_subreaper() -> None:
    """Make this process adopt its orphaned descendants (Linux), so detached work of a build is waited for."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _reap_orphans() -> float:
    """Wait for every remaining child (orphans adopted as subreaper); return their CPU seconds."""
    cpu = 0.0
    while True:
        try:
            _, _, usage = os.wait4(-1, 0)
        except ChildProcessError:
            return cpu
        cpu += usage.ru_utime + usage.ru_stime


def empty(folder: Path) -> None:
    """Make folder exist and be empty."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def alternate(tools: dict[str, Tool], runs: int, cold: bool) -> dict[str, list[Sample]]:
    """Run each tool's build in turn, runs times; cold empties each output folder first."""
    samples: dict[str, list[Sample]] = {name: [] for name in tools}
    for _ in range(runs):
        for name, tool in tools.items():
            if cold:
                empty(tool.out)
            samples[name].append(run_once(tool.cmd, tool.env))
    return samples


def median(samples: list[Sample]) -> Sample:
    """Return the per-field median of samples."""
    return Sample(statistics.median(s.wall for s in samples), statistics.median(s.cpu for s in samples),
                  int(statistics.median(s.rss_kib for s in samples)), int(statistics.median(s.tree_pss_kib for s in samples)),
                  statistics.median(s.settled for s in samples))
