"""Security settings (phone, e-mail, password) and password recovery."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, EmailStr, Field

from contracts.enums import Channel
from identity.api.deps import ClientAddress, KitDep, Physician
from identity.service import recovery, security
from regsys_runtime.auth import CurrentPrincipal
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["security settings"])

CODE = Field(min_length=6, max_length=6, pattern=r"^\d{6}$")
PHONE = Field(max_length=11)
PASSWORD = Field(max_length=64)
PROOF = Field(min_length=1, max_length=64)


class OldPhoneCode(BaseModel):
    code: str = CODE


class OldPhoneProof(BaseModel):
    proof: str = Field(description="present it when sending the new phone's code and when changing the phone")


class NewPhoneCodeRequest(BaseModel):
    proof: str = PROOF
    phone: str = PHONE


class PhoneChange(BaseModel):
    proof: str = PROOF
    phone: str = PHONE
    code: str = CODE


class EmailLinkRequest(BaseModel):
    email: EmailStr
    email_confirmation: EmailStr
    captcha_id: UUID
    captcha_answer: str = Field(max_length=10)


class EmailConfirmation(BaseModel):
    token: str = Field(min_length=1, max_length=64)


class PasswordChange(BaseModel):
    old_password: str = PASSWORD
    new_password: str = PASSWORD
    new_password_confirmation: str = PASSWORD


class RecoveryCodeRequest(BaseModel):
    login_name: str = Field(max_length=32)
    channel: Channel = Channel.SMS
    captcha_id: UUID
    captcha_answer: str = Field(max_length=10)


class PasswordReset(BaseModel):
    login_name: str = Field(max_length=32)
    channel: Channel = Channel.SMS
    code: str = CODE
    new_password: str = PASSWORD
    new_password_confirmation: str = PASSWORD


ANSWERS = problem_responses(401, 403, 404, 409, 422, 429)


@router.post("/me/phone/old-phone-code", status_code=202, responses=ANSWERS)
async def send_old_phone_code(principal: Physician, kit: KitDep, address: ClientAddress) -> dict[str, str]:
    """Changing the phone, step 1: a code to the current phone."""
    await security.send_old_phone_code(kit=kit, account_id=principal.account_id, address=address)
    return {"status": "sent"}


@router.post("/me/phone/old-phone-proof", response_model=OldPhoneProof, responses=ANSWERS)
async def prove_old_phone(body: OldPhoneCode, principal: Physician, kit: KitDep) -> OldPhoneProof:
    """Step 2: the current phone's code, for a proof good for ten minutes."""
    return OldPhoneProof(proof=await security.prove_old_phone(kit=kit, account_id=principal.account_id, code=body.code))


@router.post("/me/phone/new-phone-code", status_code=202, responses=ANSWERS)
async def send_new_phone_code(
    body: NewPhoneCodeRequest, principal: Physician, kit: KitDep, address: ClientAddress
) -> dict[str, str]:
    """Step 3: a code to the new phone."""
    await security.send_new_phone_code(
        kit=kit, account_id=principal.account_id, proof=body.proof, new_phone=body.phone, address=address
    )
    return {"status": "sent"}


@router.put("/me/phone", status_code=204, responses=ANSWERS)
async def change_phone(body: PhoneChange, principal: Physician, kit: KitDep) -> None:
    """Step 4: the new phone's code; the phone changes and both numbers are told."""
    await security.change_phone(
        kit=kit, account_id=principal.account_id, proof=body.proof, new_phone=body.phone, code=body.code
    )


@router.post("/me/email/verification-link", status_code=202, responses=ANSWERS)
async def send_email_link(
    body: EmailLinkRequest, principal: Physician, kit: KitDep, address: ClientAddress
) -> dict[str, str]:
    """Verify or change the e-mail: a link with a single-use token goes to the address given (twice)."""
    await security.send_email_link(
        kit=kit, account_id=principal.account_id, email=str(body.email), confirmation=str(body.email_confirmation),
        captcha_id=body.captcha_id, captcha_answer=body.captcha_answer, address=address,
    )  # fmt: skip
    return {"status": "sent"}


@router.post("/email-verifications", status_code=204, responses=problem_responses(404, 410, 422))
async def confirm_email(body: EmailConfirmation, kit: KitDep) -> None:
    """The token from the e-mailed link; the page the link opens sends it here."""
    await security.confirm_email(kit=kit, token=body.token)


@router.put("/me/password", status_code=204, responses=problem_responses(401, 404, 422))
async def change_password(body: PasswordChange, principal: CurrentPrincipal, kit: KitDep) -> None:
    """The current password and a new one (twice); every other session ends."""
    await security.change_password(
        kit=kit, account_id=principal.account_id, old_password=body.old_password,
        new_password=body.new_password, confirmation=body.new_password_confirmation,
    )  # fmt: skip


@router.post("/password-recovery/codes", status_code=202, responses=problem_responses(422, 429))
async def send_recovery_code(body: RecoveryCodeRequest, kit: KitDep, address: ClientAddress) -> dict[str, str]:
    """Forgot password: a code to the account's verified phone or e-mail (the same answer if there is none)."""
    await recovery.send_recovery_code(
        kit=kit, login_name=body.login_name, channel=body.channel, captcha_id=body.captcha_id,
        captcha_answer=body.captcha_answer, address=address,
    )  # fmt: skip
    return {"status": "sent if the account has a verified contact of that kind"}


@router.post("/password-recovery", status_code=204, responses=problem_responses(422, 429))
async def reset_password(body: PasswordReset, kit: KitDep) -> None:
    await recovery.reset_password(
        kit=kit, login_name=body.login_name, channel=body.channel, code=body.code,
        new_password=body.new_password, confirmation=body.new_password_confirmation,
    )  # fmt: skip
