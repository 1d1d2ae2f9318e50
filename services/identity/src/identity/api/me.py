"""The signed-in person's account: read it, pass the qualification check, verify the phone, get activated."""

from __future__ import annotations

from fastapi import APIRouter

from identity.api.deps import ClientAddress, Deps, Physician
from identity.api.schemas import (
    AccountRead,
    ActivationCode,
    ActivationRequestCreate,
    CertificateCode,
    SecurityCodeConfirmation,
    SecurityCodeRequest,
)
from identity.service import accounts, activation, verification
from regsys_runtime.auth import CurrentPrincipal
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["my account"])


@router.get("/me", response_model=AccountRead, responses=problem_responses(401, 404))
async def me(principal: CurrentPrincipal, deps: Deps) -> AccountRead:
    return AccountRead.of(await accounts.account(uow=deps.uow(), account_id=principal.account_id))


@router.post("/me/qualification-check", response_model=AccountRead, responses=problem_responses(401, 403, 404))
async def qualification_check(principal: Physician, deps: Deps) -> AccountRead:
    """Name and ID number against the qualification registry; a miss says why and may be checked again."""
    return AccountRead.of(await accounts.check_qualification(deps=deps, account_id=principal.account_id))


@router.post("/me/security-codes", status_code=202, responses=problem_responses(401, 403, 404, 409, 422, 429))
async def send_security_code(
    body: SecurityCodeRequest, principal: Physician, deps: Deps, address: ClientAddress
) -> dict[str, str]:
    """A 6-digit code to the phone (or, if SMS does not arrive, to the e-mail)."""
    await verification.send_security_code(
        deps=deps, account_id=principal.account_id, channel=body.channel, address=address, now=deps.clock.now()
    )
    return {"status": "sent"}


@router.post(
    "/me/security-verification", response_model=AccountRead, responses=problem_responses(401, 403, 404, 409, 422, 429)
)
async def confirm_security_code(body: SecurityCodeConfirmation, principal: Physician, deps: Deps) -> AccountRead:
    await verification.confirm_security_code(
        deps=deps, account_id=principal.account_id, channel=body.channel, code=body.code, now=deps.clock.now()
    )
    return AccountRead.of(await accounts.account(uow=deps.uow(), account_id=principal.account_id))


@router.post("/me/activation-requests", status_code=202, responses=problem_responses(401, 403, 404, 409, 422))
async def ask_activation(body: ActivationRequestCreate, principal: Physician, deps: Deps) -> dict[str, str]:
    """Ask the main practice institution to activate the account (by a code it sends, or automatically)."""
    await activation.request_activation(deps=deps, account_id=principal.account_id, institution_id=body.institution_id)
    return {"status": "requested"}


@router.post("/me/activation", response_model=AccountRead, responses=problem_responses(401, 403, 404, 409, 422, 429))
async def activate_with_code(body: ActivationCode, principal: Physician, deps: Deps) -> AccountRead:
    """The activation code the institution had sent to the phone or e-mail."""
    await activation.activate_with_code(deps=deps, account_id=principal.account_id, code=body.code)
    return AccountRead.of(await accounts.account(uow=deps.uow(), account_id=principal.account_id))


@router.post(
    "/me/activation/certificate-code",
    response_model=AccountRead,
    responses=problem_responses(401, 403, 404, 409, 422, 429),
)
async def activate_with_certificate_code(body: CertificateCode, principal: Physician, deps: Deps) -> AccountRead:
    """TCM-specialty physicians: the qualification certificate code (资格证书编码) activates the account."""
    await activation.activate_with_certificate_code(
        deps=deps, account_id=principal.account_id, certificate_code=body.certificate_code
    )
    return AccountRead.of(await accounts.account(uow=deps.uow(), account_id=principal.account_id))
