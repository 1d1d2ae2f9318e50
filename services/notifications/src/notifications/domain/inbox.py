"""The in-app inbox: a message as its owner reads it, and the refusal to show anyone else's. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from regsys_runtime.errors import Message, NotFound


@dataclass(frozen=True)
class InboxMessage:
    id: UUID
    account_id: UUID
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


class MessageNotFound(NotFound):
    """No such message in this person's inbox (whether it is someone else's is not told)."""

    def __init__(self) -> None:
        super().__init__(
            Message("There is no such message in your inbox.", zh="您的收件箱里没有这条消息。"),
            code="message-not-found",
        )
