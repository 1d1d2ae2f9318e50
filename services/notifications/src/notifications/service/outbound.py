"""Queueing messages: an event becomes pending deliveries (SMS, e-mail) and inbox messages, in its transaction.

Nothing is sent here: the delivery worker sends pending deliveries after the consumer commits, so a slow
or failing provider never holds up the consumer. Queueing is idempotent: a redelivered event queues nothing more.

Two rules hold here, for every use case: whatever a person is told by SMS or e-mail is also put in their
inbox (one message per cause, however many contacts were told); and a one-time code or a verification link
(a sensitive message) is never put in the inbox, which keeps it for as long as the person does.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from contracts.enums import Channel
from contracts.notifications.v1 import DeliveryFailed
from notifications.adapters import deliveries, inbox_messages
from notifications.domain.catalogue import MessageKind
from notifications.domain.recipients import Contact
from notifications.domain.templates import render
from regsys_runtime.db import UnitOfWork
from regsys_runtime.sealing import DeliverySealer

# staff and officers hear of their work by e-mail (and so in the inbox); an SMS is kept for a person's own affairs
AT_WORK = (Channel.EMAIL,)
NOT_IN_THE_INBOX = "one-time codes and links are never put in the inbox"


@dataclass(frozen=True)
class Outbound:
    """Everything a use case needs to tell people of one event."""

    uow: UnitOfWork
    envelope: Envelope
    language: str
    sealer: DeliverySealer = field(default_factory=lambda: DeliverySealer(None))  # opens identity's codes and links

    @property
    def session(self) -> AsyncSession:
        return self.uow.session

    async def tell(
        self,
        kind: MessageKind,
        facts: Mapping[str, object],
        *,
        account_id: UUID,
        contact: Contact | None,
        channels: Iterable[Channel],
    ) -> None:
        """Tell one person in their inbox and on each of the channels they have; an unknown contact is recorded
        as unreachable."""
        await self.post(kind, facts, account_id=account_id)
        for channel in channels:
            if channel is Channel.INBOX:
                continue
            if contact is None:
                await self.refused(kind, channel=channel, account_id=account_id, reason=_unknown(channel))
            elif address := (contact.phone if channel is Channel.SMS else contact.email):
                await self.send(kind, facts, channel=channel, recipient=address, account_id=account_id)

    async def tell_at_work(self, kind: MessageKind, facts: Mapping[str, object], people: Iterable[Contact]) -> None:
        """Tell each of the staff or officers, in the inbox and by e-mail."""
        for person in people:
            await self.tell(kind, facts, account_id=person.account_id, contact=person, channels=AT_WORK)

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
        """Queue one SMS or e-mail to one recipient, and put it in the person's inbox unless it is sensitive."""
        if channel is Channel.INBOX and sensitive:
            await self.refused(kind, channel=channel, account_id=account_id, reason=NOT_IN_THE_INBOX)
            return
        if account_id is not None and not sensitive:
            await self.post(kind, facts, account_id=account_id)
        if channel is Channel.INBOX:
            return
        message = render(kind, self.language, facts)
        await deliveries.queue_delivery(
            self.session,
            cause=self.envelope,
            account_id=account_id,
            channel=channel,
            recipient=recipient,
            kind=kind,
            subject=message.subject,
            body=message.sms_text if channel is Channel.SMS else message.text,
            sms_params=message.params if channel is Channel.SMS else None,
            sensitive=sensitive,
            expires_at=expires_at,
        )

    async def post(self, kind: MessageKind, facts: Mapping[str, object], *, account_id: UUID) -> None:
        """Put one message in a person's in-app inbox (once per cause: a second post of the cause adds nothing)."""
        message = render(kind, self.language, facts)
        await inbox_messages.post_message(
            self.session,
            account_id=account_id,
            cause_event_id=self.envelope.event_id,
            kind=kind,
            title=message.subject,
            body=message.text,
            at=self.envelope.occurred_at,
        )

    async def refused(self, kind: MessageKind, *, channel: Channel, account_id: UUID | None, reason: str) -> None:
        """Record a message that cannot be sent at all (no contact known, or a code asked for the inbox)."""
        delivery_id = uuid.uuid4()
        recorded = await deliveries.record_refused(
            self.session,
            delivery_id=delivery_id,
            cause=self.envelope,
            account_id=account_id,
            channel=channel,
            kind=kind,
            reason=reason,
        )
        if recorded:
            failed = DeliveryFailed(
                delivery_id=delivery_id,
                cause_event_id=self.envelope.event_id,
                recipient_account_id=account_id,
                channel=channel,
                template=kind.value,
                reason=reason,
            )
            self.uow.publish(failed, subject_id=account_id or delivery_id)


def _unknown(channel: Channel) -> str:
    return f"no {channel.value} contact is known for the account"
