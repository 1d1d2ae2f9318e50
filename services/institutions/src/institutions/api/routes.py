"""HTTP API of institutions."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from contracts.enums import Role
from institutions.service import institutions
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
