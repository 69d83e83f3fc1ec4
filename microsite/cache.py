"""The one cache: results of pure steps, each reused only while every one of its inputs is equal.

The dev server owns a Cache and passes it down; a plain build uses NO_CACHE. A step, cache.get(slot, step, *inputs),
sees nothing but its inputs and they are the key, so a result cannot outlive a change to anything it read. read()
keeps a reader's errors with its value and reports them again on reuse. Each slot keeps only its latest result;
sweep() drops the slots a rebuild did not use, so memory stays flat over thousands of saves.
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
    results = list(cache.get_many(gathered, [(slot, (step, *inputs)) for slot, inputs in requests], workers))
    errors.extend(error for _, found in results for error in found)
    return [value for value, _ in results]


class Cache:
    """Remembers the latest result of each slot with the inputs it was made from."""

    def __init__(self) -> None:
        self._slots: dict = {}
        self._used: set = set()

    def get(self, slot, step, *inputs):
        """Return step(*inputs), reusing the slot's last result while the inputs are equal."""
        hit = self._hit(slot, inputs)
        if hit is None:
            hit = self._slots[slot] = (inputs, step(*inputs))
        return hit[1]

    def get_many(self, step, requests: list[tuple], workers: int = 1):
        """Yield step(*inputs) for each (slot, inputs) in order, computing only the slots that changed."""
        hits = [self._hit(slot, inputs) for slot, inputs in requests]
        missing = [i for i, hit in enumerate(hits) if hit is None]
        for i, value in zip(missing, run_all(step, [requests[i][1] for i in missing], workers), strict=True):
            hits[i] = self._slots[requests[i][0]] = (requests[i][1], value)
        return [hit[1] for hit in hits]

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
