"""Reading and writing institutions' records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from uuid import UUID

from sqlalchemy import literal_column, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from institutions.adapters.tables import institutions
from institutions.domain.institutions import Institution

COLUMNS = [institutions.c[name] for name in Institution.__dataclass_fields__]


def _institution(row: RowMapping) -> Institution:
    return Institution(**{name: row[name] for name in Institution.__dataclass_fields__})


async def institution_by_id(session: AsyncSession, institution_id: UUID, *, lock: bool = False) -> Institution | None:
    query = select(*COLUMNS).where(institutions.c.id == institution_id)
    row = (await session.execute(query.with_for_update() if lock else query)).mappings().first()
    return _institution(row) if row else None


async def add_institution(session: AsyncSession, institution: Institution) -> bool:
    """Add the institution; False if one with its credit code is there (or being added by a transaction that
    commits meanwhile: the unique index settles two loads at once, and the loser waits and sees it)."""
    statement = pg_insert(institutions).values(**asdict(institution))
    statement = statement.on_conflict_do_nothing(index_elements=[institutions.c.credit_code])
    added = await session.execute(statement.returning(institutions.c.id))
    return added.first() is not None


IMPORTED = ("name", "licence_number", "region_code", "level", "address")  # automatic activation is staff's choice


async def put_institutions(session: AsyncSession, batch: Sequence[Institution]) -> list[tuple[Institution, bool]]:
    """Add each institution, or bring the one already loaded with its credit code up to date (its id and automatic
    activation stay). Returns those created or changed as they now are, each with whether it was created; one that
    matches what is loaded is left alone. One credit code at most once in `batch`."""
    adding = pg_insert(institutions)
    changed = or_(*(institutions.c[f].is_distinct_from(adding.excluded[f]) for f in IMPORTED))
    upsert = adding.on_conflict_do_update(
        index_elements=[institutions.c.credit_code], set_={f: adding.excluded[f] for f in IMPORTED}, where=changed
    ).returning(*COLUMNS, literal_column("xmax = 0").label("created"))
    rows = await session.execute(upsert, [asdict(institution) for institution in batch])
    return [(_institution(row), row["created"]) for row in rows.mappings()]


async def institutions_in(session: AsyncSession, *, region_code: str | None) -> list[Institution]:
    """Every institution by name, or those of one region."""
    query = select(*COLUMNS).order_by(institutions.c.name)
    if region_code:
        query = query.where(institutions.c.region_code == region_code)
    return [_institution(row) for row in (await session.execute(query)).mappings()]


async def set_auto_activation(session: AsyncSession, *, institution_id: UUID, enabled: bool) -> Institution | None:
    """The institution as it is now, or None if there is no such institution."""
    statement = (
        update(institutions).where(institutions.c.id == institution_id).values(auto_activation=enabled)
    ).returning(*COLUMNS)
    row = (await session.execute(statement)).mappings().first()
    return _institution(row) if row else None


async def set_institution(session: AsyncSession, institution: Institution) -> None:
    await session.execute(update(institutions).where(institutions.c.id == institution.id).values(**asdict(institution)))


async def region_of(session: AsyncSession, institution_id: UUID) -> str:
    query = select(institutions.c.region_code).where(institutions.c.id == institution_id)
    return (await session.execute(query)).scalar_one()
