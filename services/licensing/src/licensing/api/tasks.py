"""The authority's queue: tasks of the officer's region, their paper materials, the decision."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from contracts.enums import ApplicationType
from licensing.api.deps import Deps, Officer
from licensing.api.schemas import AuthorityTaskRead, DecisionCreate, ReceivedMaterials, task_read
from licensing.domain.tasks import QueueFilter, TaskStatus
from licensing.service import decision, tasks
from regsys_runtime.app import ClientAddress, WindowDep, items_of
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["authority"])


@router.get("/authority-tasks", response_model=list[AuthorityTaskRead], responses=problem_responses(401, 403, 422))
async def queue(
    officer: Officer,
    deps: Deps,
    response: Response,
    *,
    status: TaskStatus | None = None,
    application_type: ApplicationType | None = None,
    overdue: bool | None = None,
    window: WindowDep,
) -> list[AuthorityTaskRead]:
    """Tasks of the officer's region and the regions below it, soonest due first, with their due dates and
    whether they are overdue (or only the overdue ones, or only those that are not); the total is in the
    X-Total-Count header."""
    today = deps.clock.today()
    wanted = QueueFilter(status=status, application_type=application_type, overdue=overdue, overdue_on=today)
    page = await tasks.queue(uow=deps.uow(), officer=officer, wanted=wanted, window=window)
    return items_of(page.map(lambda file: task_read(file, today)), response)


@router.get(
    "/authority-tasks/{task_id}", response_model=AuthorityTaskRead, responses=problem_responses(401, 403, 404, 422)
)
async def one_task(task_id: UUID, officer: Officer, deps: Deps) -> AuthorityTaskRead:
    """One task with its paper-materials checklist and what has been received."""
    file = await tasks.task_with_materials(uow=deps.uow(), officer=officer, task_id=task_id)
    return task_read(file, deps.clock.today())


@router.put(
    "/authority-tasks/{task_id}/materials",
    response_model=AuthorityTaskRead,
    responses=problem_responses(401, 403, 404, 422),
)
async def record_materials(task_id: UUID, body: ReceivedMaterials, officer: Officer, deps: Deps) -> AuthorityTaskRead:
    """Record which paper materials were received."""
    file = await tasks.record_materials(
        uow=deps.uow(), officer=officer, task_id=task_id, received=set(body.received), now=deps.clock.now()
    )
    return task_read(file, deps.clock.today())


@router.post(
    "/authority-tasks/{task_id}/decision",
    response_model=AuthorityTaskRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide(
    task_id: UUID, body: DecisionCreate, officer: Officer, address: ClientAddress, deps: Deps
) -> AuthorityTaskRead:
    """Approve (the register changes) or reject with a reason; the decision is in the audit trail."""
    file = await decision.decide(
        uow=deps.uow(),
        officer=officer,
        address=address,
        task_id=task_id,
        outcome=body.outcome,
        reason=body.reason,
        today=deps.clock.today(),
        now=deps.clock.now(),
        office=deps.office,
    )
    return task_read(file, deps.clock.today())
