"""Reading and writing deliveries: queued in the cause event's transaction, claimed and settled by the worker.

The unique key (cause event, recipient, channel) makes queueing idempotent: a redelivered event queues nothing
more. A claim takes due rows with ``FOR UPDATE SKIP LOCKED``, so replicas share the work and never an attempt;
retention erases final rows' personal data the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Text, case, cast, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.enums import Channel
from notifications.adapters.tables import deliveries
from notifications.domain.catalogue import MessageKind
from notifications.domain.deliveries import ERASED, Delivery, DeliveryStatus, Outcome

UNIQUE_KEY = "uq_deliveries_cause_recipient_channel"


def _caused_by(cause: Envelope) -> dict[str, Any]:
    return {
        "cause_event_id": cause.event_id,
        "cause_event_type": cause.event_type,
        "correlation_id": cause.correlation_id,
        "created_at": cause.occurred_at,
    }


async def queue_delivery(
    session: AsyncSession,
    *,
    cause: Envelope,
    account_id: UUID | None,
    channel: Channel,
    recipient: str,
    kind: MessageKind,
    subject: str,
    body: str,
    sms_params: Mapping[str, str] | None = None,
    sensitive: bool = False,
    expires_at: datetime | None = None,
) -> None:
    """A pending delivery, due at once."""
    await session.execute(
        pg_insert(deliveries)
        .values(
            id=uuid.uuid4(),
            **_caused_by(cause),
            account_id=account_id,
            channel=channel.value,
            recipient=recipient,
            template=kind.value,
            subject=subject,
            body=body,
            sms_params=dict(sms_params) if sms_params is not None else None,
            sensitive=sensitive,
            status=DeliveryStatus.PENDING.value,
            attempts=0,
            next_attempt_at=cause.occurred_at,
            expires_at=expires_at,
        )
        .on_conflict_do_nothing(constraint=UNIQUE_KEY)
    )


async def record_refused(
    session: AsyncSession,
    *,
    delivery_id: UUID,
    cause: Envelope,
    account_id: UUID | None,
    channel: Channel,
    kind: MessageKind,
    reason: str,
) -> bool:
    """A delivery failed from the start (no contact known, a code asked for the inbox); False if the cause
    recorded it before. Nothing of the message is kept, only why it was not sent."""
    inserted = await session.execute(
        pg_insert(deliveries)
        .values(
            id=delivery_id,
            **_caused_by(cause),
            account_id=account_id,
            channel=channel.value,
            recipient=f"account:{account_id}",
            template=kind.value,
            subject="",
            body="",
            sensitive=False,
            status=DeliveryStatus.FAILED.value,
            attempts=0,
            last_error=reason,
            finished_at=cause.occurred_at,
        )
        .on_conflict_do_nothing(constraint=UNIQUE_KEY)
        .returning(deliveries.c.id)
    )
    return inserted.first() is not None


async def claim_due(session: AsyncSession, *, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
    """Claim the deliveries due now for one attempt each: counted, and not due again before the lease ends."""
    due = (
        select(deliveries.c.id)
        .where(deliveries.c.status == DeliveryStatus.PENDING.value, deliveries.c.next_attempt_at <= now)
        .order_by(deliveries.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = await session.execute(
        update(deliveries)
        .where(deliveries.c.id.in_(due.scalar_subquery()))
        .values(attempts=deliveries.c.attempts + 1, next_attempt_at=lease_until)
        .returning(*deliveries.c)
    )
    return [_delivery(row) for row in claimed.all()]


async def record_outcome(session: AsyncSession, *, delivery: Delivery, outcome: Outcome) -> bool:
    """Write the outcome of an attempt if the row is still at that attempt; False if another took it over."""
    changes = {
        "last_error": outcome.last_error,
        "provider_message_id": outcome.provider_message_id,
        "finished_at": outcome.finished_at,
        "body": outcome.body,
    }
    values: dict[str, Any] = {name: value for name, value in changes.items() if value is not None}
    if outcome.body is not None:  # the text is erased: so are the facts it was made of
        values["sms_params"] = None
    result = await session.execute(
        update(deliveries)
        .where(
            deliveries.c.id == delivery.id,
            deliveries.c.status == DeliveryStatus.PENDING.value,
            deliveries.c.attempts == delivery.attempts,
        )
        .values(status=outcome.status.value, next_attempt_at=outcome.next_attempt_at, **values)
        .returning(deliveries.c.id)
    )
    return result.first() is not None


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        cause_event_id=row.cause_event_id,
        correlation_id=row.correlation_id,
        account_id=row.account_id,
        channel=Channel(row.channel),
        recipient=row.recipient,
        template=row.template,
        subject=row.subject,
        body=row.body,
        sensitive=row.sensitive,
        attempts=row.attempts,
        expires_at=row.expires_at,
        params=dict(row.sms_params or {}),
    )


async def erase_personal_data(session: AsyncSession, *, finished_before: datetime, now: datetime, limit: int) -> int:
    """Erase the recipient, text, template facts and error of up to `limit` final deliveries finished before
    `finished_before`; returns how many. Rows another replica is erasing are skipped (``SKIP LOCKED``), so
    replicas share the work and none erases a row twice. What was sent when, of which kind, stays."""
    due = (
        select(deliveries.c.id)
        .where(
            deliveries.c.status != DeliveryStatus.PENDING.value,
            deliveries.c.erased_at.is_(None),
            deliveries.c.finished_at < finished_before,
        )
        .order_by(deliveries.c.finished_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    erased = await session.execute(
        update(deliveries)
        .where(deliveries.c.id.in_(due.scalar_subquery()))
        .values(
            # unique per row, as the key (cause, recipient, channel) needs
            recipient=literal("erased:") + cast(deliveries.c.id, Text),
            body=ERASED,
            sms_params=None,
            last_error=case((deliveries.c.last_error.is_(None), None), else_=literal(ERASED)),  # may quote an address
            erased_at=now,
        )
        .returning(deliveries.c.id)
    )
    return len(erased.all())
