"""Fixed windows of requests counted in Redis, shared by every replica: the one counter behind the services' limits.

A request is counted only if every window it falls in still has room. A refused request leaves no trace, so a
client that waits the Retry-After it was given is admitted exactly as often as the limit says, and hammering
while refused does not push the window's end further away. Each window starts with its first admitted request
and its key lives as long as the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import redis.asyncio as aioredis

# Read every window; only if each has room, count the request in all of them. One script: parallel requests
# cannot both take a window's last place.
_COUNT_IF_ROOM = """
local places, ends, room = {}, {}, true
for i, key in ipairs(KEYS) do
  local limit, seconds = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  places[i] = tonumber(redis.call('GET', key) or '0') + 1
  ends[i] = redis.call('TTL', key)
  if ends[i] < 0 then ends[i] = seconds end
  if places[i] > limit then room = false end
end
if room then
  for i, key in ipairs(KEYS) do
    redis.call('INCR', key)
    redis.call('EXPIRE', key, ARGV[2 * i], 'NX')
  end
end
local reply = {}
for i = 1, #KEYS do
  reply[2 * i - 1], reply[2 * i] = places[i], ends[i]
end
return reply
"""


@dataclass(frozen=True)
class Window:
    """At most `limit` requests in each window of `seconds`, counted under `key`."""

    key: str
    limit: int
    seconds: int


@dataclass(frozen=True)
class Place:
    """The request's place in a window (over the window's limit: refused) and the seconds until it starts again."""

    window: Window
    place: int
    resets_in: int

    @property
    def over(self) -> bool:
        return self.place > self.window.limit


async def count_if_room(redis: aioredis.Redis, windows: Sequence[Window]) -> list[Place]:
    """The request's place in each window; it was counted in all of them unless one of them is `over`."""
    args = [value for w in windows for value in (w.limit, w.seconds)]
    reply = [int(v) for v in await redis.eval(_COUNT_IF_ROOM, len(windows), *(w.key for w in windows), *args)]
    return [Place(w, reply[2 * i], reply[2 * i + 1]) for i, w in enumerate(windows)]


def retry_after(places: Sequence[Place]) -> int | None:
    """Seconds until a refused request may succeed (the latest start of a window it is over), at least one; None
    if it was admitted."""
    over = [max(1, p.resets_in) for p in places if p.over]
    return max(over) if over else None
