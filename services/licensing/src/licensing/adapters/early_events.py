"""Events kept until the application they belong to arrives (an approval that overtook the submission)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Envelope
from licensing.adapters.tables import early_events


async def hold(session: AsyncSession, *, application_id: UUID) -> None:
    """Serialise, until the transaction ends, looking for an application with keeping or taking its early events:
    an event is never kept just after its application's submission took what was kept (two replicas, two topics)."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"application:{application_id}"))))


async def park(session: AsyncSession, *, envelope: Envelope, application_id: UUID, now: datetime) -> None:
    """Keep an early event; one kept before stays as it is (a redelivery)."""
    values = {
        "event_id": envelope.event_id,
        "application_id": application_id,
        "envelope": envelope.model_dump(mode="json"),
        "parked_at": now,
    }
    await session.execute(pg_insert(early_events).values(**values).on_conflict_do_nothing())


async def take(session: AsyncSession, *, application_id: UUID) -> list[Envelope]:
    """The events kept for an application, in the order they happened; they are no longer kept."""
    await hold(session, application_id=application_id)
    kept = early_events.c
    stmt = delete(early_events).where(kept.application_id == application_id).returning(kept.envelope)
    envelopes = [Envelope.model_validate(row.envelope) for row in await session.execute(stmt)]
    return sorted(envelopes, key=lambda e: e.occurred_at)
