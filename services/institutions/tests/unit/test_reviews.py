"""The staff's decision on a review task: approve, or reject with a reason; an open task only, and only once."""

import uuid
from datetime import UTC, datetime

import pytest

from contracts.enums import ApplicationType, PracticeCategory, ReviewOutcome
from institutions.domain.reviews import (
    AlreadyDecided,
    ReasonRequired,
    ReviewTask,
    TaskStatus,
    decide,
    withdrawn,
)
from regsys_runtime.errors import Conflict, InvalidField

NOW = datetime(2025, 3, 1, 2, 30, tzinfo=UTC)
REVIEWER = uuid.uuid4()


def task(status: TaskStatus = TaskStatus.OPEN) -> ReviewTask:
    return ReviewTask(
        id=uuid.uuid4(),
        application_id=uuid.uuid4(),
        account_id=uuid.uuid4(),
        institution_id=uuid.uuid4(),
        application_type=ApplicationType.INITIAL_REGISTRATION,
        physician_name="欧阳·明",
        id_number_masked="1101**********0011",
        category=PracticeCategory.CLINICAL,
        details={},
        status=status,
        opened_at=datetime(2025, 2, 28, tzinfo=UTC),
    )


def test_approval_decides_the_task_for_the_reviewer_at_that_time():
    decided = decide(task(), ReviewOutcome.APPROVED, None, reviewer_id=REVIEWER, now=NOW)
    assert (decided.status, decided.reason, decided.reviewer_id, decided.decided_at) == (
        TaskStatus.APPROVED,
        None,
        REVIEWER,
        NOW,
    )


def test_rejection_keeps_its_reason():
    decided = decide(task(), ReviewOutcome.REJECTED, "材料不全", reviewer_id=REVIEWER, now=NOW)
    assert (decided.status, decided.reason) == (TaskStatus.REJECTED, "材料不全")


def test_deciding_leaves_the_task_as_it_was():
    before = task()
    decide(before, ReviewOutcome.APPROVED, None, reviewer_id=REVIEWER, now=NOW)
    assert before.status is TaskStatus.OPEN
    assert before.decided_at is None


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_rejection_needs_a_reason(reason):
    with pytest.raises(ReasonRequired) as refused:
        decide(task(), ReviewOutcome.REJECTED, reason, reviewer_id=REVIEWER, now=NOW)
    assert isinstance(refused.value, InvalidField)
    assert refused.value.code == "invalid-fields"
    assert refused.value.fields == {"reason": "Say why the application is rejected."}
    assert refused.value.detail == "A rejection needs a reason."


@pytest.mark.parametrize("status", [s for s in TaskStatus if s is not TaskStatus.OPEN])
@pytest.mark.parametrize("outcome", list(ReviewOutcome))
def test_only_an_open_task_can_be_decided(status, outcome):
    with pytest.raises(AlreadyDecided) as refused:
        decide(task(status), outcome, "理由", reviewer_id=REVIEWER, now=NOW)
    assert isinstance(refused.value, Conflict)
    assert refused.value.code == "already-decided"
    assert refused.value.detail == f"This task is already {status.value}."


def test_a_rejection_without_reason_is_refused_for_the_reason_first():
    with pytest.raises(ReasonRequired):
        decide(task(TaskStatus.WITHDRAWN), ReviewOutcome.REJECTED, None, reviewer_id=REVIEWER, now=NOW)


def test_a_withdrawal_ends_an_open_task_and_nothing_else():
    ended = withdrawn(task(), at=NOW)
    assert ended is not None
    assert (ended.status, ended.decided_at, ended.reviewer_id) == (TaskStatus.WITHDRAWN, NOW, None)
    for status in (s for s in TaskStatus if s is not TaskStatus.OPEN):  # a decision (or closure) came first
        assert withdrawn(task(status), at=NOW) is None
