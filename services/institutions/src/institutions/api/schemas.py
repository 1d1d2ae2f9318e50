"""Request and response bodies of the institutions API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.enums import ApplicationType, Channel, PracticeCategory, RegistrationStatus, ReviewOutcome
from institutions.domain.activation import RequestStatus
from institutions.domain.institutions import Institution
from institutions.domain.reviews import ReviewTask, TaskStatus
from institutions.domain.roster import RosterRole


class InstitutionCreate(BaseModel):
    name: str = Field(min_length=2, max_length=100)
    credit_code: str = Field(min_length=18, max_length=18)
    licence_number: str = Field(min_length=1, max_length=40)
    region_code: str = Field(pattern=r"^\d{6}$")
    level: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=200)
    auto_activation: bool = False


class InstitutionRead(InstitutionCreate):
    institution_id: UUID

    @classmethod
    def of(cls, institution: Institution) -> InstitutionRead:
        fields = {k: getattr(institution, k) for k in InstitutionCreate.model_fields}
        return cls(institution_id=institution.id, **fields)


class ActivationRequestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    account_id: UUID
    real_name: str
    id_number_masked: str
    category: PracticeCategory | None
    status: RequestStatus
    requested_at: datetime
    decided_at: datetime | None
    reason: str | None


class ActivationCodeSend(BaseModel):
    channel: Channel = Channel.SMS


class ActivationDecline(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class AutoActivation(BaseModel):
    enabled: bool


class ReviewTaskRead(BaseModel):
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


class ReviewDecision(BaseModel):
    outcome: ReviewOutcome
    reason: str | None = Field(None, max_length=500)


class RosterEntryRead(BaseModel):
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
