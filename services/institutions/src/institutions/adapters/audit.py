"""Writing and reading the audit trail; the database refuses to change or delete an entry (migration 0005)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from sqlalchemy import func, insert, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import Role
from institutions.adapters.tables import audit_trail
from institutions.domain.audit import AuditAction, AuditEntry, AuditQuery
from regsys_runtime.paging import Page, Window


def _entry(row: RowMapping) -> AuditEntry:
    return AuditEntry(**{**row, "actor_role": Role(row.actor_role), "action": AuditAction(row.action)})


async def append(session: AsyncSession, entry: AuditEntry) -> None:
    await session.execute(insert(audit_trail).values(**asdict(entry)))


async def append_all(session: AsyncSession, entries: Sequence[AuditEntry]) -> None:
    if entries:
        await session.execute(insert(audit_trail), [asdict(entry) for entry in entries])


async def entries(session: AsyncSession, *, query: AuditQuery, window: Window) -> Page[AuditEntry]:
    """One window of the entries that match, newest first, and how many match in all."""
    where = []
    if query.institution_id:
        where.append(audit_trail.c.institution_id == query.institution_id)
    if query.actor_id:
        where.append(audit_trail.c.actor_id == query.actor_id)
    if query.action:
        where.append(audit_trail.c.action == query.action)
    total = await session.scalar(select(func.count()).select_from(audit_trail).where(*where))
    listed = select(audit_trail).where(*where).order_by(audit_trail.c.at.desc(), audit_trail.c.id)
    rows = await session.execute(listed.limit(window.limit).offset(window.offset))
    return Page([_entry(row) for row in rows.mappings()], int(total or 0))
