"""Kafka clients configured the one way regsys uses them."""

from __future__ import annotations

import contextlib
import logging

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from regsys_runtime.settings import FETCH_MAX_WAIT_MS

log = logging.getLogger(__name__)

# partitions of a new topic (KAFKA_TOPIC_PARTITIONS for provision): a consumer group shares a topic's partitions
# out among its replicas, so a replica beyond this number idles; more than any service is ever scaled to
TOPIC_PARTITIONS = 12
# what the local stack and the tests make on the development broker (Tansu, in memory): with 12 partitions it
# answered sends now and then with NotLeaderForPartition (test_consumer, 2 of 2 CI runs and 1 of 3 local ones; with
# 3, 3 of 3 passed), and no local run has more than three replicas of a consumer
LOCAL_TOPIC_PARTITIONS = 3


def create_producer(bootstrap_servers: str, *, client_id: str) -> AIOKafkaProducer:
    """A producer that waits for every in-sync replica.

    Idempotence stays off: the local broker does not support it, and the outbox relay already tolerates
    duplicates (consumers are idempotent). aiokafka keeps one request in flight per partition, so
    order within a partition holds across retries.
    """
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=False,
        linger_ms=2,
        request_timeout_ms=15_000,
    )


def create_consumer(
    bootstrap_servers: str, *topics: str, group_id: str, session_timeout_ms: int, heartbeat_interval_ms: int,
    fetch_max_wait_ms: int = FETCH_MAX_WAIT_MS,
) -> AIOKafkaConsumer:  # fmt: skip
    """A group consumer whose offsets are committed by hand, after the database commit."""
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        client_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=heartbeat_interval_ms,
        rebalance_timeout_ms=max(session_timeout_ms, 5_000),
        fetch_max_wait_ms=fetch_max_wait_ms,
        isolation_level="read_uncommitted",
    )


async def ensure_topics(
    bootstrap_servers: str,
    topics: list[str] | tuple[str, ...],
    *,
    partitions: int = LOCAL_TOPIC_PARTITIONS,
    replication_factor: int = 1,
) -> None:
    """Create topics that do not exist yet (brokers here never auto-create them)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="regsys-topics")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(name=t, num_partitions=partitions, replication_factor=replication_factor)
            for t in topics
            if t not in existing
        ]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another process created them first
                await admin.create_topics(missing)
            log.info("created topics", extra={"topics": [t.name for t in missing]})
    finally:
        await admin.close()
