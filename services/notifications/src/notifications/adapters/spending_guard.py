"""The SMS spending guard: caps per recipient and for the whole deployment, counted in Redis per window."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis.asyncio as aioredis


@dataclass(frozen=True)
class Cap:
    limit: int
    window_seconds: int


class SmsSpendingGuard:
    """Admits an SMS only while both caps hold; every admitted or refused attempt at a recipient counts."""

    def __init__(self, redis: aioredis.Redis, *, key: Callable[..., str], per_recipient: Cap, overall: Cap) -> None:
        self._redis = redis
        self._key = key  # settings.redis_key: namespaced by deployment and service
        self._per_recipient, self._overall = per_recipient, overall

    async def refusal(self, phone: str) -> str | None:
        """None when the SMS may go; otherwise why it may not."""
        digest = hashlib.sha256(phone.encode()).hexdigest()[:24]  # no phone numbers in Redis keys
        if await self._count("sms-cap", "recipient", digest, cap=self._per_recipient) > self._per_recipient.limit:
            return (
                f"spending guard: more than {self._per_recipient.limit} SMS to this recipient "
                f"within {self._per_recipient.window_seconds}s"
            )
        if await self._count("sms-cap", "global", cap=self._overall) > self._overall.limit:
            return (
                f"spending guard: more than {self._overall.limit} SMS in total within {self._overall.window_seconds}s"
            )
        return None

    async def _count(self, *parts: str, cap: Cap) -> int:
        window = int(time.time()) // cap.window_seconds
        key = self._key(*parts, str(window))
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, cap.window_seconds * 2)
            count, _ = await pipe.execute()
        return int(count)
