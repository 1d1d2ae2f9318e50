"""Counting in Redis: failures that lock a subject for a while, failures that only raise the bar (a captcha), and
request rates per client. Shared by every replica, every key with a TTL."""

from __future__ import annotations

from dataclasses import dataclass

import redis.asyncio as aioredis

from regsys_runtime import rate_limits
from regsys_runtime.settings import ServiceSettings


class Locked(Exception):
    def __init__(self, retry_after: int, scope: str) -> None:
        super().__init__(f"{scope} locked")
        self.retry_after, self.scope = retry_after, scope


@dataclass(frozen=True)
class FailureLimit:
    scope: str  # what is counted: "login", "address", "certificate-code"
    max_failures: int
    window_seconds: int
    lock_seconds: int  # 0: never locks; the count only tells how many failures the window holds


class FailureCounter:
    def __init__(self, redis: aioredis.Redis, settings: ServiceSettings, limit: FailureLimit) -> None:
        self._redis, self._settings, self.limit = redis, settings, limit

    def _key(self, kind: str, subject: str) -> str:
        return self._settings.redis_key("failures", self.limit.scope, kind, subject)

    async def lock_seconds(self, subject: str) -> int:
        """How long the subject stays locked (0: it is not)."""
        return max(0, int(await self._redis.ttl(self._key("lock", subject))))

    async def check(self, subject: str) -> None:
        if ttl := await self.lock_seconds(subject):
            raise Locked(ttl, self.limit.scope)

    async def count(self, subject: str) -> int:
        """Failures within the current window."""
        return int(await self._redis.get(self._key("count", subject)) or 0)

    async def reached(self, subject: str) -> bool:
        return await self.count(subject) >= self.limit.max_failures

    async def failed(self, subject: str) -> None:
        count_key = self._key("count", subject)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(count_key)
            pipe.expire(count_key, self.limit.window_seconds, nx=True)
            failures, _ = await pipe.execute()
        if self.limit.lock_seconds and int(failures) >= self.limit.max_failures:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(self._key("lock", subject), "1", ex=self.limit.lock_seconds)
                pipe.delete(count_key)
                await pipe.execute()

    async def cleared(self, subject: str) -> None:
        await self._redis.delete(self._key("count", subject))

    async def unlock(self, subject: str) -> None:
        """The person proved who they are another way (a recovery code), or an operator lifted the lock: the lock
        and the failures counted towards the next one go."""
        await self._redis.delete(self._key("lock", subject), self._key("count", subject))


@dataclass(frozen=True)
class Window:
    max_requests: int
    seconds: int


class RateLimit:
    """At most `max_requests` per subject in each fixed window (a short one against bursts, a long one against a
    steady drip); beyond it, Locked with the seconds until the window turns. A refused request is not counted."""

    def __init__(self, redis: aioredis.Redis, settings: ServiceSettings, scope: str, *windows: Window) -> None:
        self._redis, self._settings, self._scope, self._windows = redis, settings, scope, windows

    async def hit(self, subject: str) -> None:
        windows = [
            rate_limits.Window(
                self._settings.redis_key("rate", self._scope, str(w.seconds), subject), w.max_requests, w.seconds
            )
            for w in self._windows
        ]
        if (seconds := rate_limits.retry_after(await rate_limits.count_if_room(self._redis, windows))) is not None:
            raise Locked(seconds, self._scope)
