"""The idempotent consumer: applies each event once, commits offsets after the database commit.

Per message: parse the envelope (a message that does not parse goes to the dead-letter topic with the
reason); skip event types this service does not handle; otherwise, in one unit of work, record
(consumer, event id) in the inbox and apply the handler. A redelivered event finds its inbox row and
changes nothing. A handler that keeps failing sends the message to the dead-letter topic; a database
that is unreachable is waited for instead, since the message is fine and a dead letter would lose it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from sqlalchemy.exc import InterfaceError, OperationalError

from contracts import ContractError, Envelope, Event
from contracts.topics import dead_letter_topic
from regsys_runtime.db import UnitOfWork
from regsys_runtime.logs import correlation

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Any, Envelope], Awaitable[None]]
Handlers = Mapping[type[Event], Handler]

HANDLER_ATTEMPTS = 3


class EventConsumer:
    def __init__(
        self,
        *,
        group: str,
        consumer: AIOKafkaConsumer,
        dead_letters: AIOKafkaProducer,
        handlers: Handlers,
        unit_of_work: Callable[[], UnitOfWork],
    ) -> None:
        self.group = group
        self._consumer = consumer
        self._dead_letters = dead_letters
        self._handlers = dict(handlers)
        self._unit_of_work = unit_of_work

    @staticmethod
    def topics_of(handlers: Handlers) -> list[str]:
        return sorted({event.topic.value for event in handlers})

    async def run(self) -> None:
        """Consume until cancelled."""
        while True:
            batches = await self._consumer.getmany(timeout_ms=500, max_records=100)
            for partition, records in batches.items():
                for record in records:
                    await self.process(record)
                await self._consumer.commit({partition: records[-1].offset + 1})

    async def process(self, record: ConsumerRecord) -> None:
        try:
            envelope = Envelope.from_bytes(record.value)
            event = envelope.open()
        except ContractError as exc:
            await self.dead_letter(record, str(exc))
            return
        handler = self._handlers.get(type(event))
        if handler is None:
            return  # another service's concern
        with correlation(envelope.correlation_id):
            await self._apply(record, handler, event, envelope)

    async def _apply(self, record: ConsumerRecord, handler: Handler, event: Event, envelope: Envelope) -> None:
        failure: Exception | None = None
        attempt = 0
        while attempt < HANDLER_ATTEMPTS:
            try:
                async with self._unit_of_work() as uow:
                    if await uow.record_applied(consumer=self.group, envelope=envelope):
                        await handler(uow, event, envelope)
                        await uow.commit()
                return
            except (OperationalError, InterfaceError, OSError) as exc:
                log.warning("database unavailable; will retry", extra={"error": str(exc)})
                await asyncio.sleep(1)  # not counted: the message is fine, the database is not
            except Exception as exc:
                failure = exc
                attempt += 1
                log.warning(
                    "handler failed", extra={"event_type": envelope.event_type, "attempt": attempt, "error": repr(exc)}
                )
                await asyncio.sleep(0.1 * attempt)
        await self.dead_letter(record, f"{envelope.event_type} could not be applied: {failure!r}")

    async def dead_letter(self, record: ConsumerRecord, reason: str) -> None:
        log.error(
            "dead-lettered a message",
            extra={"topic": record.topic, "partition": record.partition, "offset": record.offset, "reason": reason},
        )
        headers = [
            *(record.headers or ()),
            ("dead_letter_reason", reason.encode()),
            ("source_topic", record.topic.encode()),
            ("source_partition", str(record.partition).encode()),
            ("source_offset", str(record.offset).encode()),
            ("consumer_group", self.group.encode()),
        ]
        await self._dead_letters.send_and_wait(
            dead_letter_topic(self.group), value=record.value, key=record.key, headers=headers
        )
