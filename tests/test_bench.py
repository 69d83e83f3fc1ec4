"""The benchmark script runs end to end at a tiny size in both shapes and reports numbers for both tools (timing is not tested)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import REPO
from support.tools import require


def run_the_benchmark(folder: Path):
    """Start the benchmark script at a tiny size, writing its results and report into folder."""
    from support.early import Job

    return Job([sys.executable, str(REPO / "bench/run.py"), "--sizes", "3", "--runs", "1", "--edits", "1",
                "--out", str(folder / "work"), "--report", str(folder / "BENCHMARKS.md")], cwd=REPO, folder=folder)


@pytest.mark.early(start=run_the_benchmark)
def test_benchmark_runs_at_a_tiny_size_and_reports_both_tools(early):
    require(shutil.which("hugo"), "Hugo is not installed (apt-get install hugo)")
    proc = early.wait(timeout=120)
    assert proc.returncode == 0, proc.stderr
    tmp_path, report = early.folder, early.folder / "BENCHMARKS.md"
    results = json.loads((tmp_path / "work/results.json").read_text(encoding="utf-8"))
    size = results["sizes"]["3"]
    assert set(size["shapes"]) == {"bounded", "full"}
    for shape in ("bounded", "full"):
        for tool in ("ours", "hugo"):
            for mode in ("cold", "rebuild"):
                sample = size["shapes"][shape]["builds"][tool][mode][0]
                assert sample["wall"] > 0 and sample["cpu"] > 0 and sample["rss_kib"] > 0
            output = size["shapes"][shape]["output"][tool]
            assert output["pages"] >= 15 and output["largest_bytes"] > output["largest_gzip"] > 0
    for tool in ("ours", "hugo"):
        for kind in ("body", "title"):
            assert size["serve"][tool][kind][0] > 0
    text = report.read_text(encoding="utf-8")
    bounded, full = text.index("## Builds, bounded"), text.index("## Builds, full")
    serve = text.index("## Dev server, bounded shape")
    for start, end in ((bounded, full), (full, serve)):
        section = text[start:end]
        assert "| 3 | ours | cold | 1 |" in section and "| 3 | hugo | cold | 1 |" in section
        assert "(equal work)" in section and "| 3 | ours | " in section.split("(equal work)")[1]
    assert "| 3 | ours | body | 1 |" in text[serve:] and "| 3 | hugo | title | 1 |" in text[serve:]
    assert "hugo v0." in text
    assert all(seconds > 0 for seconds in results["floor"].values()) and "## Start-up floor" in text
    targets = text[text.index("## Targets (issue 13)"):]
    assert "| title edit under 1 s at N=5000, bounded | not measured |" in targets
    assert "largest page at N=1000 with its stylesheet" in targets
