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
from notifications.bootstrap import Dependencies
from notifications.service import account_messages, application_messages, code_messages, licence_messages
from notifications.service.outbound import Outbound
from regsys_runtime.consumer import Handler, Handlers
from regsys_runtime.db import UnitOfWork

UseCase = Callable[..., Awaitable[None]]  # async def use_case(*, out: Outbound, event: E) -> None

USE_CASES: dict[type[Event], UseCase] = {
    VerificationCodeIssued: code_messages.tell_code,
    EmailVerificationLinkIssued: code_messages.tell_email_link,
    AccountRegistered: account_messages.registered,
    QualificationChecked: account_messages.qualification_checked,
    ActivationRequested: account_messages.activation_requested,
    AccountActivated: account_messages.activated,
    ActivationDeclined: account_messages.activation_declined,
    PhoneVerified: account_messages.phone_verified,
    PhoneChanged: account_messages.phone_changed,
    EmailChanged: account_messages.email_changed,
    PasswordChanged: account_messages.password_changed,
    AccountDisabled: account_messages.disabled,
    ApplicationSubmitted: application_messages.submitted,
    ApplicationWithdrawn: application_messages.withdrawn,
    ApplicationStatusChanged: application_messages.status_changed,
    ReviewCompleted: application_messages.review_completed,
    RegistrationChanged: licence_messages.registration_changed,
    LicenceIssued: licence_messages.licence_changed,
    LicenceSuspended: licence_messages.licence_changed,
    LicenceReinstated: licence_messages.licence_changed,
    LicenceRevoked: licence_messages.licence_changed,
}


def handlers(deps: Dependencies) -> Handlers:
    """The consumer's handlers, writing messages in the service's language, opening sealed codes and links."""

    def handler(use_case: UseCase) -> Handler:
        async def handle(uow: UnitOfWork, event: Any, envelope: Envelope) -> None:
            out = Outbound(uow=uow, envelope=envelope, language=deps.language, sealer=deps.delivery_sealer)
            await use_case(out=out, event=event)

        return handle

    return {event_type: handler(use_case) for event_type, use_case in USE_CASES.items()}
