"""The authority's task: an officer decides an open task once; a rejection says why; what is due when."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from contracts.enums import ApplicationType, PracticeCategory, ReviewOutcome
from licensing.domain.applications import Application, register_change
from licensing.domain.tasks import AlreadyDecided, AuthorityTask, ReasonRequired, TaskStatus, decide, open_task
from regsys_runtime.errors import Conflict, InvalidField

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
OFFICER = uuid.uuid4()
OPEN = open_task(
    task_id=uuid.uuid4(),
    application_id=uuid.uuid4(),
    account_id=uuid.uuid4(),
    region_code="110105",
    opened_at=NOW,
    accepted_on=date(2026, 11, 20),  # a Friday
)


def test_a_task_is_due_twenty_working_days_after_the_institution_accepted_it():
    assert OPEN.status is TaskStatus.OPEN
    assert OPEN.due_on == date(2026, 12, 18)
    assert not OPEN.overdue(date(2026, 12, 18))
    assert OPEN.overdue(date(2026, 12, 21))


@pytest.mark.parametrize(
    ("outcome", "reason", "status"),
    [
        (ReviewOutcome.APPROVED, None, TaskStatus.APPROVED),
        (ReviewOutcome.APPROVED, "all in order", TaskStatus.APPROVED),
        (ReviewOutcome.REJECTED, "the employment contract is missing", TaskStatus.REJECTED),
    ],
)
def test_an_open_task_is_decided_by_the_officer(outcome, reason, status):
    decided = decide(OPEN, outcome, reason, officer_id=OFFICER, now=NOW)
    assert (decided.status, decided.reason, decided.officer_id, decided.decided_at) == (status, reason, OFFICER, NOW)
    assert not decided.overdue(date(2027, 1, 1))  # only an open task is overdue


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_rejection_needs_a_reason(reason):
    with pytest.raises(ReasonRequired) as refused:
        decide(OPEN, ReviewOutcome.REJECTED, reason, officer_id=OFFICER, now=NOW)
    assert isinstance(refused.value, InvalidField)
    assert refused.value.fields == {"reason": "Say why the application is rejected."}
    assert refused.value.detail == "A rejection needs a reason."


@pytest.mark.parametrize("status", [s for s in TaskStatus if s is not TaskStatus.OPEN])
@pytest.mark.parametrize("outcome", list(ReviewOutcome))
def test_a_task_no_longer_open_cannot_be_decided(status, outcome):
    ended: AuthorityTask = replace(OPEN, status=status)
    with pytest.raises(AlreadyDecided) as refused:
        decide(ended, outcome, "a reason", officer_id=OFFICER, now=NOW)
    assert isinstance(refused.value, Conflict)
    assert refused.value.code == "already-decided"
    assert refused.value.detail == f"This task is already {status.value}."


def test_a_missing_reason_is_told_before_a_decided_task():
    with pytest.raises(ReasonRequired):
        decide(replace(OPEN, status=TaskStatus.APPROVED), ReviewOutcome.REJECTED, None, officer_id=OFFICER, now=NOW)


def application(kind: ApplicationType, **details) -> Application:
    return Application(
        id=uuid.uuid4(),
        account_id=uuid.uuid4(),
        application_type=kind,
        institution_id=uuid.uuid4(),
        category=PracticeCategory.CLINICAL,
        physician_name="欧阳·明",
        id_number_masked="110105********123X",
        details=details,
        status=TaskStatus.OPEN,
    )


def test_what_an_approved_application_asks_of_the_register():
    target, filing = uuid.uuid4(), uuid.uuid4()
    initial = application(ApplicationType.INITIAL_REGISTRATION, practice_scope="内科专业")
    assert initial.needs_certificate_number
    change = register_change(initial, certificate_number="110105202600001")
    assert (change.kind, change.practice_scope, change.certificate_number) == (
        ApplicationType.INITIAL_REGISTRATION,
        "内科专业",
        "110105202600001",
    )
    multi_site = application(
        ApplicationType.MULTI_SITE_FILING,
        target_institution_id=str(target),
        multi_site_starts_on="2026-01-01",
        multi_site_ends_on="2026-12-31",
    )
    change = register_change(multi_site)
    assert not multi_site.needs_certificate_number
    assert (change.target_institution_id, change.starts_on, change.ends_on) == (
        target,
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert change.filing_id == multi_site.id  # a filing is named after the application that asked for it
    cancel = application(ApplicationType.CANCEL_MULTI_SITE_FILING, multi_site_filing_id=str(filing))
    assert register_change(cancel).filing_id == filing
