"""Queueing messages: an event becomes pending deliveries (SMS, e-mail) and inbox messages, in its transaction.

Nothing is sent here: the delivery worker sends pending deliveries after the consumer commits, so a slow
or failing provider never holds up the consumer. The unique key (cause event, recipient, channel) makes
queueing idempotent: a redelivered event queues nothing more.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy.dialects.postgresql import insert as pg_insert

from contracts import Envelope
from contracts.enums import Channel
from contracts.notifications.v1 import DeliveryFailed
from notifications.adapters.tables import deliveries, inbox_messages
from notifications.domain.catalogue import MessageKind
from notifications.domain.deliveries import DeliveryStatus
from notifications.domain.templates import render
from notifications.service.directory import Contact
from regsys_runtime.db import UnitOfWork


@dataclass(frozen=True)
class Outbound:
    """Everything a handler needs to tell people of one event."""

    uow: UnitOfWork
    envelope: Envelope
    language: str

    async def tell(
        self,
        kind: MessageKind,
        facts: Mapping[str, object],
        *,
        account_id: UUID,
        contact: Contact | None,
        channels: Iterable[Channel],
    ) -> None:
        """Tell one person on each of the channels they have; an unknown person is recorded as unreachable."""
        for channel in channels:
            if channel is Channel.INBOX:
                await self.post(kind, facts, account_id=account_id)
            elif contact is None:
                await self.unreachable(kind, channel=channel, account_id=account_id)
            elif address := (contact.phone if channel is Channel.SMS else contact.email):
                await self.send(kind, facts, channel=channel, recipient=address, account_id=account_id)

    async def send(
        self,
        kind: MessageKind,
        facts: Mapping[str, object],
        *,
        channel: Channel,
        recipient: str,
        account_id: UUID | None = None,
        sensitive: bool = False,
        expires_at: datetime | None = None,
    ) -> None:
        """Queue one SMS or e-mail to one recipient."""
        if channel is Channel.INBOX:
            if account_id is not None:
                await self.post(kind, facts, account_id=account_id)
            return
        message = render(kind, self.language, facts)
        body = message.sms_text if channel is Channel.SMS else message.text
        await self.uow.session.execute(
            pg_insert(deliveries)
            .values(
                id=uuid.uuid4(),
                cause_event_id=self.envelope.event_id,
                cause_event_type=self.envelope.event_type,
                correlation_id=self.envelope.correlation_id,
                account_id=account_id,
                channel=channel.value,
                recipient=recipient,
                template=kind.value,
                subject=message.subject,
                body=body,
                sensitive=sensitive,
                status=DeliveryStatus.PENDING.value,
                attempts=0,
                next_attempt_at=self.envelope.occurred_at,
                expires_at=expires_at,
                created_at=self.envelope.occurred_at,
            )
            .on_conflict_do_nothing(constraint="uq_deliveries_cause_recipient_channel")
        )

    async def post(self, kind: MessageKind, facts: Mapping[str, object], *, account_id: UUID) -> None:
        """Put one message in a person's in-app inbox."""
        message = render(kind, self.language, facts)
        await self.uow.session.execute(
            pg_insert(inbox_messages)
            .values(
                id=uuid.uuid4(),
                account_id=account_id,
                cause_event_id=self.envelope.event_id,
                kind=kind.value,
                title=message.subject,
                body=message.text,
                created_at=self.envelope.occurred_at,
            )
            .on_conflict_do_nothing(constraint="uq_inbox_messages_cause_recipient")
        )

    async def unreachable(self, kind: MessageKind, *, channel: Channel, account_id: UUID) -> None:
        """Record a message that cannot be sent because no contact of the account is known."""
        reason = f"no {channel.value} contact is known for the account"
        delivery_id = uuid.uuid4()
        inserted = await self.uow.session.execute(
            pg_insert(deliveries)
            .values(
                id=delivery_id,
                cause_event_id=self.envelope.event_id,
                cause_event_type=self.envelope.event_type,
                correlation_id=self.envelope.correlation_id,
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
                created_at=self.envelope.occurred_at,
                finished_at=self.envelope.occurred_at,
            )
            .on_conflict_do_nothing(constraint="uq_deliveries_cause_recipient_channel")
            .returning(deliveries.c.id)
        )
        if inserted.first() is not None:
            failed = DeliveryFailed(
                delivery_id=delivery_id,
                cause_event_id=self.envelope.event_id,
                recipient_account_id=account_id,
                channel=channel,
                template=kind.value,
                reason=reason,
            )
            self.uow.publish(failed, subject_id=account_id)
