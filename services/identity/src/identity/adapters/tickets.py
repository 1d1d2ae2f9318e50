"""Short-lived single-use tickets in Redis (registration in progress, e-mail links, a proven old phone)."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

import redis.asyncio as aioredis

from regsys_runtime.settings import ServiceSettings


class Tickets:
    """A ticket is a random token; Redis keeps only its hash, so a copy of Redis holds nothing usable."""

    def __init__(self, redis: aioredis.Redis, settings: ServiceSettings, kind: str) -> None:
        self._redis, self._settings, self._kind = redis, settings, kind

    def _key(self, token: str) -> str:
        return self._settings.redis_key("ticket", self._kind, hashlib.sha256(token.encode()).hexdigest())

    async def open(self, payload: dict[str, Any], *, seconds: int, token: str | None = None) -> str:
        token = token or secrets.token_urlsafe(24)
        await self._redis.set(self._key(token), json.dumps(payload), ex=seconds)
        return token

    async def read(self, token: str) -> dict[str, Any] | None:
        found = await self._redis.get(self._key(token))
        return json.loads(found) if found is not None else None

    async def take(self, token: str) -> dict[str, Any] | None:
        """The payload, once: the ticket is gone afterwards."""
        found = await self._redis.getdel(self._key(token))
        return json.loads(found) if found is not None else None
