"""Activation: by an institution's code, by its automatic activation, or (TCM-specialty) by the certificate code."""

from __future__ import annotations

import hmac
from uuid import UUID

from sqlalchemy.engine import RowMapping

from contracts.enums import AccountStatus, ActivationMethod, Channel, CodePurpose, PracticeCategory
from contracts.identity.v1 import AccountActivated, ActivationRequested
from identity.adapters import accounts as store
from identity.adapters.throttle import Locked
from identity.bootstrap import Kit
from identity.domain.codes import CodeRejected
from identity.service.problems import code_problem, locked_problem
from identity.service.verification import contact, physician, send_code
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem, invalid_fields

USE_CERTIFICATE = "TCM-specialty physicians activate with their qualification certificate code instead."


def _binding(institution_id: UUID) -> str:
    return f"institution:{institution_id}"  # an activation code is good for the institution that had it sent


def _expect_secured(account: RowMapping) -> None:
    if account.status == AccountStatus.ACTIVE:
        raise Problem(409, "already-active", "Your account is already active.")
    if account.status != AccountStatus.SECURED:
        raise Problem(409, "not-secured", "Pass the qualification check and verify your phone before activation.")


async def request_activation(*, kit: Kit, account_id: UUID, institution_id: UUID) -> None:
    async with kit.uow() as uow:
        account = await physician(uow, account_id)
        _expect_secured(account)
        if account.category == PracticeCategory.TCM_SPECIALTY:
            raise Problem(409, "use-certificate-code", USE_CERTIFICATE)
        uow.publish(
            ActivationRequested(
                account_id=account_id,
                institution_id=institution_id,
                real_name=account.real_name,
                id_number_masked=account.id_number_masked,
                category=account.category,
            ),
            subject_id=account_id,
        )
        await uow.commit()


async def send_activation_code(
    *, kit: Kit, uow: UnitOfWork, account_id: UUID, institution_id: UUID, channel: Channel | None
) -> None:
    """The institution granted activation by code: identity makes the code and notifications delivers it."""
    account = await store.account_by_id(uow.session, account_id)
    if account is None or account.status != AccountStatus.SECURED:
        return  # activated meanwhile, or never asked: nothing to send
    channel = channel or Channel.SMS
    await send_code(
        kit=kit, uow=uow, account_id=account_id, channel=channel, purpose=CodePurpose.ACTIVATION,
        destination=contact(account, channel), address=None, limits=kit.activation_code_limits,
        binding=_binding(institution_id),
    )  # fmt: skip
    await store.set_account(uow.session, account_id, activating_institution_id=institution_id)


async def activate_with_code(*, kit: Kit, account_id: UUID, code: str) -> None:
    async with kit.uow() as uow:
        account = await physician(uow, account_id)
        _expect_secured(account)
        if account.activating_institution_id is None:
            raise Problem(409, "no-activation-code", "No institution has sent you an activation code yet.")
        try:
            await kit.codes.redeem(
                purpose=CodePurpose.ACTIVATION, subject=str(account_id),
                destination=_binding(account.activating_institution_id),
                code=code, limits=kit.activation_code_limits,
            )  # fmt: skip
        except CodeRejected as rejected:
            raise code_problem(rejected) from None
        await activate(
            uow=uow, account_id=account_id, method=ActivationMethod.ACTIVATION_CODE,
            institution_id=account.activating_institution_id,
        )  # fmt: skip
        await uow.commit()


async def activate_with_certificate_code(*, kit: Kit, account_id: UUID, certificate_code: str) -> None:
    async with kit.uow() as uow:
        account = await physician(uow, account_id)
        _expect_secured(account)
        if account.category != PracticeCategory.TCM_SPECIALTY:
            raise Problem(409, "ask-institution", "Ask your institution for an activation code to activate.")
        try:
            await kit.certificate_code_failures.check(str(account_id))
        except Locked as locked:
            raise locked_problem(locked) from None
        entry = await store.qualification_for(uow.session, account.id_number_lookup)
        if entry is None or not hmac.compare_digest(entry.certificate_code.upper(), certificate_code.strip().upper()):
            await kit.certificate_code_failures.failed(str(account_id))
            raise invalid_fields(("certificate_code", "This is not the code on your qualification certificate."))
        await activate(uow=uow, account_id=account_id, method=ActivationMethod.QUALIFICATION_CODE, institution_id=None)
        await uow.commit()


async def activate(*, uow: UnitOfWork, account_id: UUID, method: ActivationMethod, institution_id: UUID | None) -> None:
    """Inside the caller's unit of work; activating an active account changes nothing."""
    found = await store.account_by_id(uow.session, account_id)
    if found is None or found.status != AccountStatus.SECURED:
        return
    await store.set_account(uow.session, account_id, status=AccountStatus.ACTIVE, status_reason=None)
    event = AccountActivated(account_id=account_id, method=method, institution_id=institution_id)
    uow.publish(event, subject_id=account_id)
