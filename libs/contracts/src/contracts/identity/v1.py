"""identity.account topic, version 1."""

from datetime import datetime
from uuid import UUID

from pydantic import EmailStr

from contracts.enums import ActivationMethod, Channel, CodePurpose, PracticeCategory, Role
from contracts.events import Event
from contracts.topics import Topic

T = Topic.IDENTITY_ACCOUNT


class AccountRegistered(Event, event_type="identity.account_registered", topic=T):
    account_id: UUID
    role: Role
    login_name: str
    real_name: str
    id_number_masked: str | None = None
    phone: str | None = None
    email: EmailStr | None = None
    institution_id: UUID | None = None  # institution staff
    region_code: str | None = None  # officers


class QualificationChecked(Event, event_type="identity.qualification_checked", topic=T):
    account_id: UUID
    matched: bool
    reason: str | None = None
    category: PracticeCategory | None = None


class VerificationCodeIssued(Event, event_type="identity.verification_code_issued", topic=T):
    """A one-time code to deliver. The code is sensitive: consumers never log it."""

    account_id: UUID | None = None
    channel: Channel
    destination: str
    purpose: CodePurpose
    code: str
    expires_at: datetime


class EmailVerificationLinkIssued(Event, event_type="identity.email_link_issued", topic=T):
    account_id: UUID
    email: EmailStr
    link: str
    expires_at: datetime


class PhoneVerified(Event, event_type="identity.phone_verified", topic=T):
    account_id: UUID
    phone: str


class ActivationRequested(Event, event_type="identity.activation_requested", topic=T):
    account_id: UUID
    institution_id: UUID
    real_name: str
    id_number_masked: str
    category: PracticeCategory | None = None


class AccountActivated(Event, event_type="identity.account_activated", topic=T):
    account_id: UUID
    method: ActivationMethod
    institution_id: UUID | None = None


class PhoneChanged(Event, event_type="identity.phone_changed", topic=T):
    account_id: UUID
    old_phone: str | None
    new_phone: str


class EmailChanged(Event, event_type="identity.email_changed", topic=T):
    account_id: UUID
    old_email: EmailStr | None
    new_email: EmailStr


class PasswordChanged(Event, event_type="identity.password_changed", topic=T):
    account_id: UUID
    reset: bool = False  # True when changed through "forgot password"


class AccountDisabled(Event, event_type="identity.account_disabled", topic=T):
    account_id: UUID
    reason: str
