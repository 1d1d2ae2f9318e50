"""Use cases of the authority: tasks from approved reviews, decisions, the practice register."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from contracts.applications.v1 import ApplicationSubmitted, ApplicationWithdrawn
from contracts.enums import ApplicationType, RegistrationStatus, ReviewOutcome
from contracts.institutions.v1 import InstitutionRecorded, ReviewCompleted
from contracts.licensing.v1 import DecisionMade, RegistrationChanged
from licensing.adapters.tables import applications, authority_tasks, certificate_sequence, institutions, registrations
from licensing.domain.rules import REVIEW_WORKING_DAYS, add_working_days, certificate_number
from licensing.service import licences
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem, invalid_fields


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


async def close_withdrawn(*, uow: UnitOfWork, event: ApplicationWithdrawn) -> None:
    await uow.session.execute(
        update(applications).where(applications.c.id == event.application_id).values(status="withdrawn")
    )
    await uow.session.execute(
        update(authority_tasks)
        .where(authority_tasks.c.application_id == event.application_id, authority_tasks.c.status == "open")
        .values(status="withdrawn", decided_at=event.withdrawn_at)
    )


async def open_task(*, uow: UnitOfWork, event: ReviewCompleted) -> None:
    """An institution approved: the application now waits for the authority of the institution's region."""
    if event.outcome is not ReviewOutcome.APPROVED or event.application_type is ApplicationType.PHOTO_UPDATE:
        return
    accepted = event.decided_at
    await uow.session.execute(
        pg_insert(authority_tasks)
        .values(
            id=uuid.uuid4(),
            application_id=event.application_id,
            account_id=event.account_id,
            region_code=event.region_code,
            status="open",
            opened_at=accepted,
            due_on=add_working_days(accepted.date(), REVIEW_WORKING_DAYS),
        )
        .on_conflict_do_nothing()
    )


async def queue(
    *, uow: UnitOfWork, officer: Principal, status: str | None, limit: int, offset: int
) -> list[RowMapping]:
    query = (
        select(
            authority_tasks,
            applications.c.application_type,
            applications.c.physician_name,
            applications.c.id_number_masked,
            applications.c.institution_id,
            applications.c.category,
        )
        .join(applications, applications.c.id == authority_tasks.c.application_id)
        .where(authority_tasks.c.region_code == officer.region_code)
        .order_by(authority_tasks.c.due_on)
        .limit(limit)
        .offset(offset)
    )
    if status:
        query = query.where(authority_tasks.c.status == status)
    async with uow:
        return list((await uow.session.execute(query)).mappings().all())


async def decide(
    *,
    uow: UnitOfWork,
    officer: Principal,
    task_id: UUID,
    outcome: ReviewOutcome,
    reason: str | None,
    office: licences.LicenceOffice,
) -> RowMapping:
    if outcome is ReviewOutcome.REJECTED and not reason:
        raise invalid_fields(("reason", "Say why the application is rejected."), detail="A rejection needs a reason.")
    async with uow:
        task = (
            (
                await uow.session.execute(
                    select(authority_tasks).where(authority_tasks.c.id == task_id).with_for_update()
                )
            )
            .mappings()
            .first()
        )
        if task is None or task.region_code != officer.region_code:
            raise Problem(404, "not-found", "No such task in your region.")
        if task.status != "open":
            raise Problem(409, "already-decided", f"This task is already {task.status}.")
        application = (
            (await uow.session.execute(select(applications).where(applications.c.id == task.application_id)))
            .mappings()
            .one()
        )
        now = datetime.now(UTC)
        number = None
        if outcome is ReviewOutcome.APPROVED:
            number = await _apply_to_register(uow, application, task.region_code, now, office)
        await uow.session.execute(
            update(authority_tasks)
            .where(authority_tasks.c.id == task_id)
            .values(status=outcome.value, reason=reason, officer_id=officer.account_id, decided_at=now)
        )
        uow.publish(
            DecisionMade(
                application_id=task.application_id,
                account_id=task.account_id,
                application_type=application.application_type,
                outcome=outcome,
                reason=reason,
                officer_id=officer.account_id,
                decided_at=now,
                certificate_number=number,
            ),
            subject_id=task.account_id,
        )
        await uow.commit()
        return (
            (await uow.session.execute(select(authority_tasks).where(authority_tasks.c.id == task_id))).mappings().one()
        )


async def _apply_to_register(
    uow: UnitOfWork, application: RowMapping, region_code: str, now: datetime, office: licences.LicenceOffice
) -> str:
    if application.application_type != ApplicationType.INITIAL_REGISTRATION:
        raise Problem(501, "not-yet-supported", f"{application.application_type} is not decided here yet.")
    sequence = await uow.session.scalar(certificate_sequence.next_value())
    number = certificate_number(region_code, now.year, int(sequence or 0))
    values = {
        "certificate_number": number,
        "status": RegistrationStatus.VALID,
        "category": application.category,
        "practice_scope": application.details.get("practice_scope"),
        "main_institution_id": application.institution_id,
        "filed_on": None,
        "updated_at": now,
    }
    stmt = pg_insert(registrations).values(account_id=application.account_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[registrations.c.account_id], set_=values))
    change = RegistrationChanged(
        account_id=application.account_id,
        certificate_number=number,
        status=RegistrationStatus.VALID,
        category=application.category,
        practice_scope=values["practice_scope"],
        main_institution_id=application.institution_id,
        photo_sha256=application.details.get("photo_sha256"),
        cause_application_id=application.id,
        changed_at=now,
    )
    uow.publish(change, subject_id=application.account_id)
    await licences.follow_register(uow=uow, office=office, change=change)
    return number


async def registration_of(*, uow: UnitOfWork, account_id: UUID) -> RowMapping:
    async with uow:
        row = (
            (await uow.session.execute(select(registrations).where(registrations.c.account_id == account_id)))
            .mappings()
            .first()
        )
    if row is None:
        raise Problem(404, "not-registered", "There is no practice registration for you yet.")
    return row
