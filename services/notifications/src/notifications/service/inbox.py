"""Use cases of the in-app inbox."""

from __future__ import annotations

import uuid
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from contracts import Envelope
from contracts.applications.v1 import ApplicationStatusChanged
from notifications.adapters.tables import inbox_messages
from notifications.domain.templates import application_status_message
from regsys_runtime.db import UnitOfWork


async def tell_application_status(*, uow: UnitOfWork, event: ApplicationStatusChanged, envelope: Envelope) -> None:
    title, body = application_status_message(event.application_type, event.status, event.reason)
    await uow.session.execute(
        pg_insert(inbox_messages)
        .values(
            id=uuid.uuid4(),
            account_id=event.account_id,
            cause_event_id=envelope.event_id,
            kind=envelope.event_type,
            title=title,
            body=body,
            created_at=envelope.occurred_at,
        )
        .on_conflict_do_nothing()
    )


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
