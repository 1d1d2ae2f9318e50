"""Events the institutions service consumes, and what each one changes."""

from contracts import Envelope
from contracts.applications.v1 import ApplicationClosed, ApplicationSubmitted, WithdrawalRequested
from contracts.identity.v1 import AccountActivated, ActivationRequested
from contracts.licensing.v1 import RegistrationChanged
from institutions.bootstrap import Dependencies
from institutions.service import activation, reviews, roster
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork


async def on_activation_requested(uow: UnitOfWork, event: ActivationRequested, envelope: Envelope) -> None:
    await activation.receive_activation_request(uow=uow, event=event, at=envelope.occurred_at)


async def on_account_activated(uow: UnitOfWork, event: AccountActivated, envelope: Envelope) -> None:
    await activation.record_activation(uow=uow, event=event, at=envelope.occurred_at)


async def on_application_submitted(uow: UnitOfWork, event: ApplicationSubmitted, envelope: Envelope) -> None:
    await reviews.open_review_task(uow=uow, event=event)


async def on_withdrawal_requested(uow: UnitOfWork, event: WithdrawalRequested, envelope: Envelope) -> None:
    await reviews.settle_withdrawal(uow=uow, event=event)


async def on_application_closed(uow: UnitOfWork, event: ApplicationClosed, envelope: Envelope) -> None:
    await reviews.end_task(uow=uow, event=event)


async def on_registration_changed(uow: UnitOfWork, event: RegistrationChanged, envelope: Envelope) -> None:
    await roster.follow_register(uow=uow, event=event)


HANDLERS: Handlers = {
    ActivationRequested: on_activation_requested,
    AccountActivated: on_account_activated,
    ApplicationSubmitted: on_application_submitted,
    WithdrawalRequested: on_withdrawal_requested,
    ApplicationClosed: on_application_closed,
    RegistrationChanged: on_registration_changed,
}


def handlers(_: Dependencies) -> Handlers:
    """Every handler takes its time from the event, and its unit of work from the consumer."""
    return HANDLERS
