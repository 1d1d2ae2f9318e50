"""HTTP API of the institution's reviews and roster (staff only, and only their own institution's)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from contracts.enums import ApplicationType, PracticeCategory, RegistrationStatus, ReviewOutcome, Role
from institutions.service import reviews, roster
from institutions.service.reviews import TaskStatus
from institutions.service.roster import RosterRole
from regsys_runtime.app import RuntimeDep
from regsys_runtime.auth import Principal, require_role
from regsys_runtime.problems import problem_responses

router = APIRouter()

Staff = Annotated[Principal, Depends(require_role(Role.INSTITUTION_STAFF))]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]
TOTAL_HEADER = "X-Total-Count"


class ReviewTaskRead(BaseModel):
    task_id: UUID
    application_id: UUID
    account_id: UUID
    application_type: ApplicationType
    physician_name: str
    id_number_masked: str
    category: PracticeCategory
    details: dict[str, Any]
    status: TaskStatus
    reason: str | None
    reviewer_id: UUID | None
    opened_at: datetime
    decided_at: datetime | None


class ReviewDecision(BaseModel):
    outcome: ReviewOutcome
    reason: str | None = Field(None, max_length=500)


class RosterEntryRead(BaseModel):
    account_id: UUID
    role: RosterRole
    physician_name: str | None
    id_number_masked: str | None
    certificate_number: str
    category: PracticeCategory
    registration_status: RegistrationStatus
    starts_on: date | None
    ends_on: date | None
    since: datetime


def task_read(row: Any) -> ReviewTaskRead:
    return ReviewTaskRead(task_id=row.id, **{k: row[k] for k in ReviewTaskRead.model_fields if k != "task_id"})


@router.get(
    "/review-tasks",
    response_model=list[ReviewTaskRead],
    tags=["reviews"],
    responses=problem_responses(401, 403, 422),
)
async def review_queue(
    staff: Staff,
    rt: RuntimeDep,
    response: Response,
    status: TaskStatus | None = None,
    application_type: ApplicationType | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[ReviewTaskRead]:
    """The institution's review tasks, oldest first; the total is in the X-Total-Count header."""
    rows, total = await reviews.review_queue(
        uow=rt.uow(), staff=staff, status=status, application_type=application_type, limit=limit, offset=offset
    )
    response.headers[TOTAL_HEADER] = str(total)
    return [task_read(r) for r in rows]


@router.get(
    "/review-tasks/{task_id}",
    response_model=ReviewTaskRead,
    tags=["reviews"],
    responses=problem_responses(401, 403, 404),
)
async def review_task(task_id: UUID, staff: Staff, rt: RuntimeDep) -> ReviewTaskRead:
    return task_read(await reviews.task_of(uow=rt.uow(), staff=staff, task_id=task_id))


@router.post(
    "/review-tasks/{task_id}/decision",
    response_model=ReviewTaskRead,
    tags=["reviews"],
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide(task_id: UUID, body: ReviewDecision, staff: Staff, rt: RuntimeDep) -> ReviewTaskRead:
    """Approve, or reject with a reason."""
    return task_read(
        await reviews.decide_review(
            uow=rt.uow(), staff=staff, task_id=task_id, outcome=body.outcome, reason=body.reason
        )
    )


@router.get(
    "/roster", response_model=list[RosterEntryRead], tags=["roster"], responses=problem_responses(401, 403, 422)
)
async def institution_roster(
    staff: Staff,
    rt: RuntimeDep,
    response: Response,
    role: RosterRole | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[RosterEntryRead]:
    """The physicians practising at the staff's institution, main and multi-site."""
    rows, total = await roster.roster_of(uow=rt.uow(), staff=staff, role=role, limit=limit, offset=offset)
    response.headers[TOTAL_HEADER] = str(total)
    return [RosterEntryRead(**{k: r[k] for k in RosterEntryRead.model_fields}) for r in rows]
