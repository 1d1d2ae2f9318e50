"""Review tasks: an application addressed to the institution, the staff's queue, and their decision."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from contracts.applications.v1 import ApplicationClosed, ApplicationSubmitted, WithdrawalRequested
from contracts.enums import ApplicationType, ReviewOutcome
from contracts.institutions.v1 import ReviewCompleted, ReviewWithdrawn
from institutions.adapters import institutions, review_tasks
from institutions.domain import reviews
from institutions.domain.audit import AuditAction
from institutions.domain.reviews import ReviewTask, TaskStatus
from institutions.domain.search import PhysicianSearch
from institutions.service.audit import note
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Message, NotFound, NotYet
from regsys_runtime.paging import Page, Window


class NoSuchTask(NotFound):
    def __init__(self) -> None:
        super().__init__(Message("No such review task at your institution.", zh="贵机构没有这条审核任务。"))


async def open_review_task(*, uow: UnitOfWork, event: ApplicationSubmitted) -> None:
    task = ReviewTask(
        id=uuid.uuid4(), application_id=event.application_id, account_id=event.account_id,
        institution_id=event.institution_id, application_type=event.application_type,
        physician_name=event.physician_name, id_number_masked=event.id_number_masked, category=event.category,
        details=event.details.model_dump(mode="json"), status=TaskStatus.OPEN, opened_at=event.submitted_at,
    )  # fmt: skip
    await review_tasks.add_task(uow.session, task)


async def end_task(*, uow: UnitOfWork, event: ApplicationClosed) -> None:
    """The register changed under the application: its task closes (a decided one stays as decided)."""
    await review_tasks.close_task(
        uow.session, application_id=event.application_id, reason=event.reason, at=event.closed_at
    )


async def settle_withdrawal(*, uow: UnitOfWork, event: WithdrawalRequested) -> None:
    """The physician asked to withdraw: settled against the staff's decision under the task's lock. An open task
    ends withdrawn and every service hears it (ReviewWithdrawn); a decision that came first stands (its
    ReviewCompleted is already on its way), and the request changes nothing."""
    task = await review_tasks.task_of_application(uow.session, application_id=event.application_id, for_update=True)
    if task is None:
        raise NotYet(f"No review task for application {event.application_id} yet.")
    ended = reviews.withdrawn(task, at=event.requested_at)
    if ended is None:
        return
    await review_tasks.save_decision(uow.session, ended)
    news = ReviewWithdrawn(
        application_id=task.application_id, account_id=task.account_id, application_type=task.application_type,
        institution_id=task.institution_id, withdrawn_at=event.requested_at,
    )  # fmt: skip
    uow.publish(news, subject_id=task.account_id)


async def review_queue(
    *,
    uow: UnitOfWork,
    staff: Principal,
    status: TaskStatus | None,
    application_type: ApplicationType | None,
    search: PhysicianSearch | None = None,
    window: Window,
) -> Page[ReviewTask]:
    """One window of the institution's tasks that match, oldest first, and how many match in all."""
    async with uow:
        return await review_tasks.queue_of(
            uow.session,
            institution_id=staff.institution_id,
            status=status,
            application_type=application_type,
            search=search or PhysicianSearch(),
            window=window,
        )


async def task_of(*, uow: UnitOfWork, staff: Principal, task_id: UUID) -> ReviewTask:
    async with uow:
        task = await review_tasks.task_by_id(uow.session, task_id)
    if task is None or task.institution_id != staff.institution_id:
        raise NoSuchTask()
    return task


async def decide_review(
    *,
    uow: UnitOfWork,
    staff: Principal,
    client_address: str | None,
    task_id: UUID,
    outcome: ReviewOutcome,
    reason: str | None,
    now: datetime,
) -> ReviewTask:
    """Approve or reject; the row lock settles a race with a withdrawal (settle_withdrawal): whichever comes first
    wins, for every service."""
    async with uow:
        task = await review_tasks.task_by_id(uow.session, task_id, for_update=True)
        if task is None or task.institution_id != staff.institution_id:
            raise NoSuchTask()
        decided = reviews.decide(task, outcome, reason, reviewer_id=staff.account_id, now=now)
        await review_tasks.save_decision(uow.session, decided)
        event = ReviewCompleted(
            application_id=task.application_id, account_id=task.account_id,
            application_type=task.application_type, institution_id=task.institution_id,
            region_code=await institutions.region_of(uow.session, task.institution_id),
            outcome=outcome, reason=decided.reason, reviewer_id=staff.account_id, decided_at=now,
        )  # fmt: skip
        uow.publish(event, subject_id=task.account_id)
        await note(
            uow, staff, client_address, AuditAction.REVIEW_DECIDED, at=now, institution_id=task.institution_id,
            subject_id=task.id, application_id=str(task.application_id), outcome=outcome.value, reason=decided.reason,
        )  # fmt: skip
        await uow.commit()
    return decided
