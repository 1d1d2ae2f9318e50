"""institutions.* topics, version 1."""

from datetime import datetime
from uuid import UUID

from contracts.enums import ActivationMethod, ApplicationType, Channel, ReviewOutcome
from contracts.events import Event, event
from contracts.topics import Topic


@event("institutions.institution_recorded", topic=Topic.INSTITUTIONS_INSTITUTION)
class InstitutionRecorded(Event):
    """The full current record of an institution (created or changed); keyed by institution id."""

    institution_id: UUID
    name: str
    credit_code: str
    licence_number: str
    region_code: str
    level: str | None = None
    address: str | None = None
    auto_activation: bool = False


@event("institutions.activation_granted", topic=Topic.INSTITUTIONS_ACTIVATION)
class ActivationGranted(Event):
    """Staff sent an activation code (or the institution activates automatically)."""

    account_id: UUID
    institution_id: UUID
    method: ActivationMethod
    activation_code: str | None = None  # sensitive: never logged
    channel: Channel | None = None
    expires_at: datetime | None = None


@event("institutions.activation_declined", topic=Topic.INSTITUTIONS_ACTIVATION)
class ActivationDeclined(Event):
    account_id: UUID
    institution_id: UUID
    reason: str


@event("institutions.review_completed", topic=Topic.INSTITUTIONS_REVIEW)
class ReviewCompleted(Event):
    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    institution_id: UUID
    region_code: str
    outcome: ReviewOutcome
    reason: str | None = None
    reviewer_id: UUID
    decided_at: datetime


@event("institutions.review_withdrawn", topic=Topic.INSTITUTIONS_REVIEW)
class ReviewWithdrawn(Event):
    """The physician's withdrawal came before any decision of the institution: the review ended withdrawn."""

    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    institution_id: UUID
    withdrawn_at: datetime
