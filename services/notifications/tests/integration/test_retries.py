"""Provider failures: retried with backoff kept in the table, then a final failed state with the reason."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from contracts import Envelope
from contracts.enums import Channel, CodePurpose
from contracts.identity.v1 import VerificationCodeIssued
from notifications.adapters.tables import deliveries

from .conftest import handlers_in, make_worker

pytestmark = pytest.mark.integration

HANDLERS = handlers_in("en")


async def queue_code(unit_of_work, channel: Channel, destination: str, code: str = "204863") -> Envelope:
    event = VerificationCodeIssued(
        account_id=uuid.uuid4(),
        channel=channel,
        destination=destination,
        purpose=CodePurpose.VERIFY_EMAIL,
        code=code,
        expires_at=datetime.now(UTC) + timedelta(minutes=10),
    )
    envelope = Envelope.wrap(event, producer="identity", subject_id=str(event.account_id), correlation_id="test")
    async with unit_of_work() as uow:
        await HANDLERS[VerificationCodeIssued](uow, event, envelope)
        await uow.commit()
    return envelope


async def test_a_server_that_refuses_then_accepts_shows_the_retry(unit_of_work, worker, mail_server):
    mail_server.refuse_first = 1
    await queue_code(unit_of_work, Channel.EMAIL, "retry@example.cn")

    await worker.deliver_due()
    [delivery] = await worker.deliveries()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error.startswith("mail server answered 451")
    assert mail_server.to("retry@example.cn") == []

    await worker.deliver_due()
    [delivery] = await worker.deliveries()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    [message] = mail_server.to("retry@example.cn")
    assert "204863" in message.get_content()
    assert mail_server.attempts == 2
    assert await worker.outbox_types() == ["notifications.message_delivered"]


async def test_the_next_attempt_waits_for_the_backoff_stored_in_the_table(unit_of_work, redis, mail_server, tmp_path):
    mail_server.refuse_first = 1
    await queue_code(unit_of_work, Channel.EMAIL, "later@example.cn")
    patient = make_worker(
        unit_of_work=unit_of_work,
        redis=redis,
        mail_port=mail_server.port,
        sms_path=tmp_path / "s",
        backoff_seconds=3600,
    )

    await patient.deliver_due()
    assert await patient.deliver_due() == 0, "not due again before its backoff"
    [delivery] = await patient.deliveries()
    assert timedelta(minutes=59) < delivery.next_attempt_at - datetime.now(UTC) <= timedelta(hours=1)

    # a restarted worker finds the backoff where the last one left it, and resumes when it is due
    async with unit_of_work() as uow:
        await uow.session.execute(update(deliveries).values(next_attempt_at=datetime.now(UTC)))
        await uow.commit()
    assert await patient.deliver_due() == 1
    assert len(mail_server.to("later@example.cn")) == 1


async def test_a_permanent_refusal_fails_at_once_with_the_reason(unit_of_work, worker, mail_server):
    mail_server.refuse_first = 5
    mail_server.refusal = "550 5.1.1 No such mailbox"
    await queue_code(unit_of_work, Channel.EMAIL, "nobody@example.cn")

    await worker.deliver_due()

    [delivery] = await worker.deliveries()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.last_error == "mail server answered 550: 5.1.1 No such mailbox"
    assert await worker.outbox_types() == ["notifications.delivery_failed"]


async def test_after_the_last_attempt_the_delivery_fails_with_the_last_reason(unit_of_work, worker, mail_server):
    mail_server.refuse_first = 99
    await queue_code(unit_of_work, Channel.EMAIL, "busy@example.cn")

    for _ in range(5):
        await worker.deliver_due()

    [delivery] = await worker.deliveries()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert delivery.last_error.startswith("mail server answered 451")
    assert mail_server.attempts == 3
    assert await worker.outbox_types() == ["notifications.delivery_failed"]


async def test_an_unreachable_server_is_retried(unit_of_work, redis, tmp_path):
    from devstack.processes import free_port

    nowhere = make_worker(unit_of_work=unit_of_work, redis=redis, mail_port=free_port(), sms_path=tmp_path / "s")
    await queue_code(unit_of_work, Channel.EMAIL, "void@example.cn")

    await nowhere.deliver_due()

    [delivery] = await nowhere.deliveries()
    assert delivery.status == "pending"
    assert delivery.last_error.startswith("mail server unreachable")


async def test_two_workers_at_once_send_each_message_once(unit_of_work, redis, mail_server, tmp_path):
    addresses = [f"r{n}@example.cn" for n in range(12)]
    for address in addresses:
        await queue_code(unit_of_work, Channel.EMAIL, address)
    replicas = [
        make_worker(unit_of_work=unit_of_work, redis=redis, mail_port=mail_server.port, sms_path=tmp_path / f"s{n}")
        for n in range(2)
    ]

    while sum(await asyncio.gather(*(r.deliver_due() for r in replicas))):
        pass

    assert sorted(m["To"] for m in mail_server.received) == sorted(addresses)
    assert {d.status for d in await replicas[0].deliveries()} == {"sent"}
