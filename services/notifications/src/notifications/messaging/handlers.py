"""Events the notifications service consumes, and the use case that tells people of each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from contracts import Envelope, Event
from contracts.applications.v1 import ApplicationStatusChanged, ApplicationSubmitted, ApplicationWithdrawn
from contracts.identity.v1 import (
    AccountActivated,
    AccountDisabled,
    AccountRegistered,
    ActivationRequested,
    EmailChanged,
    EmailVerificationLinkIssued,
    PasswordChanged,
    PhoneChanged,
    PhoneVerified,
    QualificationChecked,
    VerificationCodeIssued,
)
from contracts.institutions.v1 import ActivationDeclined, ReviewCompleted
from contracts.licensing.v1 import (
    LicenceIssued,
    LicenceReinstated,
    LicenceRevoked,
    LicenceSuspended,
    RegistrationChanged,
)
from notifications.service import accounts, applications, codes, licences
from notifications.service.outbound import Outbound
from regsys_runtime.consumer import Handler, Handlers
from regsys_runtime.db import UnitOfWork

UseCase = Callable[..., Awaitable[None]]  # async def use_case(*, out: Outbound, event: E) -> None

USE_CASES: dict[type[Event], UseCase] = {
    VerificationCodeIssued: codes.tell_code,
    EmailVerificationLinkIssued: codes.tell_email_link,
    AccountRegistered: accounts.registered,
    QualificationChecked: accounts.qualification_checked,
    AccountActivated: accounts.activated,
    ActivationDeclined: accounts.activation_declined,
    PhoneVerified: accounts.phone_verified,
    PhoneChanged: accounts.phone_changed,
    EmailChanged: accounts.email_changed,
    PasswordChanged: accounts.password_changed,
    AccountDisabled: accounts.disabled,
    ActivationRequested: applications.activation_requested,
    ApplicationSubmitted: applications.submitted,
    ApplicationWithdrawn: applications.withdrawn,
    ApplicationStatusChanged: applications.status_changed,
    ReviewCompleted: applications.review_completed,
    RegistrationChanged: licences.registration_changed,
    LicenceIssued: licences.licence_changed,
    LicenceSuspended: licences.licence_changed,
    LicenceReinstated: licences.licence_changed,
    LicenceRevoked: licences.licence_changed,
}


def build_handlers(*, language: str) -> Handlers:
    """The consumer's handlers, writing messages in the given language."""

    def handler(use_case: UseCase) -> Handler:
        async def handle(uow: UnitOfWork, event: Any, envelope: Envelope) -> None:
            await use_case(out=Outbound(uow=uow, envelope=envelope, language=language), event=event)

        return handle

    return {event_type: handler(use_case) for event_type, use_case in USE_CASES.items()}
