"""The read model of practice registrations, kept from licensing's snapshots: where each physician practises."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import RegistrationStatus
from notifications.adapters.tables import registrations


async def remember_registration(
    session: AsyncSession,
    *,
    account_id: UUID,
    certificate_number: str,
    status: RegistrationStatus,
    institution_ids: Sequence[UUID],
    changed_at: datetime,
) -> None:
    """Keep the newest snapshot of a registration: an older one, arriving late, never replaces it."""
    values = {
        "certificate_number": certificate_number,
        "status": status.value,
        "institution_ids": list(institution_ids),
        "changed_at": changed_at,
    }
    insert = pg_insert(registrations).values(account_id=account_id, **values)
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=[registrations.c.account_id],
            set_=values,
            where=registrations.c.changed_at <= changed_at,
        )
    )


async def roster_institutions(session: AsyncSession, *, account_id: UUID) -> list[UUID]:
    """The institutions where the physician practises (main and multi-site), as last known."""
    query = select(registrations.c.institution_ids).where(registrations.c.account_id == account_id)
    return list((await session.execute(query)).scalar_one_or_none() or [])
