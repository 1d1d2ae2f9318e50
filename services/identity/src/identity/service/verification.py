"""The security step after the qualification check: a code to the phone (or, failing SMS, to the e-mail)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy.engine import RowMapping

from contracts.enums import AccountStatus, Channel, CodePurpose, Role
from contracts.identity.v1 import EmailVerified, PhoneVerified, VerificationCodeIssued
from identity.adapters import accounts as store
from identity.bootstrap import Kit
from identity.domain.codes import CodeLimits, CodeRejected
from identity.service.problems import code_problem, not_found
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem

SECURITY_PURPOSE = {Channel.SMS: CodePurpose.VERIFY_PHONE, Channel.EMAIL: CodePurpose.VERIFY_EMAIL}


def contact(account: RowMapping, channel: Channel) -> str:
    destination = account.phone if channel is Channel.SMS else account.email
    if not destination:
        raise Problem(409, "no-contact", f"There is no {'phone' if channel is Channel.SMS else 'e-mail'} on file.")
    return str(destination)


async def physician(uow: UnitOfWork, account_id: UUID) -> RowMapping:
    account = await store.account_by_id(uow.session, account_id)
    if account is None or account.role != Role.PHYSICIAN:
        raise not_found("physician account")
    return account


async def send_code(
    *, kit: Kit, uow: UnitOfWork, account_id: UUID, channel: Channel, purpose: CodePurpose, destination: str,
    address: str | None, limits: CodeLimits | None = None, binding: str | None = None,
) -> None:  # fmt: skip
    """Issue a code and hand it to notifications through the outbox (delivery never happens inline).

    The code is bound to its purpose, the account and `binding` (by default the destination it is sent to).
    """
    limits = limits or kit.code_limits
    try:
        code = await kit.codes.issue(
            purpose=purpose, subject=str(account_id), destination=binding or destination, address=address,
            limits=limits,
        )  # fmt: skip
    except CodeRejected as rejected:
        raise code_problem(rejected) from None
    expires_at = datetime.now(UTC) + timedelta(seconds=limits.ttl_seconds)
    uow.publish(
        VerificationCodeIssued(
            account_id=account_id, channel=channel, destination=destination, purpose=purpose, code=code,
            expires_at=expires_at,
        ),
        subject_id=account_id,
    )  # fmt: skip


async def redeem(*, kit: Kit, account_id: UUID, purpose: CodePurpose, destination: str, code: str) -> None:
    try:
        await kit.codes.redeem(
            purpose=purpose, subject=str(account_id), destination=destination, code=code, limits=kit.code_limits
        )
    except CodeRejected as rejected:
        raise code_problem(rejected) from None


async def send_security_code(*, kit: Kit, account_id: UUID, channel: Channel, address: str) -> None:
    async with kit.uow() as uow:
        account = await physician(uow, account_id)
        _expect_verified(account)
        purpose = SECURITY_PURPOSE[channel]
        await send_code(
            kit=kit, uow=uow, account_id=account_id, channel=channel, purpose=purpose,
            destination=contact(account, channel), address=address,
        )  # fmt: skip
        await uow.commit()


async def confirm_security_code(*, kit: Kit, account_id: UUID, channel: Channel, code: str) -> None:
    async with kit.uow() as uow:
        account = await physician(uow, account_id)
        _expect_verified(account)
        destination = contact(account, channel)
        await redeem(
            kit=kit, account_id=account_id, purpose=SECURITY_PURPOSE[channel], destination=destination, code=code
        )
        now = datetime.now(UTC)
        if channel is Channel.SMS:
            await store.set_account(uow.session, account_id, status=AccountStatus.SECURED, phone_verified_at=now)
            uow.publish(PhoneVerified(account_id=account_id, phone=destination), subject_id=account_id)
        else:
            await store.set_account(uow.session, account_id, status=AccountStatus.SECURED, email_verified_at=now)
            uow.publish(EmailVerified(account_id=account_id, email=destination), subject_id=account_id)
        await uow.commit()


def _expect_verified(account: RowMapping) -> None:
    if account.status in (AccountStatus.REGISTERED, AccountStatus.UNVERIFIED):
        raise Problem(409, "not-verified", "Pass the qualification check first; then verify your phone.")
    if account.status != AccountStatus.VERIFIED:
        raise Problem(409, "already-secured", "Your phone or e-mail is already verified.")
