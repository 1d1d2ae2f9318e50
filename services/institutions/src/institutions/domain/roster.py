"""The roster: who practises at each institution, main and multi-site, as the register's snapshot says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from contracts.enums import PracticeCategory, RegistrationStatus
from contracts.licensing.v1 import RegistrationChanged


class RosterRole(StrEnum):
    MAIN = "main"
    MULTI_SITE = "multi_site"


@dataclass(frozen=True)
class RosterEntry:
    institution_id: UUID
    account_id: UUID
    role: RosterRole
    physician_name: str | None
    id_number_masked: str | None
    certificate_number: str
    category: PracticeCategory
    registration_status: RegistrationStatus
    since: datetime
    starts_on: date | None = None
    ends_on: date | None = None


def entries_of(snapshot: RegistrationChanged) -> list[RosterEntry]:
    """The physician's rows after the change: the main institution, then each other multi-site one.

    A deregistered physician practises nowhere.
    """
    if snapshot.status is RegistrationStatus.DEREGISTERED:
        return []

    def entry(institution_id: UUID, role: RosterRole, starts_on: date | None, ends_on: date | None) -> RosterEntry:
        return RosterEntry(
            institution_id=institution_id, account_id=snapshot.account_id, role=role,
            physician_name=snapshot.physician_name, id_number_masked=snapshot.id_number_masked,
            certificate_number=snapshot.certificate_number, category=snapshot.category,
            registration_status=snapshot.status, since=snapshot.changed_at, starts_on=starts_on, ends_on=ends_on,
        )  # fmt: skip

    main = entry(snapshot.main_institution_id, RosterRole.MAIN, None, None)
    others = [
        entry(m.institution_id, RosterRole.MULTI_SITE, m.starts_on, m.ends_on)
        for m in snapshot.multi_sites
        if m.institution_id != snapshot.main_institution_id
    ]
    return [main, *others]
