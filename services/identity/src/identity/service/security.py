"""Security settings: change phone (old code, then new code), verify or change e-mail (link), change or reset
the password. Every change publishes an event, so notifications can tell the person (old contact included)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from contracts.enums import Channel, CodePurpose
from contracts.identity.v1 import (
    EmailChanged,
    EmailVerificationLinkIssued,
    EmailVerified,
    PasswordChanged,
    PhoneChanged,
)
from identity.adapters import accounts as store
from identity.adapters.secrets import hash_password, verify_password
from identity.bootstrap import Dependencies
from identity.domain import rules
from identity.domain.accounts import contact, expect_enabled
from identity.domain.codes import CodeRejected
from identity.service.refusals import all_valid, code_refused, not_found, wrong_captcha
from identity.service.sessions import end_all_sessions, login_key
from identity.service.verification import expect_phone_free, physician, redeem, send_code, set_verified_phone
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Conflict, Gone, InvalidFields, Message

PROOF_SECONDS = 600
SAME_PHONE = Message(
    "This is already your phone number; enter the new one.", zh="这已是您当前的手机号，请填写新手机号。"
)
EMAILS_DIFFER = Message(
    "The two e-mail addresses differ; enter the same one twice.", zh="两次输入的邮箱不一致，请输入相同的邮箱。"
)
LINK_EXPIRED = Message(
    "This link was used already or expired; ask for a new e-mail.", zh="此链接已被使用或已过期，请重新获取验证邮件。"
)
WRONG_PASSWORD = Message("Your current password is wrong.", zh="当前密码不正确。")


class OldPhoneNotProven(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "old-phone-not-proven",
            Message("Confirm the code sent to your current phone first.", zh="请先输入发送到当前手机号的验证码。"),
        )


async def send_old_phone_code(*, deps: Dependencies, account_id: UUID, address: str, now: datetime) -> None:
    async with deps.uow() as uow:
        account = await physician(uow, account_id)
        await send_code(
            deps=deps, uow=uow, account_id=account_id, channel=Channel.SMS, purpose=CodePurpose.CHANGE_PHONE_OLD,
            destination=contact(account, Channel.SMS), address=address, now=now,
        )  # fmt: skip
        await uow.commit()


async def prove_old_phone(*, deps: Dependencies, account_id: UUID, code: str) -> str:
    """The old phone's code was right: a proof, good for ten minutes, that lets the new phone be set."""
    async with deps.uow() as uow:
        account = await physician(uow, account_id)
    old = contact(account, Channel.SMS)
    await redeem(deps=deps, account_id=account_id, purpose=CodePurpose.CHANGE_PHONE_OLD, destination=old, code=code)
    return await deps.old_phone_proofs.open({"account_id": str(account_id)}, seconds=PROOF_SECONDS)


async def _proven(deps: Dependencies, account_id: UUID, proof: str) -> None:
    found = await deps.old_phone_proofs.read(proof)
    if found is None or found["account_id"] != str(account_id):
        raise OldPhoneNotProven()


async def send_new_phone_code(
    *, deps: Dependencies, account_id: UUID, proof: str, new_phone: str, address: str, now: datetime
) -> None:
    phone = all_valid(phone=lambda: rules.normalize_phone(new_phone))["phone"]
    await _proven(deps, account_id, proof)
    async with deps.uow() as uow:
        account = await physician(uow, account_id)
        if account.phone == phone:
            raise InvalidFields({"phone": SAME_PHONE})
        await expect_phone_free(uow, phone=phone, account_id=account_id)
        await send_code(
            deps=deps, uow=uow, account_id=account_id, channel=Channel.SMS, purpose=CodePurpose.CHANGE_PHONE_NEW,
            destination=phone, address=address, now=now,
        )  # fmt: skip
        await uow.commit()


async def change_phone(
    *, deps: Dependencies, account_id: UUID, proof: str, new_phone: str, code: str, now: datetime
) -> None:
    phone = all_valid(phone=lambda: rules.normalize_phone(new_phone))["phone"]
    await _proven(deps, account_id, proof)
    await redeem(deps=deps, account_id=account_id, purpose=CodePurpose.CHANGE_PHONE_NEW, destination=phone, code=code)
    async with deps.uow() as uow:
        account = await physician(uow, account_id)
        await expect_phone_free(uow, phone=phone, account_id=account_id)
        await set_verified_phone(uow, account_id=account_id, phone=phone, phone_verified_at=now)
        uow.publish(
            PhoneChanged(account_id=account_id, old_phone=account.phone, new_phone=phone), subject_id=account_id
        )
        await uow.commit()
    await deps.old_phone_proofs.take(proof)


async def send_email_link(
    *, deps: Dependencies, account_id: UUID, email: str, confirmation: str, captcha_id: UUID, captcha_answer: str,
    address: str, now: datetime,
) -> None:  # fmt: skip
    if email.strip().lower() != confirmation.strip().lower():
        raise InvalidFields({"email_confirmation": EMAILS_DIFFER})
    if not await deps.captchas.solved(captcha_id=captcha_id, answer=captcha_answer):
        raise wrong_captcha()
    seconds = deps.settings.email_link_minutes * 60
    limits = replace(deps.code_limits, ttl_seconds=seconds, per_address_hourly=None)
    try:
        await deps.codes.admit(purpose="email-link", destination=email, address=address, limits=limits)
    except CodeRejected as rejected:
        raise code_refused(rejected) from None
    token = await deps.email_links.open({"account_id": str(account_id), "email": email}, seconds=seconds)
    async with deps.uow() as uow:
        await physician(uow, account_id)
        link = f"{deps.settings.portal_url}/verify-email?token={token}"
        expires_at = now + timedelta(seconds=seconds)
        sealed = deps.delivery_sealer.seal(link)
        event = EmailVerificationLinkIssued(account_id=account_id, email=email, link=sealed, expires_at=expires_at)
        uow.publish(event, subject_id=account_id)
        await uow.commit()


async def confirm_email(*, deps: Dependencies, token: str, now: datetime) -> None:
    """The link's token, once: the address becomes the account's verified e-mail."""
    found = await deps.email_links.take(token)
    if found is None:
        raise Gone("link-expired", LINK_EXPIRED)
    account_id, email = UUID(found["account_id"]), found["email"]
    async with deps.uow() as uow:
        account = await physician(uow, account_id)
        await store.set_account(uow.session, account_id=account_id, email=email, email_verified_at=now)
        if (account.email or "").lower() == email.lower():
            uow.publish(EmailVerified(account_id=account_id, email=email), subject_id=account_id)
        else:
            uow.publish(
                EmailChanged(account_id=account_id, old_email=account.email, new_email=email), subject_id=account_id
            )
        await uow.commit()


async def change_password(
    *, deps: Dependencies, account_id: UUID, old_password: str, new_password: str, confirmation: str, now: datetime
) -> None:
    all_valid(password=lambda: rules.check_new_password(new_password, confirmation))
    async with deps.uow() as uow:
        account = await store.account_by_id(uow.session, account_id=account_id)
        if account is None:
            raise not_found("account")
        expect_enabled(account)
        if not await verify_password(account.password_hash, old_password):
            await deps.login_failures.failed(login_key(account.login_name))
            raise InvalidFields({"old_password": WRONG_PASSWORD})
        await set_password(deps=deps, uow=uow, account_id=account_id, password=new_password, reset=False, now=now)
        await uow.commit()


async def set_password(
    *, deps: Dependencies, uow: UnitOfWork, account_id: UUID, password: str, reset: bool, now: datetime
) -> None:
    """Inside the caller's unit of work: every session of the account ends with the old password, this one too."""
    await store.set_account(uow.session, account_id=account_id, password_hash=await hash_password(password))
    await end_all_sessions(deps=deps, uow=uow, account_id=account_id, now=now)
    uow.publish(PasswordChanged(account_id=account_id, reset=reset), subject_id=account_id)
