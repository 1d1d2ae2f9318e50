"""Request and response bodies of the applications API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from applications.domain.application import Application, HistoryEntry
from contracts.applications.v1 import ApplicationDetails, BusinessForm, DeregistrationReason, PracticeFilingReason
from contracts.enums import ApplicationStatus, ApplicationType, PracticeCategory

T = ApplicationType
Reason = Annotated[str, Field(min_length=2, max_length=500)]
Remark = Annotated[str | None, Field(None, max_length=500)]


class BusinessFormIn(BaseModel):
    """The printable business form (业务打印表单): what only the physician can tell."""

    education: str = Field(min_length=1, max_length=50, examples=["本科"])
    graduated_from: str = Field(min_length=1, max_length=100, examples=["北京大学医学部"])
    major: str = Field(min_length=1, max_length=100, examples=["临床医学"])
    contact_phone: str = Field(pattern=r"^(1[0-9]{10}|0[0-9]{2,3}-?[0-9]{7,8})$", examples=["13912345678"])
    mailing_address: str = Field(min_length=4, max_length=200)
    work_history: str | None = Field(None, max_length=1000)

    def contract(self) -> BusinessForm:
        return BusinessForm(**self.model_dump())


class InitialRegistrationDraft(BaseModel):
    application_type: Literal[T.INITIAL_REGISTRATION]
    institution_id: UUID
    practice_scope: str = Field(min_length=1, max_length=100, examples=["内科专业"])
    form: BusinessFormIn

    def details(self) -> ApplicationDetails:
        return ApplicationDetails(
            target_institution_id=self.institution_id, practice_scope=self.practice_scope, form=self.form.contract()
        )


class ChangeRegistrationDraft(BaseModel):
    application_type: Literal[T.CHANGE_REGISTRATION]
    institution_id: UUID = Field(description="the new institution (拟执业机构)")
    reason: Reason
    form: BusinessFormIn

    def details(self) -> ApplicationDetails:
        return ApplicationDetails(
            target_institution_id=self.institution_id, reason=self.reason, form=self.form.contract()
        )


class MultiSiteFilingDraft(BaseModel):
    application_type: Literal[T.MULTI_SITE_FILING]
    institution_id: UUID
    starts_on: date
    ends_on: date
    form: BusinessFormIn

    def details(self) -> ApplicationDetails:
        return ApplicationDetails(
            target_institution_id=self.institution_id,
            multi_site_starts_on=self.starts_on,
            multi_site_ends_on=self.ends_on,
            form=self.form.contract(),
        )


class CancelMultiSiteFilingDraft(BaseModel):
    application_type: Literal[T.CANCEL_MULTI_SITE_FILING]
    filing_id: UUID
    reason: Reason

    def details(self) -> ApplicationDetails:
        return ApplicationDetails(multi_site_filing_id=self.filing_id, reason=self.reason)


class PracticeFilingDraft(BaseModel):
    application_type: Literal[T.PRACTICE_FILING]
    reason: PracticeFilingReason
    remark: Remark = None

    def details(self) -> ApplicationDetails:
        return ApplicationDetails(reason=self.reason, remark=self.remark)


class CancelFilingDraft(BaseModel):
    application_type: Literal[T.CANCEL_FILING]
    reason: Reason

    def details(self) -> ApplicationDetails:
        return ApplicationDetails(reason=self.reason)


class DeregistrationDraft(BaseModel):
    application_type: Literal[T.DEREGISTRATION]
    reason: DeregistrationReason
    remark: Remark = None

    def details(self) -> ApplicationDetails:
        return ApplicationDetails(reason=self.reason, remark=self.remark)


class PhotoUpdateDraft(BaseModel):
    application_type: Literal[T.PHOTO_UPDATE]

    def details(self) -> ApplicationDetails:
        return ApplicationDetails()


ApplicationDraft = Annotated[
    InitialRegistrationDraft
    | ChangeRegistrationDraft
    | MultiSiteFilingDraft
    | CancelMultiSiteFilingDraft
    | PracticeFilingDraft
    | CancelFilingDraft
    | DeregistrationDraft
    | PhotoUpdateDraft,
    Field(discriminator="application_type"),
]


class Withdrawal(BaseModel):
    reason: str | None = Field(None, max_length=500)


class HistoryRead(BaseModel):
    """One step: who (actor and their account), when, what happened (outcome), the status after, and why."""

    status: ApplicationStatus
    actor: str
    actor_id: UUID | None
    outcome: str | None
    reason: str | None
    late: bool = Field(description="a reviewer's decision that arrived after the closure or the other decision")
    at: datetime


class ApplicationRead(BaseModel):
    application_id: UUID
    application_type: ApplicationType
    status: ApplicationStatus
    institution_id: UUID
    category: PracticeCategory
    details: dict[str, Any]
    submitted_at: datetime | None
    updated_at: datetime
    withdrawal_requested_at: datetime | None = Field(
        None, description="the physician asked to withdraw; the institution has not settled it yet"
    )
    history: list[HistoryRead] = []


class PhotoRead(BaseModel):
    sha256: str


def application_read(application: Application, steps: Sequence[HistoryEntry] = ()) -> ApplicationRead:
    return ApplicationRead(
        application_id=application.id,
        application_type=application.kind,
        status=application.status,
        institution_id=application.institution_id,
        category=application.category,
        details=application.details.model_dump(mode="json"),
        submitted_at=application.submitted_at,
        updated_at=application.updated_at,
        withdrawal_requested_at=application.withdrawal_requested_at,
        history=[HistoryRead(**{name: getattr(s, name) for name in HistoryRead.model_fields}) for s in steps],
    )
