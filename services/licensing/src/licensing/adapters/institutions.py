"""Institutions as licensing keeps them from institutions' events (a read model): names and regions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from licensing.adapters.tables import institutions


async def remember(
    session: AsyncSession, *, institution_id: UUID, name: str, region_code: str, credit_code: str, recorded_at: datetime
) -> None:
    """Keep an institution's name, region and credit code, replacing the record held only if it was made earlier."""
    values = {"name": name, "region_code": region_code, "credit_code": credit_code, "recorded_at": recorded_at}
    stmt = pg_insert(institutions).values(id=institution_id, **values)
    held = institutions.c.recorded_at
    newer = or_(held.is_(None), held < stmt.excluded.recorded_at)
    await session.execute(stmt.on_conflict_do_update(index_elements=[institutions.c.id], set_=values, where=newer))


async def names(session: AsyncSession, *, ids: Iterable[UUID]) -> dict[UUID, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(select(institutions.c.id, institutions.c.name).where(institutions.c.id.in_(wanted)))
    return {row.id: row.name for row in rows}
