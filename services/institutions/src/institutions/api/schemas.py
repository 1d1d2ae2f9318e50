"""Request and response bodies of the institutions API; every one refuses control characters in its text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import ConfigDict, Field, StrictBool

from contracts.enums import (
    ActivationMethod,
    ApplicationType,
    Channel,
    PracticeCategory,
    RegistrationStatus,
    ReviewOutcome,
    Role,
)
from institutions.domain.activation import RequestStatus
from institutions.domain.audit import AuditAction, AuditEntry
from institutions.domain.institutions import Institution
from institutions.domain.reasons import MAX_REASON_LENGTH
from institutions.domain.reviews import ReviewTask, TaskStatus
from institutions.domain.roster import RosterRole
from regsys_runtime.schemas import Schema

REASON_RULE = f"Plain text, at most {MAX_REASON_LENGTH} characters: no HTML, no links."


class InstitutionUpdate(Schema):
    """What an operator may correct in an institution's record (its credit code is what it is known by)."""

    name: str = Field(min_length=2, max_length=100, description="The registered name (not only digits).")
    licence_number: str = Field(min_length=1, max_length=40)
    region_code: str = Field(pattern=r"^[0-9]{6}$", description="An administrative division code (GB/T 2260).")
    level: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=200)


class InstitutionCreate(InstitutionUpdate):
    credit_code: str = Field(
        min_length=18, max_length=24, description="统一社会信用代码: 18 characters with its check character."
    )
    auto_activation: StrictBool = False


class InstitutionRead(InstitutionCreate):
    institution_id: UUID

    @classmethod
    def of(cls, institution: Institution) -> InstitutionRead:
        fields = {k: getattr(institution, k) for k in InstitutionCreate.model_fields}
        return cls(institution_id=institution.id, **fields)


class ActivationRequestRead(Schema):
    """A physician's request, and once granted how (code, automatic, certificate code), when and by whom."""

    model_config = ConfigDict(from_attributes=True)

    account_id: UUID
    real_name: str
    id_number_masked: str
    category: PracticeCategory | None
    status: RequestStatus
    requested_at: datetime
    decided_at: datetime | None
    decided_by: UUID | None = Field(description="The staff who sent the code or declined; none when automatic.")
    reason: str | None
    method: ActivationMethod | None = Field(description="How it was granted.")
    activated_at: datetime | None = Field(description="When the account was activated.")


class ActivationCodeSend(Schema):
    channel: Channel = Channel.SMS


class ActivationDecline(Schema):
    reason: str = Field(min_length=1, max_length=MAX_REASON_LENGTH, description=REASON_RULE)


class AutoActivation(Schema):
    enabled: StrictBool


class ReviewTaskRead(Schema):
    task_id: UUID
    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    physician_name: str
    id_number_masked: str
    category: PracticeCategory
    details: dict[str, Any]
    status: TaskStatus
    reason: str | None
    reviewer_id: UUID | None
    opened_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, task: ReviewTask) -> ReviewTaskRead:
        return cls(task_id=task.id, **{k: getattr(task, k) for k in cls.model_fields if k != "task_id"})


class ReviewDecision(Schema):
    outcome: ReviewOutcome
    reason: str | None = Field(None, max_length=MAX_REASON_LENGTH, description=REASON_RULE)


class RosterEntryRead(Schema):
    model_config = ConfigDict(from_attributes=True)

    account_id: UUID
    role: RosterRole
    physician_name: str | None
    id_number_masked: str | None
    certificate_number: str
    category: PracticeCategory
    registration_status: RegistrationStatus
    starts_on: date | None
    ends_on: date | None
    since: datetime


class AuditEntryRead(Schema):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    at: datetime
    actor_id: UUID
    actor_role: Role
    address: str | None = Field(description="The client address the request came from.")
    action: AuditAction
    institution_id: UUID | None
    subject_id: UUID | None
    details: dict[str, Any]

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryRead:
        return cls.model_validate(entry)
