"""`/metrics`: the counters as they stand, and the state gauges sampled at the moment Prometheus scrapes.

Sampling at scrape time rather than on a timer: the values are as fresh as the scrape, and a service nobody
scrapes does no work for it. Each sample is bounded, and one that fails leaves its gauges as they were, so a
database or broker outage slows a scrape by at most the check timeout and never fails it.

With replicas, the outbox gauges (one table) and the dependency gauges are the same in every replica: take
their `max`. Consumer lag is per partition the replica holds: `sum` over replicas is the group's lag.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select

from regsys_runtime.health import dependency_checks
from regsys_runtime.runtime import Runtime

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

SAMPLE_TIMEOUT_SECONDS = 3.0


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    await sample(runtime)
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)


async def sample(runtime: Runtime) -> None:
    """Bring the state gauges up to date: outbox, consumer lag, dependencies, pool."""
    await asyncio.gather(
        _bounded(sample_outbox(runtime), "outbox"),
        _bounded(sample_lag(runtime), "consumer lag"),
        _bounded(dependency_checks(runtime), "dependencies"),
    )
    sample_pool(runtime)


async def _bounded(sampling: Awaitable[object], what: str) -> None:
    try:
        await asyncio.wait_for(sampling, SAMPLE_TIMEOUT_SECONDS)
    except Exception as exc:
        log.warning("could not sample %s for the metrics", what, extra={"error": type(exc).__name__})


async def sample_outbox(runtime: Runtime) -> None:
    outbox, m = runtime.messaging.outbox, runtime.metrics
    query = select(func.count(), func.extract("epoch", func.now() - func.min(outbox.c.created_at))).where(
        outbox.c.published_at.is_(None)
    )
    async with runtime.engine.connect() as conn:
        backlog, oldest = (await conn.execute(query)).one()
    m.outbox_backlog.labels(m.service).set(backlog)
    m.outbox_oldest_age.labels(m.service).set(max(0.0, float(oldest or 0)))


async def sample_lag(runtime: Runtime) -> None:
    m = runtime.metrics
    lags = await runtime.consumer_lag()
    m.consumer_lag.clear()  # partitions another replica took over are not this one's to report
    for tp, lag in lags.items():
        m.consumer_lag.labels(m.service, tp.topic, str(tp.partition)).set(lag)


def sample_pool(runtime: Runtime) -> None:
    m, pool = runtime.metrics, runtime.engine.sync_engine.pool
    checked_out = getattr(pool, "checkedout", lambda: 0)()
    checked_in = getattr(pool, "checkedin", lambda: 0)()
    capacity = getattr(pool, "size", lambda: 0)() + getattr(pool, "_max_overflow", 0)
    for state, value in (("in_use", checked_out), ("idle", checked_in), ("capacity", capacity)):
        m.pool.labels(m.service, state).set(value)
