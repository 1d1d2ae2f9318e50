"""Events the applications service consumes, and what each one changes."""

from applications.service import applications as app
from contracts import Envelope
from contracts.enums import AccountStatus, ApplicationStatus, ApplicationType, ReviewOutcome, Role
from contracts.identity.v1 import AccountActivated, AccountRegistered, QualificationChecked
from contracts.institutions.v1 import ReviewCompleted
from contracts.licensing.v1 import DecisionMade, RegistrationChanged
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork


async def on_account_registered(uow: UnitOfWork, event: AccountRegistered, envelope: Envelope) -> None:
    if event.role is Role.PHYSICIAN and event.id_number_masked:
        await app.remember_physician(
            uow=uow,
            account_id=event.account_id,
            real_name=event.real_name,
            id_number_masked=event.id_number_masked,
            account_status=AccountStatus.REGISTERED,
        )


async def on_qualification_checked(uow: UnitOfWork, event: QualificationChecked, envelope: Envelope) -> None:
    await app.update_physician(uow=uow, account_id=event.account_id, category=event.category)


async def on_account_activated(uow: UnitOfWork, event: AccountActivated, envelope: Envelope) -> None:
    await app.update_physician(uow=uow, account_id=event.account_id, account_status=AccountStatus.ACTIVE)


async def on_review_completed(uow: UnitOfWork, event: ReviewCompleted, envelope: Envelope) -> None:
    if event.outcome is ReviewOutcome.REJECTED:
        to = ApplicationStatus.REJECTED
    elif event.application_type is ApplicationType.PHOTO_UPDATE:
        to = ApplicationStatus.APPROVED  # a photo update ends at the institution
    else:
        to = ApplicationStatus.AUTHORITY_REVIEW
    await app.move(
        uow=uow,
        application_id=event.application_id,
        to=to,
        actor="institution",
        reason=event.reason,
        at=event.decided_at,
    )


async def on_decision_made(uow: UnitOfWork, event: DecisionMade, envelope: Envelope) -> None:
    to = ApplicationStatus.APPROVED if event.outcome is ReviewOutcome.APPROVED else ApplicationStatus.REJECTED
    await app.move(
        uow=uow, application_id=event.application_id, to=to, actor="authority", reason=event.reason, at=event.decided_at
    )


async def on_registration_changed(uow: UnitOfWork, event: RegistrationChanged, envelope: Envelope) -> None:
    await app.remember_registration(uow=uow, event=event)


HANDLERS: Handlers = {
    AccountRegistered: on_account_registered,
    QualificationChecked: on_qualification_checked,
    AccountActivated: on_account_activated,
    ReviewCompleted: on_review_completed,
    DecisionMade: on_decision_made,
    RegistrationChanged: on_registration_changed,
}
