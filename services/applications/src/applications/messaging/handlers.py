"""Events the applications service consumes, and what each one changes."""

from __future__ import annotations

from applications.bootstrap import Dependencies
from applications.domain.machine import Trigger
from applications.service import lifecycle, read_models
from contracts import Envelope
from contracts.enums import AccountStatus, ReviewOutcome, Role
from contracts.identity.v1 import (
    AccountActivated,
    AccountDisabled,
    AccountEnabled,
    AccountRegistered,
    QualificationChecked,
)
from contracts.institutions.v1 import InstitutionRecorded, ReviewCompleted, ReviewWithdrawn
from contracts.licensing.v1 import DecisionMade, RegistrationChanged
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork


async def on_account_registered(uow: UnitOfWork, event: AccountRegistered, envelope: Envelope) -> None:
    if event.role is Role.PHYSICIAN and event.id_number_masked:
        await read_models.remember_physician(
            uow=uow, account_id=event.account_id, real_name=event.real_name, id_number_masked=event.id_number_masked
        )


async def on_qualification_checked(uow: UnitOfWork, event: QualificationChecked, envelope: Envelope) -> None:
    await read_models.qualification_checked(
        uow=uow, account_id=event.account_id, matched=event.matched, category=event.category
    )


async def on_account_activated(uow: UnitOfWork, event: AccountActivated, envelope: Envelope) -> None:
    await read_models.account_status_changed(uow=uow, account_id=event.account_id, status=AccountStatus.ACTIVE)


async def on_account_disabled(uow: UnitOfWork, event: AccountDisabled, envelope: Envelope) -> None:
    await read_models.account_status_changed(uow=uow, account_id=event.account_id, status=AccountStatus.DISABLED)


async def on_account_enabled(uow: UnitOfWork, event: AccountEnabled, envelope: Envelope) -> None:
    await read_models.account_status_changed(uow=uow, account_id=event.account_id, status=event.status)


async def on_institution_recorded(uow: UnitOfWork, event: InstitutionRecorded, envelope: Envelope) -> None:
    await read_models.remember_institution(uow=uow, event=event)


async def on_review_completed(uow: UnitOfWork, event: ReviewCompleted, envelope: Envelope) -> None:
    approved = event.outcome is ReviewOutcome.APPROVED
    await lifecycle.advance(
        uow=uow,
        application_id=event.application_id,
        trigger=Trigger.INSTITUTION_APPROVE if approved else Trigger.INSTITUTION_REJECT,
        actor="institution",
        actor_id=event.reviewer_id,
        reason=event.reason,
        at=event.decided_at,
    )


async def on_review_withdrawn(uow: UnitOfWork, event: ReviewWithdrawn, envelope: Envelope) -> None:
    await lifecycle.withdrawal_settled(uow=uow, event=event)


async def on_decision_made(uow: UnitOfWork, event: DecisionMade, envelope: Envelope) -> None:
    approved = event.outcome is ReviewOutcome.APPROVED
    await lifecycle.advance(
        uow=uow,
        application_id=event.application_id,
        trigger=Trigger.AUTHORITY_APPROVE if approved else Trigger.AUTHORITY_REJECT,
        actor="authority",
        actor_id=event.officer_id,
        reason=event.reason,
        at=event.decided_at,
    )


async def on_registration_changed(uow: UnitOfWork, event: RegistrationChanged, envelope: Envelope) -> None:
    await read_models.remember_registration(uow=uow, event=event)


HANDLERS: Handlers = {
    AccountRegistered: on_account_registered,
    QualificationChecked: on_qualification_checked,
    AccountActivated: on_account_activated,
    AccountDisabled: on_account_disabled,
    AccountEnabled: on_account_enabled,
    InstitutionRecorded: on_institution_recorded,
    ReviewCompleted: on_review_completed,
    ReviewWithdrawn: on_review_withdrawn,
    DecisionMade: on_decision_made,
    RegistrationChanged: on_registration_changed,
}


def handlers(deps: Dependencies) -> Handlers:
    """The handlers of the running service (each event carries its own time; none needs the clock)."""
    return HANDLERS
