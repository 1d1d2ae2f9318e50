"""The authority's decision on a task: approve (the register changes) or reject with a reason."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from uuid import UUID

from contracts import regions
from contracts.enums import ReviewOutcome
from contracts.licensing.v1 import DecisionMade
from licensing.adapters import applications, authority_tasks
from licensing.adapters import register as register_entries
from licensing.domain import tasks
from licensing.domain.applications import Application, register_change
from licensing.domain.audit import ReviewerAction
from licensing.domain.register import RegisterRuleBroken
from licensing.domain.rules import CERTIFICATE_SEQUENCES, certificate_number
from licensing.domain.tasks import AuthorityTask, NoLongerApprovable, TaskFile
from licensing.service import audit, register
from licensing.service.office import LicenceOffice
from licensing.service.tasks import NoSuchTask, file_in_region
from regsys_runtime.audit import Actor
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Message, Unavailable

CERTIFICATE_NUMBER_DRAWS = 20


async def decide(
    *,
    uow: UnitOfWork,
    officer: Principal,
    address: str | None,
    task_id: UUID,
    outcome: ReviewOutcome,
    reason: str | None,
    today: date,
    now: datetime,
    office: LicenceOffice,
) -> TaskFile:
    """Decide under the task's lock, so a withdrawal or closure arriving meanwhile either wins or finds it decided."""
    tasks.require_reason(outcome, reason)
    async with uow:
        task = await authority_tasks.get(uow.session, task_id=task_id, lock=True)
        if task is None or not regions.covers(officer.region_code, task.region_code):
            raise NoSuchTask()
        decided = tasks.decide(task, outcome, reason, officer_id=officer.account_id, now=now)
        application = await applications.get(uow.session, application_id=task.application_id)
        if application is None:
            raise LookupError(f"the application of task {task_id} is not kept here")
        approved = outcome is ReviewOutcome.APPROVED
        number = await _approve(uow, office, task, application, today, now) if approved else None
        await authority_tasks.save_decision(uow.session, decided)
        await applications.set_status(uow.session, application_id=application.id, status=decided.status)
        made = _decision_made(
            decided, application, outcome=outcome, officer_id=officer.account_id, now=now, number=number
        )
        uow.publish(made, subject_id=task.account_id)
        await audit.note(
            uow, Actor.of(officer, address), ReviewerAction.DECISION_MADE, at=now, subject_id=task_id,
            outcome=outcome.value, reason=decided.reason, application_id=str(application.id),
            application_type=application.application_type.value, certificate_number=number,
        )  # fmt: skip
        await uow.commit()
        return await file_in_region(uow, officer, task_id)


async def _approve(
    uow: UnitOfWork, office: LicenceOffice, task: AuthorityTask, application: Application, today: date, now: datetime
) -> str:
    """Change the register as the application asked; the certificate number the registration holds after it."""
    number = None
    if application.needs_certificate_number:
        number = await _new_certificate_number(uow, task.region_code, now.year)
    try:
        after = await register.apply_change(
            uow=uow,
            office=office,
            account_id=task.account_id,
            change=register_change(application, certificate_number=number),
            today=today,
            now=now,
            cause_application_id=application.id,
            physician=(application.physician_name, application.id_number_masked),
        )
    except RegisterRuleBroken as broken:
        raise NoLongerApprovable(broken.detail) from None
    return after.certificate_number


async def _new_certificate_number(uow: UnitOfWork, region_code: str, year: int) -> str:
    """A certificate number no registration ever held, its sequence drawn at random so that numbers (and the
    licence numbers made from them) cannot be walked through."""
    for _ in range(CERTIFICATE_NUMBER_DRAWS):
        number = certificate_number(region_code, year, secrets.randbelow(CERTIFICATE_SEQUENCES))
        if not await register_entries.certificate_number_taken(uow.session, number=number):
            return number
    raise Unavailable(
        "certificate-numbers-exhausted",
        Message("No free certificate number was found; try again.", zh="暂时没有可用的证书编号，请稍后重试。"),
    )


def _decision_made(
    decided: AuthorityTask,
    application: Application,
    *,
    outcome: ReviewOutcome,
    officer_id: UUID,
    now: datetime,
    number: str | None,
) -> DecisionMade:
    return DecisionMade(
        application_id=decided.application_id,
        account_id=decided.account_id,
        application_type=application.application_type,
        outcome=outcome,
        reason=decided.reason,
        officer_id=officer_id,
        decided_at=now,
        certificate_number=number,
    )
