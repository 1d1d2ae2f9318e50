"""CPU-heavy work (password hashing) off the event loop, in one bounded pool per process.

A coroutine that computes for tens of milliseconds holds every other request of its process for as long: a
sign-in storm would make `/healthz` and every page wait. Work that releases the GIL (argon2-cffi does) runs here
instead, at most one job per CPU at a time; the rest queue, so a storm cannot start more hashing than the machine
can do at once, and the event loop keeps a CPU's worth of time to answer everything else.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_pool: list[ThreadPoolExecutor] = []


def cpu_count() -> int:
    """The CPUs this process may run on (a container's CPU set, not the host's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _executor() -> ThreadPoolExecutor:
    if not _pool:
        _pool.append(ThreadPoolExecutor(max_workers=cpu_count(), thread_name_prefix="regsys-cpu"))
    return _pool[0]


async def off_loop(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`work(*args, **kwargs)` in the process's CPU pool; the caller's coroutine waits, the event loop does not."""
    return await asyncio.get_running_loop().run_in_executor(_executor(), partial(work, *args, **kwargs))
