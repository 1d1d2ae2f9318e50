"""The periodic job: multi-site filings end on their own when their validity period is over."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime
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

    Each physician's change happens at the clock's instant of it. One physician whose change fails is logged
    and counted, and the round goes on with the others (the next round tries them again)."""
    async with uow_factory() as uow:
        accounts = await register_entries.accounts_with_filings_ended_before(uow.session, today=today)
    ended, failed = [], 0
    for account_id in accounts:
        try:
            if await _end_filings_of(uow_factory(), account_id, today=today, now=clock.now(), office=office):
                ended.append(account_id)
        except Exception:
            failed += 1
            log.exception("ending expired multi-site filings failed", extra={"account_id": str(account_id)})
    if failed:
        log.warning("multi-site expiry round had failures", extra={"failed": failed, "ended": len(ended)})
    return ended


async def _end_filings_of(
    uow: UnitOfWork, account_id: UUID, *, today: date, now: datetime, office: LicenceOffice
) -> bool:
    async with uow:
        try:
            await register.apply_change(
                uow=uow, account_id=account_id, change=MultiSitesExpire(), today=today, now=now, office=office
            )
        except RegisterRuleBroken:
            return False  # another replica ended them a moment ago
        await uow.commit()
        return True


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
