"""The security step after the qualification check: a code to the phone (or, failing SMS, to the e-mail)."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from contracts.enums import AccountStatus, Channel, CodePurpose, Role
from contracts.identity.v1 import EmailVerified, PhoneVerified, VerificationCodeIssued
from identity.adapters import accounts as store
from identity.bootstrap import Dependencies
from identity.domain.accounts import Account, contact, expect_enabled, expect_verified
from identity.domain.codes import CodeLimits, CodeRejected
from identity.service.refusals import PhoneTaken, code_refused, not_found
from regsys_runtime.db import UnitOfWork

SECURITY_PURPOSE = {Channel.SMS: CodePurpose.VERIFY_PHONE, Channel.EMAIL: CodePurpose.VERIFY_EMAIL}


async def physician(uow: UnitOfWork, account_id: UUID) -> Account:
    account = await store.account_by_id(uow.session, account_id=account_id)
    if account is None or account.role != Role.PHYSICIAN:
        raise not_found("physician account")
    expect_enabled(account)
    return account


async def expect_phone_free(uow: UnitOfWork, *, phone: str, account_id: UUID | None) -> None:
    """A phone another account proved is its own is not this one's to prove (nor to be sent codes for it)."""
    if await store.phone_verified_elsewhere(uow.session, phone=phone, account_id=account_id):
        raise PhoneTaken()


async def send_code(
    *, deps: Dependencies, uow: UnitOfWork, account_id: UUID, channel: Channel, purpose: CodePurpose,
    destination: str, address: str | None, now: datetime, limits: CodeLimits | None = None,
    binding: str | None = None,
) -> None:  # fmt: skip
    """Issue a code and hand it to notifications through the outbox (delivery never happens inline).

    The code is bound to its purpose, the account and `binding` (by default the destination it is sent to), and
    travels sealed for notifications: neither the outbox nor the broker holds it readable.
    """
    limits = limits or deps.code_limits
    try:
        code = await deps.codes.issue(
            purpose=purpose, subject=str(account_id), destination=binding or destination, address=address,
            limits=limits,
        )  # fmt: skip
    except CodeRejected as rejected:
        raise code_refused(rejected) from None
    expires_at = now + timedelta(seconds=limits.ttl_seconds)
    uow.publish(
        VerificationCodeIssued(
            account_id=account_id, channel=channel, destination=destination, purpose=purpose,
            code=deps.delivery_sealer.seal(code), expires_at=expires_at,
        ),
        subject_id=account_id,
    )  # fmt: skip


async def redeem(*, deps: Dependencies, account_id: UUID, purpose: CodePurpose, destination: str, code: str) -> None:
    try:
        await deps.codes.redeem(
            purpose=purpose, subject=str(account_id), destination=destination, code=code, limits=deps.code_limits
        )
    except CodeRejected as rejected:
        raise code_refused(rejected) from None


async def send_security_code(
    *, deps: Dependencies, account_id: UUID, channel: Channel, address: str, now: datetime
) -> None:
    async with deps.uow() as uow:
        account = await physician(uow, account_id)
        expect_verified(account)
        if channel is Channel.SMS:
            await expect_phone_free(uow, phone=contact(account, channel), account_id=account_id)
        await send_code(
            deps=deps, uow=uow, account_id=account_id, channel=channel, purpose=SECURITY_PURPOSE[channel],
            destination=contact(account, channel), address=address, now=now,
        )  # fmt: skip
        await uow.commit()


async def confirm_security_code(
    *, deps: Dependencies, account_id: UUID, channel: Channel, code: str, now: datetime
) -> None:
    async with deps.uow() as uow:
        account = await physician(uow, account_id)
        expect_verified(account)
        destination = contact(account, channel)
        await redeem(
            deps=deps, account_id=account_id, purpose=SECURITY_PURPOSE[channel], destination=destination, code=code
        )
        if channel is Channel.SMS:
            await expect_phone_free(uow, phone=destination, account_id=account_id)
            await set_verified_phone(uow, account_id=account_id, status=AccountStatus.SECURED, phone_verified_at=now)
            uow.publish(PhoneVerified(account_id=account_id, phone=destination), subject_id=account_id)
        else:
            await store.set_account(
                uow.session, account_id=account_id, status=AccountStatus.SECURED, email_verified_at=now
            )
            uow.publish(EmailVerified(account_id=account_id, email=destination), subject_id=account_id)
        await uow.commit()


async def set_verified_phone(uow: UnitOfWork, *, account_id: UUID, **values: object) -> None:
    """Mark a phone proven; another account proving the same phone at the same moment loses the race here."""
    try:
        await store.set_account(uow.session, account_id=account_id, **values)
    except store.AlreadyTaken:
        raise PhoneTaken() from None
