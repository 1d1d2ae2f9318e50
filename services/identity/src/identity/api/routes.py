"""HTTP API of identity: thin routes that parse, call one use case and answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, EmailStr, Field

from contracts.enums import AccountStatus, PracticeCategory, Role
from identity.adapters.secrets import IdNumberVault
from identity.service import accounts
from identity.service.accounts import PhysicianRegistration
from identity.service.keys import TokenIssuer
from regsys_runtime.app import RuntimeDep
from regsys_runtime.auth import CurrentPrincipal, Principal, require_role
from regsys_runtime.problems import problem_responses

router = APIRouter()


Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]
Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]


def vault(request: Request) -> IdNumberVault:
    return request.app.state.vault


def issuer(request: Request) -> TokenIssuer:
    return request.app.state.issuer


class RegistrationCreate(BaseModel):
    real_name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    phone: str = Field(max_length=11)
    email: EmailStr
    login_name: str = Field(min_length=4, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(max_length=64)


class AccountCreated(BaseModel):
    account_id: UUID


class AccountRead(BaseModel):
    account_id: UUID
    role: Role
    status: AccountStatus
    status_reason: str | None
    login_name: str
    real_name: str
    id_number_masked: str | None
    category: PracticeCategory | None
    institution_id: UUID | None
    region_code: str | None


class SignIn(BaseModel):
    login_name: str = Field(max_length=32)
    password: str = Field(max_length=64)


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name
    expires_in: int


class StaffAccountCreate(BaseModel):
    role: Role
    login_name: str = Field(min_length=4, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(max_length=64)
    real_name: str = Field(min_length=1, max_length=50)
    institution_id: UUID | None = None
    region_code: str | None = Field(None, pattern=r"^\d{6}$")


class QualificationCreate(BaseModel):
    real_name: str
    id_number: str
    certificate_code: str = Field(min_length=1, max_length=40)
    category: PracticeCategory
    qualified_on: date | None = None


class ActivationRequestCreate(BaseModel):
    institution_id: UUID


def account_read(row: Any) -> AccountRead:
    return AccountRead(
        account_id=row.id,
        role=row.role,
        status=row.status,
        status_reason=row.status_reason,
        login_name=row.login_name,
        real_name=row.real_name,
        id_number_masked=row.id_number_masked,
        category=row.category,
        institution_id=row.institution_id,
        region_code=row.region_code,
    )


@router.get("/.well-known/jwks.json", tags=["tokens"])
async def jwks(rt: RuntimeDep, tokens: Annotated[TokenIssuer, Depends(issuer)]) -> dict[str, Any]:
    return await tokens.jwks(uow=rt.uow())


@router.post(
    "/registrations",
    status_code=201,
    response_model=AccountCreated,
    tags=["accounts"],
    responses=problem_responses(409, 422),
)
async def register(
    body: RegistrationCreate, rt: RuntimeDep, ids: Annotated[IdNumberVault, Depends(vault)]
) -> AccountCreated:
    account_id = await accounts.register_physician(
        uow=rt.uow(), vault=ids, form=PhysicianRegistration(**body.model_dump())
    )
    return AccountCreated(account_id=account_id)


@router.post("/tokens", response_model=TokenRead, tags=["tokens"], responses=problem_responses(401, 403, 422))
async def sign_in(body: SignIn, rt: RuntimeDep, tokens: Annotated[TokenIssuer, Depends(issuer)]) -> TokenRead:
    principal = await accounts.authenticate(uow=rt.uow(), login_name=body.login_name, password=body.password)
    token = await tokens.issue(uow=rt.uow(), principal=principal)
    return TokenRead(access_token=token, expires_in=tokens.lifetime_seconds)


@router.get("/me", response_model=AccountRead, tags=["accounts"], responses=problem_responses(401, 404))
async def me(principal: CurrentPrincipal, rt: RuntimeDep) -> AccountRead:
    return account_read(await accounts.account(uow=rt.uow(), account_id=principal.account_id))


@router.post(
    "/me/qualification-check", response_model=AccountRead, tags=["accounts"], responses=problem_responses(401, 403, 404)
)
async def qualification_check(
    principal: Physician, rt: RuntimeDep, ids: Annotated[IdNumberVault, Depends(vault)]
) -> AccountRead:
    return account_read(await accounts.check_qualification(uow=rt.uow(), vault=ids, account_id=principal.account_id))


@router.post(
    "/me/activation-requests", status_code=202, tags=["accounts"], responses=problem_responses(401, 403, 404, 409, 422)
)
async def ask_activation(body: ActivationRequestCreate, principal: Physician, rt: RuntimeDep) -> dict[str, str]:
    await accounts.request_activation(uow=rt.uow(), account_id=principal.account_id, institution_id=body.institution_id)
    return {"status": "requested"}


@router.post(
    "/admin/accounts",
    status_code=201,
    response_model=AccountCreated,
    tags=["admin"],
    responses=problem_responses(401, 403, 422),
)
async def create_account(body: StaffAccountCreate, _: Admin, rt: RuntimeDep) -> AccountCreated:
    account_id = await accounts.create_staff_account(uow=rt.uow(), **body.model_dump())
    return AccountCreated(account_id=account_id)


@router.post("/admin/qualifications", status_code=204, tags=["admin"], responses=problem_responses(401, 403, 422))
async def add_qualification(
    body: QualificationCreate, _: Admin, rt: RuntimeDep, ids: Annotated[IdNumberVault, Depends(vault)]
) -> None:
    await accounts.load_qualification(uow=rt.uow(), vault=ids, **body.model_dump())
