"""HTTP API of licensing: the authority's queue and decisions, and the register."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from contracts.enums import ApplicationType, PracticeCategory, RegistrationStatus, ReviewOutcome, Role
from licensing.api.licences import OfficeDep
from licensing.service import authority
from regsys_runtime.app import RuntimeDep
from regsys_runtime.auth import Principal, require_role
from regsys_runtime.problems import problem_responses

router = APIRouter()


Officer = Annotated[Principal, Depends(require_role(Role.OFFICER))]
Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]


class AuthorityTaskRead(BaseModel):
    task_id: UUID
    application_id: UUID
    status: str
    reason: str | None
    opened_at: datetime
    due_on: date
    overdue: bool
    decided_at: datetime | None
    application_type: ApplicationType | None = None
    physician_name: str | None = None
    id_number_masked: str | None = None
    institution_id: UUID | None = None
    category: PracticeCategory | None = None


class Decision(BaseModel):
    outcome: ReviewOutcome
    reason: str | None = Field(None, max_length=500)


class RegistrationRead(BaseModel):
    certificate_number: str
    status: RegistrationStatus
    category: PracticeCategory
    practice_scope: str | None
    main_institution_id: UUID
    filed_on: date | None
    updated_at: datetime


def task_read(row: Any) -> AuthorityTaskRead:
    fields = {k: row[k] for k in AuthorityTaskRead.model_fields if k in row and k != "overdue"}
    return AuthorityTaskRead(task_id=row.id, overdue=row.status == "open" and row.due_on < date.today(), **fields)


@router.get(
    "/authority-tasks",
    response_model=list[AuthorityTaskRead],
    tags=["authority"],
    responses=problem_responses(401, 403, 422),
)
async def queue(
    officer: Officer,
    rt: RuntimeDep,
    status: str | None = Query(None, pattern="^(open|approved|rejected|withdrawn)$"),
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[AuthorityTaskRead]:
    return [
        task_read(r)
        for r in await authority.queue(uow=rt.uow(), officer=officer, status=status, limit=limit, offset=offset)
    ]


@router.post(
    "/authority-tasks/{task_id}/decision",
    response_model=AuthorityTaskRead,
    tags=["authority"],
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide(
    task_id: UUID, body: Decision, officer: Officer, rt: RuntimeDep, office: OfficeDep
) -> AuthorityTaskRead:
    return task_read(
        await authority.decide(
            uow=rt.uow(), officer=officer, task_id=task_id, outcome=body.outcome, reason=body.reason, office=office
        )
    )


@router.get(
    "/registrations/me", response_model=RegistrationRead, tags=["register"], responses=problem_responses(401, 403, 404)
)
async def my_registration(physician: Physician, rt: RuntimeDep) -> RegistrationRead:
    row = await authority.registration_of(uow=rt.uow(), account_id=physician.account_id)
    return RegistrationRead(**{k: row[k] for k in RegistrationRead.model_fields})
