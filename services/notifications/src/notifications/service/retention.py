"""Retention: the personal data of final deliveries is erased once the retention window has passed.

A delivery keeps its recipient, text and template facts while it may still be sent or asked about; once it is
final (sent, or failed for good) and older than the window, they are erased and only the record that a message
of a kind went out on a channel, when and with what outcome, stays. Codes and links are erased sooner, as soon
as their delivery is final (`domain.deliveries.sent`). The job runs in every replica: each round erases in
batches whose rows are locked with ``SKIP LOCKED``, so replicas share the rows and never erase one twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from notifications.adapters import deliveries
from regsys_runtime.clock import Clock
from regsys_runtime.db import UnitOfWork

log = logging.getLogger(__name__)


async def erase_delivered_personal_data(*, uow: UnitOfWork, now: datetime, window: timedelta, limit: int) -> int:
    """One batch: erase the personal data of up to `limit` deliveries final since before `now - window`."""
    async with uow:
        erased = await deliveries.erase_personal_data(uow.session, finished_before=now - window, now=now, limit=limit)
        await uow.commit()
    return erased


class RetentionJob:
    def __init__(
        self,
        *,
        unit_of_work: Callable[[], UnitOfWork],
        clock: Clock,
        window: timedelta,
        interval_seconds: float,
        batch_size: int = 500,
    ) -> None:
        self._uow, self._clock, self._window = unit_of_work, clock, window
        self._interval_seconds, self._batch_size = interval_seconds, batch_size

    async def run(self) -> None:
        """Erase what is due, then again every interval, until cancelled (an error ends the run: the
        supervisor logs it and starts the job again after a backoff)."""
        while True:
            await self.erase_due(now=self._clock.now())
            await asyncio.sleep(self._interval_seconds)

    async def erase_due(self, *, now: datetime) -> int:
        """One round: batch after batch until nothing is due; returns how many deliveries were erased."""
        total = 0
        while True:
            erased = await erase_delivered_personal_data(
                uow=self._uow(), now=now, window=self._window, limit=self._batch_size
            )
            total += erased
            if erased < self._batch_size:
                break
        if total:
            log.info("erased the personal data of final deliveries", extra={"deliveries": total})
        return total
