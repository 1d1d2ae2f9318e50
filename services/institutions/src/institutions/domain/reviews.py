"""Review tasks: an application addressed to an institution, and the staff's one decision on it.

Pure: `decide` takes the task as it is and the staff's outcome, and returns the task as decided, or refuses
(a rejection without a reason, a task no longer open). The service loads the task under a row lock and saves
what `decide` returns, so a decision and a withdrawal racing each other cannot both win: the institution settles
that race for every service (`withdrawn` under the same lock: whichever came first stands, and only its news goes
out).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from contracts.enums import ApplicationType, PracticeCategory, ReviewOutcome
from institutions.domain.reasons import optional_reason
from regsys_runtime.errors import Conflict, InvalidField, Message


class TaskStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # the physician withdrew before the institution decided
    CLOSED = "closed"  # the register changed under the application


TASK_WORDS = {
    TaskStatus.OPEN: "待审核", TaskStatus.APPROVED: "审核通过", TaskStatus.REJECTED: "审核不通过",
    TaskStatus.WITHDRAWN: "撤回", TaskStatus.CLOSED: "关闭",
}  # fmt: skip


@dataclass(frozen=True)
class ReviewTask:
    id: UUID
    application_id: UUID
    account_id: UUID
    institution_id: UUID
    application_type: ApplicationType
    physician_name: str
    id_number_masked: str
    category: PracticeCategory
    details: dict[str, Any]
    status: TaskStatus
    opened_at: datetime
    reason: str | None = None
    reviewer_id: UUID | None = None
    decided_at: datetime | None = None


class AlreadyDecided(Conflict):
    def __init__(self, status: TaskStatus) -> None:
        super().__init__(
            "already-decided", Message(f"This task is already {status}.", zh=f"该任务已{TASK_WORDS[status]}。")
        )


class ReasonRequired(InvalidField):
    def __init__(self) -> None:
        super().__init__(
            "reason",
            Message("Say why the application is rejected.", zh="请填写不通过的原因。"),
            detail=Message("A rejection needs a reason.", zh="审核不通过需要填写原因。"),
        )


DECIDED_AS = {ReviewOutcome.APPROVED: TaskStatus.APPROVED, ReviewOutcome.REJECTED: TaskStatus.REJECTED}


def decide(
    task: ReviewTask, outcome: ReviewOutcome, reason: str | None, *, reviewer_id: UUID, now: datetime
) -> ReviewTask:
    """Approve, or reject with a reason (plain text); only an open task can be decided, and only once."""
    if outcome is ReviewOutcome.REJECTED and not (reason and reason.strip()):
        raise ReasonRequired()
    reason = optional_reason("reason", reason)
    if task.status is not TaskStatus.OPEN:
        raise AlreadyDecided(task.status)
    return replace(task, status=DECIDED_AS[outcome], reason=reason, reviewer_id=reviewer_id, decided_at=now)


def withdrawn(task: ReviewTask, *, at: datetime) -> ReviewTask | None:
    """The physician's withdrawal: an open task ends withdrawn; None if a decision (or a closure) came first, which
    then stands."""
    if task.status is not TaskStatus.OPEN:
        return None
    return replace(task, status=TaskStatus.WITHDRAWN, decided_at=at)


# a closure ends an open task, and one whose withdrawal applications never took (it had closed the application
# before the institution's answer reached it, so the closure is the outcome every service keeps)
CLOSABLE = frozenset({TaskStatus.OPEN, TaskStatus.WITHDRAWN})
