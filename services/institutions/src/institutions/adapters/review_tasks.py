"""Reading and writing review tasks (one per application addressed to an institution)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import ApplicationType, PracticeCategory
from institutions.adapters.search import physician_filters
from institutions.adapters.tables import review_tasks
from institutions.domain.reviews import CLOSABLE, ReviewTask, TaskStatus
from institutions.domain.search import PhysicianSearch
from regsys_runtime.paging import Page, Window


def _task(row: RowMapping) -> ReviewTask:
    return ReviewTask(
        **{
            **row,
            "application_type": ApplicationType(row.application_type),
            "category": PracticeCategory(row.category),
            "status": TaskStatus(row.status),
        }
    )


async def add_task(session: AsyncSession, task: ReviewTask) -> None:
    """Open the task, unless the application has one already (the event came twice)."""
    await session.execute(pg_insert(review_tasks).values(**asdict(task)).on_conflict_do_nothing())


async def close_task(session: AsyncSession, *, application_id: UUID, reason: str | None, at: datetime) -> None:
    """Close the application's task unless it was decided; a decided one stays as decided."""
    await session.execute(
        update(review_tasks)
        .where(review_tasks.c.application_id == application_id, review_tasks.c.status.in_(CLOSABLE))
        .values(status=TaskStatus.CLOSED, reason=reason, decided_at=at)
    )


async def task_by_id(session: AsyncSession, task_id: UUID, *, for_update: bool = False) -> ReviewTask | None:
    query = select(review_tasks).where(review_tasks.c.id == task_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).mappings().first()
    return _task(row) if row else None


async def task_of_application(
    session: AsyncSession, *, application_id: UUID, for_update: bool = False
) -> ReviewTask | None:
    query = select(review_tasks).where(review_tasks.c.application_id == application_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).mappings().first()
    return _task(row) if row else None


async def save_decision(session: AsyncSession, task: ReviewTask) -> None:
    await session.execute(
        update(review_tasks)
        .where(review_tasks.c.id == task.id)
        .values(status=task.status, reason=task.reason, reviewer_id=task.reviewer_id, decided_at=task.decided_at)
    )


async def queue_of(
    session: AsyncSession,
    *,
    institution_id: UUID | None,
    status: TaskStatus | None,
    application_type: ApplicationType | None,
    search: PhysicianSearch,
    window: Window,
) -> Page[ReviewTask]:
    """One window of the institution's tasks that match, oldest first, and how many match in all."""
    where = [review_tasks.c.institution_id == institution_id]
    if status:
        where.append(review_tasks.c.status == status)
    if application_type:
        where.append(review_tasks.c.application_type == application_type)
    where += physician_filters(
        search,
        name=review_tasks.c.physician_name,
        id_number_masked=review_tasks.c.id_number_masked,
        account_id=review_tasks.c.account_id,
    )
    total = await session.scalar(select(func.count()).select_from(review_tasks).where(*where))
    query = select(review_tasks).where(*where).order_by(review_tasks.c.opened_at, review_tasks.c.id)
    rows = await session.execute(query.limit(window.limit).offset(window.offset))
    return Page([_task(row) for row in rows.mappings()], int(total or 0))
