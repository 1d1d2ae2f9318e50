"""What the licensing service is built from, once per process: routes, handlers and jobs receive it, tests swap it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import redis.asyncio as aioredis

from licensing.service import expiry, licences
from licensing.service.office import LicenceOffice
from licensing.settings import Settings
from regsys_runtime.clock import Clock
from regsys_runtime.db import Reads, UnitOfWork
from regsys_runtime.runtime import Runtime


@dataclass(frozen=True)
class Dependencies:
    uow: Callable[[], UnitOfWork]  # a new unit of work for each use case
    reads: Callable[[], Reads]  # for the use cases that only read: the public verification, one round trip
    clock: Clock
    office: LicenceOffice  # the licence's settings, the sealed keys' secret, the public keys cached here
    redis: aioredis.Redis  # the signed status lists, cached
    settings: Settings


def bootstrap(runtime: Runtime, settings: Settings, *, clock: Clock | None = None) -> Dependencies:
    return Dependencies(
        uow=runtime.uow,
        reads=runtime.reads,
        clock=clock or runtime.clock,
        office=LicenceOffice.of(settings),
        redis=runtime.redis,
        settings=settings,
    )


async def first_signing_key(runtime: Runtime, deps: Dependencies) -> None:
    """The first licence-signing key, on the first start."""
    await licences.ensure_signing_key(uow=deps.uow(), office=deps.office, now=deps.clock.now())


async def multi_site_expiry(runtime: Runtime, deps: Dependencies) -> None:
    """Start the periodic job that ends multi-site filings whose period is over."""
    runtime.spawn(
        lambda: expiry.run_periodically(
            uow_factory=deps.uow,
            interval_seconds=deps.settings.multi_site_expiry_interval_seconds,
            office=deps.office,
            clock=deps.clock,
        ),
        "multi-site expiry",
    )


ON_START = (first_signing_key, multi_site_expiry)
