"""Use cases of the in-app inbox: a person reads and marks their own messages, and nobody else's."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from notifications.adapters import inbox_messages
from notifications.domain.inbox import InboxMessage, MessageNotFound
from regsys_runtime.db import UnitOfWork
from regsys_runtime.paging import Page, Window


async def messages_of(
    *, uow: UnitOfWork, account_id: UUID, window: Window, unread_only: bool = False
) -> Page[InboxMessage]:
    async with uow:
        return await inbox_messages.messages_of(
            uow.session, account_id=account_id, window=window, unread_only=unread_only
        )


async def unread_count(*, uow: UnitOfWork, account_id: UUID) -> int:
    async with uow:
        return await inbox_messages.unread_count(uow.session, account_id=account_id)


async def mark_read(*, uow: UnitOfWork, account_id: UUID, message_id: UUID, now: datetime) -> InboxMessage:
    """Mark one of the person's messages read (again is fine: the first time is kept)."""
    async with uow:
        message = await inbox_messages.mark_read(uow.session, account_id=account_id, message_id=message_id, at=now)
        if message is None:
            raise MessageNotFound()
        await uow.commit()
        return message


async def mark_all_read(*, uow: UnitOfWork, account_id: UUID, now: datetime) -> int:
    async with uow:
        marked = await inbox_messages.mark_all_read(uow.session, account_id=account_id, at=now)
        await uow.commit()
        return marked
