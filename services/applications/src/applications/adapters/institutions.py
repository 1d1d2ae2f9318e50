"""The read model of institutions, from institutions' events: who may be chosen, their regions and names."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from applications.adapters.tables import institutions
from applications.domain.institutions import Institution


async def institution_by_id(session: AsyncSession, *, institution_id: UUID) -> Institution | None:
    row = (await session.execute(select(institutions).where(institutions.c.id == institution_id))).mappings().first()
    return Institution(id=row.id, name=row.name, region_code=row.region_code) if row else None


async def names_of(session: AsyncSession, *, institution_ids: Iterable[UUID]) -> dict[UUID, str]:
    query = select(institutions.c.id, institutions.c.name).where(institutions.c.id.in_(set(institution_ids)))
    return dict((await session.execute(query)).tuples().all())


async def put_institution(session: AsyncSession, *, institution: Institution) -> None:
    values = {"name": institution.name, "region_code": institution.region_code}
    stmt = pg_insert(institutions).values(id=institution.id, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=[institutions.c.id], set_=values))
