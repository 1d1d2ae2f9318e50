"""The periodic job: multi-site filings end on their own when their validity period is over."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date
from uuid import UUID

from licensing.adapters import register as register_entries
from licensing.domain.register import MultiSitesExpire, RegisterRuleBroken
from licensing.service import register
from licensing.service.office import LicenceOffice
from regsys_runtime.clock import Clock, SystemClock
from regsys_runtime.db import UnitOfWork

log = logging.getLogger(__name__)
SYSTEM_CLOCK = SystemClock()


async def end_expired_multi_site_filings(
    *, uow_factory: Callable[[], UnitOfWork], today: date, office: LicenceOffice, clock: Clock = SYSTEM_CLOCK
) -> list[UUID]:
    """End every filing valid only until before `today`, one physician per transaction; returns whose ended.

    Each physician's change happens at the clock's instant of it."""
    async with uow_factory() as uow:
        accounts = await register_entries.accounts_with_filings_ended_before(uow.session, today=today)
    ended = []
    for account_id in accounts:
        async with uow_factory() as uow:
            try:
                await register.apply_change(
                    uow=uow,
                    account_id=account_id,
                    change=MultiSitesExpire(),
                    today=today,
                    now=clock.now(),
                    office=office,
                )
            except RegisterRuleBroken:
                continue  # another replica ended them a moment ago
            await uow.commit()
            ended.append(account_id)
    return ended


async def run_periodically(
    *, uow_factory: Callable[[], UnitOfWork], interval_seconds: float, office: LicenceOffice, clock: Clock
) -> None:
    """Run the job now and then every interval, for as long as the service runs; a failed round is retried."""
    while True:
        try:
            ended = await end_expired_multi_site_filings(
                uow_factory=uow_factory, today=clock.today(), office=office, clock=clock
            )
            if ended:
                log.info("multi-site filings ended", extra={"physicians": len(ended)})
        except Exception:
            log.exception("ending expired multi-site filings failed; will try again")
        await asyncio.sleep(interval_seconds)
