"""Reading and writing the in-app inbox. Every query names the owner: nobody reads or marks another's messages."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.adapters.tables import inbox_messages
from notifications.domain.catalogue import MessageKind
from notifications.domain.inbox import InboxMessage
from regsys_runtime.paging import Page, Window


async def post_message(
    session: AsyncSession,
    *,
    account_id: UUID,
    cause_event_id: UUID,
    kind: MessageKind,
    title: str,
    body: str,
    at: datetime,
) -> None:
    """Put one message in a person's inbox; a redelivered cause posts nothing more."""
    await session.execute(
        pg_insert(inbox_messages)
        .values(
            id=uuid.uuid4(),
            account_id=account_id,
            cause_event_id=cause_event_id,
            kind=kind.value,
            title=title,
            body=body,
            created_at=at,
        )
        .on_conflict_do_nothing(constraint="uq_inbox_messages_cause_recipient")
    )


async def messages_of(
    session: AsyncSession, *, account_id: UUID, window: Window, unread_only: bool = False
) -> Page[InboxMessage]:
    """The person's messages, newest first, and how many there are."""
    mine = inbox_messages.c.account_id == account_id
    if unread_only:
        mine = mine & inbox_messages.c.read_at.is_(None)
    query = (
        select(inbox_messages)
        .where(mine)
        .order_by(inbox_messages.c.created_at.desc(), inbox_messages.c.id)
        .limit(window.limit)
        .offset(window.offset)
    )
    rows = (await session.execute(query)).all()
    total = (await session.execute(select(func.count()).where(mine))).scalar_one()
    return Page([_message(r) for r in rows], int(total))


async def unread_count(session: AsyncSession, *, account_id: UUID) -> int:
    query = select(func.count()).where(inbox_messages.c.account_id == account_id, inbox_messages.c.read_at.is_(None))
    return int((await session.execute(query)).scalar_one())


async def mark_read(session: AsyncSession, *, account_id: UUID, message_id: UUID, at: datetime) -> InboxMessage | None:
    """Mark one of the person's messages read (again is fine: the first time is kept); None if there is none."""
    mine = (inbox_messages.c.id == message_id) & (inbox_messages.c.account_id == account_id)
    await session.execute(update(inbox_messages).where(mine, inbox_messages.c.read_at.is_(None)).values(read_at=at))
    row = (await session.execute(select(inbox_messages).where(mine))).first()
    return _message(row) if row else None


async def mark_all_read(session: AsyncSession, *, account_id: UUID, at: datetime) -> int:
    """Mark every unread message of the person read; returns how many."""
    result = await session.execute(
        update(inbox_messages)
        .where(inbox_messages.c.account_id == account_id, inbox_messages.c.read_at.is_(None))
        .values(read_at=at)
        .returning(inbox_messages.c.id)
    )
    return len(result.all())


def _message(row: Any) -> InboxMessage:
    return InboxMessage(
        id=row.id,
        account_id=row.account_id,
        kind=row.kind,
        title=row.title,
        body=row.body,
        created_at=row.created_at,
        read_at=row.read_at,
    )
