"""HTTP API of institutions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from contracts.enums import ApplicationType, PracticeCategory, ReviewOutcome, Role
from institutions.service import institutions
from institutions.service.institutions import TaskStatus
from regsys_runtime.app import RuntimeDep
from regsys_runtime.auth import CurrentPrincipal, Principal, require_role
from regsys_runtime.problems import problem_responses

router = APIRouter()


Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]
Staff = Annotated[Principal, Depends(require_role(Role.INSTITUTION_STAFF))]


class InstitutionCreate(BaseModel):
    name: str = Field(min_length=2, max_length=100)
    credit_code: str = Field(min_length=18, max_length=18)
    licence_number: str = Field(min_length=1, max_length=40)
    region_code: str = Field(pattern=r"^\d{6}$")
    level: str | None = Field(None, max_length=20)
    address: str | None = Field(None, max_length=200)
    auto_activation: bool = False


class InstitutionRead(InstitutionCreate):
    institution_id: UUID


class ReviewTaskRead(BaseModel):
    task_id: UUID
    application_id: UUID
    application_type: ApplicationType
    physician_name: str
    id_number_masked: str
    category: PracticeCategory
    details: dict[str, Any]
    status: TaskStatus
    reason: str | None
    opened_at: datetime
    decided_at: datetime | None


class ReviewDecision(BaseModel):
    outcome: ReviewOutcome
    reason: str | None = Field(None, max_length=500)


def task_read(row: Any) -> ReviewTaskRead:
    return ReviewTaskRead(task_id=row.id, **{k: row[k] for k in ReviewTaskRead.model_fields if k != "task_id"})


def institution_read(row: Any) -> InstitutionRead:
    return InstitutionRead(institution_id=row.id, **{k: row[k] for k in InstitutionCreate.model_fields})


@router.post(
    "/admin/institutions",
    status_code=201,
    response_model=InstitutionRead,
    tags=["admin"],
    responses=problem_responses(401, 403, 409, 422),
)
async def create_institution(body: InstitutionCreate, _: Admin, rt: RuntimeDep) -> InstitutionRead:
    institution_id = await institutions.register_institution(uow=rt.uow(), values=body.model_dump())
    return InstitutionRead(institution_id=institution_id, **body.model_dump())


@router.get(
    "/institutions", response_model=list[InstitutionRead], tags=["institutions"], responses=problem_responses(401, 422)
)
async def list_institutions(
    _: CurrentPrincipal, rt: RuntimeDep, region_code: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None
) -> list[InstitutionRead]:
    return [institution_read(r) for r in await institutions.list_institutions(uow=rt.uow(), region_code=region_code)]


@router.get(
    "/review-tasks", response_model=list[ReviewTaskRead], tags=["reviews"], responses=problem_responses(401, 403, 422)
)
async def review_queue(
    staff: Staff,
    rt: RuntimeDep,
    status: TaskStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ReviewTaskRead]:
    rows = await institutions.review_queue(uow=rt.uow(), staff=staff, status=status, limit=limit, offset=offset)
    return [task_read(r) for r in rows]


@router.post(
    "/review-tasks/{task_id}/decision",
    response_model=ReviewTaskRead,
    tags=["reviews"],
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide(task_id: UUID, body: ReviewDecision, staff: Staff, rt: RuntimeDep) -> ReviewTaskRead:
    return task_read(
        await institutions.decide_review(
            uow=rt.uow(), staff=staff, task_id=task_id, outcome=body.outcome, reason=body.reason
        )
    )
