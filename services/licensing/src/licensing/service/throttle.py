"""Public endpoints answer each client only so often: a burst, then a sustained rate (429 with Retry-After).

Verification by licence number and name is what a scraper would walk, so it has the tighter budget; the
signed documents verifiers download (keys, status lists) are cacheable and have a looser one.
"""

from __future__ import annotations

import redis.asyncio as aioredis

from licensing.domain.limits import Budget, Limit
from licensing.settings import Settings
from regsys_runtime.errors import Message, TooManyAttempts
from regsys_runtime.rate_limits import Window, count_if_room, retry_after


class TooManyRequests(TooManyAttempts):
    def __init__(self, seconds: int) -> None:
        super().__init__(
            "too-many-requests",
            Message(
                f"Too many requests from your address; try again in {seconds} s.",
                zh=f"您的网络地址请求过于频繁，请在 {seconds} 秒后重试。",
            ),
            retry_after=seconds,
        )


def verification_budget(settings: Settings) -> Budget:
    return Budget(
        "verification",
        (
            Limit("burst", settings.verification_burst, settings.verification_burst_window_seconds),
            Limit("sustained", settings.verification_per_hour, settings.verification_sustained_window_seconds),
        ),
    )


def documents_budget(settings: Settings) -> Budget:
    return Budget(
        "documents",
        (
            Limit("burst", settings.documents_burst, settings.documents_burst_window_seconds),
            Limit("sustained", settings.documents_per_hour, settings.documents_sustained_window_seconds),
        ),
    )


async def admit(*, redis: aioredis.Redis, settings: Settings, budget: Budget, client: str) -> None:
    """Count the client's request; TooManyRequests if it is over a limit of the budget (and then it counts for
    nothing)."""
    windows = [
        Window(settings.redis_key("rate", budget.purpose, limit.name, client), limit.requests, limit.seconds)
        for limit in budget.limits
    ]
    if (seconds := retry_after(await count_if_room(redis, windows))) is not None:
        raise TooManyRequests(seconds)
