"""Request and response bodies of the notifications API."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from notifications.domain.inbox import InboxMessage
from regsys_runtime.schemas import Schema


class MessageRead(Schema):
    message_id: UUID
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def of(cls, message: InboxMessage) -> MessageRead:
        return cls(
            message_id=message.id,
            kind=message.kind,
            title=message.title,
            body=message.body,
            created_at=message.created_at,
            read_at=message.read_at,
        )


class UnreadCountRead(Schema):
    unread: int


class MarkedRead(Schema):
    marked: int
