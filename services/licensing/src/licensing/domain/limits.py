"""Limits on what one client may ask of the public endpoints: a burst and a sustained rate, each a window."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """At most `requests` in each window of `seconds`."""

    name: str
    requests: int
    seconds: int


@dataclass(frozen=True)
class Budget:
    """The limits of one kind of public request, all of which must hold."""

    purpose: str
    limits: tuple[Limit, ...]


@dataclass(frozen=True)
class Usage:
    """How many requests a window has counted, and the seconds until it starts again."""

    limit: Limit
    count: int
    resets_in: int


def retry_after(usages: Iterable[Usage]) -> int | None:
    """Seconds until a refused request may succeed (the latest reset of a window over its limit); None if
    every window is within its limit."""
    over = [max(1, u.resets_in) for u in usages if u.count > u.limit.requests]
    return max(over) if over else None
