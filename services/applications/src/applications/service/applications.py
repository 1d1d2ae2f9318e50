"""Use cases of applications: submit, read, and follow the reviews."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import RowMapping

from applications.adapters.tables import applications, history, physicians, registrations
from contracts.applications.v1 import ApplicationDetails, ApplicationStatusChanged, ApplicationSubmitted
from contracts.enums import AccountStatus, ApplicationStatus, ApplicationType, RegistrationStatus
from contracts.licensing.v1 import RegistrationChanged
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem

OPEN_STATES = (ApplicationStatus.SUBMITTED, ApplicationStatus.INSTITUTION_REVIEW, ApplicationStatus.AUTHORITY_REVIEW)


def refused(code: str, detail: str) -> Problem:
    return Problem(409, code, detail, title="The application cannot be submitted")


async def _one(uow: UnitOfWork, table, key, value) -> RowMapping | None:
    return (await uow.session.execute(select(table).where(key == value))).mappings().first()


async def submit_initial_registration(
    *, uow: UnitOfWork, physician: Principal, institution_id: UUID, practice_scope: str
) -> RowMapping:
    async with uow:
        person = await _one(uow, physicians, physicians.c.account_id, physician.account_id)
        if person is None or person.account_status != AccountStatus.ACTIVE or person.category is None:
            raise refused("account-not-active", "Your account must be verified and activated before you apply.")
        register = await _one(uow, registrations, registrations.c.account_id, physician.account_id)
        if register is not None and register.status != RegistrationStatus.DEREGISTERED:
            raise refused("already-registered", "You already hold a practice registration; apply for a change.")
        pending = select(applications.c.id).where(
            applications.c.account_id == physician.account_id, applications.c.status.in_(OPEN_STATES)
        )
        if (await uow.session.execute(pending)).first():
            raise refused("application-open", "You have an open application; wait for its decision or withdraw it.")
        now = datetime.now(UTC)
        application_id = uuid.uuid4()
        details = ApplicationDetails(practice_scope=practice_scope)
        await uow.session.execute(
            insert(applications).values(
                id=application_id,
                account_id=physician.account_id,
                application_type=ApplicationType.INITIAL_REGISTRATION,
                status=ApplicationStatus.INSTITUTION_REVIEW,
                institution_id=institution_id,
                category=person.category,
                details=details.model_dump(mode="json"),
                submitted_at=now,
                updated_at=now,
            )
        )
        await _record(uow, application_id, ApplicationStatus.INSTITUTION_REVIEW, "physician", None, now)
        uow.publish(
            ApplicationSubmitted(
                application_id=application_id,
                account_id=physician.account_id,
                application_type=ApplicationType.INITIAL_REGISTRATION,
                institution_id=institution_id,
                category=person.category,
                physician_name=person.real_name,
                id_number_masked=person.id_number_masked,
                details=details,
                submitted_at=now,
            ),
            subject_id=physician.account_id,
        )
        _announce(
            uow,
            physician.account_id,
            application_id,
            ApplicationType.INITIAL_REGISTRATION,
            ApplicationStatus.INSTITUTION_REVIEW,
            None,
            now,
        )
        await uow.commit()
        row = await _one(uow, applications, applications.c.id, application_id)
    assert row is not None
    return row


async def _record(
    uow: UnitOfWork, application_id: UUID, status: ApplicationStatus, actor: str, reason: str | None, at: datetime
) -> None:
    await uow.session.execute(
        insert(history).values(
            id=uuid.uuid4(), application_id=application_id, status=status, actor=actor, reason=reason, at=at
        )
    )


def _announce(
    uow: UnitOfWork,
    account_id: UUID,
    application_id: UUID,
    kind: ApplicationType,
    status: ApplicationStatus,
    reason: str | None,
    at: datetime,
) -> None:
    uow.publish(
        ApplicationStatusChanged(
            application_id=application_id,
            account_id=account_id,
            application_type=kind,
            status=status,
            reason=reason,
            changed_at=at,
        ),
        subject_id=account_id,
    )


async def own_application(
    *, uow: UnitOfWork, physician: Principal, application_id: UUID
) -> tuple[RowMapping, list[RowMapping]]:
    async with uow:
        row = await _one(uow, applications, applications.c.id, application_id)
        if row is None or row.account_id != physician.account_id:
            raise Problem(404, "not-found", "No such application of yours.")
        steps = (
            (
                await uow.session.execute(
                    select(history).where(history.c.application_id == application_id).order_by(history.c.at)
                )
            )
            .mappings()
            .all()
        )
    return row, list(steps)


async def own_applications(*, uow: UnitOfWork, physician: Principal) -> list[RowMapping]:
    async with uow:
        query = (
            select(applications)
            .where(applications.c.account_id == physician.account_id)
            .order_by(applications.c.updated_at.desc())
        )
        return list((await uow.session.execute(query)).mappings().all())


async def move(
    *, uow: UnitOfWork, application_id: UUID, to: ApplicationStatus, actor: str, reason: str | None, at: datetime
) -> None:
    """A reviewer decided: move the application on, unless it already left the reviewer's hands."""
    row = await _one(uow, applications, applications.c.id, application_id)
    if row is None or row.status not in OPEN_STATES:
        return
    await uow.session.execute(
        update(applications).where(applications.c.id == application_id).values(status=to, updated_at=at)
    )
    await _record(uow, application_id, to, actor, reason, at)
    _announce(uow, row.account_id, application_id, ApplicationType(row.application_type), to, reason, at)


async def remember_physician(*, uow: UnitOfWork, account_id: UUID, **values: object) -> None:
    stmt = pg_insert(physicians).values(account_id=account_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[physicians.c.account_id], set_=values))


async def update_physician(*, uow: UnitOfWork, account_id: UUID, **values: object) -> None:
    await uow.session.execute(update(physicians).where(physicians.c.account_id == account_id).values(**values))


async def remember_registration(*, uow: UnitOfWork, event: RegistrationChanged) -> None:
    values = {
        "status": event.status,
        "certificate_number": event.certificate_number,
        "main_institution_id": event.main_institution_id,
    }
    stmt = pg_insert(registrations).values(account_id=event.account_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[registrations.c.account_id], set_=values))
