"""Captchas and the two steps of registration."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path
from pydantic import BaseModel, EmailStr, Field

from identity.api.deps import KitDep
from identity.service import registration
from identity.service.registration import AccountDetails, Identification
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["registration"])

LOGIN_NAME = Field(min_length=4, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")


class CaptchaRead(BaseModel):
    captcha_id: UUID
    image: str = Field(description="the challenge as a data: URL of a PNG image")
    expires_in: int


class IdentificationCreate(BaseModel):
    real_name: str = Field(max_length=50)
    id_number: str = Field(max_length=18)
    captcha_id: UUID
    captcha_answer: str = Field(max_length=10)
    privacy_consent: bool


class RegistrationRead(BaseModel):
    registration_id: str = Field(description="present it in step 2")
    expires_in: int


class AccountDetailsCreate(BaseModel):
    phone: str = Field(max_length=11)
    email: EmailStr
    login_name: str = LOGIN_NAME
    password: str = Field(max_length=64)
    password_confirmation: str = Field(max_length=64)


class AccountCreated(BaseModel):
    account_id: UUID


@router.post("/captchas", status_code=201, response_model=CaptchaRead, responses=problem_responses(429))
async def new_captcha(kit: KitDep) -> CaptchaRead:
    captcha = await kit.captchas.new()
    return CaptchaRead(captcha_id=captcha.captcha_id, image=captcha.image_data_url, expires_in=captcha.expires_in)


@router.post("/registrations", status_code=201, response_model=RegistrationRead, responses=problem_responses(409, 422))
async def identify(body: IdentificationCreate, kit: KitDep) -> RegistrationRead:
    """Step 1: real name, ID number, captcha and consent to the privacy policy."""
    ticket, seconds = await registration.identify(kit=kit, form=Identification(**body.model_dump()))
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
    kit: KitDep,
) -> AccountCreated:
    """Step 2: phone, e-mail, login name and the password twice."""
    account_id = await registration.open_account(
        kit=kit, ticket=registration_id, form=AccountDetails(**body.model_dump())
    )
    return AccountCreated(account_id=account_id)
