"""Running one pure step over many inputs on every core, for sites big enough to gain from it.

Worker processes are forked, so they start with the parent's data (the site, the compiled templates) without
copying it through pipes; only the results travel back. Small batches run in the calling process: starting
processes costs more than it saves below a few hundred pages.
"""

from __future__ import annotations

import gc
import os
import signal

SMALLEST_BATCH = 400  # items below which a batch runs in this process
CHUNK = 64  # items a worker takes at a time

_WORK: tuple = ()  # set in each worker by _receive: (step, inputs)


def cores() -> int:
    """Return how many cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run_all(step, inputs: list[tuple], workers: int = 1):
    """Yield step(*each), in order; on several cores when there are enough inputs.

    Read the results to the end (zip(..., strict=True) does): that is when the workers are stopped."""
    if workers <= 1 or len(inputs) < SMALLEST_BATCH or not hasattr(os, "fork"):
        for each in inputs:
            yield step(*each)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    gc.freeze()  # objects the workers inherit stay untouched by their collector, so their pages stay shared
    context = multiprocessing.get_context("fork")
    ranges = [(start, min(start + CHUNK, len(inputs))) for start in range(0, len(inputs), CHUNK)]
    # Ctrl+C reaches every process of the terminal's group: the workers are started with it blocked, so
    # only this process stops, cancels what is left and waits for the chunks already running.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_receive, initargs=(step, inputs))
        results = pool.map(_run_range, ranges)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    try:
        for chunk in results:
            yield from chunk
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _receive(step, inputs: list[tuple]) -> None:
    """Keep the step and its inputs in a worker (inherited through fork, never pickled)."""
    global _WORK
    _WORK = (step, inputs)


def _run_range(bounds: tuple[int, int]) -> list:
    """Run the step over one range of the inputs, in a worker."""
    step, inputs = _WORK
    return [step(*each) for each in inputs[bounds[0]:bounds[1]]]
