"""What institutions' routes and handlers need, built once when the runtime has started; tests build the same."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from regsys_runtime.clock import Clock
from regsys_runtime.db import UnitOfWork
from regsys_runtime.runtime import Runtime


@dataclass(frozen=True)
class Dependencies:
    uow: Callable[[], UnitOfWork]
    clock: Clock


def bootstrap(runtime: Runtime) -> Dependencies:
    return Dependencies(uow=runtime.uow, clock=runtime.clock)
