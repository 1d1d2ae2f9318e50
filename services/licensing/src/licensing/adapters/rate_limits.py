"""Counting requests per client in Redis, so that every replica counts against the same windows."""

from __future__ import annotations

from collections.abc import Sequence

import redis.asyncio as aioredis

from licensing.domain.limits import Limit, Usage


async def count(redis: aioredis.Redis, *, windows: Sequence[tuple[str, Limit]]) -> list[Usage]:
    """Count one more request in each (key, limit) window; a window's key lives as long as the window."""
    async with redis.pipeline(transaction=True) as pipe:
        for key, limit in windows:
            pipe.set(key, 0, ex=limit.seconds, nx=True)
            pipe.incr(key)
            pipe.ttl(key)
        replies = await pipe.execute()
    return [Usage(limit, int(replies[3 * i + 1]), int(replies[3 * i + 2])) for i, (_, limit) in enumerate(windows)]
