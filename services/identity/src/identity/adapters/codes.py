"""Verification and activation codes in Redis: stored as keyed digests, expiring, single use, attempt-limited."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import redis.asyncio as aioredis

from identity.adapters.keyed import Digester
from identity.domain.codes import (
    NO_CODE,
    CodeLimits,
    address_hourly_limit,
    destination_daily_limit,
    new_code,
    resend_too_soon,
    wrong_code,
)
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

# Admit a send only if every limit allows it, and only then count it and start the resend timer: a refused
# send leaves no trace (no timer, no count), and parallel sends cannot slip between the check and the count.
_ADMIT = """
local wait = redis.call('TTL', KEYS[1])
if wait > 0 then return {1, wait} end
local destination_cap, address_cap = tonumber(ARGV[2]), tonumber(ARGV[3])
if destination_cap >= 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= destination_cap then
  return {2, 0}
end
if address_cap >= 0 and tonumber(redis.call('GET', KEYS[3]) or '0') >= address_cap then
  return {3, 0}
end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[4])
if address_cap >= 0 then
  redis.call('INCR', KEYS[3])
  redis.call('EXPIRE', KEYS[3], ARGV[5])
end
return {0, 0}
"""


# windows start at midnight Beijing time, so "today" and "tomorrow" in the refusals mean the physician's day
BEIJING_OFFSET_SECONDS = 8 * 3600


@dataclass(frozen=True)
class _Window:
    """The fixed window `now` falls in, counted from midnight Beijing time at the Unix epoch (86 400 s: the
    Beijing day; 3600 s: the clock hour)."""

    seconds: int
    now: float

    @property
    def _since_start(self) -> float:
        return self.now + BEIJING_OFFSET_SECONDS

    @property
    def index(self) -> str:
        return str(int(self._since_start // self.seconds))

    @property
    def left(self) -> int:
        """Whole seconds until the next window starts (what Retry-After says), at least one."""
        return max(1, math.ceil(self.seconds - self._since_start % self.seconds))


class CodeBook:
    def __init__(self, redis: aioredis.Redis, settings: Settings) -> None:
        self._redis, self._settings = redis, settings
        self._digester = Digester(settings.secret_key.get_secret_value(), "codes")
        self._verify = redis.register_script(_VERIFY)
        self._admit = redis.register_script(_ADMIT)

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
        """Refuse a send that comes too soon after the last, beyond today's cap for the destination, or beyond this
        hour's cap for the client address; a refused send starts no resend timer and counts for nothing."""
        sent_to, now = self._digester.digest("destination", destination), time.time()
        daily = _Window(limits.per_destination_window_seconds, now)
        hourly = _Window(limits.per_address_window_seconds, now)
        keys = [
            self._key("code-resend", purpose, sent_to),
            self._key("codes-sent", "destination", sent_to, str(daily.seconds), daily.index),
            self._key("codes-sent", "address", address or "-", str(hourly.seconds), hourly.index),
        ]
        caps = [limits.per_destination_daily, limits.per_address_hourly if address is not None else None]
        # a window's count outlives its window a little, so that a clock a second off still finds it
        lives = [daily.left + 60, hourly.left + 60]
        args = [limits.resend_after_seconds, *(-1 if cap is None else cap for cap in caps), *lives]
        refusal, wait = (int(v) for v in await self._admit(keys=keys, args=args))
        if refusal == 1:
            raise resend_too_soon(max(1, wait))
        if refusal == 2:
            raise destination_daily_limit(daily.left)
        if refusal == 3:
            raise address_hourly_limit(hourly.left)
