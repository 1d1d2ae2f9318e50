"""Use cases of institutions: records and review tasks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from contracts.applications.v1 import ApplicationSubmitted, ApplicationWithdrawn
from contracts.enums import ReviewOutcome
from contracts.institutions.v1 import InstitutionRecorded, ReviewCompleted
from institutions.adapters.tables import institutions, review_tasks
from institutions.domain.rules import credit_code_is_valid
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem, invalid_fields


class TaskStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


def recorded(row: RowMapping) -> InstitutionRecorded:
    return InstitutionRecorded(
        institution_id=row.id,
        name=row.name,
        credit_code=row.credit_code,
        licence_number=row.licence_number,
        region_code=row.region_code,
        level=row.level,
        address=row.address,
        auto_activation=row.auto_activation,
    )


async def _institution(uow: UnitOfWork, institution_id: UUID) -> RowMapping | None:
    query = select(institutions).where(institutions.c.id == institution_id)
    return (await uow.session.execute(query)).mappings().first()


async def register_institution(*, uow: UnitOfWork, values: dict[str, Any]) -> UUID:
    if not credit_code_is_valid(values["credit_code"]):
        raise invalid_fields(("credit_code", "Not a valid unified social credit code (check character wrong?)."))
    async with uow:
        taken = select(institutions.c.id).where(institutions.c.credit_code == values["credit_code"])
        if (await uow.session.execute(taken)).first():
            raise Problem(409, "institution-exists", "An institution with this credit code is already loaded.")
        institution_id = uuid.uuid4()
        await uow.session.execute(insert(institutions).values(id=institution_id, **values))
        row = await _institution(uow, institution_id)
        assert row is not None
        uow.publish(recorded(row), subject_id=institution_id)
        await uow.commit()
    return institution_id


async def list_institutions(*, uow: UnitOfWork, region_code: str | None) -> list[RowMapping]:
    query = select(institutions).order_by(institutions.c.name)
    if region_code:
        query = query.where(institutions.c.region_code == region_code)
    async with uow:
        return list((await uow.session.execute(query)).mappings().all())


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


async def close_withdrawn_task(*, uow: UnitOfWork, event: ApplicationWithdrawn) -> None:
    await uow.session.execute(
        update(review_tasks)
        .where(
            review_tasks.c.application_id == event.application_id,
            review_tasks.c.status == TaskStatus.OPEN,
        )
        .values(status=TaskStatus.WITHDRAWN, decided_at=event.withdrawn_at)
    )


async def review_queue(
    *, uow: UnitOfWork, staff: Principal, status: str | None, limit: int, offset: int
) -> list[RowMapping]:
    query = (
        select(review_tasks)
        .where(review_tasks.c.institution_id == staff.institution_id)
        .order_by(review_tasks.c.opened_at)
        .limit(limit)
        .offset(offset)
    )
    if status:
        query = query.where(review_tasks.c.status == status)
    async with uow:
        return list((await uow.session.execute(query)).mappings().all())


async def decide_review(
    *, uow: UnitOfWork, staff: Principal, task_id: UUID, outcome: ReviewOutcome, reason: str | None
) -> RowMapping:
    if outcome is ReviewOutcome.REJECTED and not reason:
        raise invalid_fields(("reason", "Say why the application is rejected."), detail="A rejection needs a reason.")
    async with uow:
        query = select(review_tasks).where(review_tasks.c.id == task_id).with_for_update()
        task = (await uow.session.execute(query)).mappings().first()
        if task is None or task.institution_id != staff.institution_id:
            raise Problem(404, "not-found", "No such review task at your institution.")
        if task.status != TaskStatus.OPEN:
            raise Problem(409, "already-decided", f"This task is already {task.status}.")
        institution = await _institution(uow, task.institution_id)
        assert institution is not None
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
