"""Everything a person is told by SMS or e-mail is also in their inbox; one-time codes and links never are."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from contracts import Envelope
from contracts.enums import Channel, CodePurpose, Role
from contracts.identity.v1 import (
    AccountActivated,
    AccountDisabled,
    AccountRegistered,
    EmailChanged,
    EmailVerificationLinkIssued,
    PasswordChanged,
    PhoneChanged,
    PhoneVerified,
    QualificationChecked,
    VerificationCodeIssued,
)
from contracts.institutions.v1 import ActivationDeclined
from notifications.adapters.tables import deliveries, inbox_messages

from .conftest import handlers_in

pytestmark = pytest.mark.integration

HANDLERS = handlers_in("zh")
PHONE, EMAIL = "13900000071", "life@example.cn"


async def apply(unit_of_work, event) -> Envelope:
    envelope = Envelope.wrap(event, producer="tests", subject_id=str(uuid.uuid4()), correlation_id="t")
    async with unit_of_work() as uow:
        await HANDLERS[type(event)](uow, event, envelope)
        await uow.commit()
    return envelope


async def inbox_of(unit_of_work, account: uuid.UUID) -> list:
    async with unit_of_work() as uow:
        query = select(inbox_messages).where(inbox_messages.c.account_id == account)
        return list((await uow.session.execute(query.order_by(inbox_messages.c.created_at))).all())


async def sent_for(unit_of_work, envelope: Envelope) -> list:
    async with unit_of_work() as uow:
        query = select(deliveries).where(deliveries.c.cause_event_id == envelope.event_id)
        return list((await uow.session.execute(query)).all())


async def physician(unit_of_work) -> uuid.UUID:
    account = uuid.uuid4()
    await apply(
        unit_of_work,
        AccountRegistered(
            account_id=account, role=Role.PHYSICIAN, login_name=f"u{account.hex[:8]}", real_name="张伟", phone=PHONE,
            email=EMAIL,
        ),
    )  # fmt: skip
    return account


def account_life(account: uuid.UUID) -> list[tuple[object, str]]:
    """Every step of an account that notifications hears of, with the inbox title the person should read."""
    return [
        (QualificationChecked(account_id=account, matched=True, category="clinical"), "医师资格校验通过"),
        (QualificationChecked(account_id=account, matched=False, reason="姓名不符"), "医师资格校验未通过"),
        (PhoneVerified(account_id=account, phone=PHONE), "手机号已验证"),
        (AccountActivated(account_id=account, method="automatic"), "账户已激活"),
        (
            ActivationDeclined(account_id=account, institution_id=uuid.uuid4(), reason="非本院医师"),
            "账户激活未通过",
        ),
        (PhoneChanged(account_id=account, old_phone=PHONE, new_phone="13900000072"), "手机号已更换"),
        (EmailChanged(account_id=account, old_email=EMAIL, new_email="new-life@example.cn"), "电子邮箱已更换"),
        (PasswordChanged(account_id=account, reset=True), "登录密码已修改"),
        (AccountDisabled(account_id=account, reason="冒用身份"), "账户已停用"),
    ]


async def test_the_account_opened_is_in_the_inbox_as_well_as_the_email(unit_of_work):
    account = await physician(unit_of_work)

    [welcome] = await inbox_of(unit_of_work, account)
    assert welcome.title == "注册成功"
    assert welcome.kind == "account.registered"


@pytest.mark.parametrize("step", range(9))
async def test_each_step_of_the_account_life_is_in_the_inbox_once(unit_of_work, step):
    account = await physician(unit_of_work)
    event, title = account_life(account)[step]

    envelope = await apply(unit_of_work, event)
    async with unit_of_work() as uow:
        await HANDLERS[type(event)](uow, event, envelope)  # redelivered: nothing more
        await uow.commit()

    posted = [m for m in await inbox_of(unit_of_work, account) if m.cause_event_id == envelope.event_id]
    assert [m.title for m in posted] == [title]


async def test_whoever_is_told_by_sms_or_email_finds_it_in_their_inbox(unit_of_work):
    account = await physician(unit_of_work)
    for event, _ in account_life(account):
        envelope = await apply(unit_of_work, event)
        told = {r.account_id for r in await sent_for(unit_of_work, envelope)}
        posted = {m.account_id for m in await inbox_of(unit_of_work, account) if m.cause_event_id == envelope.event_id}
        assert told <= posted, type(event).__name__


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.EMAIL, Channel.INBOX])
async def test_a_one_time_code_never_reaches_the_inbox(unit_of_work, channel):
    account = await physician(unit_of_work)
    destination = {Channel.SMS: PHONE, Channel.EMAIL: EMAIL, Channel.INBOX: ""}[channel]
    code = VerificationCodeIssued(
        account_id=account,
        channel=channel,
        destination=destination,
        purpose=CodePurpose.ACTIVATION,
        code="604218",
        expires_at=datetime.now(UTC) + timedelta(minutes=30),
    )

    envelope = await apply(unit_of_work, code)

    assert [m for m in await inbox_of(unit_of_work, account) if m.cause_event_id == envelope.event_id] == []
    assert all("604218" not in m.body for m in await inbox_of(unit_of_work, account))
    [delivery] = await sent_for(unit_of_work, envelope)
    if channel is Channel.INBOX:  # refused, and the refusal recorded, so identity's mistake is seen
        assert delivery.status == "failed"
        assert "inbox" in delivery.last_error
        assert "604218" not in delivery.body
    else:
        assert delivery.status == "pending" and delivery.channel == channel.value


async def test_a_verification_link_never_reaches_the_inbox(unit_of_work):
    account = await physician(unit_of_work)
    link = "https://regsys.example/verify-email?token=c2VjcmV0LXRva2Vu"
    issued = EmailVerificationLinkIssued(
        account_id=account, email=EMAIL, link=link, expires_at=datetime.now(UTC) + timedelta(hours=1)
    )

    envelope = await apply(unit_of_work, issued)

    assert [m for m in await inbox_of(unit_of_work, account) if m.cause_event_id == envelope.event_id] == []
    assert [r.channel for r in await sent_for(unit_of_work, envelope)] == ["email"]
