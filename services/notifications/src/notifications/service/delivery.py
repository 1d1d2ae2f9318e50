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
from datetime import timedelta

from contracts.enums import Channel
from contracts.notifications.v1 import DeliveryFailed, MessageDelivered
from notifications.adapters import deliveries
from notifications.adapters.email import Mailer
from notifications.adapters.sms import SmsGateway
from notifications.adapters.spending_guard import SmsSpendingGuard
from notifications.domain.deliveries import (
    Delivery,
    Outcome,
    RetryPolicy,
    SendFailure,
    masked_contact,
    not_sent,
    sent,
)
from regsys_runtime.clock import Clock
from regsys_runtime.db import UnitOfWork
from regsys_runtime.logs import correlation

log = logging.getLogger(__name__)


class DeliveryWorker:
    def __init__(
        self,
        *,
        unit_of_work: Callable[[], UnitOfWork],
        clock: Clock,
        sms: SmsGateway,
        mailer: Mailer,
        guard: SmsSpendingGuard,
        policy: RetryPolicy,
        poll_seconds: float = 0.5,
        batch_size: int = 20,
        count: Callable[[str, str], None] = lambda channel, outcome: None,
    ) -> None:
        """`count` hears each attempt recorded: its channel and outcome (sent, retried, failed), for the metrics."""
        self._uow, self._clock, self._count = unit_of_work, clock, count
        self._sms, self._mailer, self._guard = sms, mailer, guard
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
        await asyncio.gather(*(self._attempt(delivery) for delivery in claimed))
        return len(claimed)

    async def _claim(self) -> list[Delivery]:
        now = self._clock.now()
        lease_until = now + timedelta(seconds=self._policy.lease_seconds)
        async with self._uow() as uow:
            claimed = await deliveries.claim_due(uow.session, now=now, lease_until=lease_until, limit=self._batch_size)
            await uow.commit()
        return claimed

    async def _attempt(self, delivery: Delivery) -> None:
        with correlation(delivery.correlation_id):
            try:
                provider_id = await self._send(delivery)
            except SendFailure as failure:
                await self._failed(delivery, failure)
            except Exception as exc:  # a bug in an adapter must not stop the worker; retry as transient
                log.exception("delivery raised unexpectedly", extra={"delivery_id": str(delivery.id)})
                await self._failed(delivery, SendFailure(f"unexpected error: {type(exc).__name__}"))
            else:
                await self._sent(delivery, provider_id)

    async def _send(self, delivery: Delivery) -> str:
        if delivery.expired(self._clock.now()):
            raise SendFailure("the code or link expired before it could be delivered", permanent=True)
        if delivery.channel is Channel.SMS:
            refusal = await self._guard.refusal(delivery.recipient)
            if refusal:
                raise SendFailure(refusal, permanent=True)
            return await self._sms.send(
                phone=delivery.recipient, text=delivery.body, template=delivery.template, params=delivery.params
            )
        if delivery.channel is Channel.EMAIL:
            return await self._mailer.send(to=delivery.recipient, subject=delivery.subject, text=delivery.body)
        raise SendFailure(f"no adapter for the channel {delivery.channel.value!r}", permanent=True)

    async def _sent(self, delivery: Delivery, provider_id: str) -> None:
        event = MessageDelivered(
            delivery_id=delivery.id,
            cause_event_id=delivery.cause_event_id,
            recipient_account_id=delivery.account_id,
            channel=delivery.channel,
            template=delivery.template,
        )
        if await self._record(delivery, sent(delivery, provider_message_id=provider_id, now=self._clock.now()), event):
            log.info("message delivered", extra=_log_fields(delivery))

    async def _failed(self, delivery: Delivery, failure: SendFailure) -> None:
        outcome = not_sent(delivery, failure, policy=self._policy, now=self._clock.now())
        if not outcome.final:
            if await self._record(delivery, outcome, None):
                log.warning(
                    "delivery attempt failed; will retry", extra={**_log_fields(delivery), "error": failure.reason}
                )
            return
        event = DeliveryFailed(
            delivery_id=delivery.id,
            cause_event_id=delivery.cause_event_id,
            recipient_account_id=delivery.account_id,
            channel=delivery.channel,
            template=delivery.template,
            reason=failure.reason,
        )
        if await self._record(delivery, outcome, event):
            log.error("delivery failed for good", extra={**_log_fields(delivery), "error": failure.reason})

    async def _record(
        self, delivery: Delivery, outcome: Outcome, event: MessageDelivered | DeliveryFailed | None
    ) -> bool:
        """Write the outcome of this attempt, if the delivery is still ours, with the event it causes."""
        async with self._uow() as uow:
            if not await deliveries.record_outcome(uow.session, delivery=delivery, outcome=outcome):
                log.warning("delivery was taken over by another attempt", extra={"delivery_id": str(delivery.id)})
                return False
            if event is not None:
                uow.publish(event, subject_id=delivery.account_id or delivery.id)
            await uow.commit()
        said = "sent" if isinstance(event, MessageDelivered) else "failed" if event is not None else "retried"
        self._count(delivery.channel.value, said)
        return True


def _log_fields(delivery: Delivery) -> dict[str, object]:
    # never the body: it may carry a code or a link
    return {
        "delivery_id": str(delivery.id),
        "channel": delivery.channel.value,
        "template": delivery.template,
        "recipient": masked_contact(delivery.recipient),
        "attempt": delivery.attempts,
    }
