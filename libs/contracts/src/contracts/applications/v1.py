"""applications.application topic, version 1."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from contracts.enums import ApplicationStatus, ApplicationType, PracticeCategory
from contracts.events import Event, event
from contracts.topics import Topic

T = Topic.APPLICATIONS_APPLICATION


class ApplicationDetails(BaseModel):
    """What the physician entered; which fields are set depends on the application type."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    practice_scope: str | None = None
    target_institution_id: UUID | None = None
    multi_site_starts_on: date | None = None
    multi_site_ends_on: date | None = None
    multi_site_filing_id: UUID | None = None
    reason: str | None = None
    remark: str | None = None
    photo_sha256: str | None = None


@event("applications.application_submitted", topic=T)
class ApplicationSubmitted(Event):
    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    institution_id: UUID  # the reviewing institution
    category: PracticeCategory
    physician_name: str
    id_number_masked: str
    details: ApplicationDetails
    submitted_at: datetime


@event("applications.application_withdrawn", topic=T)
class ApplicationWithdrawn(Event):
    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    institution_id: UUID
    withdrawn_at: datetime


@event("applications.application_status_changed", topic=T)
class ApplicationStatusChanged(Event):
    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    status: ApplicationStatus
    reason: str | None = None
    changed_at: datetime
