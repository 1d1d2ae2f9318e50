"""Use cases of the in-app inbox. Every query names the owner: nobody reads or marks another's messages."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.engine import RowMapping

from notifications.adapters.tables import inbox_messages
from regsys_runtime.db import UnitOfWork


class MessageNotFound(LookupError):
    """No such message in this person's inbox (whether it is someone else's is not told)."""


async def messages_of(
    *, uow: UnitOfWork, account_id: UUID, limit: int, offset: int, unread_only: bool = False
) -> list[RowMapping]:
    query = select(inbox_messages).where(inbox_messages.c.account_id == account_id)
    if unread_only:
        query = query.where(inbox_messages.c.read_at.is_(None))
    query = query.order_by(inbox_messages.c.created_at.desc(), inbox_messages.c.id).limit(limit).offset(offset)
    async with uow:
        return list((await uow.session.execute(query)).mappings().all())


async def unread_count(*, uow: UnitOfWork, account_id: UUID) -> int:
    query = select(func.count()).where(inbox_messages.c.account_id == account_id, inbox_messages.c.read_at.is_(None))
    async with uow:
        return int((await uow.session.execute(query)).scalar_one())


async def mark_read(*, uow: UnitOfWork, account_id: UUID, message_id: UUID) -> RowMapping:
    """Mark one of the person's messages read (again is fine: the first time is kept)."""
    mine = (inbox_messages.c.id == message_id) & (inbox_messages.c.account_id == account_id)
    async with uow:
        await uow.session.execute(
            update(inbox_messages).where(mine, inbox_messages.c.read_at.is_(None)).values(read_at=datetime.now(UTC))
        )
        row = (await uow.session.execute(select(inbox_messages).where(mine))).mappings().first()
        if row is None:
            raise MessageNotFound(message_id)
        await uow.commit()
        return row


async def mark_all_read(*, uow: UnitOfWork, account_id: UUID) -> int:
    async with uow:
        result = await uow.session.execute(
            update(inbox_messages)
            .where(inbox_messages.c.account_id == account_id, inbox_messages.c.read_at.is_(None))
            .values(read_at=datetime.now(UTC))
            .returning(inbox_messages.c.id)
        )
        marked = len(result.all())
        await uow.commit()
        return marked
