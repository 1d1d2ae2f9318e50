"""Failure counting in Redis: after too many failures within a window, a subject is locked for a while."""

from __future__ import annotations

from dataclasses import dataclass

import redis.asyncio as aioredis

from regsys_runtime.settings import ServiceSettings


class Locked(Exception):
    def __init__(self, retry_after: int, scope: str) -> None:
        super().__init__(f"{scope} locked")
        self.retry_after, self.scope = retry_after, scope


@dataclass(frozen=True)
class FailureLimit:
    scope: str  # what is counted: "login", "address", "qualification-code"
    max_failures: int
    window_seconds: int
    lock_seconds: int


class FailureCounter:
    def __init__(self, redis: aioredis.Redis, settings: ServiceSettings, limit: FailureLimit) -> None:
        self._redis, self._settings, self.limit = redis, settings, limit

    def _key(self, kind: str, subject: str) -> str:
        return self._settings.redis_key("failures", self.limit.scope, kind, subject)

    async def check(self, subject: str) -> None:
        ttl = int(await self._redis.ttl(self._key("lock", subject)))
        if ttl > 0:
            raise Locked(ttl, self.limit.scope)

    async def failed(self, subject: str) -> None:
        count_key = self._key("count", subject)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(count_key)
            pipe.expire(count_key, self.limit.window_seconds, nx=True)
            failures, _ = await pipe.execute()
        if int(failures) >= self.limit.max_failures:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(self._key("lock", subject), "1", ex=self.limit.lock_seconds)
                pipe.delete(count_key)
                await pipe.execute()

    async def cleared(self, subject: str) -> None:
        await self._redis.delete(self._key("count", subject))

    async def unlock(self, subject: str) -> None:
        """The person proved who they are another way (a recovery code): the lock goes."""
        await self._redis.delete(self._key("lock", subject))
