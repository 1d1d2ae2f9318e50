# ruff: noqa: S608 - table names are this module's constants, never input
"""The ceilings: the same work done by the bare tool, with none of regsys around it (run in a subprocess)."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg


def argon2_verify(seconds: float) -> dict[str, Any]:
    """Raw Argon2id verifications per second in one thread, with identity's parameters (its PasswordHasher()
    is argon2-cffi's default: the library's recommended cost)."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    digest = hasher.hash("Practice2026")
    hasher.verify(digest, "Practice2026")
    done, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        hasher.verify(digest, "Practice2026")
        done += 1
    return {"ok": done, "elapsed": time.monotonic() - started,
            "parameters": f"t={hasher.time_cost} m={hasher.memory_cost} KiB p={hasher.parallelism}"}  # fmt: skip


SCHEMA = "bench_ceiling"


async def _submission_rows(database_url: str, count: int, concurrency: int) -> dict[str, Any]:
    """The rows one submission writes (the application updated, two history rows, the outbox row), in one
    transaction each, by asyncpg alone, in copies of applications' tables."""
    admin = await asyncpg.connect(database_url)
    try:
        await admin.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
        for table in ("applications", "application_history", "outbox"):
            await admin.execute(f"CREATE TABLE {SCHEMA}.{table} (LIKE applications.{table} INCLUDING ALL)")
        ids = [uuid.uuid4() for _ in range(count)]
        now = datetime.now(UTC)
        await admin.executemany(
            f"INSERT INTO {SCHEMA}.applications (id, account_id, application_type, status, institution_id, category,"
            " details, updated_at) VALUES ($1, $2, 'initial_registration', 'draft', $3, 'clinical', $4, $5)",
            [(i, uuid.uuid4(), uuid.uuid4(), json.dumps({"practice_scope": "内科专业"}), now) for i in ids],
        )
        sample = await admin.fetchval("SELECT envelope::text FROM applications.outbox ORDER BY id DESC LIMIT 1")
    finally:
        await admin.close()
    envelope = sample or json.dumps({"payload": {"x": "y" * 600}})
    pool = await asyncpg.create_pool(database_url, min_size=concurrency, max_size=concurrency)
    assert pool is not None
    latencies: list[float] = []

    async def one(application_id: uuid.UUID) -> None:
        async with pool.acquire() as conn:
            started = time.perf_counter()
            at = datetime.now(UTC)
            async with conn.transaction():
                await conn.execute(
                    f"UPDATE {SCHEMA}.applications SET status = 'institution_review', submitted_at = $2,"
                    " updated_at = $2, affects = 'registration' WHERE id = $1",
                    application_id, at,
                )  # fmt: skip
                for status, actor in (("submitted", "physician"), ("institution_review", "system")):
                    await conn.execute(
                        f"INSERT INTO {SCHEMA}.application_history (id, application_id, status, actor, at, outcome)"
                        " VALUES ($1, $2, $3, $4, $5, 'submit')",
                        uuid.uuid4(), application_id, status, actor, at,
                    )  # fmt: skip
                await conn.execute(
                    f"INSERT INTO {SCHEMA}.outbox (event_id, topic, key, event_type, envelope, created_at)"
                    " VALUES ($1, 'applications.v1', $2, 'ApplicationSubmitted', $3, $4)",
                    uuid.uuid4(), str(application_id), envelope, at,
                )  # fmt: skip
            latencies.append(time.perf_counter() - started)

    gate = asyncio.Semaphore(concurrency)

    async def gated(application_id: uuid.UUID) -> None:
        async with gate:
            await one(application_id)

    started = time.monotonic()
    await asyncio.gather(*(gated(i) for i in ids))
    elapsed = time.monotonic() - started
    await pool.close()
    admin = await asyncpg.connect(database_url)
    try:
        await admin.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
    finally:
        await admin.close()
    return {"ok": len(latencies), "elapsed": elapsed, "latencies": latencies}


def submission_rows(database_url: str, count: int, concurrency: int) -> dict[str, Any]:
    return asyncio.run(_submission_rows(database_url, count, concurrency))


async def _produce_consume(database_url: str, bootstrap: str, count: int) -> dict[str, Any]:
    """A commit (the decision and its outbox row), produce -> consume on the same broker, a commit (the task)."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    from regsys_runtime.kafka import ensure_topics

    topic = f"bench.handoff.{uuid.uuid4().hex[:8]}"
    await ensure_topics(bootstrap, [topic], partitions=1)
    conn = await asyncpg.connect(database_url)
    await conn.execute(f"CREATE TEMP TABLE {SCHEMA}_rows (id uuid PRIMARY KEY, at timestamptz NOT NULL)")
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=f"bench-{uuid.uuid4().hex[:6]}",
                                auto_offset_reset="earliest", fetch_max_wait_ms=5)  # fmt: skip
    await producer.start()
    await consumer.start()
    latencies: list[float] = []
    try:
        for n in range(count + 3):  # three warm-up round trips
            started = time.perf_counter()
            key = uuid.uuid4()
            async with conn.transaction():
                await conn.execute(f"INSERT INTO {SCHEMA}_rows VALUES ($1, now())", key)
            await producer.send_and_wait(topic, key.bytes, key=key.bytes)
            message = await asyncio.wait_for(consumer.getone(), timeout=30)
            async with conn.transaction():
                await conn.execute(
                    f"INSERT INTO {SCHEMA}_rows VALUES ($1, now())", uuid.uuid5(uuid.UUID(bytes=message.value), "t")
                )
            if n >= 3:
                latencies.append(time.perf_counter() - started)
    finally:
        await consumer.stop()
        await producer.stop()
        await conn.close()
    return {"latencies": latencies}


def produce_consume(database_url: str, bootstrap: str, count: int) -> dict[str, Any]:
    return asyncio.run(_produce_consume(database_url, bootstrap, count))
