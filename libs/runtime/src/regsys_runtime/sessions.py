"""Ended sessions: access tokens that still verify but no longer hold, because identity ended them.

Access tokens live for minutes and every service verifies them alone, so a sign-out, a password change or
a disabled account would leave them working until they expire. Identity announces each ending
(`SessionsEnded`); every service's consumer records it here, in the service's own Redis namespace, for as
long as a token issued before it could still be unexpired; the verifier refuses such tokens.
"""

from __future__ import annotations

from uuid import UUID

import redis.asyncio as aioredis

from contracts.identity.v1 import SessionsEnded
from regsys_runtime.settings import ServiceSettings

KEEP_SECONDS = 24 * 3600  # far longer than any access token lives


class EndedSessions:
    def __init__(self, redis: aioredis.Redis, settings: ServiceSettings) -> None:
        self._redis = redis
        self._settings = settings

    def _key(self, kind: str, id_: UUID) -> str:
        return self._settings.redis_key("ended", kind, str(id_))

    async def record(self, ended: SessionsEnded) -> None:
        """Remember the ending; a later ending of the same session or account replaces an earlier one."""
        key = self._key("session", ended.session_id) if ended.session_id else self._key("account", ended.account_id)
        at = ended.ended_at.timestamp()
        current = await self._redis.get(key)
        if current is None or float(current) < at:
            await self._redis.set(key, at, ex=KEEP_SECONDS)

    async def has_ended(self, *, account_id: UUID, session_id: UUID | None, issued_at: float) -> bool:
        """Whether a token of this account and session, issued at `issued_at`, was ended after it was issued."""
        keys = [self._key("account", account_id)] + ([self._key("session", session_id)] if session_id else [])
        return any(at is not None and issued_at < float(at) for at in await self._redis.mget(keys))
