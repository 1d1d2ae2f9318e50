"""An account, and the rules of its steps: qualification check, security step, activation. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contracts.enums import AccountStatus, Channel, PracticeCategory, Role
from identity.domain.registry import RegistryEntry
from regsys_runtime.errors import Conflict, Forbidden, Message

ID_NOT_FOUND = Message(
    "Your ID number is not in the qualification registry; ask the authority that holds your certificate.",
    zh="医师资格信息库中没有您的身份证号，请联系发放您资格证书的卫生健康行政部门。",
)
NAME_DIFFERS = Message(
    "Your name differs from the name in the qualification registry; check it against your ID card.",
    zh="您的姓名与医师资格信息库中的姓名不一致，请对照身份证核对。",
)
ACCOUNT_DISABLED = Message("This account is disabled; contact your administrator.", zh="此账户已被停用，请联系管理员。")
BOOTSTRAP_ADMIN = "admin"


@dataclass(frozen=True)
class Account:
    id: UUID
    role: Role
    status: AccountStatus
    login_name: str
    password_hash: str
    real_name: str
    created_at: datetime
    id_number_cipher: bytes | None = None
    id_number_lookup: bytes | None = None  # the keyed hash of the ID number, never the number
    id_number_masked: str | None = None
    phone: str | None = None
    email: str | None = None
    institution_id: UUID | None = None
    region_code: str | None = None
    category: PracticeCategory | None = None
    status_reason: str | None = None
    activating_institution_id: UUID | None = None  # the institution that last sent an activation code
    phone_verified_at: datetime | None = None
    email_verified_at: datetime | None = None
    status_before_disabled: AccountStatus | None = None


@dataclass(frozen=True)
class QualificationCheck:
    """The outcome of holding an account against the registry: a miss says why, a match gives the category."""

    status: AccountStatus
    reason: str | None = None
    category: PracticeCategory | None = None

    @property
    def matched(self) -> bool:
        return self.reason is None


def expect_enabled(account: Account) -> None:
    """A disabled account does nothing more, whatever token it still holds."""
    if account.status == AccountStatus.DISABLED:
        raise Forbidden("account-disabled", ACCOUNT_DISABLED)


def activating_institution(account: Account) -> UUID | None:
    """The institution that activated a physician's account (by its code or its automatic activation); staff
    belong to theirs. None before activation, and for TCM-specialty physicians who activated by certificate."""
    if account.role != Role.PHYSICIAN:
        return account.institution_id
    return account.activating_institution_id if account.status == AccountStatus.ACTIVE else None


def awaits_qualification_check(account: Account) -> bool:
    """Registered, or checked without a match (which may be checked again); later steps keep their outcome."""
    return account.status in (AccountStatus.REGISTERED, AccountStatus.UNVERIFIED)


def check_against_registry(account: Account, entry: RegistryEntry | None) -> QualificationCheck:
    """The ID number must be in the registry, under the account's real name."""
    if entry is None:
        return QualificationCheck(AccountStatus.UNVERIFIED, reason=ID_NOT_FOUND)
    if entry.real_name != account.real_name:
        return QualificationCheck(AccountStatus.UNVERIFIED, reason=NAME_DIFFERS)
    return QualificationCheck(AccountStatus.VERIFIED, category=entry.category)


def expect_verified(account: Account) -> None:
    """The security step (a code to the phone or e-mail) follows a passed qualification check, once."""
    if awaits_qualification_check(account):
        raise Conflict(
            "not-verified",
            Message(
                "Pass the qualification check first; then verify your phone.", zh="请先通过资格校验，再验证手机号。"
            ),
        )
    if account.status != AccountStatus.VERIFIED:
        raise Conflict(
            "already-secured", Message("Your phone or e-mail is already verified.", zh="您的手机号或邮箱已经验证过了。")
        )


def expect_secured(account: Account) -> None:
    """Activation follows the security step, once."""
    if account.status == AccountStatus.ACTIVE:
        raise Conflict("already-active", Message("Your account is already active.", zh="您的账户已经激活。"))
    if account.status != AccountStatus.SECURED:
        raise Conflict(
            "not-secured",
            Message(
                "Pass the qualification check and verify your phone before activation.",
                zh="激活前请先通过资格校验并验证手机号。",
            ),
        )


def contact(account: Account, channel: Channel) -> str:
    """Where a code on `channel` goes: the phone for SMS, else the e-mail."""
    destination = account.phone if channel is Channel.SMS else account.email
    if not destination:
        raise Conflict(
            "no-contact",
            Message("There is no phone on file.", zh="账户中没有手机号。")
            if channel is Channel.SMS
            else Message("There is no e-mail on file.", zh="账户中没有邮箱。"),
        )
    return destination


def verified_contact(account: Account | None, channel: Channel) -> str | None:
    """A physician's contact on `channel` that they proved is theirs (password recovery goes nowhere else)."""
    if account is None or account.role != Role.PHYSICIAN:
        return None
    if channel is Channel.SMS:
        return account.phone if account.phone_verified_at is not None else None
    return account.email if account.email_verified_at is not None else None


def status_when_enabled(account: Account) -> AccountStatus:
    """A disabled account enabled again goes back to where it was; one disabled before that was kept goes back to
    the start of its steps (staff are active from creation; a physician's qualification is checked again)."""
    if account.status_before_disabled is not None:
        return account.status_before_disabled
    return AccountStatus.REGISTERED if account.role == Role.PHYSICIAN else AccountStatus.ACTIVE


@dataclass(frozen=True)
class AccountFilter:
    """Which accounts an operator lists: by role, by status, by a part of the login or real name."""

    role: Role | None = None
    status: AccountStatus | None = None
    search: str | None = None
