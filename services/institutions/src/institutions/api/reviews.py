"""The institution's review tasks (staff only, and only their own institution's)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from contracts.enums import ApplicationType
from institutions.api.deps import ClientAddress, Deps, Search, Staff
from institutions.api.schemas import ReviewDecision, ReviewTaskRead
from institutions.domain.reviews import TaskStatus
from institutions.service import reviews
from regsys_runtime.app import WindowDep, items_of
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["reviews"])


@router.get("/review-tasks", response_model=list[ReviewTaskRead], responses=problem_responses(401, 403, 422))
async def review_queue(
    staff: Staff,
    deps: Deps,
    response: Response,
    window: WindowDep,
    search: Search,
    status: TaskStatus | None = None,
    application_type: ApplicationType | None = None,
) -> list[ReviewTaskRead]:
    """The institution's review tasks, oldest first, searchable by the physician's name, masked ID number or
    certificate number; the total is in the X-Total-Count header."""
    page = await reviews.review_queue(
        uow=deps.uow(), staff=staff, status=status, application_type=application_type, search=search, window=window
    )
    return items_of(page.map(ReviewTaskRead.of), response)


@router.get("/review-tasks/{task_id}", response_model=ReviewTaskRead, responses=problem_responses(401, 403, 404, 422))
async def review_task(task_id: UUID, staff: Staff, deps: Deps) -> ReviewTaskRead:
    return ReviewTaskRead.of(await reviews.task_of(uow=deps.uow(), staff=staff, task_id=task_id))


@router.post(
    "/review-tasks/{task_id}/decision",
    response_model=ReviewTaskRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide(
    task_id: UUID, body: ReviewDecision, staff: Staff, deps: Deps, client: ClientAddress
) -> ReviewTaskRead:
    """Approve, or reject with a reason (plain text)."""
    task = await reviews.decide_review(
        uow=deps.uow(), staff=staff, client_address=client, task_id=task_id, outcome=body.outcome,
        reason=body.reason, now=deps.clock.now(),
    )  # fmt: skip
    return ReviewTaskRead.of(task)
