"""HTTP API of licensing: the authority's queue, materials and decisions; the register and its history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from contracts.enums import ApplicationType, PracticeCategory, RegistrationStatus, ReviewOutcome, Role
from licensing.api.licences import OfficeDep
from licensing.domain.materials import checklist
from licensing.service import decision, history, tasks
from regsys_runtime.app import RuntimeDep
from regsys_runtime.auth import Principal, require_role
from regsys_runtime.clock import business_today
from regsys_runtime.problems import Problem, problem_responses

router = APIRouter()

Officer = Annotated[Principal, Depends(require_role(Role.OFFICER))]
Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]
TaskStatus = Literal["open", "approved", "rejected", "withdrawn", "closed"]


class MaterialRead(BaseModel):
    code: str
    name_zh: str
    name_en: str
    received: bool
    received_at: datetime | None


class AuthorityTaskRead(BaseModel):
    task_id: UUID
    application_id: UUID
    account_id: UUID
    status: TaskStatus
    reason: str | None
    opened_at: datetime
    due_on: date = Field(description="20 working days after the institution's approval (acceptance)")
    overdue: bool
    decided_at: datetime | None
    application_type: ApplicationType
    physician_name: str
    id_number_masked: str
    institution_id: UUID
    category: PracticeCategory
    details: dict[str, Any]
    materials: list[MaterialRead] | None = None
    materials_complete: bool | None = None


class Decision(BaseModel):
    outcome: ReviewOutcome
    reason: str | None = Field(None, max_length=500)


class ReceivedMaterials(BaseModel):
    received: list[str] = Field(max_length=20, description="codes of the checklist items received, all of them")


class MultiSiteRead(BaseModel):
    filing_id: UUID
    institution_id: UUID
    starts_on: date
    ends_on: date


class RegistrationRead(BaseModel):
    certificate_number: str
    status: RegistrationStatus
    category: PracticeCategory
    practice_scope: str | None
    main_institution_id: UUID
    filed_on: date | None
    filing_institution_id: UUID | None
    photo_sha256: str | None
    multi_sites: list[MultiSiteRead]
    updated_at: datetime


class RegistrationHistoryRead(BaseModel):
    cause: str = Field(description="the application type that changed it, or multi_site_expired")
    cause_application_id: UUID | None
    changed_at: datetime
    registration: dict[str, Any] = Field(description="the registration after the change")


def task_read(row: Any, received: list[Any] | None = None) -> AuthorityTaskRead:
    fields = {k: row[k] for k in AuthorityTaskRead.model_fields if k in row and k not in ("overdue", "materials")}
    read = AuthorityTaskRead(task_id=row.id, overdue=row.status == "open" and row.due_on < business_today(), **fields)
    if received is None:
        return read
    got = {m.code: m.received_at for m in received}
    items = [
        MaterialRead(
            code=m.code, name_zh=m.name_zh, name_en=m.name_en, received=m.code in got, received_at=got.get(m.code)
        )
        for m in checklist(ApplicationType(row.application_type))
    ]
    return read.model_copy(update={"materials": items, "materials_complete": all(i.received for i in items)})


@router.get(
    "/authority-tasks",
    response_model=list[AuthorityTaskRead],
    tags=["authority"],
    responses=problem_responses(401, 403, 422),
)
async def queue(
    officer: Officer,
    rt: RuntimeDep,
    response: Response,
    status: TaskStatus | None = None,
    application_type: ApplicationType | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[AuthorityTaskRead]:
    """Tasks of the officer's region, soonest due first; the total is in the X-Total-Count header."""
    rows, total = await tasks.queue(
        uow=rt.uow(), officer=officer, status=status, application_type=application_type, limit=limit, offset=offset
    )
    response.headers["X-Total-Count"] = str(total)
    return [task_read(r) for r in rows]


@router.get(
    "/authority-tasks/{task_id}",
    response_model=AuthorityTaskRead,
    tags=["authority"],
    responses=problem_responses(401, 403, 404),
)
async def one_task(task_id: UUID, officer: Officer, rt: RuntimeDep) -> AuthorityTaskRead:
    """One task with its paper-materials checklist and what has been received."""
    return task_read(*await tasks.task_with_materials(uow=rt.uow(), officer=officer, task_id=task_id))


@router.put(
    "/authority-tasks/{task_id}/materials",
    response_model=AuthorityTaskRead,
    tags=["authority"],
    responses=problem_responses(401, 403, 404, 422),
)
async def record_materials(
    task_id: UUID, body: ReceivedMaterials, officer: Officer, rt: RuntimeDep
) -> AuthorityTaskRead:
    """Record which paper materials were received."""
    return task_read(
        *await tasks.record_materials(uow=rt.uow(), officer=officer, task_id=task_id, received=set(body.received))
    )


@router.post(
    "/authority-tasks/{task_id}/decision",
    response_model=AuthorityTaskRead,
    tags=["authority"],
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide(
    task_id: UUID, body: Decision, officer: Officer, rt: RuntimeDep, office: OfficeDep
) -> AuthorityTaskRead:
    """Approve (the register changes) or reject with a reason."""
    return task_read(
        *await decision.decide(
            uow=rt.uow(),
            officer=officer,
            task_id=task_id,
            outcome=body.outcome,
            reason=body.reason,
            today=business_today(),
            office=office,
        )
    )


def registration_read(row: Any) -> RegistrationRead:
    sites = [
        MultiSiteRead(filing_id=m.id, **{k: m[k] for k in ("institution_id", "starts_on", "ends_on")})
        for m in row["multi_sites"]
    ]
    return RegistrationRead(
        multi_sites=sites, **{k: row[k] for k in RegistrationRead.model_fields if k != "multi_sites"}
    )


def history_read(rows: list[Any]) -> list[RegistrationHistoryRead]:
    return [
        RegistrationHistoryRead(
            cause=r.cause, cause_application_id=r.cause_application_id, changed_at=r.changed_at, registration=r.snapshot
        )
        for r in rows
    ]


@router.get(
    "/registrations/me", response_model=RegistrationRead, tags=["register"], responses=problem_responses(401, 403, 404)
)
async def my_registration(physician: Physician, rt: RuntimeDep) -> RegistrationRead:
    return registration_read(await history.registration_of(uow=rt.uow(), account_id=physician.account_id))


@router.get(
    "/registrations/me/history",
    response_model=list[RegistrationHistoryRead],
    tags=["register"],
    responses=problem_responses(401, 403),
)
async def my_history(physician: Physician, rt: RuntimeDep) -> list[RegistrationHistoryRead]:
    return history_read(await history.history_of(uow=rt.uow(), account_id=physician.account_id))


@router.get(
    "/physicians/{account_id}/registration",
    response_model=RegistrationRead,
    tags=["register"],
    responses=problem_responses(401, 403, 404),
)
async def physician_registration(account_id: UUID, officer: Officer, rt: RuntimeDep) -> RegistrationRead:
    if not await history.officer_may_look_up(uow=rt.uow(), officer=officer, account_id=account_id):
        raise Problem(404, "not-found", "No physician of your region with this id.")
    return registration_read(await history.registration_of(uow=rt.uow(), account_id=account_id))


@router.get(
    "/physicians/{account_id}/registration-history",
    response_model=list[RegistrationHistoryRead],
    tags=["register"],
    responses=problem_responses(401, 403, 404),
)
async def physician_history(account_id: UUID, officer: Officer, rt: RuntimeDep) -> list[RegistrationHistoryRead]:
    """Every change of a physician's registration, oldest first (officers of the physician's region)."""
    if not await history.officer_may_look_up(uow=rt.uow(), officer=officer, account_id=account_id):
        raise Problem(404, "not-found", "No physician of your region with this id.")
    return history_read(await history.history_of(uow=rt.uow(), account_id=account_id))
