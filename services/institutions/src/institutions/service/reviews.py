"""Review tasks: an application addressed to the institution, the staff's queue, and their decision."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from contracts.applications.v1 import ApplicationClosed, ApplicationSubmitted, ApplicationWithdrawn
from contracts.enums import ApplicationType, ReviewOutcome
from contracts.institutions.v1 import ReviewCompleted
from institutions.adapters.tables import institutions, review_tasks
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem, invalid_fields


class TaskStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # the physician withdrew before the institution decided
    CLOSED = "closed"  # the register changed under the application


NOT_FOUND = Problem(404, "not-found", "No such review task at your institution.")


async def open_review_task(*, uow: UnitOfWork, event: ApplicationSubmitted) -> None:
    await uow.session.execute(
        pg_insert(review_tasks)
        .values(
            id=uuid.uuid4(),
            application_id=event.application_id,
            account_id=event.account_id,
            institution_id=event.institution_id,
            application_type=event.application_type,
            physician_name=event.physician_name,
            id_number_masked=event.id_number_masked,
            category=event.category,
            details=event.details.model_dump(mode="json"),
            status=TaskStatus.OPEN,
            opened_at=event.submitted_at,
        )
        .on_conflict_do_nothing()
    )


async def end_task(*, uow: UnitOfWork, event: ApplicationWithdrawn | ApplicationClosed) -> None:
    """The application left the institution's hands; an open task ends (a decided one stays as decided)."""
    closed = isinstance(event, ApplicationClosed)
    await uow.session.execute(
        update(review_tasks)
        .where(review_tasks.c.application_id == event.application_id, review_tasks.c.status == TaskStatus.OPEN)
        .values(
            status=TaskStatus.CLOSED if closed else TaskStatus.WITHDRAWN,
            reason=event.reason if isinstance(event, ApplicationClosed) else None,
            decided_at=event.closed_at if isinstance(event, ApplicationClosed) else event.withdrawn_at,
        )
    )


async def review_queue(
    *,
    uow: UnitOfWork,
    staff: Principal,
    status: TaskStatus | None,
    application_type: ApplicationType | None,
    limit: int,
    offset: int,
) -> tuple[list[RowMapping], int]:
    """One page of the institution's tasks, oldest first, and how many there are in all."""
    where = [review_tasks.c.institution_id == staff.institution_id]
    if status:
        where.append(review_tasks.c.status == status)
    if application_type:
        where.append(review_tasks.c.application_type == application_type)
    query = select(review_tasks).where(*where).order_by(review_tasks.c.opened_at, review_tasks.c.id)
    async with uow:
        total = await uow.session.scalar(select(func.count()).select_from(review_tasks).where(*where))
        rows = (await uow.session.execute(query.limit(limit).offset(offset))).mappings().all()
    return list(rows), int(total or 0)


async def task_of(*, uow: UnitOfWork, staff: Principal, task_id: UUID) -> RowMapping:
    async with uow:
        task = (await uow.session.execute(select(review_tasks).where(review_tasks.c.id == task_id))).mappings().first()
    if task is None or task.institution_id != staff.institution_id:
        raise NOT_FOUND
    return task


async def decide_review(
    *, uow: UnitOfWork, staff: Principal, task_id: UUID, outcome: ReviewOutcome, reason: str | None
) -> RowMapping:
    """Approve or reject; the row lock settles a race with a withdrawal: whichever comes first wins."""
    if outcome is ReviewOutcome.REJECTED and not (reason and reason.strip()):
        raise invalid_fields(("reason", "Say why the application is rejected."), detail="A rejection needs a reason.")
    async with uow:
        query = select(review_tasks).where(review_tasks.c.id == task_id).with_for_update()
        task = (await uow.session.execute(query)).mappings().first()
        if task is None or task.institution_id != staff.institution_id:
            raise NOT_FOUND
        if task.status != TaskStatus.OPEN:
            raise Problem(409, "already-decided", f"This task is already {task.status}.")
        institution = (
            (await uow.session.execute(select(institutions).where(institutions.c.id == task.institution_id)))
            .mappings()
            .one()
        )
        now = datetime.now(UTC)
        status = TaskStatus.APPROVED if outcome is ReviewOutcome.APPROVED else TaskStatus.REJECTED
        await uow.session.execute(
            update(review_tasks)
            .where(review_tasks.c.id == task_id)
            .values(status=status, reason=reason, reviewer_id=staff.account_id, decided_at=now)
        )
        uow.publish(
            ReviewCompleted(
                application_id=task.application_id,
                account_id=task.account_id,
                application_type=task.application_type,
                institution_id=task.institution_id,
                region_code=institution.region_code,
                outcome=outcome,
                reason=reason,
                reviewer_id=staff.account_id,
                decided_at=now,
            ),
            subject_id=task.account_id,
        )
        await uow.commit()
        updated = (await uow.session.execute(select(review_tasks).where(review_tasks.c.id == task_id))).mappings().one()
    return updated
