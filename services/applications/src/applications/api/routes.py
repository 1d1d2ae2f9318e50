"""HTTP API of applications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from applications.service import applications as app
from contracts.enums import ApplicationStatus, ApplicationType, PracticeCategory, Role
from regsys_runtime.app import RuntimeDep
from regsys_runtime.auth import Principal, require_role
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["applications"])


Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]


class InitialRegistrationCreate(BaseModel):
    application_type: Literal[ApplicationType.INITIAL_REGISTRATION]
    institution_id: UUID
    practice_scope: str = Field(min_length=1, max_length=100)


class HistoryRead(BaseModel):
    status: ApplicationStatus
    actor: str
    reason: str | None
    at: datetime


class ApplicationRead(BaseModel):
    application_id: UUID
    application_type: ApplicationType
    status: ApplicationStatus
    institution_id: UUID
    category: PracticeCategory
    details: dict[str, Any]
    submitted_at: datetime | None
    updated_at: datetime
    history: list[HistoryRead] = []


def application_read(row: Any, steps: list[Any] = ()) -> ApplicationRead:  # type: ignore[assignment]
    return ApplicationRead(
        application_id=row.id,
        application_type=row.application_type,
        status=row.status,
        institution_id=row.institution_id,
        category=row.category,
        details=row.details,
        submitted_at=row.submitted_at,
        updated_at=row.updated_at,
        history=[HistoryRead(**{k: s[k] for k in HistoryRead.model_fields}) for s in steps],
    )


@router.post(
    "/applications", status_code=201, response_model=ApplicationRead, responses=problem_responses(401, 403, 409, 422)
)
async def submit(body: InitialRegistrationCreate, physician: Physician, rt: RuntimeDep) -> ApplicationRead:
    row = await app.submit_initial_registration(
        uow=rt.uow(), physician=physician, institution_id=body.institution_id, practice_scope=body.practice_scope
    )
    return application_read(row)


@router.get("/applications", response_model=list[ApplicationRead], responses=problem_responses(401, 403))
async def mine(physician: Physician, rt: RuntimeDep) -> list[ApplicationRead]:
    return [application_read(r) for r in await app.own_applications(uow=rt.uow(), physician=physician)]


@router.get(
    "/applications/{application_id}", response_model=ApplicationRead, responses=problem_responses(401, 403, 404)
)
async def one(application_id: UUID, physician: Physician, rt: RuntimeDep) -> ApplicationRead:
    row, steps = await app.own_application(uow=rt.uow(), physician=physician, application_id=application_id)
    return application_read(row, steps)
