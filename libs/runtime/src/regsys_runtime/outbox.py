"""The outbox relay: publishes committed outbox rows to Kafka, then marks them published.

Several relays (one per replica) can run on one outbox. Each claims a batch with
``FOR UPDATE SKIP LOCKED``; a row whose key has an older unpublished row held by another relay is left
for later, so events of one key reach the broker in outbox order. A relay that dies after publishing
but before marking leaves its rows unpublished, and they are sent again: a duplicate, never a loss.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from regsys_runtime.messaging_tables import TRACE_KEY, MessagingTables
from regsys_runtime.metrics import Metrics
from regsys_runtime.tracing import producer_span

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        messaging: MessagingTables,
        producer: AIOKafkaProducer,
        listen_dsn: str,
        batch_size: int = 200,
        idle_poll_seconds: float = 5.0,
        metrics: Metrics | None = None,
    ) -> None:
        self.metrics = metrics or Metrics(messaging.schema)
        self.last_error: str | None = None  # why the last round failed; None while rounds succeed
        self._engine = engine
        self._outbox = messaging.outbox
        self._channel = messaging.notify_channel
        self._producer = producer
        self._listen_dsn = listen_dsn
        self._batch_size = batch_size
        self._idle_poll_seconds = idle_poll_seconds
        self._wake = asyncio.Event()

    async def run(self) -> None:
        """Publish until cancelled; woken by NOTIFY, with a slow poll as a safety net. A listening connection that
        was lost (a database restarted or cut off) is opened again before the next round: the round after it finds
        what was committed meanwhile, and without it every later event would wait for the poll."""
        listener: asyncpg.Connection | None = None
        try:
            while True:
                self._wake.clear()
                try:
                    if listener is None or listener.is_closed():
                        listener = await self._listen()
                    published = await self.publish_pending()
                    self.last_error = None
                except Exception as exc:
                    log.exception("outbox relay round failed; retrying")
                    self.last_error, published = type(exc).__name__, 0
                    self.metrics.relay_failures.labels(self.metrics.service).inc()
                    await asyncio.sleep(1)
                if published < self._batch_size:
                    # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancel that meets a wake-up
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self._idle_poll_seconds):
                            await self._wake.wait()
        finally:
            if listener is not None:
                await listener.close()

    async def _listen(self) -> asyncpg.Connection:
        connection = await asyncpg.connect(self._listen_dsn)
        await connection.add_listener(self._channel, lambda *_: self._wake.set())
        connection.add_termination_listener(lambda _: self._wake.set())  # a lost listener: a round opens a new one
        return connection

    async def publish_pending(self) -> int:
        """Publish one batch of unpublished events in one transaction; returns how many were sent."""
        async with self._engine.begin() as conn:
            rows = await self._claim(conn)
            if not rows:
                return 0
            await self._send(rows)
            await self.mark_published(conn, [r.id for r in rows])
        for topic, count in Counter(r.topic for r in rows).items():
            self.metrics.count_published(topic, count)
        return len(rows)

    async def _claim(self, conn: AsyncConnection) -> list[Any]:
        o = self._outbox
        claimed = (
            await conn.execute(
                select(o.c.id, o.c.topic, o.c.key, o.c.event_type, o.c.envelope)
                .where(o.c.published_at.is_(None))
                .order_by(o.c.id)
                .limit(self._batch_size)
                .with_for_update(skip_locked=True)
            )
        ).all()
        if not claimed:
            return []
        held_elsewhere: dict[str, int] = dict(
            (
                await conn.execute(
                    select(o.c.key, func.min(o.c.id))
                    .where(
                        o.c.published_at.is_(None),
                        o.c.key.in_({r.key for r in claimed}),
                        o.c.id < max(r.id for r in claimed),
                        o.c.id.not_in([r.id for r in claimed]),
                    )
                    .group_by(o.c.key)
                )
            ).all()
        )
        return [r for r in claimed if r.key not in held_elsewhere or r.id < held_elsewhere[r.key]]

    async def _send(self, rows: Sequence[Any]) -> None:
        deliveries = []
        for row in rows:
            envelope = dict(row.envelope)
            stored_trace = envelope.pop(TRACE_KEY, None) or {}
            correlation_id = str(envelope["correlation_id"])
            headers = [("event_type", row.event_type.encode()), ("correlation_id", correlation_id.encode())]
            with producer_span(row.topic, row.event_type, stored_trace, correlation_id) as trace_headers:
                headers += [(name, value.encode()) for name, value in trace_headers.items()]
                deliveries.append(
                    await self._producer.send(
                        row.topic, value=json.dumps(envelope).encode(), key=row.key.encode(), headers=headers
                    )
                )
        await asyncio.gather(*deliveries)

    async def mark_published(self, conn: AsyncConnection, ids: list[int]) -> None:
        o = self._outbox
        await conn.execute(update(o).where(o.c.id.in_(ids)).values(published_at=func.now()))
