"""Reading and writing the authority's tasks and the paper materials received for them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from licensing.adapters.applications import application_of
from licensing.adapters.tables import applications, authority_tasks, received_materials
from licensing.domain.materials import ReceivedMaterial
from licensing.domain.tasks import AuthorityTask, QueueFilter, TaskFile, TaskStatus
from regsys_runtime.paging import Page, Window

_APPLICATION = "application__"  # the prefix of the application's columns in a task's row
_JOINED = authority_tasks.join(applications, applications.c.id == authority_tasks.c.application_id)
_FILE_COLUMNS: tuple[Any, ...] = (authority_tasks, *(c.label(_APPLICATION + c.name) for c in applications.c))


def _task_of(row: Any) -> AuthorityTask:
    return AuthorityTask(
        id=row.id,
        application_id=row.application_id,
        account_id=row.account_id,
        region_code=row.region_code,
        status=TaskStatus(row.status),
        opened_at=row.opened_at,
        due_on=row.due_on,
        reason=row.reason,
        officer_id=row.officer_id,
        decided_at=row.decided_at,
    )


def _file_of(row: Any, received: tuple[ReceivedMaterial, ...] | None = None) -> TaskFile:
    return TaskFile(_task_of(row), application_of(row._mapping, prefix=_APPLICATION), received)


async def add(session: AsyncSession, task: AuthorityTask) -> None:
    """Add a task (open, or ended as its application was); an application has one, so a redelivered approval
    adds none."""
    values = {
        "id": task.id,
        "application_id": task.application_id,
        "account_id": task.account_id,
        "region_code": task.region_code,
        "status": task.status.value,
        "opened_at": task.opened_at,
        "due_on": task.due_on,
        "reason": task.reason,
        "decided_at": task.decided_at,  # set for a task that ended before it opened
    }
    await session.execute(pg_insert(authority_tasks).values(**values).on_conflict_do_nothing())


async def get(session: AsyncSession, *, task_id: UUID, lock: bool = False) -> AuthorityTask | None:
    """The task (locked against other decisions and endings when `lock`), or None."""
    query = select(authority_tasks).where(authority_tasks.c.id == task_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    return _task_of(row) if row else None


async def file_of(session: AsyncSession, *, task_id: UUID) -> TaskFile | None:
    """The task with its application and the materials received, or None."""
    row = (
        await session.execute(select(*_FILE_COLUMNS).select_from(_JOINED).where(authority_tasks.c.id == task_id))
    ).first()
    if row is None:
        return None
    return _file_of(row, await received(session, application_id=row.application_id))


def _in_region(prefix: str) -> ColumnElement[bool]:
    """The codes that start with the prefix, as the range of six-digit codes that an index serves: a LIKE is no
    index condition under the database's collation (C.UTF-8 is not C to the planner), nor in a generic plan."""
    kept = prefix.rstrip("9")
    after = kept[:-1] + str(int(kept[-1]) + 1) if kept else None  # 4403 -> 4404, 4409 -> 441; none after 99
    code = authority_tasks.c.region_code
    within = code >= prefix if after is None else (code >= prefix) & (code < after)
    return within & code.startswith(prefix, autoescape=True)


def _queue_of(region_prefix: str, wanted: QueueFilter) -> Select[Any]:
    where = [_in_region(region_prefix)]
    if wanted.status:
        where.append(authority_tasks.c.status == wanted.status.value)
    if wanted.application_type:
        where.append(applications.c.application_type == wanted.application_type.value)
    if wanted.overdue is not None and wanted.overdue_on is not None:  # overdue: still open after its due day
        overdue = (authority_tasks.c.status == TaskStatus.OPEN.value) & (authority_tasks.c.due_on < wanted.overdue_on)
        where.append(overdue if wanted.overdue else ~overdue)
    return select(*_FILE_COLUMNS).select_from(_JOINED).where(*where)


async def queue(session: AsyncSession, *, region_prefix: str, wanted: QueueFilter, window: Window) -> Page[TaskFile]:
    """The tasks of a region and the regions below it, soonest due first, with their applications (the id breaks
    ties, so no task is on two pages or on none)."""
    query = _queue_of(region_prefix, wanted)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    ordered = query.order_by(authority_tasks.c.due_on, authority_tasks.c.opened_at, authority_tasks.c.id)
    rows = (await session.execute(ordered.limit(window.limit).offset(window.offset))).all()
    return Page([_file_of(row) for row in rows], int(total or 0))


async def save_decision(session: AsyncSession, task: AuthorityTask) -> None:
    values = {"status": task.status.value, "reason": task.reason, "officer_id": task.officer_id}
    await session.execute(
        update(authority_tasks).where(authority_tasks.c.id == task.id).values(**values, decided_at=task.decided_at)
    )


async def end_open(
    session: AsyncSession, *, application_id: UUID, status: TaskStatus, reason: str | None, at: datetime
) -> None:
    """End the application's task, if it is still open (an update, so it waits for a decision's lock)."""
    await session.execute(
        update(authority_tasks)
        .where(authority_tasks.c.application_id == application_id, authority_tasks.c.status == TaskStatus.OPEN.value)
        .values(status=status.value, reason=reason, decided_at=at)
    )


async def received(session: AsyncSession, *, application_id: UUID) -> tuple[ReceivedMaterial, ...]:
    query = select(received_materials).where(received_materials.c.application_id == application_id)
    return tuple(ReceivedMaterial(r.code, r.received_at) for r in await session.execute(query))


async def set_received(
    session: AsyncSession, *, application_id: UUID, codes: Iterable[str], officer_id: UUID, now: datetime
) -> None:
    """The whole set of materials received: one taken back is removed, one received before keeps its time."""
    table, codes = received_materials, set(codes)
    await session.execute(delete(table).where(table.c.application_id == application_id, table.c.code.not_in(codes)))
    for code in codes:
        await session.execute(
            pg_insert(table)
            .values(application_id=application_id, code=code, officer_id=officer_id, received_at=now)
            .on_conflict_do_nothing()
        )
