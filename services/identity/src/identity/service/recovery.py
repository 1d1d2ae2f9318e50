"""Forgot password: a code to the verified phone or e-mail, then a new password."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contracts.enums import AccountStatus, Channel, CodePurpose
from identity.adapters import accounts as store
from identity.bootstrap import Dependencies
from identity.domain import rules
from identity.domain.accounts import verified_contact
from identity.service.refusals import all_valid, wrong_captcha
from identity.service.security import set_password
from identity.service.sessions import login_key
from identity.service.verification import redeem, send_code
from regsys_runtime.errors import InvalidFields, Message

NO_RECOVERY = Message("This code does not match; ask for a new one.", zh="验证码不匹配，请重新获取。")


async def send_recovery_code(
    *, deps: Dependencies, login_name: str, channel: Channel, captcha_id: UUID, captcha_answer: str, address: str,
    now: datetime,
) -> None:  # fmt: skip
    """The same answer whether or not the account exists, so this cannot be used to find accounts."""
    if not await deps.captchas.solved(captcha_id=captcha_id, answer=captcha_answer):
        raise wrong_captcha()
    async with deps.uow() as uow:
        account = await store.account_by_login(uow.session, login_name=login_name)
        destination = verified_contact(account, channel)
        if account is None or destination is None or account.status == AccountStatus.DISABLED:
            return
        await send_code(
            deps=deps, uow=uow, account_id=account.id, channel=channel, purpose=CodePurpose.RESET_PASSWORD,
            destination=destination, address=address, now=now,
        )  # fmt: skip
        await uow.commit()


async def reset_password(
    *, deps: Dependencies, login_name: str, channel: Channel, code: str, new_password: str, confirmation: str,
    now: datetime,
) -> None:  # fmt: skip
    all_valid(password=lambda: rules.check_new_password(new_password, confirmation))
    async with deps.uow() as uow:
        account = await store.account_by_login(uow.session, login_name=login_name)
        destination = verified_contact(account, channel)
        if account is None or destination is None or account.status == AccountStatus.DISABLED:
            raise InvalidFields({"code": NO_RECOVERY})
        await redeem(
            deps=deps, account_id=account.id, purpose=CodePurpose.RESET_PASSWORD, destination=destination, code=code
        )
        await set_password(deps=deps, uow=uow, account_id=account.id, password=new_password, reset=True, now=now)
        await uow.commit()
    await deps.login_failures.cleared(login_key(login_name))
    await deps.login_failures.unlock(login_key(login_name))
