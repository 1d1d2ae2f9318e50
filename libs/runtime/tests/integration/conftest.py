"""A scratch schema per test, with the outbox and inbox, on the run's real Postgres and broker."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import Column, Table, Text, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from contracts import Envelope
from devstack.stack import Stack
from regsys_runtime.db import UnitOfWork, create_engine, schema_metadata
from regsys_runtime.kafka import create_producer
from regsys_runtime.messaging_tables import MessagingTables, messaging_tables, outbox_notify_ddl
from regsys_runtime.runtime import asyncpg_dsn


@dataclass
class Scratch:
    schema: str
    engine: AsyncEngine
    messaging: MessagingTables
    effects: Table
    dsn: str

    def uow(self) -> UnitOfWork:
        return UnitOfWork(
            async_sessionmaker(self.engine, expire_on_commit=False), producer="tests", messaging=self.messaging
        )


@pytest.fixture
async def scratch(prepared_stack: Stack) -> AsyncIterator[Scratch]:
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = prepared_stack.infra.postgres_admin_url
    url = admin.replace("postgresql://", "postgresql+asyncpg://", 1).rsplit("/", 1)[0] + f"/{prepared_stack.database}"
    engine = create_engine(url, pool_size=5)
    metadata = schema_metadata(schema)
    messaging = messaging_tables(metadata)
    effects = Table("effects", metadata, Column("event_id", UUID(as_uuid=True)), Column("note", Text))
    async with engine.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
        await conn.run_sync(metadata.create_all)
        for ddl in outbox_notify_ddl(schema):
            await conn.execute(text(ddl))
    yield Scratch(schema, engine, messaging, effects, asyncpg_dsn(url))
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    await engine.dispose()


@pytest.fixture
async def producer(prepared_stack: Stack) -> AsyncIterator[AIOKafkaProducer]:
    producer = create_producer(prepared_stack.infra.kafka_bootstrap, client_id="tests")
    await producer.start()
    yield producer
    await producer.stop()


class TopicReader:
    """Reads a topic from the offsets it had when the reader was made (a test sees only its own era)."""

    def __init__(self, consumer: AIOKafkaConsumer) -> None:
        self.consumer = consumer

    async def read_until(self, done: Callable[[list[Envelope]], bool], timeout: float = 20) -> list[Envelope]:
        seen: list[Envelope] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline and not done(seen):
            batches = await self.consumer.getmany(timeout_ms=200)
            for records in batches.values():
                seen += [Envelope.from_bytes(r.value) for r in records]
        return seen


@pytest.fixture
async def topic_reader(prepared_stack: Stack) -> AsyncIterator[Callable[[str], Awaitable[TopicReader]]]:
    readers: list[AIOKafkaConsumer] = []

    async def make(topic: str) -> TopicReader:
        consumer = AIOKafkaConsumer(bootstrap_servers=prepared_stack.infra.kafka_bootstrap, enable_auto_commit=False)
        await consumer.start()
        readers.append(consumer)
        await consumer.topics()  # loads the cluster metadata
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        assert partitions, f"topic {topic} does not exist"
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        for tp in partitions:
            await consumer.position(tp)  # fix the end offsets now, before the test publishes
        return TopicReader(consumer)

    yield make
    for consumer in readers:
        await consumer.stop()
