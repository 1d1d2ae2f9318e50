"""The periodic job: multi-site filings end on their own when their validity period is over."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import select

from licensing.adapters.tables import multi_site_filings
from licensing.domain.register import MultiSitesExpire, RegisterRuleBroken
from licensing.service import register
from licensing.service.licences import LicenceOffice
from regsys_runtime.clock import business_today
from regsys_runtime.db import UnitOfWork

log = logging.getLogger(__name__)


async def end_expired_multi_site_filings(
    *, uow_factory: Callable[[], UnitOfWork], today: date, office: LicenceOffice
) -> list[UUID]:
    """End every filing valid only until before `today`, one physician per transaction; returns whose ended."""
    async with uow_factory() as uow:
        query = (
            select(multi_site_filings.c.account_id)
            .where(multi_site_filings.c.status == "valid", multi_site_filings.c.ends_on < today)
            .distinct()
        )
        accounts = list((await uow.session.execute(query)).scalars())
    ended = []
    for account_id in accounts:
        async with uow_factory() as uow:
            try:
                await register.apply_change(
                    uow=uow,
                    account_id=account_id,
                    change=MultiSitesExpire(),
                    today=today,
                    now=datetime.now(UTC),
                    office=office,
                )
            except RegisterRuleBroken:
                continue  # another replica ended them a moment ago
            await uow.commit()
            ended.append(account_id)
    return ended


async def run_periodically(
    *, uow_factory: Callable[[], UnitOfWork], interval_seconds: float, office: LicenceOffice
) -> None:
    """Run the job now and then every interval, for as long as the service runs; a failed round is retried."""
    while True:
        try:
            ended = await end_expired_multi_site_filings(uow_factory=uow_factory, today=business_today(), office=office)
            if ended:
                log.info("multi-site filings ended", extra={"physicians": len(ended)})
        except Exception:
            log.exception("ending expired multi-site filings failed; will try again")
        await asyncio.sleep(interval_seconds)
