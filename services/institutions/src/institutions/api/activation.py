"""Staff act on activation requests and switch automatic activation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from contracts.enums import Channel, PracticeCategory, Role
from institutions.service import activation
from institutions.service.activation import RequestStatus
from regsys_runtime.app import RuntimeDep
from regsys_runtime.auth import Principal, require_role
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["activation"])

Staff = Annotated[Principal, Depends(require_role(Role.INSTITUTION_STAFF))]


class ActivationRequestRead(BaseModel):
    account_id: UUID
    real_name: str
    id_number_masked: str
    category: PracticeCategory | None
    status: RequestStatus
    requested_at: datetime
    decided_at: datetime | None
    reason: str | None


class ActivationCodeSend(BaseModel):
    channel: Channel = Channel.SMS


class ActivationDecline(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class AutoActivation(BaseModel):
    enabled: bool


@router.get(
    "/activation-requests", response_model=list[ActivationRequestRead], responses=problem_responses(401, 403, 422)
)
async def activation_requests(
    staff: Staff, rt: RuntimeDep, status: RequestStatus | None = None
) -> list[ActivationRequestRead]:
    rows = await activation.pending_requests(uow=rt.uow(), staff=staff, status=status)
    return [ActivationRequestRead.model_validate(dict(r)) for r in rows]


@router.post(
    "/activation-requests/{account_id}/activation-code",
    status_code=202,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def send_activation_code(
    account_id: UUID, body: ActivationCodeSend, staff: Staff, rt: RuntimeDep
) -> dict[str, str]:
    """Send the physician an activation code by SMS or e-mail; they enter it to activate."""
    await activation.send_activation_code(uow=rt.uow(), staff=staff, account_id=account_id, channel=body.channel)
    return {"status": "code requested"}


@router.post(
    "/activation-requests/{account_id}/decline", status_code=204, responses=problem_responses(401, 403, 404, 409, 422)
)
async def decline(account_id: UUID, body: ActivationDecline, staff: Staff, rt: RuntimeDep) -> None:
    await activation.decline(uow=rt.uow(), staff=staff, account_id=account_id, reason=body.reason)


@router.put(
    "/institutions/{institution_id}/auto-activation", status_code=204, responses=problem_responses(401, 403, 404, 422)
)
async def set_auto_activation(institution_id: UUID, body: AutoActivation, staff: Staff, rt: RuntimeDep) -> None:
    """With automatic activation on, requests (including those pending now) are granted without a code."""
    await activation.set_auto_activation(uow=rt.uow(), staff=staff, institution_id=institution_id, enabled=body.enabled)
