"""Captcha pictures, limited per client so that nobody draws them by the thousand (burst and steady rate)."""

from __future__ import annotations

from identity.adapters.captchas import Captcha
from identity.adapters.throttle import Locked
from identity.bootstrap import Dependencies
from identity.service.refusals import locked_out


async def new_captcha(*, deps: Dependencies, address: str) -> Captcha:
    try:
        await deps.captcha_requests.hit(address)
    except Locked as locked:
        raise locked_out(locked) from None
    return await deps.captchas.new()
