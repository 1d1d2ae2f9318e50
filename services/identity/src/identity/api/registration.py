"""Captchas and the two steps of registration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from identity.api.deps import ClientAddress, Deps
from identity.api.schemas import (
    AccountCreated,
    AccountDetailsCreate,
    CaptchaRead,
    IdentificationCreate,
    RegistrationRead,
)
from identity.service import captchas, registration
from identity.service.registration import AccountDetails, Identification
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["registration"])


@router.post("/captchas", status_code=201, response_model=CaptchaRead, responses=problem_responses(429))
async def new_captcha(deps: Deps, address: ClientAddress) -> CaptchaRead:
    """A captcha picture; a client asking for very many (per minute or per hour) is told to wait (Retry-After)."""
    captcha = await captchas.new_captcha(deps=deps, address=address)
    return CaptchaRead(captcha_id=captcha.captcha_id, image=captcha.image_data_url, expires_in=captcha.expires_in)


@router.post("/registrations", status_code=201, response_model=RegistrationRead, responses=problem_responses(409, 422))
async def identify(body: IdentificationCreate, deps: Deps) -> RegistrationRead:
    """Step 1: real name, ID number, captcha and consent to the privacy policy."""
    ticket, seconds = await registration.identify(deps=deps, form=Identification(**body.model_dump()))
    return RegistrationRead(registration_id=ticket, expires_in=seconds)


@router.post(
    "/registrations/{registration_id}/account",
    status_code=201,
    response_model=AccountCreated,
    responses=problem_responses(409, 410, 422),
)
async def open_account(
    registration_id: Annotated[str, Path(max_length=64)],
    body: AccountDetailsCreate,
    deps: Deps,
) -> AccountCreated:
    """Step 2: phone, e-mail, login name and the password twice."""
    account_id = await registration.open_account(
        deps=deps, ticket=registration_id, form=AccountDetails(**body.model_dump())
    )
    return AccountCreated(account_id=account_id)
