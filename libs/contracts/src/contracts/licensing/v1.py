"""licensing.* topics, version 1."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from contracts.enums import ApplicationType, PracticeCategory, RegistrationStatus, ReviewOutcome
from contracts.events import Event
from contracts.topics import Topic


class DecisionMade(Event, event_type="licensing.decision_made", topic=Topic.LICENSING_DECISION):
    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    outcome: ReviewOutcome
    reason: str | None = None
    officer_id: UUID
    decided_at: datetime
    certificate_number: str | None = None


class MultiSiteRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    filing_id: UUID
    institution_id: UUID
    starts_on: date
    ends_on: date


class RegistrationChanged(Event, event_type="licensing.registration_changed", topic=Topic.LICENSING_REGISTER):
    """The physician's whole practice registration after a change (a snapshot, so consumers just replace)."""

    account_id: UUID
    certificate_number: str
    status: RegistrationStatus
    category: PracticeCategory
    practice_scope: str | None = None
    main_institution_id: UUID
    multi_sites: tuple[MultiSiteRecord, ...] = ()
    filed_on: date | None = None
    photo_sha256: str | None = None
    cause_application_id: UUID | None = None
    changed_at: datetime


class LicenceIssued(Event, event_type="licensing.licence_issued", topic=Topic.LICENSING_LICENCE):
    licence_id: UUID
    account_id: UUID
    certificate_number: str
    issued_at: datetime
    supersedes: UUID | None = None


class LicenceSuspended(Event, event_type="licensing.licence_suspended", topic=Topic.LICENSING_LICENCE):
    licence_id: UUID
    account_id: UUID
    reason: str


class LicenceReinstated(Event, event_type="licensing.licence_reinstated", topic=Topic.LICENSING_LICENCE):
    licence_id: UUID
    account_id: UUID
    reason: str


class LicenceRevoked(Event, event_type="licensing.licence_revoked", topic=Topic.LICENSING_LICENCE):
    licence_id: UUID
    account_id: UUID
    reason: str
