"""What an operator asks of a service's messaging: its dead letters, its outbox backlog, its consumer lag.

Dead letters stay in the broker's dead-letter topic (a topic cannot lose one message); what the operator has
dealt with is marked by the committed offsets of a group of its own, `<service>.dead-letters`, so `list` shows
only what is still to handle. `redrive` sends a dead letter back to its source topic as it came: the consumer's
inbox makes it apply once, however often it is re-driven. `purge` moves the mark to the end (the broker's
retention removes the messages themselves).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.topics import dead_letter_topic
from regsys_runtime.consumer import DEAD_LETTER_HEADERS
from regsys_runtime.messaging_tables import MessagingTables

READ_TIMEOUT_SECONDS = 10.0


def mark_group(service: str) -> str:
    """The consumer group whose committed offsets mark the dead letters already dealt with."""
    return f"{service}.dead-letters"


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    dead_lettered_at: datetime
    source_topic: str
    source_partition: int | None
    source_offset: int | None
    reason: str
    reason_class: str
    event_type: str | None
    event_id: str | None
    record: ConsumerRecord

    @classmethod
    def of(cls, record: ConsumerRecord) -> DeadLetter:
        headers = {name: value.decode(errors="replace") for name, value in record.headers or ()}
        event_id = None
        with contextlib.suppress(ValueError, KeyError, TypeError):  # a message that never parsed has no id
            event_id = str(json.loads(record.value)["event_id"])
        number = partial(_number, headers)
        return cls(
            partition=record.partition, offset=record.offset,
            dead_lettered_at=datetime.fromtimestamp(record.timestamp / 1000, UTC),
            source_topic=headers.get("source_topic", ""), source_partition=number("source_partition"),
            source_offset=number("source_offset"), reason=headers.get("dead_letter_reason", ""),
            reason_class=headers.get("dead_letter_class", ""), event_type=headers.get("event_type"),
            event_id=event_id, record=record,
        )  # fmt: skip


def _number(headers: dict[str, str], name: str) -> int | None:
    return int(headers[name]) if headers.get(name, "").isdigit() else None


@asynccontextmanager
async def _reader(bootstrap: str, service: str) -> AsyncIterator[tuple[AIOKafkaConsumer, list[TopicPartition]]]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=mark_group(service), enable_auto_commit=False)
    await consumer.start()
    try:
        topic = dead_letter_topic(service)
        await consumer.topics()
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(partitions)
        yield consumer, partitions
    finally:
        await consumer.stop()


async def _unhandled(consumer: AIOKafkaConsumer, partitions: Sequence[TopicPartition]) -> list[ConsumerRecord]:
    """The records from each partition's mark to its end as it stands now."""
    ends = await consumer.end_offsets(list(partitions))
    starts = await consumer.beginning_offsets(list(partitions))
    records: list[ConsumerRecord] = []
    for tp in partitions:
        consumer.seek(tp, max(await consumer.committed(tp) or 0, starts[tp]))
    pending = {tp for tp in partitions if await consumer.position(tp) < ends[tp]}
    while pending:
        batches = await consumer.getmany(*pending, timeout_ms=int(READ_TIMEOUT_SECONDS * 1000))
        if not batches:
            raise TimeoutError("the dead-letter topic did not answer")
        for tp, batch in batches.items():
            records += [r for r in batch if r.offset < ends[tp]]
            if await consumer.position(tp) >= ends[tp]:
                pending.discard(tp)
    return sorted(records, key=lambda r: (r.timestamp, r.partition, r.offset))


async def list_dead_letters(bootstrap: str, service: str) -> list[DeadLetter]:
    """The service's dead letters not yet re-driven in full or purged, oldest first."""
    async with _reader(bootstrap, service) as (consumer, partitions):
        return [DeadLetter.of(r) for r in await _unhandled(consumer, partitions)]


async def redrive(
    bootstrap: str, service: str, *, offset: int | None = None, partition: int | None = None
) -> list[DeadLetter]:
    """Send dead letters back to their source topics: all of them (then they count as dealt with), or the one at
    `offset` (of `partition`, needed only when two partitions have that offset). Returns what was sent."""
    async with _reader(bootstrap, service) as (consumer, partitions):
        letters = [DeadLetter.of(r) for r in await _unhandled(consumer, partitions)]
        chosen = letters if offset is None else _the_one(letters, offset, partition)
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, client_id=f"{service}-redrive", acks="all")
        await producer.start()
        try:
            for letter in chosen:
                headers = [h for h in letter.record.headers or () if h[0] not in DEAD_LETTER_HEADERS]
                await producer.send_and_wait(
                    letter.source_topic, value=letter.record.value, key=letter.record.key, headers=headers
                )
        finally:
            await producer.stop()
        if offset is None:
            await _mark_handled(consumer, letters)
        return chosen


def _the_one(letters: Sequence[DeadLetter], offset: int, partition: int | None) -> list[DeadLetter]:
    found = [d for d in letters if d.offset == offset and partition in (None, d.partition)]
    if not found:
        raise LookupError(f"no dead letter to handle at offset {offset}")
    if len(found) > 1:
        where = ", ".join(f"{d.partition}:{d.offset}" for d in found)
        raise LookupError(f"offset {offset} is in more than one partition ({where}): say which with --partition")
    return found


async def _mark_handled(consumer: AIOKafkaConsumer, letters: Sequence[DeadLetter]) -> None:
    marks: dict[TopicPartition, int] = {}
    for d in letters:
        tp = TopicPartition(d.record.topic, d.partition)
        marks[tp] = max(marks.get(tp, 0), d.offset + 1)
    if marks:
        await consumer.commit(marks)


async def purge_dead_letters(bootstrap: str, service: str) -> int:
    """Mark every dead letter as dealt with; returns how many there were."""
    async with _reader(bootstrap, service) as (consumer, partitions):
        letters = [DeadLetter.of(r) for r in await _unhandled(consumer, partitions)]
        await _mark_handled(consumer, letters)
        return len(letters)


@dataclass(frozen=True)
class Backlog:
    unpublished: int
    oldest_age_seconds: float
    by_topic: dict[str, int]


async def outbox_backlog(engine: AsyncEngine, messaging: MessagingTables) -> Backlog:
    """What the outbox still owes the broker."""
    o = messaging.outbox
    query = (
        select(o.c.topic, func.count(), func.extract("epoch", func.now() - func.min(o.c.created_at)))
        .where(o.c.published_at.is_(None))
        .group_by(o.c.topic)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    by_topic = {topic: count for topic, count, _ in rows}
    oldest = max((float(age) for _, _, age in rows), default=0.0)
    return Backlog(unpublished=sum(by_topic.values()), oldest_age_seconds=max(0.0, oldest), by_topic=by_topic)


@dataclass(frozen=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        return max(0, self.end - (self.committed or 0))


async def group_lag(bootstrap: str, group: str) -> list[PartitionLag]:
    """The lag of a consumer group on every partition it has committed on, from the outside: the group's offsets
    are read without joining it, so this shows the lag of a group whose consumers are all down."""
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await reader.start()
    try:
        topics = sorted(t for t in await reader.topics() if not t.startswith(("deadletter.", "__")))
        partitions = [TopicPartition(t, p) for t in topics for p in sorted(reader.partitions_for_topic(t) or ())]
        committed = {tp: await reader.committed(tp) for tp in partitions}
        consumed = [tp for tp in partitions if committed[tp] is not None]
        ends = await reader.end_offsets(consumed) if consumed else {}
    finally:
        await reader.stop()
    return [PartitionLag(tp.topic, tp.partition, committed[tp], ends[tp]) for tp in consumed]
