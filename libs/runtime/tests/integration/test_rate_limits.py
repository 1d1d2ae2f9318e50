"""The shared fixed-window counter against a real Redis: a refused request counts for nothing."""

import asyncio
import uuid

import pytest
import redis.asyncio as aioredis

from devstack.infra import Infra
from regsys_runtime.rate_limits import Window, count_if_room, retry_after

pytestmark = pytest.mark.integration


async def test_a_client_that_waits_its_retry_after_gets_every_place_of_the_windows(infra: Infra):
    redis = aioredis.from_url(infra.redis_url)
    key = f"test:rate:{uuid.uuid4().hex}"
    burst, sustained = Window(f"{key}:burst", 2, 1), Window(f"{key}:sustained", 3, 60)

    async def ask() -> int | None:
        return retry_after(await count_if_room(redis, [burst, sustained]))

    try:
        assert [await ask(), await ask()] == [None, None]
        refused = [await ask() for _ in range(5)]  # hammering while refused
        assert refused == [1] * 5
        await asyncio.sleep(1.1)
        assert await ask() is None  # the burst window turned; the five refusals took no sustained place
        waits = await ask()
        assert waits is not None and 55 <= waits <= 60  # three admitted: the sustained window is full
        assert int(await redis.get(sustained.key)) == 3
        assert 0 < await redis.ttl(sustained.key) <= 60
    finally:
        await redis.delete(burst.key, sustained.key)
        await redis.aclose()
