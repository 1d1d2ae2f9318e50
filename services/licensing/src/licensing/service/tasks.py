"""The authority's tasks: applications kept from events, a task once the institution approved, the queue."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from contracts.applications.v1 import ApplicationClosed, ApplicationSubmitted, ApplicationWithdrawn
from contracts.enums import ApplicationType, ReviewOutcome
from contracts.institutions.v1 import InstitutionRecorded, ReviewCompleted
from licensing.adapters.tables import applications, authority_tasks, institutions, received_materials
from licensing.domain.materials import checklist, unknown_codes
from licensing.domain.register import Change, RegisterRuleBroken
from licensing.domain.rules import REVIEW_WORKING_DAYS, add_working_days
from licensing.service import register
from licensing.service.licences import LicenceOffice
from regsys_runtime.auth import Principal
from regsys_runtime.clock import CHINA_STANDARD_TIME
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem, invalid_fields

log = logging.getLogger(__name__)
NOT_FOUND = Problem(404, "not-found", "No such task in your region.")

TASK_COLUMNS = (
    authority_tasks,
    applications.c.application_type,
    applications.c.physician_name,
    applications.c.id_number_masked,
    applications.c.institution_id,
    applications.c.category,
    applications.c.details,
)


async def remember_institution(*, uow: UnitOfWork, event: InstitutionRecorded) -> None:
    values = {"name": event.name, "region_code": event.region_code}
    stmt = pg_insert(institutions).values(id=event.institution_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[institutions.c.id], set_=values))


async def remember_application(*, uow: UnitOfWork, event: ApplicationSubmitted) -> None:
    await uow.session.execute(
        pg_insert(applications)
        .values(
            id=event.application_id,
            account_id=event.account_id,
            application_type=event.application_type,
            institution_id=event.institution_id,
            category=event.category,
            physician_name=event.physician_name,
            id_number_masked=event.id_number_masked,
            details=event.details.model_dump(mode="json"),
            status="open",
        )
        .on_conflict_do_nothing()
    )


async def end(*, uow: UnitOfWork, event: ApplicationWithdrawn | ApplicationClosed) -> None:
    """The physician withdrew or the system closed it: an undecided task ends (the task lock settles a race)."""
    status, at = (
        ("closed", event.closed_at) if isinstance(event, ApplicationClosed) else ("withdrawn", event.withdrawn_at)
    )
    reason = event.reason if isinstance(event, ApplicationClosed) else None
    await uow.session.execute(
        update(applications).where(applications.c.id == event.application_id).values(status=status)
    )
    await uow.session.execute(
        update(authority_tasks)
        .where(authority_tasks.c.application_id == event.application_id, authority_tasks.c.status == "open")
        .values(status=status, reason=reason, decided_at=at)
    )


async def institution_decided(*, uow: UnitOfWork, event: ReviewCompleted, office: LicenceOffice) -> None:
    """An institution approved: a photo update takes effect; anything else waits for the authority."""
    if event.outcome is not ReviewOutcome.APPROVED:
        return
    application = (
        (await uow.session.execute(select(applications).where(applications.c.id == event.application_id)))
        .mappings()
        .first()
    )
    if event.application_type is ApplicationType.PHOTO_UPDATE:
        await _photo_takes_effect(uow, event, application, office)
    elif application is None or application.status == "open":  # not withdrawn or closed meanwhile
        await _open_task(uow, event)


async def _photo_takes_effect(
    uow: UnitOfWork, event: ReviewCompleted, application: RowMapping | None, office: LicenceOffice
) -> None:
    if application is None:
        raise LookupError(f"photo update {event.application_id} approved before it was seen here")  # retried
    change = Change(
        kind=ApplicationType.PHOTO_UPDATE,
        institution_id=event.institution_id,
        category=application.category,
        photo_sha256=application.details.get("photo_sha256"),
    )
    try:
        await register.apply_change(
            uow=uow,
            account_id=event.account_id,
            change=change,
            today=event.decided_at.astimezone(CHINA_STANDARD_TIME).date(),
            now=event.decided_at,
            cause_application_id=event.application_id,
            office=office,
        )
    except RegisterRuleBroken as broken:
        log.warning("an approved photo update has no registration to go to", extra={"detail": broken.detail})


async def _open_task(uow: UnitOfWork, event: ReviewCompleted) -> None:
    accepted = event.decided_at.astimezone(CHINA_STANDARD_TIME).date()
    await uow.session.execute(
        pg_insert(authority_tasks)
        .values(
            id=uuid.uuid4(),
            application_id=event.application_id,
            account_id=event.account_id,
            region_code=event.region_code,
            status="open",
            opened_at=event.decided_at,
            due_on=add_working_days(accepted, REVIEW_WORKING_DAYS),
        )
        .on_conflict_do_nothing()
    )


async def queue(
    *,
    uow: UnitOfWork,
    officer: Principal,
    status: str | None,
    application_type: ApplicationType | None,
    limit: int,
    offset: int,
) -> tuple[list[RowMapping], int]:
    where = [authority_tasks.c.region_code == officer.region_code]
    if status:
        where.append(authority_tasks.c.status == status)
    if application_type:
        where.append(applications.c.application_type == application_type)
    joined = authority_tasks.join(applications, applications.c.id == authority_tasks.c.application_id)
    query = select(*TASK_COLUMNS).select_from(joined).where(*where)
    query = query.order_by(authority_tasks.c.due_on, authority_tasks.c.opened_at).limit(limit).offset(offset)
    async with uow:
        total = await uow.session.scalar(select(func.count()).select_from(joined).where(*where))
        rows = (await uow.session.execute(query)).mappings().all()
    return list(rows), int(total or 0)


async def task_with_materials(
    *, uow: UnitOfWork, officer: Principal, task_id: UUID
) -> tuple[RowMapping, list[RowMapping]]:
    async with uow:
        return await _task_in_region(uow, officer, task_id)


async def _task_in_region(uow: UnitOfWork, officer: Principal, task_id: UUID) -> tuple[RowMapping, list[RowMapping]]:
    joined = authority_tasks.join(applications, applications.c.id == authority_tasks.c.application_id)
    query = select(*TASK_COLUMNS).select_from(joined).where(authority_tasks.c.id == task_id)
    task = (await uow.session.execute(query)).mappings().first()
    if task is None or task.region_code != officer.region_code:
        raise NOT_FOUND
    received = select(received_materials).where(received_materials.c.application_id == task.application_id)
    return task, list((await uow.session.execute(received)).mappings().all())


async def record_materials(
    *, uow: UnitOfWork, officer: Principal, task_id: UUID, received: set[str]
) -> tuple[RowMapping, list[RowMapping]]:
    """Set which paper materials have been received (the whole set: one taken back is removed)."""
    async with uow:
        task, _ = await _task_in_region(uow, officer, task_id)
        kind = ApplicationType(task.application_type)
        if unknown := unknown_codes(kind, received):
            known = ", ".join(m.code for m in checklist(kind))
            raise invalid_fields(("received", f"Not on the checklist: {', '.join(sorted(unknown))}. Known: {known}."))
        table = received_materials
        await uow.session.execute(
            delete(table).where(table.c.application_id == task.application_id, table.c.code.not_in(received))
        )
        now = datetime.now(UTC)
        for code in received:
            await uow.session.execute(
                pg_insert(table)
                .values(application_id=task.application_id, code=code, officer_id=officer.account_id, received_at=now)
                .on_conflict_do_nothing()
            )
        await uow.commit()
        return await _task_in_region(uow, officer, task_id)
