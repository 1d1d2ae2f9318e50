"""Identity's request and response bodies."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, EmailStr, Field

from contracts.enums import AccountStatus, Channel, PracticeCategory, Role
from identity.domain.accounts import Account
from identity.domain.registry import CATEGORY_NAMES
from identity.domain.rules import mask_phone

CODE = Field(min_length=6, max_length=6, pattern=r"^\d{6}$")
LOGIN_NAME = Field(min_length=4, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
PHONE = Field(max_length=11)
PASSWORD = Field(max_length=64)
PROOF = Field(min_length=1, max_length=64)


# sessions


class SignIn(BaseModel):
    login_name: str = Field(max_length=32)
    password: str = Field(max_length=64)


class RefreshTokenBody(BaseModel):
    refresh_token: str = Field(max_length=200)


class SessionRead(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name
    expires_in: int
    refresh_expires_in: int


# registration


class CaptchaRead(BaseModel):
    captcha_id: UUID
    image: str = Field(description="the challenge as a data: URL of a PNG image")
    expires_in: int


class IdentificationCreate(BaseModel):
    real_name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    captcha_id: UUID
    captcha_answer: str = Field(max_length=10)
    privacy_consent: bool


class RegistrationRead(BaseModel):
    registration_id: str = Field(description="present it in step 2")
    expires_in: int


class AccountDetailsCreate(BaseModel):
    phone: str = Field(max_length=11)
    email: EmailStr
    login_name: str = LOGIN_NAME
    password: str = Field(max_length=64)
    password_confirmation: str = Field(max_length=64)


class AccountCreated(BaseModel):
    account_id: UUID


# my account


class AccountRead(BaseModel):
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
    institution_id: UUID | None
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
            institution_id=account.institution_id, region_code=account.region_code, created_at=account.created_at,
        )  # fmt: skip


class SecurityCodeRequest(BaseModel):
    channel: Channel = Channel.SMS


class SecurityCodeConfirmation(BaseModel):
    channel: Channel = Channel.SMS
    code: str = CODE


class ActivationRequestCreate(BaseModel):
    institution_id: UUID


class ActivationCode(BaseModel):
    code: str = CODE


class CertificateCode(BaseModel):
    certificate_code: str = Field(min_length=1, max_length=40)


# security settings and password recovery


class OldPhoneCode(BaseModel):
    code: str = CODE


class OldPhoneProof(BaseModel):
    proof: str = Field(description="present it when sending the new phone's code and when changing the phone")


class NewPhoneCodeRequest(BaseModel):
    proof: str = PROOF
    phone: str = PHONE


class PhoneChange(BaseModel):
    proof: str = PROOF
    phone: str = PHONE
    code: str = CODE


class EmailLinkRequest(BaseModel):
    email: EmailStr
    email_confirmation: EmailStr
    captcha_id: UUID
    captcha_answer: str = Field(max_length=10)


class EmailConfirmation(BaseModel):
    token: str = Field(min_length=1, max_length=64)


class PasswordChange(BaseModel):
    old_password: str = PASSWORD
    new_password: str = PASSWORD
    new_password_confirmation: str = PASSWORD


class RecoveryCodeRequest(BaseModel):
    login_name: str = Field(max_length=32)
    channel: Channel = Channel.SMS
    captcha_id: UUID
    captcha_answer: str = Field(max_length=10)


class PasswordReset(BaseModel):
    login_name: str = Field(max_length=32)
    channel: Channel = Channel.SMS
    code: str = CODE
    new_password: str = PASSWORD
    new_password_confirmation: str = PASSWORD


# operators


class StaffAccountCreate(BaseModel):
    role: Role
    login_name: str = LOGIN_NAME
    password: str = Field(max_length=64)
    real_name: str = Field(min_length=1, max_length=50)
    institution_id: UUID | None = None
    region_code: str | None = Field(None, pattern=r"^\d{6}$")


class AccountDisable(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class QualificationCreate(BaseModel):
    real_name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    certificate_code: str = Field(min_length=1, max_length=40)
    category: str = Field(max_length=20, description=f"{CATEGORY_NAMES} or the English value")
    qualified_on: date | None = None
