"""Look-up caches of a process bounded in entries: when one is full, its older half goes.

The multiverse and the robustness sweep keep what they computed (solved codings, exclusions,
what a row reports of a coding, the claims' verdicts) in dicts of at most a fixed number of
entries.  Emptying a full cache at once made the last part of a long run compute again what it
had just computed (a worker of a 100,000-specification PPIP run filled its caches of 50,000
entries after about 40,000 specifications); ``make_room`` drops the entries put in first and
keeps the newer half, so that memory stays bounded by the same number of entries.  A cache only
spares work: the values are the same whatever it holds.

>>> cache = {k: k for k in range(4)}
>>> make_room(cache, 4); list(cache)
[2, 3]
"""
from __future__ import annotations

import itertools

__all__ = ["make_room"]


def make_room(cache: dict, limit: int) -> None:
    """When ``cache`` holds ``limit`` entries or more, drop the oldest (insertion order) until it
    holds half of ``limit``: room for at least one more entry."""
    if len(cache) >= limit:
        for key in list(itertools.islice(cache, len(cache) - limit // 2)):
            del cache[key]
