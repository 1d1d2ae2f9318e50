"""The signed-in person's account: read it, pass the qualification check, verify the phone, get activated."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.engine import RowMapping

from contracts.enums import AccountStatus, Channel, PracticeCategory, Role
from identity.api.deps import ClientAddress, KitDep, Physician
from identity.domain.rules import mask_phone
from identity.service import accounts, activation, verification
from regsys_runtime.auth import CurrentPrincipal
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["my account"])

CODE = Field(min_length=6, max_length=6, pattern=r"^\d{6}$")


class AccountRead(BaseModel):
    account_id: UUID
    role: Role
    status: AccountStatus
    status_reason: str | None
    login_name: str
    real_name: str
    id_number_masked: str | None
    phone_masked: str | None
    phone_verified: bool
    email: str | None
    email_verified: bool
    category: PracticeCategory | None
    institution_id: UUID | None
    region_code: str | None
    created_at: datetime


class SecurityCodeRequest(BaseModel):
    channel: Channel = Channel.SMS


class SecurityCodeConfirmation(BaseModel):
    channel: Channel = Channel.SMS
    code: str = CODE


class ActivationRequestCreate(BaseModel):
    institution_id: UUID


class ActivationCode(BaseModel):
    code: str = CODE


class CertificateCode(BaseModel):
    certificate_code: str = Field(min_length=1, max_length=40)


def account_read(row: RowMapping) -> AccountRead:
    return AccountRead(
        account_id=row.id, role=row.role, status=row.status, status_reason=row.status_reason,
        login_name=row.login_name, real_name=row.real_name, id_number_masked=row.id_number_masked,
        phone_masked=mask_phone(row.phone) if row.phone else None, phone_verified=row.phone_verified_at is not None,
        email=row.email, email_verified=row.email_verified_at is not None, category=row.category,
        institution_id=row.institution_id, region_code=row.region_code, created_at=row.created_at,
    )  # fmt: skip


@router.get("/me", response_model=AccountRead, responses=problem_responses(401, 404))
async def me(principal: CurrentPrincipal, kit: KitDep) -> AccountRead:
    return account_read(await accounts.account(uow=kit.uow(), account_id=principal.account_id))


@router.post("/me/qualification-check", response_model=AccountRead, responses=problem_responses(401, 403, 404))
async def qualification_check(principal: Physician, kit: KitDep) -> AccountRead:
    """Name and ID number against the qualification registry; a miss says why and may be checked again."""
    return account_read(await accounts.check_qualification(kit=kit, account_id=principal.account_id))


@router.post("/me/security-codes", status_code=202, responses=problem_responses(401, 403, 404, 409, 422, 429))
async def send_security_code(
    body: SecurityCodeRequest, principal: Physician, kit: KitDep, address: ClientAddress
) -> dict[str, str]:
    """A 6-digit code to the phone (or, if SMS does not arrive, to the e-mail)."""
    await verification.send_security_code(
        kit=kit, account_id=principal.account_id, channel=body.channel, address=address
    )
    return {"status": "sent"}


@router.post(
    "/me/security-verification", response_model=AccountRead, responses=problem_responses(401, 403, 404, 409, 422, 429)
)
async def confirm_security_code(body: SecurityCodeConfirmation, principal: Physician, kit: KitDep) -> AccountRead:
    await verification.confirm_security_code(
        kit=kit, account_id=principal.account_id, channel=body.channel, code=body.code
    )
    return account_read(await accounts.account(uow=kit.uow(), account_id=principal.account_id))


@router.post("/me/activation-requests", status_code=202, responses=problem_responses(401, 403, 404, 409, 422))
async def ask_activation(body: ActivationRequestCreate, principal: Physician, kit: KitDep) -> dict[str, str]:
    """Ask the main practice institution to activate the account (by a code it sends, or automatically)."""
    await activation.request_activation(kit=kit, account_id=principal.account_id, institution_id=body.institution_id)
    return {"status": "requested"}


@router.post("/me/activation", response_model=AccountRead, responses=problem_responses(401, 403, 404, 409, 422, 429))
async def activate_with_code(body: ActivationCode, principal: Physician, kit: KitDep) -> AccountRead:
    """The activation code the institution had sent to the phone or e-mail."""
    await activation.activate_with_code(kit=kit, account_id=principal.account_id, code=body.code)
    return account_read(await accounts.account(uow=kit.uow(), account_id=principal.account_id))


@router.post(
    "/me/activation/certificate-code",
    response_model=AccountRead,
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
async def activate_with_certificate_code(body: CertificateCode, principal: Physician, kit: KitDep) -> AccountRead:
    """TCM-specialty physicians: the qualification certificate code (资格证书编码) activates the account."""
    await activation.activate_with_certificate_code(
        kit=kit, account_id=principal.account_id, certificate_code=body.certificate_code
    )
    return account_read(await accounts.account(uow=kit.uow(), account_id=principal.account_id))
