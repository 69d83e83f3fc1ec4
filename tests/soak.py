"""Soak test for the dev server: edits, many of them broken, for minutes; memory must stay flat.

Not part of the default test run. Usage:

    python tests/soak.py --minutes 10

It copies the project to a temporary folder, starts `build.py serve` there,
saves a content file every 50 ms (every other save breaks the YAML), samples
the server's resident memory every 10 seconds, and at the end prints the
samples and whether memory stayed flat (last sample within 10 % of the sample
taken after the first minute's warm-up).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def rss_kib(pid: int) -> int:
    """Return the resident memory of a process in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    """Run the soak and print the verdict; exit 1 if memory grew or the server died."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, work / folder)
    port = free_port()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--root", str(work), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    area = work / "content/areas/youth-development/area.yaml"
    good = area.read_text(encoding="utf-8")
    samples, edits = [], 0
    started = time.monotonic()
    next_sample = started + 10
    try:
        time.sleep(2)
        while time.monotonic() - started < args.minutes * 60 and server.poll() is None:
            edits += 1
            area.write_text(good if edits % 2 else good.replace("order: 7", f"order: x{edits}"), encoding="utf-8")
            time.sleep(0.05)
            if time.monotonic() >= next_sample:
                samples.append((round(time.monotonic() - started), rss_kib(server.pid)))
                next_sample += 10
        area.write_text(good, encoding="utf-8")
        time.sleep(1)
        alive = server.poll() is None
        status = urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5).status if alive else None
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    for seconds, kib in samples:
        print(f"{seconds:5d} s  {kib / 1024:7.1f} MiB")
    base = next((kib for seconds, kib in samples if seconds >= 60), samples[0][1] if samples else 0)
    last = samples[-1][1] if samples else 0
    flat = bool(samples) and last <= base * 1.10
    print(f"{edits} saves in {args.minutes:g} min; server alive: {alive}; last page status: {status}; "
          f"memory after warm-up {base / 1024:.1f} MiB, at the end {last / 1024:.1f} MiB: "
          f"{'flat' if flat else 'GREW'}")
    return 0 if alive and status == 200 and flat else 1


if __name__ == "__main__":
    sys.exit(main())
