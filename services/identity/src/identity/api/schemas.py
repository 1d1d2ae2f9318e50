"""Identity's request and response bodies."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import EmailStr, Field

from contracts.enums import AccountStatus, Channel, PracticeCategory, Role
from identity.domain.accounts import Account, activating_institution
from identity.domain.registry import CATEGORY_NAMES
from identity.domain.rules import mask_phone
from regsys_runtime.schemas import Schema

CODE = Field(min_length=6, max_length=6, pattern=r"^[0-9]{6}$")
LOGIN_NAME = Field(min_length=4, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
PHONE = Field(max_length=11)
PASSWORD = Field(max_length=64)
PROOF = Field(min_length=1, max_length=64)


# sessions


class SignIn(Schema):
    login_name: str = Field(max_length=32, description="without regard to case")
    password: str = Field(max_length=64)
    # asked for (problem `captcha-required`) only after many failed sign-ins from the client's address
    captcha_id: UUID | None = None
    captcha_answer: str | None = Field(None, max_length=10)


class RefreshTokenBody(Schema):
    # a browser session sends none: its refresh token is the HttpOnly cookie (see POST /tokens)
    refresh_token: str | None = Field(None, max_length=200)


class SessionRead(Schema):
    access_token: str
    refresh_token: str | None = Field(description="none for a browser session: its refresh token is the cookie")
    token_type: str = "Bearer"  # noqa: S105 - the scheme name
    expires_in: int
    refresh_expires_in: int


# registration


class CaptchaRead(Schema):
    captcha_id: UUID
    image: str = Field(description="the challenge as a data: URL of a PNG image")
    expires_in: int


class IdentificationCreate(Schema):
    real_name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    captcha_id: UUID
    captcha_answer: str = Field(max_length=10)
    privacy_consent: bool


class RegistrationRead(Schema):
    registration_id: str = Field(description="present it in step 2")
    expires_in: int


class AccountDetailsCreate(Schema):
    phone: str = Field(max_length=11)
    email: EmailStr
    login_name: str = LOGIN_NAME
    password: str = Field(max_length=64)
    password_confirmation: str = Field(max_length=64)


class AccountCreated(Schema):
    account_id: UUID


# my account


class AccountRead(Schema):
    account_id: UUID
    role: Role
    status: AccountStatus
    status_reason: str | None
    login_name: str
    real_name: str
    id_number_masked: str | None
    phone_masked: str | None
    phone_verified: bool
    email: str | None
    email_verified: bool
    category: PracticeCategory | None
    institution_id: UUID | None = Field(
        description="staff: their institution; a physician: the institution that activated the account"
    )
    region_code: str | None
    created_at: datetime

    @classmethod
    def of(cls, account: Account) -> AccountRead:
        return cls(
            account_id=account.id, role=account.role, status=account.status, status_reason=account.status_reason,
            login_name=account.login_name, real_name=account.real_name, id_number_masked=account.id_number_masked,
            phone_masked=mask_phone(account.phone) if account.phone else None,
            phone_verified=account.phone_verified_at is not None, email=account.email,
            email_verified=account.email_verified_at is not None, category=account.category,
            institution_id=activating_institution(account), region_code=account.region_code,
            created_at=account.created_at,
        )  # fmt: skip


class SecurityCodeRequest(Schema):
    channel: Channel = Channel.SMS


class SecurityCodeConfirmation(Schema):
    channel: Channel = Channel.SMS
    code: str = CODE


class ActivationRequestCreate(Schema):
    institution_id: UUID


class ActivationCode(Schema):
    code: str = CODE


class CertificateCode(Schema):
    certificate_code: str = Field(min_length=1, max_length=40)


# security settings and password recovery


class OldPhoneCode(Schema):
    code: str = CODE


class OldPhoneProof(Schema):
    proof: str = Field(description="present it when sending the new phone's code and when changing the phone")


class NewPhoneCodeRequest(Schema):
    proof: str = PROOF
    phone: str = PHONE


class PhoneChange(Schema):
    proof: str = PROOF
    phone: str = PHONE
    code: str = CODE


class EmailLinkRequest(Schema):
    email: EmailStr
    email_confirmation: EmailStr
    captcha_id: UUID
    captcha_answer: str = Field(max_length=10)


class EmailConfirmation(Schema):
    token: str = Field(min_length=1, max_length=64)


class PasswordChange(Schema):
    old_password: str = PASSWORD
    new_password: str = PASSWORD
    new_password_confirmation: str = PASSWORD


class RecoveryCodeRequest(Schema):
    login_name: str = Field(max_length=32)
    channel: Channel = Channel.SMS
    captcha_id: UUID
    captcha_answer: str = Field(max_length=10)


class PasswordReset(Schema):
    login_name: str = Field(max_length=32)
    channel: Channel = Channel.SMS
    code: str = CODE
    new_password: str = PASSWORD
    new_password_confirmation: str = PASSWORD


# operators


class StaffAccountCreate(Schema):
    role: Role
    login_name: str = LOGIN_NAME
    password: str = Field(max_length=64)
    real_name: str = Field(min_length=1, max_length=50)
    institution_id: UUID | None = None
    region_code: str | None = Field(None, pattern=r"^[0-9]{6}$")


class AccountDisable(Schema):
    reason: str = Field(min_length=1, max_length=500)


class QualificationCreate(Schema):
    real_name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    certificate_code: str = Field(min_length=1, max_length=40)
    category: str = Field(max_length=20, description=f"{CATEGORY_NAMES} or the English value")
    qualified_on: date | None = None


class OperatorAccountRead(AccountRead):
    """An account as operators list it: with how long its login name stays locked after wrong passwords."""

    locked_seconds: int = Field(description="0 when the account is not locked; else the seconds the lock lasts.")

    @classmethod
    def listed(cls, listed: tuple[Account, int]) -> OperatorAccountRead:
        account, locked_seconds = listed
        return cls(**AccountRead.of(account).model_dump(), locked_seconds=locked_seconds)


class AccountEnabled(Schema):
    status: AccountStatus = Field(description="The step the account is back at.")


class TokenKeyRotationRead(Schema):
    kid: str = Field(description="The key that signs access tokens from now on.")
    published: list[str] = Field(description="Every key in the JWKS, newest first; the retired ones still verify.")
