"""Use cases of the in-app inbox."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.engine import RowMapping

from notifications.adapters.tables import inbox_messages
from regsys_runtime.db import UnitOfWork


async def messages_of(*, uow: UnitOfWork, account_id: UUID, limit: int, offset: int) -> list[RowMapping]:
    query = (
        select(inbox_messages)
        .where(inbox_messages.c.account_id == account_id)
        .order_by(inbox_messages.c.created_at.desc())
        .limit(limit)
        .offset(offset)
    )
    async with uow:
        return list((await uow.session.execute(query)).mappings().all())
