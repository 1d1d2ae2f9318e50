"""Reading and writing single entries of the qualification registry (bulk loads: `registry_import`)."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import PracticeCategory
from identity.adapters.tables import qualifications
from identity.domain.registry import RegistryEntry


async def qualification_for(session: AsyncSession, *, lookup: bytes) -> RegistryEntry | None:
    query = select(qualifications).where(qualifications.c.id_number_lookup == lookup)
    row = (await session.execute(query)).mappings().first()
    if row is None:
        return None
    return RegistryEntry(**{**row, "category": PracticeCategory(row.category)})


async def put_qualification(session: AsyncSession, *, entry: RegistryEntry) -> None:
    """Add the entry, or replace the one of the same ID number."""
    values = asdict(entry)
    stmt = pg_insert(qualifications).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[qualifications.c.id_number_lookup],
            set_={k: stmt.excluded[k] for k in values if k != "id_number_lookup"},
        )
    )
