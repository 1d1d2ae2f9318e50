"""Request and response bodies of the notifications API."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from notifications.domain.inbox import InboxMessage


class MessageRead(BaseModel):
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


class UnreadCountRead(BaseModel):
    unread: int


class MarkedRead(BaseModel):
    marked: int
