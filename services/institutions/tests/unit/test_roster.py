"""The roster follows the register's snapshot: the main institution, each other multi-site one, or nowhere."""

import uuid
from datetime import UTC, date, datetime

from contracts.enums import PracticeCategory, RegistrationStatus
from contracts.licensing.v1 import MultiSiteRecord, RegistrationChanged
from institutions.domain.roster import RosterRole, entries_of

MAIN, OTHER = uuid.uuid4(), uuid.uuid4()


def snapshot(status=RegistrationStatus.VALID, multi_sites=()) -> RegistrationChanged:
    return RegistrationChanged(
        account_id=uuid.uuid4(),
        certificate_number="110000000000001",
        status=status,
        category=PracticeCategory.CLINICAL,
        main_institution_id=MAIN,
        multi_sites=multi_sites,
        changed_at=datetime(2025, 3, 1, tzinfo=UTC),
        physician_name="欧阳·明",
    )


def site(institution_id, ends_on=date(2026, 3, 1)) -> MultiSiteRecord:
    return MultiSiteRecord(
        filing_id=uuid.uuid4(), institution_id=institution_id, starts_on=date(2025, 3, 1), ends_on=ends_on
    )


def test_main_and_multi_site_institutions():
    entries = entries_of(snapshot(multi_sites=(site(OTHER),)))
    assert [(e.institution_id, e.role) for e in entries] == [(MAIN, RosterRole.MAIN), (OTHER, RosterRole.MULTI_SITE)]
    assert (entries[0].starts_on, entries[0].ends_on) == (None, None)
    assert (entries[1].starts_on, entries[1].ends_on) == (date(2025, 3, 1), date(2026, 3, 1))
    assert {e.physician_name for e in entries} == {"欧阳·明"}


def test_a_multi_site_filing_at_the_main_institution_adds_no_row():
    assert [e.role for e in entries_of(snapshot(multi_sites=(site(MAIN),)))] == [RosterRole.MAIN]


def test_a_deregistered_physician_practises_nowhere():
    assert entries_of(snapshot(RegistrationStatus.DEREGISTERED, multi_sites=(site(OTHER),))) == []
