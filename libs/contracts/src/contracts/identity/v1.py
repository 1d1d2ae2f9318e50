"""identity.account topic, version 1."""

from datetime import datetime
from uuid import UUID

from pydantic import EmailStr

from contracts.enums import AccountStatus, ActivationMethod, Channel, CodePurpose, PracticeCategory, Role
from contracts.events import Event, event
from contracts.topics import Topic

T = Topic.IDENTITY_ACCOUNT


@event("identity.account_registered", topic=T)
class AccountRegistered(Event):
    account_id: UUID
    role: Role
    login_name: str
    real_name: str
    id_number_masked: str | None = None
    phone: str | None = None
    email: EmailStr | None = None
    institution_id: UUID | None = None  # institution staff
    region_code: str | None = None  # officers


@event("identity.qualification_checked", topic=T)
class QualificationChecked(Event):
    account_id: UUID
    matched: bool
    reason: str | None = None
    category: PracticeCategory | None = None
    # when matched: the registry entry's certificate code and the masked ID number it was matched on, by which
    # licensing links a registration imported from the previous system to the account (never logged)
    certificate_code: str | None = None
    id_number_masked: str | None = None


@event("identity.verification_code_issued", topic=T)
class VerificationCodeIssued(Event):
    """A one-time code to deliver. The code is sensitive: it travels sealed (regsys_runtime.sealing.DeliverySealer)
    wherever CODE_DELIVERY_KEY is set, production always, and consumers never log it."""

    account_id: UUID | None = None
    channel: Channel
    destination: str
    purpose: CodePurpose
    code: str
    expires_at: datetime


@event("identity.email_link_issued", topic=T)
class EmailVerificationLinkIssued(Event):
    """A verification link to e-mail; its token is as sensitive as a code and travels sealed like one."""

    account_id: UUID
    email: EmailStr
    link: str
    expires_at: datetime


@event("identity.phone_verified", topic=T)
class PhoneVerified(Event):
    account_id: UUID
    phone: str


@event("identity.activation_requested", topic=T)
class ActivationRequested(Event):
    account_id: UUID
    institution_id: UUID
    real_name: str
    id_number_masked: str
    category: PracticeCategory | None = None


@event("identity.account_activated", topic=T)
class AccountActivated(Event):
    account_id: UUID
    method: ActivationMethod
    institution_id: UUID | None = None


@event("identity.phone_changed", topic=T)
class PhoneChanged(Event):
    account_id: UUID
    old_phone: str | None
    new_phone: str


@event("identity.email_changed", topic=T)
class EmailChanged(Event):
    account_id: UUID
    old_email: EmailStr | None
    new_email: EmailStr


@event("identity.password_changed", topic=T)
class PasswordChanged(Event):
    account_id: UUID
    reset: bool = False  # True when changed through "forgot password"


@event("identity.account_disabled", topic=T)
class AccountDisabled(Event):
    account_id: UUID
    reason: str


@event("identity.account_enabled", topic=T)
class AccountEnabled(Event):
    """An operator enabled a disabled account again; it is back in `status`, the step it was at."""

    account_id: UUID
    status: AccountStatus


@event("identity.sessions_ended", topic=T)
class SessionsEnded(Event):
    """Access tokens issued before `ended_at` no longer hold: of one session (`session_id`) or, without it, of
    every session of the account (a password change, a disabled account). Every service refuses them."""

    account_id: UUID
    session_id: UUID | None = None
    ended_at: datetime


@event("identity.email_verified", topic=T)
class EmailVerified(Event):
    account_id: UUID
    email: EmailStr
