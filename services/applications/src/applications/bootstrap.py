"""What the use cases of applications need, wired once from the runtime; tests build the same."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from regsys_runtime.clock import Clock
from regsys_runtime.db import UnitOfWork
from regsys_runtime.runtime import Runtime


@dataclass(frozen=True)
class Dependencies:
    uow: Callable[[], UnitOfWork]  # a new unit of work per use case
    clock: Clock


def bootstrap(runtime: Runtime) -> Dependencies:
    return Dependencies(uow=runtime.uow, clock=runtime.clock)
