"""Security settings (phone, e-mail, password) and password recovery."""

from __future__ import annotations

from fastapi import APIRouter

from identity.api.deps import ClientAddress, Deps, Physician
from identity.api.schemas import (
    EmailConfirmation,
    EmailLinkRequest,
    NewPhoneCodeRequest,
    OldPhoneCode,
    OldPhoneProof,
    PasswordChange,
    PasswordReset,
    PhoneChange,
    RecoveryCodeRequest,
)
from identity.service import recovery, security
from regsys_runtime.auth import CurrentPrincipal
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["security settings"])

ANSWERS = problem_responses(401, 403, 404, 409, 422, 429)


@router.post("/me/phone/old-phone-code", status_code=202, responses=ANSWERS)
async def send_old_phone_code(principal: Physician, deps: Deps, address: ClientAddress) -> dict[str, str]:
    """Changing the phone, step 1: a code to the current phone."""
    await security.send_old_phone_code(
        deps=deps, account_id=principal.account_id, address=address, now=deps.clock.now()
    )
    return {"status": "sent"}


@router.post("/me/phone/old-phone-proof", response_model=OldPhoneProof, responses=ANSWERS)
async def prove_old_phone(body: OldPhoneCode, principal: Physician, deps: Deps) -> OldPhoneProof:
    """Step 2: the current phone's code, for a proof good for ten minutes."""
    proof = await security.prove_old_phone(deps=deps, account_id=principal.account_id, code=body.code)
    return OldPhoneProof(proof=proof)


@router.post("/me/phone/new-phone-code", status_code=202, responses=ANSWERS)
async def send_new_phone_code(
    body: NewPhoneCodeRequest, principal: Physician, deps: Deps, address: ClientAddress
) -> dict[str, str]:
    """Step 3: a code to the new phone."""
    await security.send_new_phone_code(
        deps=deps, account_id=principal.account_id, proof=body.proof, new_phone=body.phone, address=address,
        now=deps.clock.now(),
    )  # fmt: skip
    return {"status": "sent"}


@router.put("/me/phone", status_code=204, responses=ANSWERS)
async def change_phone(body: PhoneChange, principal: Physician, deps: Deps) -> None:
    """Step 4: the new phone's code; the phone changes and both numbers are told."""
    await security.change_phone(
        deps=deps, account_id=principal.account_id, proof=body.proof, new_phone=body.phone, code=body.code,
        now=deps.clock.now(),
    )  # fmt: skip


@router.post("/me/email/verification-link", status_code=202, responses=ANSWERS)
async def send_email_link(
    body: EmailLinkRequest, principal: Physician, deps: Deps, address: ClientAddress
) -> dict[str, str]:
    """Verify or change the e-mail: a link with a single-use token goes to the address given (twice)."""
    await security.send_email_link(
        deps=deps, account_id=principal.account_id, email=str(body.email), confirmation=str(body.email_confirmation),
        captcha_id=body.captcha_id, captcha_answer=body.captcha_answer, address=address, now=deps.clock.now(),
    )  # fmt: skip
    return {"status": "sent"}


@router.post("/email-verifications", status_code=204, responses=problem_responses(404, 410, 422))
async def confirm_email(body: EmailConfirmation, deps: Deps) -> None:
    """The token from the e-mailed link; the page the link opens sends it here."""
    await security.confirm_email(deps=deps, token=body.token, now=deps.clock.now())


@router.put("/me/password", status_code=204, responses=problem_responses(401, 404, 422))
async def change_password(body: PasswordChange, principal: CurrentPrincipal, deps: Deps) -> None:
    """The current password and a new one (twice); every other session ends."""
    await security.change_password(
        deps=deps, account_id=principal.account_id, old_password=body.old_password,
        new_password=body.new_password, confirmation=body.new_password_confirmation, now=deps.clock.now(),
    )  # fmt: skip


@router.post("/password-recovery/codes", status_code=202, responses=problem_responses(422, 429))
async def send_recovery_code(body: RecoveryCodeRequest, deps: Deps, address: ClientAddress) -> dict[str, str]:
    """Forgot password: a code to the account's verified phone or e-mail (the same answer if there is none)."""
    await recovery.send_recovery_code(
        deps=deps, login_name=body.login_name, channel=body.channel, captcha_id=body.captcha_id,
        captcha_answer=body.captcha_answer, address=address, now=deps.clock.now(),
    )  # fmt: skip
    return {"status": "sent if the account has a verified contact of that kind"}


@router.post("/password-recovery", status_code=204, responses=problem_responses(422, 429))
async def reset_password(body: PasswordReset, deps: Deps) -> None:
    await recovery.reset_password(
        deps=deps, login_name=body.login_name, channel=body.channel, code=body.code,
        new_password=body.new_password, confirmation=body.new_password_confirmation, now=deps.clock.now(),
    )  # fmt: skip
