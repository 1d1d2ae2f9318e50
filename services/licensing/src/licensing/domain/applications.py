"""The applications licensing keeps from applications' events, and what an approved one does to the register."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contracts.enums import ApplicationType, PracticeCategory
from licensing.domain.register import Change
from licensing.domain.tasks import TaskStatus

ENDED = (TaskStatus.WITHDRAWN, TaskStatus.CLOSED)


@dataclass(frozen=True)
class Application:
    id: UUID
    account_id: UUID
    application_type: ApplicationType
    institution_id: UUID  # the reviewing institution
    category: PracticeCategory
    physician_name: str
    id_number_masked: str
    details: Mapping[str, Any]  # the form, as submitted (JSON)
    status: TaskStatus  # where it stands here: open, or as its task ended
    ended_at: datetime | None = None  # when it was withdrawn or closed
    end_reason: str | None = None  # why the system closed it

    @property
    def ended(self) -> bool:
        """Withdrawn or closed before an officer decided: a later approval by the institution opens no work."""
        return self.status in ENDED

    @property
    def needs_certificate_number(self) -> bool:
        return self.application_type is ApplicationType.INITIAL_REGISTRATION

    def filing_id(self) -> UUID | None:
        """The multi-site filing it files (named after the application that asked for it) or cancels."""
        if self.application_type is ApplicationType.MULTI_SITE_FILING:
            return self.id
        value = self.details.get("multi_site_filing_id")
        return UUID(value) if value else None


def _day(details: Mapping[str, Any], key: str) -> date | None:
    value = details.get(key)
    return date.fromisoformat(value) if value else None


def register_change(application: Application, *, certificate_number: str | None = None) -> Change:
    """What the approved application does to the register (a new registration brings its certificate number)."""
    details = application.details
    target = details.get("target_institution_id")
    return Change(
        kind=application.application_type,
        institution_id=application.institution_id,
        category=application.category,
        practice_scope=details.get("practice_scope"),
        target_institution_id=UUID(target) if target else None,
        starts_on=_day(details, "multi_site_starts_on"),
        ends_on=_day(details, "multi_site_ends_on"),
        filing_id=application.filing_id(),
        photo_sha256=details.get("photo_sha256"),
        certificate_number=certificate_number,
    )
