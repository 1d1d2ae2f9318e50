"""Staff act on activation requests and switch automatic activation."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from institutions.api.deps import ClientAddress, Deps, Staff
from institutions.api.schemas import ActivationCodeSend, ActivationDecline, ActivationRequestRead, AutoActivation
from institutions.domain.activation import RequestStatus
from institutions.service import activation
from regsys_runtime.app import WindowDep, items_of
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["activation"])


@router.get(
    "/activation-requests", response_model=list[ActivationRequestRead], responses=problem_responses(401, 403, 422)
)
async def activation_requests(
    staff: Staff, deps: Deps, response: Response, window: WindowDep, status: RequestStatus | None = None
) -> list[ActivationRequestRead]:
    """The institution's requests, oldest first, with who was activated how; the total in X-Total-Count."""
    page = await activation.pending_requests(uow=deps.uow(), staff=staff, status=status, window=window)
    return items_of(page.map(ActivationRequestRead.model_validate), response)


@router.post(
    "/activation-requests/{account_id}/activation-code",
    status_code=202,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def send_activation_code(
    account_id: UUID, body: ActivationCodeSend, staff: Staff, deps: Deps, client: ClientAddress
) -> dict[str, str]:
    """Send the physician an activation code by SMS or e-mail; they enter it to activate."""
    await activation.send_activation_code(
        uow=deps.uow(), staff=staff, client_address=client, account_id=account_id, channel=body.channel,
        now=deps.clock.now(),
    )  # fmt: skip
    return {"status": "code requested"}


@router.post(
    "/activation-requests/{account_id}/decline", status_code=204, responses=problem_responses(401, 403, 404, 409, 422)
)
async def decline(account_id: UUID, body: ActivationDecline, staff: Staff, deps: Deps, client: ClientAddress) -> None:
    await activation.decline(
        uow=deps.uow(), staff=staff, client_address=client, account_id=account_id, reason=body.reason,
        now=deps.clock.now(),
    )  # fmt: skip


@router.put(
    "/institutions/{institution_id}/auto-activation", status_code=204, responses=problem_responses(401, 403, 404, 422)
)
async def set_auto_activation(
    institution_id: UUID, body: AutoActivation, staff: Staff, deps: Deps, client: ClientAddress
) -> None:
    """With automatic activation on, requests (including those pending now) are granted without a code."""
    await activation.set_auto_activation(
        uow=deps.uow(), staff=staff, client_address=client, institution_id=institution_id, enabled=body.enabled,
        now=deps.clock.now(),
    )  # fmt: skip
