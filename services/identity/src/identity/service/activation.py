"""Activation: by an institution's code, by its automatic activation, or (TCM-specialty) by the certificate code."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contracts.enums import AccountStatus, ActivationMethod, Channel, CodePurpose, PracticeCategory
from contracts.identity.v1 import AccountActivated, ActivationRequested
from identity.adapters import accounts as store
from identity.adapters import qualifications
from identity.adapters.throttle import Locked
from identity.bootstrap import Dependencies
from identity.domain.accounts import contact, expect_secured
from identity.domain.codes import CodeRejected
from identity.domain.registry import certificate_code_matches
from identity.service.refusals import code_refused, locked_out
from identity.service.verification import physician, send_code
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Conflict, InvalidFields, Message

USE_CERTIFICATE = Message(
    "TCM-specialty physicians activate with their qualification certificate code instead.",
    zh="中医（专长）医师请用资格证书编码激活账户。",
)
WRONG_CERTIFICATE_CODE = Message(
    "This is not the code on your qualification certificate.", zh="这不是您资格证书上的编码。"
)
NO_ACTIVATION_CODE = Message("No institution has sent you an activation code yet.", zh="还没有机构向您发送激活码。")
ASK_INSTITUTION = Message(
    "Ask your institution for an activation code to activate.", zh="请向您的执业机构申请激活码来激活账户。"
)


def _binding(institution_id: UUID) -> str:
    return f"institution:{institution_id}"  # an activation code is good for the institution that had it sent


async def request_activation(*, deps: Dependencies, account_id: UUID, institution_id: UUID) -> None:
    async with deps.uow() as uow:
        account = await physician(uow, account_id)
        expect_secured(account)
        if account.category == PracticeCategory.TCM_SPECIALTY:
            raise Conflict("use-certificate-code", USE_CERTIFICATE)
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
    *, deps: Dependencies, uow: UnitOfWork, account_id: UUID, institution_id: UUID, channel: Channel | None,
    now: datetime,
) -> None:  # fmt: skip
    """The institution granted activation by code: identity makes the code and notifications delivers it."""
    account = await store.account_by_id(uow.session, account_id=account_id)
    if account is None or account.status != AccountStatus.SECURED:
        return  # activated meanwhile, or never asked: nothing to send
    channel = channel or Channel.SMS
    await send_code(
        deps=deps, uow=uow, account_id=account_id, channel=channel, purpose=CodePurpose.ACTIVATION,
        destination=contact(account, channel), address=None, now=now, limits=deps.activation_code_limits,
        binding=_binding(institution_id),
    )  # fmt: skip
    await store.set_account(uow.session, account_id=account_id, activating_institution_id=institution_id)


async def activate_with_code(*, deps: Dependencies, account_id: UUID, code: str) -> None:
    async with deps.uow() as uow:
        account = await physician(uow, account_id)
        expect_secured(account)
        institution_id = account.activating_institution_id
        if institution_id is None:
            raise Conflict("no-activation-code", NO_ACTIVATION_CODE)
        try:
            await deps.codes.redeem(
                purpose=CodePurpose.ACTIVATION, subject=str(account_id), destination=_binding(institution_id),
                code=code, limits=deps.activation_code_limits,
            )  # fmt: skip
        except CodeRejected as rejected:
            raise code_refused(rejected) from None
        await activate(
            uow=uow, account_id=account_id, method=ActivationMethod.ACTIVATION_CODE, institution_id=institution_id
        )
        await uow.commit()


async def activate_with_certificate_code(*, deps: Dependencies, account_id: UUID, certificate_code: str) -> None:
    async with deps.uow() as uow:
        account = await physician(uow, account_id)
        expect_secured(account)
        if account.category != PracticeCategory.TCM_SPECIALTY:
            raise Conflict("ask-institution", ASK_INSTITUTION)
        try:
            await deps.certificate_code_failures.check(str(account_id))
        except Locked as locked:
            raise locked_out(locked) from None
        lookup = account.id_number_lookup
        entry = await qualifications.qualification_for(uow.session, lookup=lookup) if lookup else None
        if not certificate_code_matches(entry, certificate_code):
            await deps.certificate_code_failures.failed(str(account_id))
            raise InvalidFields({"certificate_code": WRONG_CERTIFICATE_CODE})
        await activate(uow=uow, account_id=account_id, method=ActivationMethod.QUALIFICATION_CODE, institution_id=None)
        await uow.commit()


async def activate(*, uow: UnitOfWork, account_id: UUID, method: ActivationMethod, institution_id: UUID | None) -> None:
    """Inside the caller's unit of work; activating an active account changes nothing. The account keeps which
    institution activated it (none for the certificate code), which `/me` shows until a registration exists."""
    found = await store.account_by_id(uow.session, account_id=account_id)
    if found is None or found.status != AccountStatus.SECURED:
        return
    await store.set_account(
        uow.session, account_id=account_id, status=AccountStatus.ACTIVE, status_reason=None,
        activating_institution_id=institution_id,
    )  # fmt: skip
    event = AccountActivated(account_id=account_id, method=method, institution_id=institution_id)
    uow.publish(event, subject_id=account_id)
