"""The authority's decision on a task: approve (the register changes) or reject with a reason."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.engine import RowMapping

from contracts.enums import ApplicationType, ReviewOutcome
from contracts.licensing.v1 import DecisionMade
from licensing.adapters.tables import applications, authority_tasks, certificate_sequence
from licensing.domain.register import Change, RegisterRuleBroken
from licensing.domain.rules import certificate_number
from licensing.service import register
from licensing.service.licences import LicenceOffice
from licensing.service.tasks import NOT_FOUND, _task_in_region
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem, invalid_fields


async def change_for(uow: UnitOfWork, application: RowMapping, region_code: str, now: datetime) -> Change:
    """What an approved application does to the register."""
    kind, details = ApplicationType(application.application_type), application.details
    number = filing_id = None
    if kind is ApplicationType.INITIAL_REGISTRATION:
        sequence = await uow.session.scalar(certificate_sequence.next_value())
        number = certificate_number(region_code, now.year, int(sequence or 0))
    if kind is ApplicationType.MULTI_SITE_FILING:
        filing_id = application.id  # the filing is named after the application that asked for it
    elif details.get("multi_site_filing_id"):
        filing_id = UUID(details["multi_site_filing_id"])

    def day(key: str) -> date | None:
        return date.fromisoformat(details[key]) if details.get(key) else None

    return Change(
        kind=kind,
        institution_id=application.institution_id,
        category=application.category,
        practice_scope=details.get("practice_scope"),
        target_institution_id=UUID(details["target_institution_id"]) if details.get("target_institution_id") else None,
        starts_on=day("multi_site_starts_on"),
        ends_on=day("multi_site_ends_on"),
        filing_id=filing_id,
        photo_sha256=details.get("photo_sha256"),
        certificate_number=number,
    )


async def decide(
    *,
    uow: UnitOfWork,
    officer: Principal,
    task_id: UUID,
    outcome: ReviewOutcome,
    reason: str | None,
    today: date,
    office: LicenceOffice,
) -> tuple[RowMapping, list[RowMapping]]:
    """Decide under the task's lock, so a withdrawal or closure arriving meanwhile either wins or finds it decided."""
    if outcome is ReviewOutcome.REJECTED and not (reason and reason.strip()):
        raise invalid_fields(("reason", "Say why the application is rejected."), detail="A rejection needs a reason.")
    async with uow:
        query = select(authority_tasks).where(authority_tasks.c.id == task_id).with_for_update()
        task = (await uow.session.execute(query)).mappings().first()
        if task is None or task.region_code != officer.region_code:
            raise NOT_FOUND
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
            change = await change_for(uow, application, task.region_code, now)
            try:
                after = await register.apply_change(
                    uow=uow,
                    office=office,
                    account_id=task.account_id,
                    change=change,
                    today=today,
                    now=now,
                    cause_application_id=application.id,
                    physician=(application.physician_name, application.id_number_masked),
                )
            except RegisterRuleBroken as broken:
                raise Problem(
                    409,
                    "register-changed",
                    f"It can no longer be approved: {broken.detail} Reject it, or wait: "
                    "the application is closed once the physician's other change arrives.",
                ) from None
            number = after.certificate_number
        await uow.session.execute(
            update(authority_tasks)
            .where(authority_tasks.c.id == task_id)
            .values(status=outcome.value, reason=reason, officer_id=officer.account_id, decided_at=now)
        )
        await uow.session.execute(
            update(applications).where(applications.c.id == application.id).values(status=outcome.value)
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
        return await _task_in_region(uow, officer, task_id)
