"""Verification and activation codes in Redis: stored as keyed digests, expiring, single use, attempt-limited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import redis.asyncio as aioredis

from identity.adapters.keyed import Digester
from identity.domain.codes import NO_CODE, CodeLimits, CodeRejected, new_code, wrong_code
from identity.settings import Settings

# Compare and count in one step, so that parallel guesses cannot share a try.
_VERIFY = """
local stored = redis.call('HGET', KEYS[1], 'digest')
if not stored then return -1 end
if stored == ARGV[1] then redis.call('DEL', KEYS[1]) return -2 end
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
local left = tonumber(ARGV[2]) - tries
if left <= 0 then redis.call('DEL', KEYS[1]) end
return left
"""


def _seconds_to_midnight(now: datetime) -> int:
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return int((midnight - now).total_seconds()) + 1


class CodeBook:
    def __init__(self, redis: aioredis.Redis, settings: Settings) -> None:
        self._redis, self._settings = redis, settings
        self._digester = Digester(settings.secret_key.get_secret_value(), "codes")
        self._verify = redis.register_script(_VERIFY)

    def _key(self, *parts: str) -> str:
        return self._settings.redis_key(*parts)

    async def issue(
        self, *, purpose: str, subject: str, destination: str, address: str | None, limits: CodeLimits
    ) -> str:
        """A new code for `subject` (an account), bound to `purpose` and `destination`; the previous one is void."""
        await self.admit(purpose=purpose, destination=destination, address=address, limits=limits)
        code = new_code()
        key = self._key("code", purpose, subject)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping={"digest": self._digester.digest(purpose, subject, destination, code), "tries": 0})
            pipe.expire(key, limits.ttl_seconds)
            await pipe.execute()
        return code

    async def redeem(self, *, purpose: str, subject: str, destination: str, code: str, limits: CodeLimits) -> None:
        """Accept the code once, or raise CodeRejected saying why."""
        digest = self._digester.digest(purpose, subject, destination, code.strip())
        outcome = int(
            await self._verify(keys=[self._key("code", purpose, subject)], args=[digest, limits.max_wrong_tries])
        )
        if outcome == -2:
            return
        if outcome == -1:
            raise NO_CODE
        raise wrong_code(outcome)

    async def admit(self, *, purpose: str, destination: str, address: str | None, limits: CodeLimits) -> None:
        """Refuse a send that comes too soon after the last, or beyond today's cap for the destination or address."""
        sent_to = self._digester.digest("destination", destination)
        await self._hold_back(f"{purpose}:{sent_to}", limits.resend_after_seconds)
        await self._count_today("destination", sent_to, limits.per_destination_daily)
        if address is not None:
            await self._count_today("address", address, limits.per_address_daily)

    async def _hold_back(self, name: str, seconds: int) -> None:
        key = self._key("code-resend", name)
        if not await self._redis.set(key, "1", nx=True, ex=seconds):
            wait = max(1, int(await self._redis.ttl(key)))
            raise CodeRejected(
                "code-resend-too-soon", f"A code was sent moments ago; ask again in {wait} seconds.", retry_after=wait
            )

    async def _count_today(self, scope: str, name: str, cap: int | None) -> None:
        if cap is None:
            return
        now = datetime.now(UTC)
        key = self._key("codes-sent", scope, name, now.date().isoformat())
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, 86_400 + 3_600)
            sent, _ = await pipe.execute()
        if int(sent) > cap:
            raise CodeRejected(
                "code-daily-limit",
                f"No more codes can be sent to this {scope} today; try again tomorrow.",
                retry_after=_seconds_to_midnight(now),
            )
