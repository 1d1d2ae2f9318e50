"""The authority's tasks: applications kept from events, a task once the institution approved, the queue."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from uuid import UUID

from contracts import regions
from contracts.applications.v1 import ApplicationClosed, ApplicationSubmitted, ApplicationWithdrawn
from contracts.enums import ReviewOutcome
from contracts.institutions.v1 import InstitutionRecorded, ReviewCompleted
from licensing.adapters import applications, authority_tasks, institutions
from licensing.domain.applications import Application
from licensing.domain.materials import require_known
from licensing.domain.register import Change, RegisterRuleBroken
from licensing.domain.tasks import QueueFilter, TaskFile, TaskStatus, ended_before_it_opened, open_task
from licensing.service import register
from licensing.service.office import LicenceOffice
from regsys_runtime.auth import Principal
from regsys_runtime.clock import business_day
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Message, NotFound, NotYet
from regsys_runtime.paging import Page, Window

log = logging.getLogger(__name__)


class NoSuchTask(NotFound):
    def __init__(self) -> None:
        super().__init__(Message("No such task in your region.", zh="本辖区没有这条审批任务。"))


class ApplicationNotSeenYet(NotYet):
    def __init__(self, event_type: str, application_id: UUID) -> None:
        super().__init__(f"{event_type} for application {application_id}, whose submission has not arrived here yet")


async def remember_institution(*, uow: UnitOfWork, event: InstitutionRecorded, recorded_at: datetime) -> None:
    """Keep the institution's record, unless the one held was made later (an older record arriving last)."""
    await institutions.remember(
        uow.session,
        institution_id=event.institution_id,
        name=event.name,
        region_code=event.region_code,
        credit_code=event.credit_code,
        recorded_at=recorded_at,
    )


async def remember_application(*, uow: UnitOfWork, event: ApplicationSubmitted) -> None:
    application = Application(
        id=event.application_id,
        account_id=event.account_id,
        application_type=event.application_type,
        institution_id=event.institution_id,
        category=event.category,
        physician_name=event.physician_name,
        id_number_masked=event.id_number_masked,
        details=event.details.model_dump(mode="json"),
        status=TaskStatus.OPEN,
    )
    await applications.add(uow.session, application)


async def _seen(uow: UnitOfWork, event_type: str, application_id: UUID) -> Application:
    """The application, or ApplicationNotSeenYet: raised before anything is written, so the event can wait."""
    application = await applications.get(uow.session, application_id=application_id)
    if application is None:
        raise ApplicationNotSeenYet(event_type, application_id)
    return application


async def end(*, uow: UnitOfWork, event: ApplicationWithdrawn | ApplicationClosed) -> None:
    """The physician withdrew or the system closed it: an undecided task ends (the task lock settles a race).

    The task first: its update waits for a decision holding the task's lock, and then finds it decided."""
    await _seen(uow, event.event_type, event.application_id)
    closed = isinstance(event, ApplicationClosed)
    status = TaskStatus.CLOSED if closed else TaskStatus.WITHDRAWN
    at = event.closed_at if isinstance(event, ApplicationClosed) else event.withdrawn_at
    reason = event.reason if isinstance(event, ApplicationClosed) else None
    await authority_tasks.end_open(
        uow.session, application_id=event.application_id, status=status, reason=reason, at=at
    )
    await applications.set_status(
        uow.session, application_id=event.application_id, status=status, ended_at=at, end_reason=reason
    )


async def institution_decided(*, uow: UnitOfWork, event: ReviewCompleted, office: LicenceOffice) -> None:
    """An institution decided: a rejection ends the application here; an approval of a change with no authority
    step takes effect; any other approval opens the authority's task (already ended if the application was)."""
    application = await _seen(uow, event.event_type, event.application_id)
    if event.outcome is not ReviewOutcome.APPROVED:
        await applications.set_status(uow.session, application_id=application.id, status=TaskStatus.REJECTED)
        return
    if not event.application_type.has_authority_step:
        await _takes_effect(uow, event, application, office)
        return
    task = open_task(
        task_id=uuid.uuid4(),
        application_id=event.application_id,
        account_id=event.account_id,
        region_code=event.region_code,
        opened_at=event.decided_at,
        accepted_on=business_day(event.decided_at),
    )
    await authority_tasks.add(uow.session, ended_before_it_opened(task, application) if application.ended else task)


async def _takes_effect(
    uow: UnitOfWork, event: ReviewCompleted, application: Application, office: LicenceOffice
) -> None:
    """The institution's approval is the last word (a photo update): the register changes now."""
    if not await applications.set_status(uow.session, application_id=application.id, status=TaskStatus.APPROVED):
        return  # withdrawn or closed here first
    change = Change(
        kind=event.application_type,
        institution_id=event.institution_id,
        category=application.category,
        photo_sha256=application.details.get("photo_sha256"),
    )
    try:
        await register.apply_change(
            uow=uow,
            account_id=event.account_id,
            change=change,
            today=business_day(event.decided_at),
            now=event.decided_at,
            cause_application_id=event.application_id,
            office=office,
        )
    except RegisterRuleBroken as broken:
        log.warning("an approved photo update has no registration to go to", extra={"detail": broken.detail})


async def queue(*, uow: UnitOfWork, officer: Principal, wanted: QueueFilter, window: Window) -> Page[TaskFile]:
    """The tasks of the officer's region and the regions below it, soonest due first."""
    prefix = regions.prefix_of(officer.region_code)
    if prefix is None:
        return Page([], 0)
    async with uow:
        return await authority_tasks.queue(uow.session, region_prefix=prefix, wanted=wanted, window=window)


async def task_with_materials(*, uow: UnitOfWork, officer: Principal, task_id: UUID) -> TaskFile:
    async with uow:
        return await file_in_region(uow, officer, task_id)


async def file_in_region(uow: UnitOfWork, officer: Principal, task_id: UUID) -> TaskFile:
    """The task with its application and materials, if the officer's region covers it (NoSuchTask otherwise).

    A task exists only once the institution approved the application: before that, or after a rejection by
    the institution, there is nothing an officer can open."""
    file = await authority_tasks.file_of(uow.session, task_id=task_id)
    if file is None or not regions.covers(officer.region_code, file.task.region_code):
        raise NoSuchTask()
    return file


async def record_materials(
    *, uow: UnitOfWork, officer: Principal, task_id: UUID, received: set[str], now: datetime
) -> TaskFile:
    """Set which paper materials have been received (the whole set: one taken back is removed)."""
    async with uow:
        file = await file_in_region(uow, officer, task_id)
        require_known(file.application.application_type, received)
        await authority_tasks.set_received(
            uow.session,
            application_id=file.task.application_id,
            codes=received,
            officer_id=officer.account_id,
            now=now,
        )
        await uow.commit()
        return await file_in_region(uow, officer, task_id)
