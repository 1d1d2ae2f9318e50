"""Through the real broker: an event published three times is told once, and the mail goes once."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from contracts import Envelope
from contracts.enums import Channel, CodePurpose
from contracts.identity.v1 import VerificationCodeIssued
from contracts.topics import Topic, dead_letter_topic
from devstack.infra import Infra
from devstack.stack import Stack
from notifications.adapters.tables import messaging
from regsys_runtime.consumer import EventConsumer
from regsys_runtime.kafka import create_consumer, create_producer, ensure_topics
from regsys_runtime.sealing import DeliverySealer

from .conftest import handlers_in

pytestmark = pytest.mark.integration


@pytest.fixture
async def consumer(infra: Infra, unit_of_work, prepared_stack: Stack):
    group = f"notifications-test-{uuid.uuid4().hex[:8]}"
    await ensure_topics(infra.kafka_bootstrap, [Topic.IDENTITY_ACCOUNT.value, dead_letter_topic(group)])
    producer = create_producer(infra.kafka_bootstrap, client_id="tests")
    await producer.start()
    kafka = create_consumer(
        infra.kafka_bootstrap,
        Topic.IDENTITY_ACCOUNT.value,
        group_id=group,
        session_timeout_ms=2000,
        heartbeat_interval_ms=300,
    )
    await kafka.start()
    consumer = EventConsumer(
        group=group,
        consumer=kafka,
        dead_letters=producer,
        # the topic holds every suite's codes, sealed with the stack's key as notifications itself opens them
        handlers=handlers_in("zh", delivery_key=prepared_stack.secrets["CODE_DELIVERY_KEY"]),
        unit_of_work=unit_of_work,
        parked=messaging.parked,
    )
    task = asyncio.create_task(consumer.run())
    yield producer
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await kafka.stop()
    await producer.stop()


def code_for(address: str, stack: Stack) -> Envelope:
    """A code as identity sends it: sealed with the stack's key (the broker never carries a readable one)."""
    event = VerificationCodeIssued(
        account_id=uuid.uuid4(),
        channel=Channel.EMAIL,
        destination=address,
        purpose=CodePurpose.VERIFY_EMAIL,
        code=DeliverySealer(stack.secrets["CODE_DELIVERY_KEY"]).seal("318204"),
        expires_at=datetime.now(UTC) + timedelta(minutes=10),
    )
    return Envelope.wrap(event, producer="identity", subject_id=str(event.account_id), correlation_id="t")


async def test_an_event_delivered_three_times_sends_one_email(consumer, worker, mail_server, prepared_stack: Stack):
    producer = consumer
    thrice, last = f"thrice-{uuid.uuid4().hex[:8]}@example.cn", f"marker-{uuid.uuid4().hex[:8]}@example.cn"
    envelope, marker = code_for(thrice, prepared_stack), code_for(last, prepared_stack)
    for message in (envelope, envelope, envelope, marker):  # one key: one partition, consumed in this order
        await producer.send_and_wait(Topic.IDENTITY_ACCOUNT.value, message.to_bytes(), key=b"one-person")

    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    # the topic may hold other tests' events too: wait for the marker, which comes after the three copies
    while last not in {d.recipient for d in await worker.deliveries()}:
        assert loop.time() < deadline, "the consumer did not queue the delivery"
        await asyncio.sleep(0.1)
    while await worker.deliver_due():
        pass

    assert [m["Subject"] for m in mail_server.to(thrice)] == ["邮箱验证码"]
    assert [d.recipient for d in await worker.deliveries() if d.recipient in (thrice, last)].count(thrice) == 1
