"""`/healthz` (the process is alive) and `/readyz` (it can serve).

Readiness depends only on what a request needs: the database and Redis. The broker and the background
workers (the outbox relay among them) are reported beside them but do not block: the outbox exists so that
writes survive a broker outage, and taking the service out of the balancer then would take public licence
verification down with it for nothing. So the answer is

- `ready` (200): every check is ok;
- `degraded` (200): the service serves, but the broker or a worker is failing (events wait in the outbox);
- `unavailable` (503): the database or Redis is failing.

The same checks set `regsys_dependency_up` in the metrics.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from regsys_runtime.runtime import Runtime

router = APIRouter(tags=["health"])

CHECK_TIMEOUT_SECONDS = 2.0
BLOCKING = ("database", "redis")  # without these no request can be served
NON_BLOCKING = ("broker", "workers")  # without these events wait, requests do not


@router.get("/healthz")
async def healthz(request: Request) -> dict[str, str]:
    runtime: Runtime = request.app.state.runtime
    if runtime.settings.settable_clock:  # a test stack: tell the tests what time the service keeps
        return {"status": "ok", "now": runtime.clock.now().isoformat()}
    return {"status": "ok"}


async def _check(probe: Awaitable[Any]) -> str:
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        detail = f": {exc}" if isinstance(exc, WorkerFailing) else ""  # others' messages may carry addresses
        return f"failing: {type(exc).__name__}{detail}"
    return "ok"


class WorkerFailing(RuntimeError):
    """A background worker is not doing its work (stopped, or its last round failed)."""


async def _database(runtime: Runtime) -> None:
    async with runtime.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def _broker(runtime: Runtime) -> None:
    await runtime.producer.client.fetch_all_metadata()


async def _workers(runtime: Runtime) -> None:
    if not runtime.healthy_tasks:
        raise WorkerFailing("a background worker stopped")
    if runtime.relay_error is not None:
        raise WorkerFailing(f"the outbox relay's last round failed ({runtime.relay_error})")


async def dependency_checks(runtime: Runtime) -> dict[str, str]:
    """Every check by name, "ok" or "failing: why"; also recorded as `regsys_dependency_up`."""
    results = await asyncio.gather(
        _check(_database(runtime)), _check(runtime.redis.ping()), _check(_broker(runtime)), _check(_workers(runtime))
    )
    checks = dict(zip((*BLOCKING, *NON_BLOCKING), results, strict=True))
    metrics = runtime.metrics
    for name, result in checks.items():
        metrics.dependency_up.labels(metrics.service, name).set(1 if result == "ok" else 0)
    return checks


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    checks = await dependency_checks(request.app.state.runtime)
    if any(checks[name] != "ok" for name in BLOCKING):
        return JSONResponse({"status": "unavailable", "checks": checks}, status_code=503)
    status = "ready" if all(v == "ok" for v in checks.values()) else "degraded"
    return JSONResponse({"status": status, "checks": checks}, status_code=200)
