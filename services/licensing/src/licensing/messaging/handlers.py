"""Events the licensing service consumes, and what each one changes."""

from contracts import Envelope
from contracts.applications.v1 import ApplicationClosed, ApplicationSubmitted, ApplicationWithdrawn
from contracts.institutions.v1 import InstitutionRecorded, ReviewCompleted
from licensing.service import tasks
from licensing.service.licences import LicenceOffice
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork


async def on_institution_recorded(uow: UnitOfWork, event: InstitutionRecorded, envelope: Envelope) -> None:
    await tasks.remember_institution(uow=uow, event=event)


async def on_application_submitted(uow: UnitOfWork, event: ApplicationSubmitted, envelope: Envelope) -> None:
    await tasks.remember_application(uow=uow, event=event)


async def on_application_withdrawn(uow: UnitOfWork, event: ApplicationWithdrawn, envelope: Envelope) -> None:
    await tasks.end(uow=uow, event=event)


async def on_application_closed(uow: UnitOfWork, event: ApplicationClosed, envelope: Envelope) -> None:
    await tasks.end(uow=uow, event=event)


def handlers(office: LicenceOffice) -> Handlers:
    """What licensing consumes; an approved photo update re-issues the licence, so it needs the office."""

    async def on_review_completed(uow: UnitOfWork, event: ReviewCompleted, envelope: Envelope) -> None:
        await tasks.institution_decided(uow=uow, event=event, office=office)

    return {
        InstitutionRecorded: on_institution_recorded,
        ApplicationSubmitted: on_application_submitted,
        ApplicationWithdrawn: on_application_withdrawn,
        ApplicationClosed: on_application_closed,
        ReviewCompleted: on_review_completed,
    }
