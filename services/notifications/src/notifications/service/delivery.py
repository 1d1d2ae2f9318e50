"""The delivery worker: sends pending deliveries, retries with backoff, and records the final state.

Each round claims due deliveries with ``FOR UPDATE SKIP LOCKED`` (so replicas share the work), pushes
their next attempt past a lease and commits, then sends outside any transaction. The outcome is written
only if the row is still the same attempt. A worker that dies mid-send leaves the row to be retried after
the lease: a message may then go twice, never not at all. Backoff lives in the table, so restarts resume.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, update

from contracts.enums import Channel
from contracts.notifications.v1 import DeliveryFailed, MessageDelivered
from notifications.adapters.sms import SmsGateway
from notifications.adapters.spending_guard import SmsSpendingGuard
from notifications.adapters.tables import deliveries
from notifications.domain.deliveries import DeliveryStatus, SendFailure, backoff, gives_up, masked_contact
from regsys_runtime.db import UnitOfWork
from regsys_runtime.logs import correlation

log = logging.getLogger(__name__)

ERASED = "[erased after delivery]"


class Mailer(Protocol):
    async def send(self, *, to: str, subject: str, text: str) -> str: ...


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    backoff_seconds: float
    backoff_max_seconds: float
    lease_seconds: float


class DeliveryWorker:
    def __init__(
        self,
        *,
        unit_of_work: Callable[[], UnitOfWork],
        sms: SmsGateway,
        mailer: Mailer,
        guard: SmsSpendingGuard,
        policy: RetryPolicy,
        poll_seconds: float = 0.5,
        batch_size: int = 20,
    ) -> None:
        self._uow, self._sms, self._mailer, self._guard = unit_of_work, sms, mailer, guard
        self._policy, self._poll_seconds, self._batch_size = policy, poll_seconds, batch_size

    async def run(self) -> None:
        """Deliver until cancelled."""
        while True:
            try:
                delivered = await self.deliver_due()
            except Exception:
                log.exception("delivery round failed; retrying")
                delivered = 0
            if delivered < self._batch_size:
                await asyncio.sleep(self._poll_seconds)

    async def deliver_due(self) -> int:
        """One round: claim the due deliveries and attempt each; returns how many were attempted."""
        claimed = await self._claim()
        await asyncio.gather(*(self._attempt(row) for row in claimed))
        return len(claimed)

    async def _claim(self) -> list[Any]:
        now = datetime.now(UTC)
        lease = now + timedelta(seconds=self._policy.lease_seconds)
        async with self._uow() as uow:
            due = (
                select(deliveries.c.id)
                .where(deliveries.c.status == DeliveryStatus.PENDING.value, deliveries.c.next_attempt_at <= now)
                .order_by(deliveries.c.next_attempt_at)
                .limit(self._batch_size)
                .with_for_update(skip_locked=True)
            )
            rows = (
                await uow.session.execute(
                    update(deliveries)
                    .where(deliveries.c.id.in_(due.scalar_subquery()))
                    .values(attempts=deliveries.c.attempts + 1, next_attempt_at=lease)
                    .returning(*deliveries.c)
                )
            ).all()
            await uow.commit()
        return list(rows)

    async def _attempt(self, row: Any) -> None:
        with correlation(row.correlation_id):
            try:
                provider_id = await self._send(row)
            except SendFailure as failure:
                await self._failed(row, failure)
            except Exception as exc:  # a bug in an adapter must not stop the worker; retry as transient
                log.exception("delivery raised unexpectedly", extra={"delivery_id": str(row.id)})
                await self._failed(row, SendFailure(f"unexpected error: {type(exc).__name__}"))
            else:
                await self._sent(row, provider_id)

    async def _send(self, row: Any) -> str:
        if row.expires_at is not None and row.expires_at <= datetime.now(UTC):
            raise SendFailure("the code or link expired before it could be delivered", permanent=True)
        if row.channel == Channel.SMS.value:
            refusal = await self._guard.refusal(row.recipient)
            if refusal:
                raise SendFailure(refusal, permanent=True)
            return await self._sms.send(phone=row.recipient, text=row.body)
        if row.channel == Channel.EMAIL.value:
            return await self._mailer.send(to=row.recipient, subject=row.subject, text=row.body)
        raise SendFailure(f"no adapter for the channel {row.channel!r}", permanent=True)

    async def _sent(self, row: Any, provider_id: str) -> None:
        event = MessageDelivered(
            delivery_id=row.id,
            cause_event_id=row.cause_event_id,
            recipient_account_id=row.account_id,
            channel=Channel(row.channel),
            template=row.template,
        )
        values = {"status": DeliveryStatus.SENT.value, "provider_message_id": provider_id, "next_attempt_at": None}
        if await self._record(row, values, event):
            log.info("message delivered", extra=self._log_fields(row))

    async def _failed(self, row: Any, failure: SendFailure) -> None:
        p = self._policy
        if not gives_up(attempt=row.attempts, max_attempts=p.max_attempts, failure=failure):
            wait = backoff(row.attempts, base_seconds=p.backoff_seconds, max_seconds=p.backoff_max_seconds)
            values = {"last_error": failure.reason, "next_attempt_at": datetime.now(UTC) + wait}
            if await self._record(row, values, None, final=False):
                log.warning(
                    "delivery attempt failed; will retry", extra={**self._log_fields(row), "error": failure.reason}
                )
            return
        event = DeliveryFailed(
            delivery_id=row.id,
            cause_event_id=row.cause_event_id,
            recipient_account_id=row.account_id,
            channel=Channel(row.channel),
            template=row.template,
            reason=failure.reason,
        )
        values = {"status": DeliveryStatus.FAILED.value, "last_error": failure.reason, "next_attempt_at": None}
        if await self._record(row, values, event):
            log.error("delivery failed for good", extra={**self._log_fields(row), "error": failure.reason})

    async def _record(
        self, row: Any, values: dict[str, Any], event: MessageDelivered | DeliveryFailed | None, *, final: bool = True
    ) -> bool:
        """Write the outcome of this attempt, if the row is still ours; a final state erases a sensitive body."""
        if final:
            values = {**values, "finished_at": datetime.now(UTC)}
            if row.sensitive:
                values["body"] = ERASED
        async with self._uow() as uow:
            result = await uow.session.execute(
                update(deliveries)
                .where(
                    deliveries.c.id == row.id,
                    deliveries.c.status == DeliveryStatus.PENDING.value,
                    deliveries.c.attempts == row.attempts,
                )
                .values(**values)
                .returning(deliveries.c.id)
            )
            if result.first() is None:
                log.warning("delivery was taken over by another attempt", extra={"delivery_id": str(row.id)})
                return False
            if event is not None:
                uow.publish(event, subject_id=row.account_id or row.id)
            await uow.commit()
        return True

    @staticmethod
    def _log_fields(row: Any) -> dict[str, object]:
        # never the body: it may carry a code or a link
        return {
            "delivery_id": str(row.id),
            "channel": row.channel,
            "template": row.template,
            "recipient": masked_contact(row.recipient),
            "attempt": row.attempts,
        }
