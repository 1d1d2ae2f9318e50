"""The authority's task on an application: open until an officer decides it, or until the application ends first.

Pure: `decide` takes the task as it is and the officer's decision and returns the task as it becomes, or refuses
(a rejection without a reason, a task already decided, withdrawn or closed). The use case holds the task's lock,
so a withdrawal arriving at the same moment either ends the task first or finds it decided.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

from contracts.enums import ApplicationType, ReviewOutcome
from licensing.domain.materials import ReceivedMaterial
from licensing.domain.rules import REVIEW_WORKING_DAYS, add_working_days
from regsys_runtime.errors import Conflict, InvalidField, Message, said

if TYPE_CHECKING:  # an application knows its status by these names
    from licensing.domain.applications import Application


class TaskStatus(StrEnum):
    """Where a task (and, in licensing's read model, its application) stands."""

    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # the physician withdrew the application first
    CLOSED = "closed"  # the system closed the application first (the register moved on)


TASK_WORDS = {
    TaskStatus.OPEN: "待审批", TaskStatus.APPROVED: "批准", TaskStatus.REJECTED: "不予批准",
    TaskStatus.WITHDRAWN: "撤回", TaskStatus.CLOSED: "关闭",
}  # fmt: skip

DECIDED = {ReviewOutcome.APPROVED: TaskStatus.APPROVED, ReviewOutcome.REJECTED: TaskStatus.REJECTED}


class AlreadyDecided(Conflict):
    def __init__(self, status: TaskStatus) -> None:
        super().__init__(
            "already-decided", Message(f"This task is already {status}.", zh=f"该任务已{TASK_WORDS[status]}。")
        )


class ReasonRequired(InvalidField):
    def __init__(self) -> None:
        super().__init__(
            "reason",
            Message("Say why the application is rejected.", zh="请填写不予批准的原因。"),
            detail=Message("A rejection needs a reason.", zh="不予批准需要填写原因。"),
        )


class NoLongerApprovable(Conflict):
    """The register moved on since the physician applied: the approval would break one of its rules."""

    def __init__(self, why: str) -> None:
        super().__init__(
            "register-changed",
            Message(
                f"It can no longer be approved: {why} Reject it, or wait: "
                "the application is closed once the physician's other change arrives.",
                zh=f"已无法批准：{said(why, 'zh')}请不予批准，或等待：医师的另一项变更到达后，该申请将被关闭。",
            ),
        )


@dataclass(frozen=True)
class AuthorityTask:
    id: UUID
    application_id: UUID
    account_id: UUID
    region_code: str  # the region whose officers decide it
    status: TaskStatus
    opened_at: datetime
    due_on: date
    reason: str | None = None
    officer_id: UUID | None = None
    decided_at: datetime | None = None

    def overdue(self, today: date) -> bool:
        return self.status is TaskStatus.OPEN and self.due_on < today


@dataclass(frozen=True)
class TaskFile:
    """A task with the application it decides and, when asked for, the paper materials received for it."""

    task: AuthorityTask
    application: Application
    received: tuple[ReceivedMaterial, ...] | None = None


@dataclass(frozen=True)
class QueueFilter:
    """Which of a region's tasks to list: of one status or type, overdue or not (on the day `overdue_on`)."""

    status: TaskStatus | None = None
    application_type: ApplicationType | None = None
    overdue: bool | None = None
    overdue_on: date | None = None


def open_task(
    *, task_id: UUID, application_id: UUID, account_id: UUID, region_code: str, opened_at: datetime, accepted_on: date
) -> AuthorityTask:
    """The task once the institution approved: due 20 working days after that acceptance (a day in China)."""
    return AuthorityTask(
        id=task_id,
        application_id=application_id,
        account_id=account_id,
        region_code=region_code,
        status=TaskStatus.OPEN,
        opened_at=opened_at,
        due_on=add_working_days(accepted_on, REVIEW_WORKING_DAYS),
    )


def ended_before_it_opened(task: AuthorityTask, application: Application) -> AuthorityTask:
    """The task of an application withdrawn or closed before the institution's approval came in: it ends as the
    application did, so that the task reads the same whichever of the two events arrived first."""
    return replace(task, status=application.status, reason=application.end_reason, decided_at=application.ended_at)


def require_reason(outcome: ReviewOutcome, reason: str | None) -> None:
    """A rejection says why (ReasonRequired otherwise)."""
    if outcome is ReviewOutcome.REJECTED and not (reason and reason.strip()):
        raise ReasonRequired()


def decide(
    task: AuthorityTask, outcome: ReviewOutcome, reason: str | None, *, officer_id: UUID, now: datetime
) -> AuthorityTask:
    """The task decided by an officer at `now`: ReasonRequired, or AlreadyDecided unless it is open."""
    require_reason(outcome, reason)
    if task.status is not TaskStatus.OPEN:
        raise AlreadyDecided(task.status)
    return replace(task, status=DECIDED[outcome], reason=reason, officer_id=officer_id, decided_at=now)
