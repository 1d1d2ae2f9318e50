"""Reading and writing the roster of physicians practising at each institution."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import PracticeCategory, RegistrationStatus
from institutions.adapters.search import containing
from institutions.adapters.tables import roster, roster_versions
from institutions.domain.roster import RosterEntry, RosterRole
from institutions.domain.search import PhysicianSearch
from regsys_runtime.paging import Page, Window


def _entry(row: RowMapping) -> RosterEntry:
    return RosterEntry(
        **{
            **row,
            "role": RosterRole(row.role),
            "category": PracticeCategory(row.category),
            "registration_status": RegistrationStatus(row.registration_status),
        }
    )


async def move_to_version(session: AsyncSession, *, account_id: UUID, version: int) -> bool:
    """Record that the physician's rows follow the register at `version`; False if they follow a newer one
    already (a snapshot of before versions, 0, always moves them)."""
    stmt = pg_insert(roster_versions).values(account_id=account_id, register_version=version)
    newer = roster_versions.c.register_version < version if version else None
    upsert = stmt.on_conflict_do_update(
        index_elements=[roster_versions.c.account_id], set_={"register_version": version}, where=newer
    )
    return (await session.execute(upsert.returning(roster_versions.c.account_id))).first() is not None


async def replace_entries(session: AsyncSession, *, account_id: UUID, entries: list[RosterEntry]) -> None:
    """The physician's rows become exactly these (none: they practise nowhere)."""
    await session.execute(delete(roster).where(roster.c.account_id == account_id))
    if entries:
        await session.execute(insert(roster), [asdict(e) for e in entries])


def _matching(institution_id: UUID | None, role: RosterRole | None, search: PhysicianSearch) -> list[Any]:
    where = [roster.c.institution_id == institution_id]
    if role:
        where.append(roster.c.role == role)
    for column, text in (
        (roster.c.physician_name, search.name),
        (roster.c.id_number_masked, search.id_number_masked),
        (roster.c.certificate_number, search.certificate_number),
    ):
        if text:
            where.append(containing(column, text))
    return where


ORDER = (roster.c.role, roster.c.physician_name, roster.c.account_id)  # main before multi-site, then by name


async def roster_at(
    session: AsyncSession,
    *,
    institution_id: UUID | None,
    role: RosterRole | None,
    search: PhysicianSearch,
    window: Window,
) -> Page[RosterEntry]:
    """One window of the institution's roster that matches, main before multi-site, then by name, and its total."""
    where = _matching(institution_id, role, search)
    total = await session.scalar(select(func.count()).select_from(roster).where(*where))
    query = select(roster).where(*where).order_by(*ORDER)
    rows = await session.execute(query.limit(window.limit).offset(window.offset))
    return Page([_entry(row) for row in rows.mappings()], int(total or 0))


async def whole_roster(
    session: AsyncSession, *, institution_id: UUID | None, role: RosterRole | None, search: PhysicianSearch
) -> list[RosterEntry]:
    """Every entry that matches, in the roster's order (for an export)."""
    query = select(roster).where(*_matching(institution_id, role, search)).order_by(*ORDER)
    return [_entry(row) for row in (await session.execute(query)).mappings()]
