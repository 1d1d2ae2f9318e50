"""The electronic practice licence (电子证照): who may claim it, how it follows the register, what a check answers.

Pure rules, no I/O. The register is the source of truth; a licence is a signed picture of it that the
register's changes suspend, reinstate, revoke or replace.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from contracts.enums import LicenceStatus, PracticeCategory, RegistrationStatus
from contracts.licensing.v1 import MultiSiteRecord, RegistrationChanged
from regsys_runtime.errors import Conflict, Message

CURRENT = (LicenceStatus.VALID, LicenceStatus.SUSPENDED)


@dataclass(frozen=True)
class RegisterState:
    """What the register says of one physician, as far as the licence shows it."""

    certificate_number: str
    status: RegistrationStatus
    category: PracticeCategory
    practice_scope: str | None
    main_institution_id: UUID
    multi_sites: tuple[MultiSiteRecord, ...] = ()
    photo_sha256: str | None = None

    @classmethod
    def of(cls, change: RegistrationChanged | Mapping[str, Any]) -> RegisterState:
        """The register's state from the snapshot it published (or that snapshot as stored, in JSON)."""
        if not isinstance(change, RegistrationChanged):
            change = RegistrationChanged.model_validate(change)
        return cls(
            certificate_number=change.certificate_number,
            status=change.status,
            category=change.category,
            practice_scope=change.practice_scope,
            main_institution_id=change.main_institution_id,
            multi_sites=tuple(change.multi_sites),
            photo_sha256=change.photo_sha256,
        )

    @property
    def institution_ids(self) -> tuple[UUID, ...]:
        """Where the physician practises: the main institution first, then the multi-site ones."""
        return (self.main_institution_id, *(m.institution_id for m in self.multi_sites))

    def shown(self) -> tuple[object, ...]:
        """What the licence prints; when this differs, the licence is re-issued."""
        sites = tuple(sorted((str(s.institution_id), s.starts_on, s.ends_on) for s in self.multi_sites))
        return (
            self.certificate_number,
            self.category,
            self.practice_scope,
            self.main_institution_id,
            sites,
            self.photo_sha256,
        )


@dataclass(frozen=True)
class Refusal:
    """Why a physician cannot claim a licence now, and what they can do about it."""

    code: str
    detail: str


NOT_REGISTERED = Refusal(
    "not-registered",
    "You have no practice registration yet. Apply for initial practice registration (执业注册); "
    "the licence can be claimed once it is approved.",
)


class CannotClaim(Conflict):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(
            refusal.code, refusal.detail, title=Message("The licence cannot be claimed now", zh="现在无法领取电子证照")
        )


def claim_refusal(register: RegisterState | None) -> Refusal | None:
    """None if the physician may hold a licence; else the reason they may not."""
    if register is None:
        return NOT_REGISTERED
    if register.status is RegistrationStatus.FILED:
        return Refusal(
            "registration-filed",
            "Your practice registration is filed (执业信息无效). Apply to cancel the filing (取消备案); "
            "the licence can be claimed again once that is approved.",
        )
    if register.status is RegistrationStatus.DEREGISTERED:
        return Refusal(
            "registration-deregistered",
            "Your practice registration is deregistered (注销). A new initial practice registration is needed "
            "before a licence can be issued.",
        )
    return None


def claimable(register: RegisterState | None) -> RegisterState:
    """The register of a physician who may claim a licence now; CannotClaim, with what to do, otherwise."""
    if register is None:
        raise CannotClaim(NOT_REGISTERED)
    if (refusal := claim_refusal(register)) is not None:
        raise CannotClaim(refusal)
    return register


class Step(StrEnum):
    """What a change of the register does to the physician's current licence."""

    NOTHING = "nothing"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"
    REISSUE = "reissue"  # supersede the current one and issue the next edition


def follow(status: LicenceStatus | None, shown: RegisterState | None, register: RegisterState) -> Step:
    """The step for a licence in `status` issued from `shown`, now that the register reads `register`.

    Filing suspends, cancelling the filing reinstates, deregistration revokes, and a change of what the
    licence shows (main institution, multi-site set, category, scope, photo) re-issues it.
    """
    if status not in CURRENT or shown is None:
        return Step.NOTHING  # never claimed, or already ended: the next claim issues from the register
    if register.status is RegistrationStatus.DEREGISTERED:
        return Step.REVOKE
    if register.status is RegistrationStatus.FILED:
        return Step.SUSPEND if status is LicenceStatus.VALID else Step.NOTHING
    if register.shown() != shown.shown():
        return Step.REISSUE
    return Step.REINSTATE if status is LicenceStatus.SUSPENDED else Step.NOTHING


STEP_REASONS = {
    Step.SUSPEND: "practice-filed",
    Step.REINSTATE: "filing-cancelled",
    Step.REVOKE: "deregistered",
    Step.REISSUE: "register-changed",
}


@dataclass(frozen=True)
class Licence:
    """One edition of a physician's licence: the signed document and the register's word on it."""

    id: UUID
    number: str
    account_id: UUID
    edition: int
    certificate_number: str
    status: LicenceStatus
    status_reason: str | None
    status_index: int  # its place in the status lists
    kid: str  # the key that signed it
    document: str  # the compact JWS: the whole licence, signed, as the PDF's address and the API carry it
    content: Mapping[str, Any]  # what the licence shows
    shown: Mapping[str, Any]  # the register snapshot it was issued from
    issued_at: datetime
    expires_at: datetime
    status_changed_at: datetime
    superseded_by: UUID | None = None
    credential: str | None = None  # what the QR code carries (RL1:…); None for licences issued before it

    def current_at(self, now: datetime) -> bool:
        """Valid and not expired: claiming again shows this one."""
        return self.status is LicenceStatus.VALID and self.expires_at > now


@dataclass(frozen=True)
class Standing:
    """What a verifier needs of one licence: its status, why, since when, and its successor's number."""

    number: str
    status: LicenceStatus
    status_reason: str | None
    status_changed_at: datetime
    expires_at: datetime
    superseded_by_number: str | None = None


def licence_number(certificate_number: str, edition: int) -> str:
    """The number printed on a licence: `DZ`, the certificate number and a two-digit edition."""
    return f"DZ{certificate_number}{edition:02d}"


class Verdict(StrEnum):
    """What a verifier is told of a licence: never a bare yes or no."""

    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    UNKNOWN = "unknown"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: str
    detail: str


def judge(*, status: LicenceStatus, status_reason: str | None, expires_at: datetime, now: datetime) -> Judgement:
    """The verdict on a genuinely signed licence in `status`: the register's word before the clock's."""
    if status is LicenceStatus.SUPERSEDED:
        return Judgement(
            Verdict.REVOKED, "superseded", "This licence was replaced by a newer edition; ask for the current one."
        )
    if status is LicenceStatus.REVOKED:
        reason = status_reason or "revoked"
        return Judgement(Verdict.REVOKED, reason, "This licence is revoked; the physician may not practise on it.")
    if status is LicenceStatus.SUSPENDED:
        reason = status_reason or "suspended"
        return Judgement(
            Verdict.SUSPENDED, reason, "The physician's practice registration is filed; the licence is suspended."
        )
    if expires_at <= now:
        return Judgement(
            Verdict.EXPIRED, "licence-expired", "This licence has expired; the physician can claim a new one."
        )
    return Judgement(Verdict.VALID, "active", "The licence is genuine and the physician's registration is valid.")
