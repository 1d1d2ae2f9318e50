"""Reading and writing the roster of physicians practising at each institution."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import PracticeCategory, RegistrationStatus
from institutions.adapters.tables import roster
from institutions.domain.roster import RosterEntry, RosterRole
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


async def replace_entries(session: AsyncSession, *, account_id: UUID, entries: list[RosterEntry]) -> None:
    """The physician's rows become exactly these (none: they practise nowhere)."""
    await session.execute(delete(roster).where(roster.c.account_id == account_id))
    if entries:
        await session.execute(insert(roster), [asdict(e) for e in entries])


async def roster_at(
    session: AsyncSession, *, institution_id: UUID | None, role: RosterRole | None, window: Window
) -> Page[RosterEntry]:
    """One window of the institution's roster, main before multi-site, then by name, and its total."""
    where = [roster.c.institution_id == institution_id]
    if role:
        where.append(roster.c.role == role)
    total = await session.scalar(select(func.count()).select_from(roster).where(*where))
    query = select(roster).where(*where).order_by(roster.c.role, roster.c.physician_name, roster.c.account_id)
    rows = await session.execute(query.limit(window.limit).offset(window.offset))
    return Page([_entry(row) for row in rows.mappings()], int(total or 0))
