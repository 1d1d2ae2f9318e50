"""An event that comes before what it depends on is parked, not dead-lettered, and holds up no other event; it is
applied once its prerequisite has come, or dead-lettered when it never does."""

import asyncio
import uuid
from collections import Counter

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import NotLeaderForPartitionError
from sqlalchemy import func, insert, select

from contracts import Envelope
from contracts.identity.v1 import AccountDisabled
from contracts.topics import Topic, dead_letter_topic
from devstack.stack import Stack
from regsys_runtime.consumer import EventConsumer
from regsys_runtime.errors import NotYet
from regsys_runtime.kafka import create_consumer, ensure_topics

pytestmark = pytest.mark.integration

TOPIC = Topic.IDENTITY_ACCOUNT.value


def disabled(reason: str) -> Envelope:
    account = uuid.uuid4()
    return Envelope.wrap(
        AccountDisabled(account_id=account, reason=reason),
        producer="tests",
        subject_id=str(account),
        correlation_id="t",
    )


async def send(producer, envelope: Envelope, *, key: str) -> None:
    """Publish, again after a moment when the development broker answers that a partition's leader moved (it
    does while a test's new dead-letter topic is being created); any other failure fails the test."""
    for _ in range(4):
        try:
            await producer.send_and_wait(TOPIC, envelope.to_bytes(), key=key.encode())
            return
        except NotLeaderForPartitionError:
            await asyncio.sleep(0.5)
    await producer.send_and_wait(TOPIC, envelope.to_bytes(), key=key.encode())


async def effects_of(scratch, event_id) -> int:
    async with scratch.engine.connect() as conn:
        return (await conn.execute(select(func.count()).where(scratch.effects.c.event_id == event_id))).scalar_one()


async def until(check, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def dead_letters(stack: Stack, group: str, wait: float) -> list[bytes]:
    dlq = AIOKafkaConsumer(
        dead_letter_topic(group), bootstrap_servers=stack.infra.kafka_bootstrap, auto_offset_reset="earliest"
    )
    await dlq.start()
    letters: list[bytes] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while loop.time() < deadline:
            for records in (await dlq.getmany(timeout_ms=200)).values():
                letters += [r.value for r in records]
    finally:
        await dlq.stop()
    return letters


@pytest.fixture
def prerequisite_wait() -> float:
    """Long enough that a loaded machine never gives up on a prerequisite a test is about to bring."""
    return 30.0


@pytest.fixture
async def early_consumer(scratch, producer, prepared_stack: Stack, prerequisite_wait: float):
    """A consumer whose handler refuses an event as early until its prerequisite (a name in `arrived`) is there."""
    group = f"test-{uuid.uuid4().hex[:8]}"
    await ensure_topics(prepared_stack.infra.kafka_bootstrap, [dead_letter_topic(group)])
    arrived: set[str] = set()
    tries: Counter[str] = Counter()

    async def apply_when_ready(uow, event: AccountDisabled, envelope: Envelope) -> None:
        tries[event.reason] += 1
        if event.reason.startswith("early") and event.reason not in arrived:
            raise NotYet(f"{event.reason} has not arrived")
        await uow.session.execute(insert(scratch.effects).values(event_id=envelope.event_id, note=event.reason))

    kafka = create_consumer(
        prepared_stack.infra.kafka_bootstrap, TOPIC, group_id=group, session_timeout_ms=2000, heartbeat_interval_ms=300
    )
    await kafka.start()
    consumer = EventConsumer(
        group=group,
        consumer=kafka,
        dead_letters=producer,
        handlers={AccountDisabled: apply_when_ready},
        unit_of_work=scratch.uow,
        parked=scratch.messaging.parked,
        prerequisite_wait_seconds=prerequisite_wait,
    )
    tasks = [asyncio.create_task(consumer.run()), asyncio.create_task(consumer.retry_parked())]
    yield group, arrived, tries
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await kafka.stop()


async def parked_count(scratch) -> int:
    async with scratch.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(scratch.messaging.parked))).scalar_one()


async def test_an_early_event_is_parked_and_applied_once_when_its_prerequisite_comes(
    scratch, producer, early_consumer, prepared_stack
):
    group, arrived, _ = early_consumer
    early = disabled("early-approval")
    await send(producer, early, key=early.subject_id)
    await send(producer, early, key=early.subject_id)  # delivered twice

    async def parked_once() -> bool:
        return await parked_count(scratch) == 1

    await until(parked_once)
    arrived.add("early-approval")  # the partner's event is there at last

    async def applied() -> bool:
        return await effects_of(scratch, early.event_id) == 1

    await until(applied)
    assert await parked_count(scratch) == 0
    assert early.to_bytes() not in await dead_letters(prepared_stack, group, wait=1.0)


async def test_events_behind_an_early_one_are_applied_at_once(scratch, producer, early_consumer):
    early = disabled("early-blocker")
    await send(producer, early, key=early.subject_id)
    behind = [disabled(f"behind-{n}") for n in range(3)]
    for envelope in behind:
        await send(producer, envelope, key=early.subject_id)

    async def all_applied() -> bool:
        return all([await effects_of(scratch, envelope.event_id) == 1 for envelope in behind])

    await until(all_applied, timeout=10.0)  # a consumer that waited for the early event would take its whole wait
    assert await effects_of(scratch, early.event_id) == 0


@pytest.mark.parametrize("prerequisite_wait", [4.0])
async def test_an_event_whose_prerequisite_never_comes_is_dead_lettered_after_the_wait(
    scratch, producer, early_consumer, prepared_stack
):
    group, _, tries = early_consumer
    orphan = disabled("early-never")
    await send(producer, orphan, key=orphan.subject_id)

    async def given_up() -> bool:
        return tries["early-never"] > 1 and await parked_count(scratch) == 0

    await until(given_up)
    assert orphan.to_bytes() in await dead_letters(prepared_stack, group, wait=2.0)
    assert await effects_of(scratch, orphan.event_id) == 0
