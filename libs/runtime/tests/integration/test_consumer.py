"""The idempotent consumer: an event applied once however often it arrives; bad messages dead-lettered."""

import asyncio
import uuid

import pytest
from sqlalchemy import func, insert, select

from contracts import Envelope
from contracts.identity.v1 import AccountDisabled
from contracts.topics import Topic, dead_letter_topic
from devstack.stack import Stack
from regsys_runtime.consumer import EventConsumer
from regsys_runtime.kafka import create_consumer, ensure_topics

pytestmark = pytest.mark.integration

TOPIC = Topic.IDENTITY_ACCOUNT.value


async def count_effects(scratch, event_id) -> int:
    effects = scratch.effects
    async with scratch.engine.connect() as conn:
        return (await conn.execute(select(func.count()).where(effects.c.event_id == event_id))).scalar_one()


async def eventually(check, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, "timed out waiting for the consumer"
        await asyncio.sleep(0.1)


@pytest.fixture
async def running_consumer(scratch, producer, prepared_stack: Stack):
    group = f"test-{uuid.uuid4().hex[:8]}"
    await ensure_topics(prepared_stack.infra.kafka_bootstrap, [dead_letter_topic(group)])

    async def record_effect(uow, event: AccountDisabled, envelope: Envelope) -> None:
        if event.reason == "poison":
            raise ValueError("this event cannot be applied")
        await uow.session.execute(insert(scratch.effects).values(event_id=envelope.event_id, note=event.reason))

    kafka = create_consumer(
        prepared_stack.infra.kafka_bootstrap, TOPIC, group_id=group, session_timeout_ms=2000, heartbeat_interval_ms=300
    )
    await kafka.start()
    consumer = EventConsumer(
        group=group,
        consumer=kafka,
        dead_letters=producer,
        handlers={AccountDisabled: record_effect},
        unit_of_work=scratch.uow,
        parked=scratch.messaging.parked,
    )
    task = asyncio.create_task(consumer.run())
    yield group
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await kafka.stop()


def disabled(reason: str) -> Envelope:
    account = uuid.uuid4()
    return Envelope.wrap(
        AccountDisabled(account_id=account, reason=reason),
        producer="tests",
        subject_id=str(account),
        correlation_id="test",
    )


async def test_the_same_event_three_times_is_applied_once(scratch, producer, running_consumer):
    envelope = disabled("thrice")
    marker = disabled("after")
    for _ in range(3):
        await producer.send_and_wait(TOPIC, envelope.to_bytes(), key=envelope.subject_id.encode())
    await producer.send_and_wait(TOPIC, marker.to_bytes(), key=envelope.subject_id.encode())

    async def marker_applied() -> bool:
        return await count_effects(scratch, marker.event_id) == 1

    await eventually(marker_applied)
    assert await count_effects(scratch, envelope.event_id) == 1
    inbox = scratch.messaging.inbox
    async with scratch.engine.connect() as conn:
        rows = (await conn.execute(select(inbox.c.consumer).where(inbox.c.event_id == envelope.event_id))).all()
    assert [r.consumer for r in rows] == [running_consumer]


async def test_malformed_and_unappliable_messages_go_to_the_dead_letter_topic(
    scratch, producer, running_consumer, topic_reader, prepared_stack
):
    from aiokafka import AIOKafkaConsumer

    dlq = AIOKafkaConsumer(
        dead_letter_topic(running_consumer),
        bootstrap_servers=prepared_stack.infra.kafka_bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await dlq.start()
    key = uuid.uuid4().hex.encode()
    poison = disabled("poison")
    after = disabled("after the bad ones")
    try:
        await producer.send_and_wait(TOPIC, b"{this is not json", key=key)
        await producer.send_and_wait(TOPIC, poison.to_bytes(), key=key)
        await producer.send_and_wait(TOPIC, after.to_bytes(), key=key)

        async def consumer_went_on() -> bool:
            return await count_effects(scratch, after.event_id) == 1

        await eventually(consumer_went_on)
        letters = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 20
        while len(letters) < 2 and loop.time() < deadline:
            for records in (await dlq.getmany(timeout_ms=200)).values():
                letters += records
    finally:
        await dlq.stop()
    reasons = {r.value: dict(r.headers)["dead_letter_reason"].decode() for r in letters}
    assert set(reasons) == {b"{this is not json", poison.to_bytes()}
    assert "not an event envelope" in reasons[b"{this is not json"]
    assert "could not be applied" in reasons[poison.to_bytes()]
    assert "this event cannot be applied" in reasons[poison.to_bytes()]
    assert await count_effects(scratch, poison.event_id) == 0


async def test_a_consumer_whose_kafka_client_broke_consumes_again_when_run_again(scratch, producer, prepared_stack):
    """The campaign's finding: after a broker cut aiokafka's coordinator kept the closed transport's error and
    raised it from every getmany, so a consumer restarted on the same client never applied another event. Here
    the client breaks (stopped under the running consumer); run again, the consumer takes a new one and goes on."""
    group = f"test-{uuid.uuid4().hex[:8]}"
    await ensure_topics(prepared_stack.infra.kafka_bootstrap, [dead_letter_topic(group)])

    async def record_effect(uow, event: AccountDisabled, envelope: Envelope) -> None:
        await uow.session.execute(insert(scratch.effects).values(event_id=envelope.event_id, note=event.reason))

    def connect():
        return create_consumer(
            prepared_stack.infra.kafka_bootstrap, TOPIC, group_id=group, session_timeout_ms=2000,
            heartbeat_interval_ms=300,
        )  # fmt: skip

    broken = connect()
    await broken.start()
    consumer = EventConsumer(
        group=group, consumer=broken, dead_letters=producer, handlers={AccountDisabled: record_effect},
        unit_of_work=scratch.uow, parked=scratch.messaging.parked, reconnect=connect,
    )  # fmt: skip
    first = asyncio.create_task(consumer.run())
    await asyncio.sleep(1)
    await broken.stop()
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever aiokafka raises from a client that broke
        await asyncio.wait_for(first, timeout=20)
    again = asyncio.create_task(consumer.run())  # as the supervisor runs it again
    try:
        after = disabled("after the break")
        await producer.send_and_wait(TOPIC, after.to_bytes(), key=after.subject_id.encode())
        await eventually(lambda: _applied(scratch, after.event_id), timeout=30)
        assert consumer.kafka is not broken
    finally:
        again.cancel()
        await asyncio.gather(again, return_exceptions=True)
        await consumer.kafka.stop()


async def _applied(scratch, event_id) -> bool:
    return await count_effects(scratch, event_id) == 1


async def test_an_inbox_row_carries_the_time_it_was_applied(scratch):
    """The inbox's applied_at was a constant (a quoted 'now()' default, taken at the migration): retention, which
    goes by it, would take every row as old as the schema and let a replayed event be applied again."""
    times = []
    for _ in range(2):
        async with scratch.uow() as uow:
            await uow.record_applied(consumer="tests", envelope=disabled("timed"))
            await uow.commit()
        async with scratch.engine.connect() as conn:
            times.append((await conn.execute(select(func.max(scratch.messaging.inbox.c.applied_at)))).scalar_one())
        await asyncio.sleep(0.05)
    assert times[1] > times[0]
