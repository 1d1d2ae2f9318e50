"""One application as applications keeps it, the steps of its history, and what it refuses."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from applications.domain.kinds import KINDS
from applications.domain.machine import Step, TransitionRefused, Trigger, step
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import ApplicationStatus, ApplicationType, PracticeCategory
from contracts.labels import label
from regsys_runtime.errors import Conflict, InvalidFields, Message, NotFound


class NotADraft(Conflict):
    def __init__(self, detail: str) -> None:
        super().__init__("not-a-draft", detail)


class CannotWithdraw(Conflict):
    """Too late: the institution has decided (or the application ended). The reason in English and Chinese."""

    def __init__(self, status: ApplicationStatus) -> None:
        if status is ApplicationStatus.AUTHORITY_REVIEW:
            en = (
                "The institution has already approved this application and it is with the health administration; "
                "it can no longer be withdrawn."
            )
            zh = "医疗机构已审核通过，申请已报卫生健康行政部门审批，不能再撤回。"
        else:
            en = f"This application is {status.value}; it can no longer be withdrawn."
            zh = f"该申请{label(status)}，不能再撤回。"
        super().__init__("cannot-withdraw", Message(en, zh=zh))


class NoPhotoHere(Conflict):
    def __init__(self, kind: ApplicationType) -> None:
        super().__init__(
            "no-photo-here", Message(f"A {kind} application takes no photo.", zh=f"{label(kind)}申请不需要照片。")
        )


class PhotoMissing(InvalidFields):
    def __init__(self) -> None:
        super().__init__(
            {
                "photo": Message(
                    "Upload a photo (JPEG or PNG) before you submit.", zh="提交前请上传照片（JPEG 或 PNG）。"
                )
            }
        )


@dataclass(frozen=True)
class HistoryEntry:
    """One step: who (actor and their account), when, what happened (outcome), the status after, and why."""

    status: ApplicationStatus
    actor: str  # physician, institution, authority or system
    actor_id: UUID | None
    outcome: str | None  # the trigger of the state machine, or "create"
    at: datetime
    reason: str | None = None
    late: bool = False  # a reviewer's decision that arrived after the closure or the other decision

    @classmethod
    def of(cls, move: Step, *, actor: str, actor_id: UUID | None, reason: str | None, at: datetime) -> HistoryEntry:
        return cls(
            status=move.after,
            actor=actor,
            actor_id=actor_id,
            outcome=move.trigger,
            reason=reason,
            late=move.late,
            at=at,
        )


@dataclass(frozen=True)
class Application:
    id: UUID
    account_id: UUID
    kind: ApplicationType
    status: ApplicationStatus
    institution_id: UUID  # the reviewing institution
    category: PracticeCategory
    details: ApplicationDetails
    updated_at: datetime
    submitted_at: datetime | None = None
    affects: str | None = None  # the part of the register it affects, once submitted (domain.kinds.affects)
    # the physician asked to withdraw and the institution has not settled it yet (see domain.machine)
    withdrawal_requested_at: datetime | None = None
    withdrawal_reason: str | None = None

    def step(self, trigger: Trigger) -> Step:
        return step(self.kind, self.status, trigger)

    def submission(self) -> tuple[Step, Step]:
        """Submitting is the physician's step and the system's sending it to the institution, in one command."""
        try:
            submitted = self.step(Trigger.SUBMIT)
        except TransitionRefused as refused:
            raise NotADraft(refused.detail) from None
        return submitted, step(self.kind, submitted.after, Trigger.SEND_TO_INSTITUTION)

    def withdrawal(self) -> Step:
        """The physician's withdrawal: a draft is discarded at once; otherwise a request the reviewing institution
        settles against its decision. Refused once the institution has decided."""
        trigger = Trigger.WITHDRAW if self.status is ApplicationStatus.DRAFT else Trigger.REQUEST_WITHDRAWAL
        try:
            return self.step(trigger)
        except TransitionRefused:
            raise CannotWithdraw(self.status) from None

    @property
    def withdrawal_pending(self) -> bool:
        return self.withdrawal_requested_at is not None

    def withdrawal_requested(self, *, reason: str | None, at: datetime) -> Application:
        return replace(self, withdrawal_requested_at=at, withdrawal_reason=reason, updated_at=at)

    def submitted(self, *, affects: str, institution_id: UUID, at: datetime) -> Application:
        return replace(self, affects=affects, institution_id=institution_id, submitted_at=at)

    def with_photo(self, sha256: str, *, at: datetime) -> Application:
        """The draft with its photo; refused unless it is a draft of a type that takes one."""
        if not KINDS[self.kind].needs_photo:
            raise NoPhotoHere(self.kind)
        if self.status is not ApplicationStatus.DRAFT:
            raise NotADraft(f"The application is {self.status}; only a draft's photo can change.")
        return replace(self, details=self.details.model_copy(update={"photo_sha256": sha256}), updated_at=at)

    def moved_to(self, status: ApplicationStatus, *, at: datetime) -> Application:
        """The application in its next status; a pending withdrawal ends with it (it took effect, or lost)."""
        return replace(self, status=status, updated_at=at, withdrawal_requested_at=None, withdrawal_reason=None)


def yours(application: Application | None, account_id: UUID) -> Application:
    """The physician's own application; another's answers as if there were none."""
    if application is None or application.account_id != account_id:
        raise NotFound(Message("No such application of yours.", zh="您没有这份申请。"))
    return application
