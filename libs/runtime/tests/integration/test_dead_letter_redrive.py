"""A dead letter, re-driven after its handler is fixed, is applied exactly once; purge leaves none to handle."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from contracts import Envelope
from contracts.identity.v1 import AccountDisabled
from contracts.topics import dead_letter_topic
from devstack.stack import Stack
from regsys_runtime import admin
from regsys_runtime.consumer import EventConsumer
from regsys_runtime.kafka import create_consumer, ensure_topics

pytestmark = pytest.mark.integration


async def eventually(check, timeout: float = 30.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (value := await check()):
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.2)
    return value


def disabled(reason: str) -> Envelope:
    account = uuid.uuid4()
    return Envelope.wrap(
        AccountDisabled(account_id=account, reason=reason), producer="tests", subject_id=str(account),
        correlation_id="redrive",
    )  # fmt: skip


class Handler:
    """Fails on the events it is told are broken, until it is fixed: a bug, then its fix."""

    def __init__(self, scratch, broken: str) -> None:
        self.scratch, self.broken, self.fixed = scratch, broken, False

    async def __call__(self, uow, event: AccountDisabled, envelope: Envelope) -> None:
        if event.reason == self.broken and not self.fixed:
            raise ValueError("a bug in the handler")
        await uow.session.execute(insert(self.scratch.effects).values(event_id=envelope.event_id, note=event.reason))


@pytest.fixture
async def consuming(scratch, producer, prepared_stack: Stack):
    group = f"test-{uuid.uuid4().hex[:8]}"
    topic = f"{group}.account"  # the test's own: no other test's messages reach this group or its dead letters
    bootstrap = prepared_stack.infra.kafka_bootstrap
    await ensure_topics(bootstrap, [topic, dead_letter_topic(group)])
    handler = Handler(scratch, broken=f"bug-{group}")
    kafka = create_consumer(bootstrap, topic, group_id=group, session_timeout_ms=2000, heartbeat_interval_ms=300)
    await kafka.start()
    consumer = EventConsumer(group=group, consumer=kafka, dead_letters=producer,
                             handlers={AccountDisabled: handler}, unit_of_work=scratch.uow,
                             parked=scratch.messaging.parked)  # fmt: skip
    task = asyncio.create_task(consumer.run())
    yield group, topic, handler, consumer
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await kafka.stop()


async def applied(scratch, event_id) -> int:
    async with scratch.engine.connect() as conn:
        query = select(func.count()).where(scratch.effects.c.event_id == event_id)
        return (await conn.execute(query)).scalar_one()


async def test_a_failed_event_is_re_driven_after_the_fix_and_applied_once(scratch, producer, consuming, prepared_stack):
    group, topic, handler, consumer = consuming
    bootstrap = prepared_stack.infra.kafka_bootstrap
    broken = disabled(handler.broken)
    await producer.send_and_wait(topic, broken.to_bytes(), key=broken.subject_id.encode())

    async def its_dead_letter():
        found = [d for d in await admin.list_dead_letters(bootstrap, group) if d.event_id == str(broken.event_id)]
        return found[0] if found else None

    letter = await eventually(its_dead_letter)
    assert letter.source_topic == topic
    assert letter.reason_class == "handler_failed"
    assert "a bug in the handler" in letter.reason
    assert await applied(scratch, broken.event_id) == 0
    assert (
        consumer.metrics.registry.get_sample_value(
            "regsys_dead_letters_total", {"service": group, "topic": topic, "reason": "handler_failed"}
        )
        == 1
    )

    handler.fixed = True
    [sent] = await admin.redrive(bootstrap, group, offset=letter.offset, partition=letter.partition)
    assert sent.event_id == str(broken.event_id)
    await eventually(lambda: _is(applied(scratch, broken.event_id), 1))

    # re-driven again, all of it this time: the inbox keeps it at one, and the pile counts as handled
    await admin.redrive(bootstrap, group)
    marker = disabled("after the second redrive")
    await producer.send_and_wait(topic, marker.to_bytes(), key=broken.subject_id.encode())  # same key: after it
    await eventually(lambda: _is(applied(scratch, marker.event_id), 1))
    assert await applied(scratch, broken.event_id) == 1
    assert await admin.list_dead_letters(bootstrap, group) == []
    duplicates = consumer.metrics.registry.get_sample_value(
        "regsys_consumer_events_total",
        {"service": group, "topic": topic, "event_type": broken.event_type, "outcome": "duplicate"},
    )
    assert duplicates and duplicates >= 1


async def test_purge_marks_the_pile_handled_and_new_dead_letters_still_show(producer, consuming, prepared_stack):
    group, topic, handler, _ = consuming
    bootstrap = prepared_stack.infra.kafka_bootstrap
    for _ in range(2):
        poison = disabled(handler.broken)
        await producer.send_and_wait(topic, poison.to_bytes(), key=poison.subject_id.encode())
    await eventually(lambda: _has(admin.list_dead_letters(bootstrap, group), 2))

    assert await admin.purge_dead_letters(bootstrap, group) == 2
    assert await admin.list_dead_letters(bootstrap, group) == []

    await producer.send_and_wait(dead_letter_topic(group), b"not even json", key=b"k")
    [late] = await eventually(lambda: admin.list_dead_letters(bootstrap, group))
    assert late.event_id is None
    with pytest.raises(LookupError):
        await admin.redrive(bootstrap, group, offset=late.offset + 1000)


async def _is(count, expected: int) -> bool:
    return await count == expected


async def _has(listing, expected: int) -> bool:
    return len(await listing) >= expected


async def test_consumer_lag_is_read_from_the_broker_without_joining_the_group(producer, consuming, scratch,
                                                                              prepared_stack):  # fmt: skip
    group, topic, _, _ = consuming
    bootstrap = prepared_stack.infra.kafka_bootstrap
    event = disabled("counted")
    await producer.send_and_wait(topic, event.to_bytes(), key=event.subject_id.encode())
    await eventually(lambda: _is(applied(scratch, event.event_id), 1))

    async def caught_up():
        lags = await admin.group_lag(bootstrap, group)
        return lags if lags and all(p.lag == 0 for p in lags) else None

    lags = await eventually(caught_up)
    assert {p.topic for p in lags} == {topic}
    assert sum(p.committed or 0 for p in lags) == sum(p.end for p in lags) >= 1


async def test_the_outbox_backlog_counts_what_waits_per_topic(scratch):
    for topic in ("identity.account", "identity.account", "licensing.licence"):
        async with scratch.engine.begin() as conn:
            await conn.execute(insert(scratch.messaging.outbox).values(
                event_id=uuid.uuid4(), topic=topic, key="k", event_type="x", envelope={},
                created_at=datetime.now(UTC) - timedelta(minutes=5),
            ))  # fmt: skip
    backlog = await admin.outbox_backlog(scratch.engine, scratch.messaging)
    assert backlog.unpublished == 3
    assert backlog.by_topic == {"identity.account": 2, "licensing.licence": 1}
    assert backlog.oldest_age_seconds >= 300
