"""Memoizing pure steps by their input, keeping one result per source file.

An editor's session makes thousands of versions of the same few files; keeping
only the latest version's result per file keeps the dev server's memory flat.
"""

from __future__ import annotations

import functools


def latest_per_key(func):
    """Memoize func(key, value, *rest): reuse the result while value is unchanged for that key."""
    cache: dict = {}

    @functools.wraps(func)
    def wrapper(key, value, *rest):
        slot = (key, *rest)
        hit = cache.get(slot)
        if hit is not None and hit[0] == value:
            return hit[1]
        result = func(key, value, *rest)
        cache[slot] = (value, result)
        return result

    wrapper.cache_clear = cache.clear
    return wrapper
