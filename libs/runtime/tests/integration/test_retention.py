"""Retention removes published outbox rows and applied-event rows past their windows, and nothing else."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from regsys_runtime.retention import RetentionWindows, purge_once

pytestmark = pytest.mark.integration

HOUR = 3600.0
WEEK = 7 * 24 * HOUR


async def add_outbox(scratch, *, published_ago: timedelta | None, created_ago: timedelta) -> uuid.UUID:
    event_id, now = uuid.uuid4(), datetime.now(UTC)
    row = {"event_id": event_id, "topic": "identity.account", "key": "k", "event_type": "t", "envelope": {},
           "created_at": now - created_ago,
           "published_at": None if published_ago is None else now - published_ago}  # fmt: skip
    async with scratch.engine.begin() as conn:
        await conn.execute(insert(scratch.messaging.outbox).values(**row))
    return event_id


async def add_inbox(scratch, *, applied_ago: timedelta, consumer: str = "tests") -> uuid.UUID:
    event_id = uuid.uuid4()
    inbox = scratch.messaging.inbox
    async with scratch.engine.begin() as conn:
        await conn.execute(insert(inbox).values(consumer=consumer, event_id=event_id, event_type="t"))
        await conn.execute(
            update(inbox).where(inbox.c.event_id == event_id).values(applied_at=datetime.now(UTC) - applied_ago)
        )
    return event_id


async def remaining(scratch) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    async with scratch.engine.connect() as conn:
        outbox = set((await conn.execute(select(scratch.messaging.outbox.c.event_id))).scalars())
        inbox = set((await conn.execute(select(scratch.messaging.inbox.c.event_id))).scalars())
    return outbox, inbox


async def test_only_published_outbox_rows_and_inbox_rows_past_their_windows_go(scratch):
    old_published = await add_outbox(scratch, published_ago=timedelta(hours=2), created_ago=timedelta(hours=2))
    fresh_published = await add_outbox(scratch, published_ago=timedelta(minutes=50), created_ago=timedelta(hours=3))
    old_unpublished = await add_outbox(scratch, published_ago=None, created_ago=timedelta(days=30))
    old_applied = await add_inbox(scratch, applied_ago=timedelta(days=8))
    fresh_applied = await add_inbox(scratch, applied_ago=timedelta(days=6, hours=23))

    purged = await purge_once(scratch.engine, scratch.messaging, RetentionWindows(HOUR, WEEK, batch_size=10))

    assert purged == {"outbox": 1, "inbox": 1}
    outbox, inbox = await remaining(scratch)
    assert outbox == {fresh_published, old_unpublished}  # an event still owed to the broker stays, however old
    assert old_published not in outbox
    assert inbox == {fresh_applied}
    assert old_applied not in inbox


async def test_replicas_purging_at_once_share_the_rows_in_batches(scratch):
    two_hours = timedelta(hours=2)
    old = [await add_outbox(scratch, published_ago=two_hours, created_ago=two_hours) for _ in range(23)]
    applied = [await add_inbox(scratch, applied_ago=timedelta(days=9), consumer=f"c{i % 3}") for i in range(17)]
    kept = await add_outbox(scratch, published_ago=None, created_ago=timedelta(hours=5))
    windows = RetentionWindows(HOUR, WEEK, batch_size=4)

    rounds = await asyncio.gather(*(purge_once(scratch.engine, scratch.messaging, windows) for _ in range(3)))

    assert sum(r["outbox"] for r in rounds) == len(old)  # every row deleted once, none twice, no error
    assert sum(r["inbox"] for r in rounds) == len(applied)
    assert await remaining(scratch) == ({kept}, set())
