"""Forgot password: a code to the verified phone or e-mail, then a new password."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.engine import RowMapping

from contracts.enums import Channel, CodePurpose, Role
from identity.adapters import accounts as store
from identity.bootstrap import Kit
from identity.domain import rules
from identity.service.problems import all_valid, captcha_problem
from identity.service.security import set_password
from identity.service.verification import redeem, send_code
from regsys_runtime.problems import invalid_fields

NO_RECOVERY = invalid_fields(("code", "This code does not match; ask for a new one."))


def _verified_contact(account: RowMapping | None, channel: Channel) -> str | None:
    """Recovery goes only to a contact the person proved is theirs."""
    if account is None or account.role != Role.PHYSICIAN:
        return None
    if channel is Channel.SMS:
        return account.phone if account.phone_verified_at is not None else None
    return account.email if account.email_verified_at is not None else None


async def send_recovery_code(
    *, kit: Kit, login_name: str, channel: Channel, captcha_id: UUID, captcha_answer: str, address: str
) -> None:
    """The same answer whether or not the account exists, so this cannot be used to find accounts."""
    if not await kit.captchas.solved(captcha_id=captcha_id, answer=captcha_answer):
        raise captcha_problem()
    async with kit.uow() as uow:
        account = await store.account_by_login(uow.session, login_name)
        destination = _verified_contact(account, channel)
        if account is None or destination is None:
            return
        await send_code(
            kit=kit, uow=uow, account_id=account.id, channel=channel, purpose=CodePurpose.RESET_PASSWORD,
            destination=destination, address=address,
        )  # fmt: skip
        await uow.commit()


async def reset_password(
    *, kit: Kit, login_name: str, channel: Channel, code: str, new_password: str, confirmation: str
) -> None:
    all_valid(password=lambda: rules.check_new_password(new_password, confirmation))
    async with kit.uow() as uow:
        account = await store.account_by_login(uow.session, login_name)
        destination = _verified_contact(account, channel)
        if account is None or destination is None:
            raise NO_RECOVERY
        await redeem(
            kit=kit, account_id=account.id, purpose=CodePurpose.RESET_PASSWORD, destination=destination, code=code
        )
        await set_password(uow=uow, account_id=account.id, password=new_password, reset=True)
        await uow.commit()
    await kit.login_failures.cleared(login_name)
    await kit.login_failures.unlock(login_name)
