"""Operators: staff and officer accounts, disabling accounts, single registry entries."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from contracts.enums import Role
from identity.api.deps import Admin, KitDep
from identity.api.registration import LOGIN_NAME, AccountCreated
from identity.service import accounts, registry
from regsys_runtime.problems import problem_responses

router = APIRouter(prefix="/admin", tags=["admin"])


class StaffAccountCreate(BaseModel):
    role: Role
    login_name: str = LOGIN_NAME
    password: str = Field(max_length=64)
    real_name: str = Field(min_length=1, max_length=50)
    institution_id: UUID | None = None
    region_code: str | None = Field(None, pattern=r"^\d{6}$")


class AccountDisable(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class QualificationCreate(BaseModel):
    real_name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    certificate_code: str = Field(min_length=1, max_length=40)
    category: str = Field(max_length=20, description="临床, 中医, 中医(专长), 口腔, 公共卫生 or the English value")
    qualified_on: date | None = None


@router.post("/accounts", status_code=201, response_model=AccountCreated, responses=problem_responses(401, 403, 422))
async def create_account(body: StaffAccountCreate, _: Admin, kit: KitDep) -> AccountCreated:
    return AccountCreated(account_id=await accounts.create_staff_account(uow=kit.uow(), **body.model_dump()))


@router.post("/accounts/{account_id}/disable", status_code=204, responses=problem_responses(401, 403, 404, 409, 422))
async def disable_account(account_id: Annotated[UUID, Path()], body: AccountDisable, _: Admin, kit: KitDep) -> None:
    """The account can no longer sign in or refresh; its refresh tokens are revoked."""
    await accounts.disable_account(uow=kit.uow(), account_id=account_id, reason=body.reason)


@router.post("/qualifications", status_code=204, responses=problem_responses(401, 403, 422))
async def add_qualification(body: QualificationCreate, _: Admin, kit: KitDep) -> None:
    row = {k: (str(v) if v is not None else "") for k, v in body.model_dump().items()}
    await registry.load_qualification(kit=kit, row=row)
