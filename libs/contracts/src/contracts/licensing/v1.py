"""licensing.* topics, version 1."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from contracts.enums import ApplicationType, PracticeCategory, RegistrationStatus, ReviewOutcome
from contracts.events import Event, event
from contracts.topics import Topic


@event("licensing.decision_made", topic=Topic.LICENSING_DECISION)
class DecisionMade(Event):
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


@event("licensing.registration_changed", topic=Topic.LICENSING_REGISTER)
class RegistrationChanged(Event):
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
    filing_institution_id: UUID | None = None  # the institution that handled the practice filing
    physician_name: str | None = None
    id_number_masked: str | None = None
    cause_application_type: ApplicationType | None = None
    reason: str | None = None  # why it changed, when no application caused it (a multi-site filing ended)
    # the register's version of this physician, one more with every change: a read model applies a snapshot
    # only when it is newer than the one it holds (0: sent before versions existed)
    register_version: int = 0


@event("licensing.licence_issued", topic=Topic.LICENSING_LICENCE)
class LicenceIssued(Event):
    licence_id: UUID
    account_id: UUID
    certificate_number: str
    issued_at: datetime
    supersedes: UUID | None = None
    licence_number: str | None = None
    expires_at: datetime | None = None
    institution_ids: tuple[UUID, ...] = ()  # main and multi-site: the rosters the physician is on


@event("licensing.licence_suspended", topic=Topic.LICENSING_LICENCE)
class LicenceSuspended(Event):
    licence_id: UUID
    account_id: UUID
    reason: str
    licence_number: str | None = None
    certificate_number: str | None = None
    changed_at: datetime | None = None
    institution_ids: tuple[UUID, ...] = ()  # main and multi-site: the rosters the physician is on


@event("licensing.licence_reinstated", topic=Topic.LICENSING_LICENCE)
class LicenceReinstated(Event):
    licence_id: UUID
    account_id: UUID
    reason: str
    licence_number: str | None = None
    certificate_number: str | None = None
    changed_at: datetime | None = None
    institution_ids: tuple[UUID, ...] = ()  # main and multi-site: the rosters the physician is on


@event("licensing.licence_revoked", topic=Topic.LICENSING_LICENCE)
class LicenceRevoked(Event):
    licence_id: UUID
    account_id: UUID
    reason: str
    licence_number: str | None = None
    certificate_number: str | None = None
    changed_at: datetime | None = None
    institution_ids: tuple[UUID, ...] = ()  # main and multi-site: the rosters the physician is on
