"""The one cache: results of pure steps, each reused only while every one of its inputs is equal.

The dev server owns a Cache and passes it down the pipeline; a plain build
uses NO_CACHE, which computes everything. A step is a pure function called as
cache.get(slot, step, *inputs): the step sees nothing but its inputs, and the
inputs are the key, so a result cannot outlive a change to anything it read.
A reader that collects errors goes through read(), which keeps its errors with
its value and reports them again whenever the value is reused.
Each slot keeps only its latest result, and slots a rebuild did not use are
dropped after it, so memory stays flat over thousands of saves.
"""

from __future__ import annotations

from .errors import gathered
from .parallel import run_all


def read(cache, slot, step, errors: list, *inputs):
    """Return step(errors, *inputs) through the cache, adding the errors it found (now or when first run) to errors."""
    value, found = cache.get(slot, gathered, step, *inputs)
    errors.extend(found)
    return value


def read_many(cache, step, requests: list[tuple], errors: list, workers: int = 1) -> list:
    """Return step(errors, *inputs) for each (slot, inputs) in order, adding the errors each found to errors."""
    values = []
    for value, found in cache.get_many(gathered, [(slot, (step, *inputs)) for slot, inputs in requests], workers):
        errors.extend(found)
        values.append(value)
    return values


class Cache:
    """Remembers the latest result of each slot with the inputs it was made from."""

    def __init__(self) -> None:
        self._slots: dict = {}
        self._used: set = set()

    def get(self, slot, step, *inputs):
        """Return step(*inputs), reusing the slot's last result while the inputs are equal."""
        hit = self._hit(slot, inputs)
        if hit is not None:
            return hit[1]
        result = step(*inputs)
        self._slots[slot] = (inputs, result)
        return result

    def get_many(self, step, requests: list[tuple], workers: int = 1):
        """Yield step(*inputs) for each (slot, inputs) in order, computing only the slots that changed."""
        results: list = [None] * len(requests)
        missing = []
        for i, (slot, inputs) in enumerate(requests):
            hit = self._hit(slot, inputs)
            if hit is not None:
                results[i] = hit[1]
            else:
                missing.append(i)
        for i, value in zip(missing, run_all(step, [requests[i][1] for i in missing], workers), strict=True):
            self._slots[requests[i][0]] = (requests[i][1], value)
            results[i] = value
        return results

    def _hit(self, slot, inputs) -> tuple | None:
        """Mark the slot used; return its (inputs, result) if it was made from equal inputs, else None."""
        self._used.add(slot)
        hit = self._slots.get(slot)
        return hit if hit is not None and hit[0] == inputs else None

    def sweep(self) -> None:
        """Forget the slots the last rebuild did not use (deleted pages, old settings)."""
        self._slots = {slot: hit for slot, hit in self._slots.items() if slot in self._used}
        self._used = set()


class _NoCache:
    """Computes every step: what a one-off build or check uses."""

    def get(self, slot, step, *inputs):
        """Return step(*inputs)."""
        return step(*inputs)

    def get_many(self, step, requests: list[tuple], workers: int = 1):
        """Yield step(*inputs) for each (slot, inputs), in order, on several cores if asked."""
        return run_all(step, [inputs for _, inputs in requests], workers)

    def sweep(self) -> None:
        """Nothing is kept."""


NO_CACHE = _NoCache()
