"""Running build.py's commands as users run them, and checking what they printed and touched.

Three ways to run a command, the same main() each time:

- in_process(): build.py's main() called in the test process, its output captured, its working folder,
  environment and signal handlers restored afterwards. Milliseconds; for every command that needs no
  process of its own.
- forked(): main() in a forked child of the test process (stdin closed, its own working folder, output to
  files): exit status and output as `python build.py ...` gives them, without ~0.2 s of interpreter start-up,
  and a child that hangs is killed after the timeout. For inputs that could block (a named pipe, a
  10 GB file) and for commands run at the same time.
- process(): `python build.py ...` as a real process, optionally made subject to file permissions
  (setpriv without the capabilities that let root ignore them). For permissions, signals and the dev server.

BOUNDARY_REAL_PROCESSES=1 makes every command a real process.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # seconds any one command may take: the suite checks only that nothing hangs
REAL = os.environ.get("BOUNDARY_REAL_PROCESSES") == "1"
UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


@dataclass
class Run:
    """What one command did."""

    args: tuple
    code: int
    out: str
    err: str
    seconds: float

    def __str__(self) -> str:
        return f"build.py {' '.join(map(str, self.args))} -> exit {self.code}\n--- stdout\n{_tail(self.out)}" \
               f"\n--- stderr\n{_tail(self.err)}"


def _tail(text: str, lines: int = 12) -> str:
    """Return the last lines of a command's output (a traceback's last line is its point)."""
    kept = text.rstrip("\n").split("\n")[-lines:]
    return "\n".join(line[:300] for line in kept)


def _args(args) -> tuple:
    """Return command-line arguments as strings."""
    return tuple(str(a) if isinstance(a, Path) else a for a in args)


_BUILD = None


def load_build():
    """Return the build.py module, loaded once in the test process (forked children share it)."""
    global _BUILD
    if _BUILD is None:
        spec = importlib.util.spec_from_file_location("jbcc_build_main", REPO / "build.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        # Import what the commands import lazily, so each run starts warm: the measured work is the command's.
        for name in ("microsite.pipeline", "microsite.commands", "microsite.serve", "microsite.writer",
                     "microsite.urls", "opencc"):
            try:
                __import__(name)
            except Exception:  # a module being rewritten: the command imports it and shows the error
                pass
        _BUILD = module
    return _BUILD


def load_main():
    """Return build.py's main()."""
    return load_build().main


def usage_exit(args, cwd: Path) -> int | None:
    """Return the exit status build.py's command line gives these arguments before running anything (2 for wrong
    usage, 0 for --help), or None if they are a command to run."""
    here = os.getcwd()
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            load_build().parse_args(list(_args(args)))
    except SystemExit as exit_:
        return exit_.code or 0
    finally:
        os.chdir(here)
    return None


def run(*args, cwd: Path | None = None, env: dict | None = None, real: bool = REAL, unprivileged: bool = False,
        timeout: float = TIMEOUT, fork: bool = False) -> Run:
    """Run build.py with these arguments: in this process unless it needs a process of its own."""
    args = _args(args)
    cwd = cwd or Path(tempfile.gettempdir())
    if real or unprivileged:
        return process(*args, cwd=cwd, env=env, unprivileged=unprivileged, timeout=timeout)
    if fork or "serve" in args[:1]:
        return forked(*args, cwd=cwd, env=env, timeout=timeout)
    return in_process(*args, cwd=cwd, env=env)


def process(*args, cwd: Path, env: dict | None = None, unprivileged: bool = False, timeout: float = TIMEOUT) -> Run:
    """Run `python build.py ...` as a process (made subject to file permissions if asked)."""
    args = _args(args)
    prefix = UNPRIVILEGED if unprivileged and os.geteuid() == 0 else []
    started = time.monotonic()
    try:
        proc = subprocess.run([*prefix, sys.executable, str(REPO / "build.py"), *args], cwd=cwd,
                              env={**os.environ, **(env or {})}, capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"build.py {' '.join(args)} did not finish within {timeout} s")
    return Run(args, proc.returncode, proc.stdout.decode("utf-8", "backslashreplace"),
               proc.stderr.decode("utf-8", "backslashreplace"), time.monotonic() - started)


@contextlib.contextmanager
def _as_a_command(cwd: Path, env: dict | None):
    """Give main() what the interpreter would: a working folder, an environment, UTF-8 streams, stdin closed;
    put the test process's own back afterwards (main() changes signal handlers)."""
    saved = (os.getcwd(), dict(os.environ), sys.stdin, sys.stdout, sys.stderr,
             {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE)})
    out, err = io.BytesIO(), io.BytesIO()
    streams = ()
    try:
        os.chdir(cwd)
        os.environ.update(env or {})
        sys.stdin = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        streams = (io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True),
                   io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True))
        sys.stdout, sys.stderr = streams
        signal.signal(signal.SIGINT, signal.default_int_handler)
        yield out, err
    finally:
        for stream in streams:
            stream.flush()
            stream.detach()  # the bytes stay readable after the wrapper is gone
        os.chdir(saved[0])
        os.environ.clear()
        os.environ.update(saved[1])
        sys.stdin, sys.stdout, sys.stderr = saved[2:5]
        for signum, handler in saved[5].items():
            signal.signal(signum, handler)


def in_process(*args, cwd: Path, env: dict | None = None) -> Run:
    """Run build.py's main() in this process; an uncaught exception is printed as the interpreter would."""
    args = _args(args)
    assert "serve" not in args[:1], "the dev server runs as a process: use forked() or DevServer"
    main = load_main()
    started = time.monotonic()
    with _as_a_command(cwd, env) as (out, err):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
            if isinstance(exit_.code, str):
                print(exit_.code, file=sys.stderr)
        except Exception:  # what the interpreter does with an uncaught exception
            traceback.print_exc()
            code = 1
    return Run(args, code, out.getvalue().decode("utf-8", "backslashreplace"),
               err.getvalue().decode("utf-8", "backslashreplace"), time.monotonic() - started)


def forked(*args, cwd: Path, env: dict | None = None, timeout: float = TIMEOUT) -> Run:
    """Run build.py's main() in a forked child, as `python build.py ...` would run it."""
    return _finish(_start(_args(args), cwd, env), timeout)


def _start(args: tuple, cwd: Path, env: dict | None):
    """Fork a child that runs main(args); return what _finish needs."""
    main = load_main()
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.chdir(cwd)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            os.environ.update(env or {})
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            # The interpreter's own streams: UTF-8, strict on stdout, backslashreplace on stderr.
            sys.stdin = open(0, "r", encoding="utf-8", closefd=False)
            sys.stdout = open(1, "w", encoding="utf-8", errors="strict", closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
            try:
                code = main(list(args))
            except SystemExit as exit_:
                if exit_.code is None or isinstance(exit_.code, int):
                    code = exit_.code or 0
                else:
                    print(exit_.code, file=sys.stderr)
                    code = 1
            except BaseException:  # what the interpreter does with an uncaught exception
                traceback.print_exc()
                code = 1
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except BaseException:
                    traceback.print_exc(file=open(2, "w", closefd=False))
                    code = 1
        finally:
            os._exit(code if isinstance(code, int) and 0 <= code < 256 else 1)
    return args, pid, out, err, started


def _finish(child, timeout: float) -> Run:
    """Wait for a forked child (killing it after timeout s) and collect what it printed."""
    args, pid, out, err, started = child
    deadline = started + timeout
    delay = 0.0005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"build.py {' '.join(args)} did not finish within {timeout} s")
        time.sleep(delay)
        delay = min(delay * 2, 0.005)
    code = os.waitstatus_to_exitcode(status)
    texts = []
    for f in (out, err):
        f.seek(0)
        texts.append(f.read().decode("utf-8", "backslashreplace"))
        f.close()
    return Run(args, code, texts[0], texts[1], time.monotonic() - started)


def run_together(commands: list[tuple], cwd: Path, unprivileged: bool = False) -> list[Run]:
    """Run several commands at once, each in its own process; return their results in order.

    Only for commands that touch different files: check and status write nothing, build only its output."""
    commands = [_args(args) for args in commands]
    if not (REAL or unprivileged):
        children = [_start(args, cwd, None) for args in commands]
        return [_finish(child, TIMEOUT) for child in children]
    prefix = UNPRIVILEGED if unprivileged and os.geteuid() == 0 else []
    started = time.monotonic()
    procs = [subprocess.Popen([*prefix, sys.executable, str(REPO / "build.py"), *args], cwd=cwd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for args in commands]
    results = []
    for args, proc in zip(commands, procs):
        try:
            out, err = proc.communicate(timeout=max(1.0, started + TIMEOUT - time.monotonic()))
        except subprocess.TimeoutExpired:
            for other in procs:
                other.kill()
            pytest.fail(f"build.py {' '.join(args)} did not finish within {TIMEOUT} s")
        results.append(Run(args, proc.returncode, out.decode("utf-8", "backslashreplace"),
                           err.decode("utf-8", "backslashreplace"), time.monotonic() - started))
    return results


# --- Snapshots -----------------------------------------------------------------------------------------

def snap(folder: Path) -> dict:
    """Return every entry under folder (but .cache/ folders): kind, permissions, and what identifies its bytes.

    A regular file is identified by its inode, size and modification time (any write changes them; a build
    that rewrites a file with the same bytes counts as a change, as it should); a link by its target. Names
    are bytes (a name need not be valid UTF-8); FIFOs, sockets and sparse files are never opened."""
    found = {}
    base = os.fsencode(folder)
    for dirpath, dirnames, filenames in os.walk(base, onerror=lambda err: None):
        rel_dir = os.path.relpath(dirpath, base)
        dirnames[:] = [d for d in dirnames if d != b".cache"]  # the compiled-template cache may change
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.join(rel_dir, name)).decode("utf-8", "surrogateescape")
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                value = (info.st_ino, info.st_size, info.st_mtime_ns)
            elif stat.S_ISLNK(info.st_mode):
                value = os.readlink(path)
            else:
                value = None
            found[rel] = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), value)
    return found


def without(entries: dict, *prefixes: str) -> dict:
    """Return a snapshot without the entries at or below the given relative paths."""
    return {rel: value for rel, value in entries.items()
            if not any(rel == p or rel.startswith(p.rstrip("/") + "/") for p in prefixes)}


def differences(before: dict, after: dict) -> list[str]:
    """Describe what changed between two snapshots, one line per path."""
    lines = [f"added {rel}" for rel in sorted(after.keys() - before.keys())]
    lines += [f"removed {rel}" for rel in sorted(before.keys() - after.keys())]
    lines += [f"changed {rel}" for rel in sorted(before.keys() & after.keys()) if before[rel] != after[rel]]
    return lines


def assert_unchanged(before: dict, after: dict, run_: Run, what: str = "the project") -> None:
    """Fail, listing the paths, if anything in a snapshot changed."""
    changed = differences(before, after)
    assert not changed, f"{what} changed: {changed[:20]}\n{run_}"


# --- What a message must say --------------------------------------------------------------------------

def path_line(path: str, line: int | None = None) -> re.Pattern:
    """Return the pattern of a message line that starts by naming path (a trailing /* allows any path below)."""
    if path.endswith("/*"):
        name = re.escape(path[:-1]) + r"[^\s:]*"
    else:
        name = re.escape(path) + "/?"
    where = f":{line}" if line is not None else r"(?::\d+)?"
    return re.compile(rf"(?m)^{name}{where}: \S")


def names(text: str, blame, line: int | None = None) -> bool:
    """Say whether a message names one of the blamed paths (at the line, if given)."""
    return any(path_line(b, line).search(text) for b in ((blame,) if isinstance(blame, str) else blame))


def no_traceback(run_: Run) -> None:
    """The one thing no command may ever print."""
    assert "Traceback" not in run_.out + run_.err, str(run_)


def assert_names(run_: Run, blame, line: int | None = None) -> None:
    """The message must name the file (and line) at fault."""
    assert names(run_.err, blame, line), f"the message does not name {blame}{f':{line}' if line else ''}\n{run_}"


def line_of(project: Path, rel: str, needle: str) -> int:
    """Return the 1-based line of the first occurrence of needle (^needle: at the start of a line) in a file."""
    data = (project / rel).read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
    data = data.replace("\r\n", "\n").replace("\r", "\n")
    if needle.startswith("^"):
        found = re.search("(?m)^" + re.escape(needle[1:]), data)
        index = found.start() if found else -1
    else:
        index = data.find(needle)
    assert index >= 0, f"{needle!r} not in {rel}"
    return data[:index].count("\n") + 1
