"""`/healthz` (the process is alive) and `/readyz` (it can reach its database, Redis and the broker)."""

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
        return f"failing: {type(exc).__name__}"
    return "ok"


async def _database(runtime: Runtime) -> None:
    async with runtime.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def _broker(runtime: Runtime) -> None:
    await runtime.producer.client.fetch_all_metadata()


async def _workers(runtime: Runtime) -> None:
    if not runtime.healthy_tasks:
        raise RuntimeError("a background worker stopped")


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    runtime: Runtime = request.app.state.runtime
    names = ("database", "redis", "broker", "workers")
    results = await asyncio.gather(
        _check(_database(runtime)), _check(runtime.redis.ping()), _check(_broker(runtime)), _check(_workers(runtime))
    )
    checks = dict(zip(names, results, strict=True))
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks}, status_code=200 if ready else 503
    )
