"""Events the licensing service consumes, and what each one changes."""

from contracts import Envelope
from contracts.applications.v1 import ApplicationSubmitted, ApplicationWithdrawn
from contracts.institutions.v1 import InstitutionRecorded, ReviewCompleted
from licensing.service import authority
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork


async def on_institution_recorded(uow: UnitOfWork, event: InstitutionRecorded, envelope: Envelope) -> None:
    await authority.remember_institution(uow=uow, event=event)


async def on_application_submitted(uow: UnitOfWork, event: ApplicationSubmitted, envelope: Envelope) -> None:
    await authority.remember_application(uow=uow, event=event)


async def on_application_withdrawn(uow: UnitOfWork, event: ApplicationWithdrawn, envelope: Envelope) -> None:
    await authority.close_withdrawn(uow=uow, event=event)


async def on_review_completed(uow: UnitOfWork, event: ReviewCompleted, envelope: Envelope) -> None:
    await authority.open_task(uow=uow, event=event)


HANDLERS: Handlers = {
    InstitutionRecorded: on_institution_recorded,
    ApplicationSubmitted: on_application_submitted,
    ApplicationWithdrawn: on_application_withdrawn,
    ReviewCompleted: on_review_completed,
}
