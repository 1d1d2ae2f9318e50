"""Limits on what one client may ask of the public endpoints: a burst and a sustained rate, each a window."""

from __future__ import annotations

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
