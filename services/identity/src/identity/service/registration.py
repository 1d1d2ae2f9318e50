"""Two-step registration: who you are (name, ID number, captcha, consent), then how to reach you and sign in."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from uuid import UUID

from contracts.enums import AccountStatus, Role
from contracts.identity.v1 import AccountRegistered
from identity.adapters import accounts as store
from identity.adapters.secrets import hash_password
from identity.bootstrap import Dependencies
from identity.domain import rules
from identity.service.refusals import AlreadyRegistered, PhoneTaken, all_valid, wrong_captcha
from identity.service.verification import expect_phone_free
from regsys_runtime.errors import Gone, InvalidFields, Message

LOGIN_TAKEN = Message(
    "This login name is taken (login names do not differ by case); choose another.",
    zh="此登录名已被使用（登录名不区分大小写），请换一个。",
)
ID_TAKEN = Message(
    "An account with this ID number exists; sign in, or recover the password.",
    zh="此身份证号已注册过账户，请直接登录，或找回密码。",
)
NO_CONSENT = Message("Accept the privacy policy to open an account.", zh="请同意隐私政策后再注册账户。")
REGISTRATION_EXPIRED = Message(
    "This registration expired; start again with your name and ID.",
    zh="本次注册已过期，请从填写姓名和身份证号重新开始。",
)


@dataclass(frozen=True)
class Identification:
    real_name: str
    id_number: str
    captcha_id: UUID
    captcha_answer: str
    privacy_consent: bool


@dataclass(frozen=True)
class AccountDetails:
    phone: str
    email: str
    login_name: str
    password: str
    password_confirmation: str


async def identify(*, deps: Dependencies, form: Identification) -> tuple[str, int]:
    """Step 1. Returns the ticket that step 2 presents, and its lifetime in seconds."""
    if not form.privacy_consent:
        raise InvalidFields({"privacy_consent": NO_CONSENT})
    values = all_valid(
        real_name=lambda: rules.normalize_real_name(form.real_name),
        id_number=lambda: rules.normalize_id_number(form.id_number),
    )
    if not await deps.captchas.solved(captcha_id=form.captcha_id, answer=form.captcha_answer):
        raise wrong_captcha()
    async with deps.uow() as uow:
        if await store.id_number_taken(uow.session, lookup=deps.vault.lookup(values["id_number"])):
            raise AlreadyRegistered("id_number", ID_TAKEN)
    seconds = deps.settings.registration_minutes * 60
    sealed = base64.b64encode(deps.vault.seal(values["id_number"])).decode()
    ticket = await deps.registrations.open({"real_name": values["real_name"], "id_number": sealed}, seconds=seconds)
    return ticket, seconds


async def open_account(*, deps: Dependencies, ticket: str, form: AccountDetails) -> UUID:
    """Step 2. The ticket is spent only when the account exists, so a corrected form can be sent again."""
    identified = await deps.registrations.read(ticket)
    if identified is None:
        raise Gone("registration-expired", REGISTRATION_EXPIRED)
    values = all_valid(
        phone=lambda: rules.normalize_phone(form.phone),
        password=lambda: rules.check_new_password(form.password, form.password_confirmation),
    )
    id_number = deps.vault.open(base64.b64decode(identified["id_number"]))
    account_id = await _create_physician(
        deps=deps, real_name=identified["real_name"], id_number=id_number, phone=values["phone"], form=form
    )
    await deps.registrations.take(ticket)
    return account_id


async def _create_physician(
    *, deps: Dependencies, real_name: str, id_number: str, phone: str, form: AccountDetails
) -> UUID:
    try:
        return await _insert_physician(deps=deps, real_name=real_name, id_number=id_number, phone=phone, form=form)
    except store.AlreadyTaken as taken:  # a concurrent registration won the race for the name or the ID number
        if taken.field == "id_number":
            raise AlreadyRegistered("id_number", ID_TAKEN) from None
        if taken.field == "phone":
            raise PhoneTaken() from None
        raise AlreadyRegistered("login_name", LOGIN_TAKEN) from None


async def _insert_physician(
    *, deps: Dependencies, real_name: str, id_number: str, phone: str, form: AccountDetails
) -> UUID:
    lookup, masked = deps.vault.lookup(id_number), rules.mask_id_number(id_number)
    async with deps.uow() as uow:
        if await store.id_number_taken(uow.session, lookup=lookup):
            raise AlreadyRegistered("id_number", ID_TAKEN)
        if await store.login_name_taken(uow.session, login_name=form.login_name):
            raise AlreadyRegistered("login_name", LOGIN_TAKEN)
        # a phone another account proved is refused; one that is only on file elsewhere is not (see the README)
        await expect_phone_free(uow, phone=phone, account_id=None)
        account_id = uuid.uuid4()
        await store.add_account(
            uow.session,
            id=account_id,
            role=Role.PHYSICIAN,
            status=AccountStatus.REGISTERED,
            login_name=form.login_name,
            password_hash=await hash_password(form.password),
            real_name=real_name,
            id_number_cipher=deps.vault.seal(id_number),
            id_number_lookup=lookup,
            id_number_masked=masked,
            phone=phone,
            email=form.email,
        )
        event = AccountRegistered(
            account_id=account_id,
            role=Role.PHYSICIAN,
            login_name=form.login_name,
            real_name=real_name,
            id_number_masked=masked,
            phone=phone,
            email=form.email,
        )
        uow.publish(event, subject_id=account_id)
        await uow.commit()
    return account_id
