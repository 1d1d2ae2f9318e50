"""Codes and verification links reach people by real SMTP and the SMS sink, once, however often they arrive."""

import json
import re
import secrets
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.exceptions import InvalidTag

from contracts import Envelope
from contracts.enums import Channel, CodePurpose
from contracts.identity.v1 import EmailVerificationLinkIssued, VerificationCodeIssued
from notifications.domain.deliveries import ERASED
from regsys_runtime.sealing import SEALED_DELIVERY_PREFIX, DeliverySealer, SealedWithoutKey

from .conftest import handlers_in

pytestmark = pytest.mark.integration

HANDLERS = handlers_in("zh")


def envelope_of(event) -> Envelope:
    return Envelope.wrap(event, producer="identity", subject_id=str(uuid.uuid4()), correlation_id="test")


def code_issued(channel: Channel, destination: str, purpose=CodePurpose.VERIFY_PHONE, code="042917") -> Envelope:
    return envelope_of(
        VerificationCodeIssued(
            account_id=uuid.uuid4(),
            channel=channel,
            destination=destination,
            purpose=purpose,
            code=code,
            expires_at=datetime.now(UTC) + timedelta(minutes=10),
        )
    )


async def apply(unit_of_work, envelope: Envelope, handlers=HANDLERS) -> None:
    """What the consumer does with one event, without its inbox check (as if the inbox were lost)."""
    event = envelope.open()
    async with unit_of_work() as uow:
        await handlers[type(event)](uow, event, envelope)
        await uow.commit()


async def test_an_email_code_is_sent_through_real_smtp_and_read_back(unit_of_work, worker, mail_server):
    envelope = code_issued(Channel.EMAIL, "zhang.wei@example.cn", purpose=CodePurpose.VERIFY_EMAIL, code="305118")
    await apply(unit_of_work, envelope)

    assert await worker.deliver_due() == 1

    [message] = mail_server.to("zhang.wei@example.cn")
    assert message["Subject"] == "邮箱验证码"
    text = message.get_content()
    assert re.findall(r"(?<!\d)\d{6}(?!\d)", text) == ["305118"]
    [delivery] = await worker.deliveries()
    assert delivery.status == "sent"
    assert delivery.body == ERASED, "a delivered code is not kept at rest"
    assert await worker.outbox_types() == ["notifications.message_delivered"]


async def test_a_redelivered_event_sends_nothing_more(unit_of_work, worker, mail_server):
    envelope = code_issued(Channel.EMAIL, "li.na@example.cn")
    await apply(unit_of_work, envelope)
    await worker.deliver_due()
    await apply(unit_of_work, envelope)
    await apply(unit_of_work, envelope)

    assert await worker.deliver_due() == 0
    assert len(mail_server.to("li.na@example.cn")) == 1
    assert len(await worker.deliveries()) == 1


async def test_an_sms_code_goes_to_the_sink_as_one_json_line(unit_of_work, worker, caplog):
    purposes = [CodePurpose.VERIFY_PHONE, CodePurpose.ACTIVATION]
    for purpose, code in zip(purposes, ["118822", "907345"], strict=True):
        await apply(unit_of_work, code_issued(Channel.SMS, "13912345678", purpose=purpose, code=code))

    with caplog.at_level("DEBUG"):
        assert await worker.deliver_due() == 2

    lines = [json.loads(line) for line in worker.sms_path.read_text().splitlines()]
    assert {line["phone"] for line in lines} == {"13912345678"}
    codes = sorted(c for line in lines for c in re.findall(r"(?<!\d)\d{6}(?!\d)", line["text"]))
    assert codes == ["118822", "907345"]
    assert any("激活码" in line["text"] for line in lines)
    assert all(line["text"].startswith("【医师电子化注册】") for line in lines)
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "delivered" in logged
    assert "118822" not in logged and "907345" not in logged, "codes are never logged"
    assert "13912345678" not in logged, "phone numbers are masked in logs"


async def test_an_email_verification_link_arrives_as_a_plain_url(unit_of_work, worker, mail_server):
    link = "https://regsys.example/verify-email?token=Zm9vYmFyLWJhei1xdXV4"
    account = uuid.uuid4()
    event = EmailVerificationLinkIssued(
        account_id=account, email="wang.fang@example.cn", link=link, expires_at=datetime.now(UTC) + timedelta(hours=1)
    )
    await apply(unit_of_work, envelope_of(event))
    await worker.deliver_due()

    [message] = mail_server.to("wang.fang@example.cn")
    assert re.findall(r"https?://\S+", message.get_content()) == [link]


async def test_sealed_codes_and_links_are_opened_with_the_shared_key_and_sent_readable(
    unit_of_work, worker, mail_server
):
    key = secrets.token_urlsafe(32)
    sealer, handlers = DeliverySealer(key), handlers_in("zh", delivery_key=key)
    code = code_issued(
        Channel.EMAIL, "zhao.lei@example.cn", purpose=CodePurpose.VERIFY_EMAIL, code=sealer.seal("730415")
    )
    link = "https://regsys.example/verify-email?token=c2VhbGVkLWxpbms"
    event = EmailVerificationLinkIssued(
        account_id=uuid.uuid4(), email="zhao.lei@example.cn", link=sealer.seal(link),
        expires_at=datetime.now(UTC) + timedelta(hours=1),
    )  # fmt: skip
    assert "730415" not in code.to_bytes().decode() and "c2VhbGVkLWxpbms" not in str(event.link)
    await apply(unit_of_work, code, handlers)
    await apply(unit_of_work, envelope_of(event), handlers)
    assert await worker.deliver_due() == 2

    texts = [message.get_content() for message in mail_server.to("zhao.lei@example.cn")]
    assert [code for text in texts for code in re.findall(r"(?<!\d)\d{6}(?!\d)", text)] == ["730415"]
    assert [url for text in texts for url in re.findall(r"https?://\S+", text)] == [link]
    assert not any(SEALED_DELIVERY_PREFIX in text for text in texts)


async def test_a_sealed_code_is_refused_where_no_key_or_another_key_is_set(unit_of_work):
    sealed = code_issued(Channel.EMAIL, "qian.yu@example.cn", code=DeliverySealer(secrets.token_urlsafe(32)).seal("1"))
    with pytest.raises(SealedWithoutKey):
        await apply(unit_of_work, sealed)
    with pytest.raises(InvalidTag):
        await apply(unit_of_work, sealed, handlers_in("zh", delivery_key=secrets.token_urlsafe(32)))


async def test_a_code_that_expired_before_it_could_go_is_failed_not_sent(unit_of_work, worker, mail_server):
    expired = envelope_of(
        VerificationCodeIssued(
            channel=Channel.EMAIL,
            destination="late@example.cn",
            purpose=CodePurpose.RESET_PASSWORD,
            code="555123",
            expires_at=datetime.now(UTC) - timedelta(seconds=1),
        )
    )
    await apply(unit_of_work, expired)
    await worker.deliver_due()

    assert mail_server.to("late@example.cn") == []
    [delivery] = await worker.deliveries()
    assert delivery.status == "failed"
    assert "expired" in delivery.last_error
    assert await worker.outbox_types() == ["notifications.delivery_failed"]
