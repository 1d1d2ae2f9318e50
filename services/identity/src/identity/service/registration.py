"""Two-step registration: who you are (name, ID number, captcha, consent), then how to reach you and sign in."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from contracts.enums import AccountStatus, Role
from contracts.identity.v1 import AccountRegistered
from identity.adapters import accounts as store
from identity.adapters.secrets import hash_password
from identity.bootstrap import Kit
from identity.domain import rules
from identity.service.problems import all_valid, captcha_problem
from regsys_runtime.problems import FieldError, Problem, invalid_fields

LOGIN_TAKEN = "This login name is taken; choose another."
ID_TAKEN = "An account with this ID number exists; sign in, or recover the password."


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


def _already_registered(*fields: tuple[str, str]) -> Problem:
    errors = [FieldError(field=f, message=m) for f, m in fields]
    return Problem(409, "already-registered", fields[0][1], errors=errors)


async def identify(*, kit: Kit, form: Identification) -> tuple[str, int]:
    """Step 1. Returns the ticket that step 2 presents, and its lifetime in seconds."""
    if not form.privacy_consent:
        raise invalid_fields(("privacy_consent", "Accept the privacy policy to open an account."))
    values = all_valid(
        real_name=lambda: rules.normalize_real_name(form.real_name),
        id_number=lambda: rules.normalize_id_number(form.id_number),
    )
    if not await kit.captchas.solved(captcha_id=form.captcha_id, answer=form.captcha_answer):
        raise captcha_problem()
    async with kit.uow() as uow:
        if await store.id_number_taken(uow.session, kit.vault.lookup(values["id_number"])):
            raise _already_registered(("id_number", ID_TAKEN))
    seconds = kit.settings.registration_minutes * 60
    sealed = base64.b64encode(kit.vault.seal(values["id_number"])).decode()
    ticket = await kit.tickets("registration").open(
        {"real_name": values["real_name"], "id_number": sealed}, seconds=seconds
    )
    return ticket, seconds


async def open_account(*, kit: Kit, ticket: str, form: AccountDetails) -> UUID:
    """Step 2. The ticket is spent only when the account exists, so a corrected form can be sent again."""
    identified = await kit.tickets("registration").read(ticket)
    if identified is None:
        raise Problem(410, "registration-expired", "This registration expired; start again with your name and ID.")
    values = all_valid(
        phone=lambda: rules.normalize_phone(form.phone),
        password=lambda: rules.check_new_password(form.password, form.password_confirmation),
    )
    id_number = kit.vault.open(base64.b64decode(identified["id_number"]))
    account_id = await _create_physician(
        kit=kit, real_name=identified["real_name"], id_number=id_number, phone=values["phone"], form=form
    )
    await kit.tickets("registration").take(ticket)
    return account_id


async def _create_physician(*, kit: Kit, real_name: str, id_number: str, phone: str, form: AccountDetails) -> UUID:
    try:
        return await _insert_physician(kit=kit, real_name=real_name, id_number=id_number, phone=phone, form=form)
    except IntegrityError as error:  # a concurrent registration won the race for the name or the ID number
        if "id_number" in str(error.orig):
            raise _already_registered(("id_number", ID_TAKEN)) from None
        raise _already_registered(("login_name", LOGIN_TAKEN)) from None


async def _insert_physician(*, kit: Kit, real_name: str, id_number: str, phone: str, form: AccountDetails) -> UUID:
    lookup, masked = kit.vault.lookup(id_number), rules.mask_id_number(id_number)
    async with kit.uow() as uow:
        if await store.id_number_taken(uow.session, lookup):
            raise _already_registered(("id_number", ID_TAKEN))
        if await store.login_name_taken(uow.session, form.login_name):
            raise _already_registered(("login_name", LOGIN_TAKEN))
        account_id = uuid.uuid4()
        await store.add_account(
            uow.session,
            {
                "id": account_id,
                "role": Role.PHYSICIAN,
                "status": AccountStatus.REGISTERED,
                "login_name": form.login_name,
                "password_hash": hash_password(form.password),
                "real_name": real_name,
                "id_number_cipher": kit.vault.seal(id_number),
                "id_number_lookup": lookup,
                "id_number_masked": masked,
                "phone": phone,
                "email": form.email,
            },
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
