"""The idempotent consumer: applies each event once, commits offsets after the database commit.

Per message: parse the envelope (a message that does not parse goes to the dead-letter topic with the
reason); skip event types this service does not handle; otherwise, in one unit of work, record
(consumer, event id) in the inbox and apply the handler. A redelivered event finds its inbox row and
changes nothing. A handler that keeps failing sends the message to the dead-letter topic. Two failures
are waited for instead, since the message is fine and a dead letter would lose it: a database that is
unreachable, and an event that came before what it depends on (`NotYet`), retried with backoff for as
long as a partner service can be late.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from sqlalchemy.exc import InterfaceError, OperationalError

from contracts import ContractError, Envelope, Event
from contracts.topics import dead_letter_topic
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import NotYet
from regsys_runtime.logs import correlation

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Any, Envelope], Awaitable[None]]
Handlers = Mapping[type[Event], Handler]

HANDLER_ATTEMPTS = 3
PREREQUISITE_WAIT_SECONDS = 240.0  # inside the consumer's max poll interval, so waiting keeps the group
BACKOFF_FIRST_SECONDS = 0.2
BACKOFF_MAX_SECONDS = 10.0


def backoff_delays(first: float = BACKOFF_FIRST_SECONDS, ceiling: float = BACKOFF_MAX_SECONDS) -> Iterator[float]:
    """Doubling delays from `first` up to `ceiling`, then `ceiling` for ever."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, ceiling)


class EventConsumer:
    def __init__(
        self,
        *,
        group: str,
        consumer: AIOKafkaConsumer,
        dead_letters: AIOKafkaProducer,
        handlers: Handlers,
        unit_of_work: Callable[[], UnitOfWork],
        prerequisite_wait_seconds: float = PREREQUISITE_WAIT_SECONDS,
    ) -> None:
        self.group = group
        self.prerequisite_wait_seconds = prerequisite_wait_seconds
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
        failures: list[Exception] = []
        waiting = Waiting(self.prerequisite_wait_seconds)
        while len(failures) < HANDLER_ATTEMPTS:
            try:
                await self._apply_once(handler, event, envelope)
                return
            except (OperationalError, InterfaceError, OSError) as exc:
                log.warning("database unavailable; will retry", extra={"error": str(exc)})
                await asyncio.sleep(1)  # not counted: the message is fine, the database is not
            except NotYet as exc:
                if not await waiting.wait(envelope, exc):
                    failures.append(exc)
                    break
            except Exception as exc:
                failures.append(exc)
                log.warning(
                    "handler failed",
                    extra={"event_type": envelope.event_type, "attempt": len(failures), "error": repr(exc)},
                )
                await asyncio.sleep(0.1 * len(failures))
        await self.dead_letter(record, f"{envelope.event_type} could not be applied: {failures[-1]!r}")

    async def _apply_once(self, handler: Handler, event: Event, envelope: Envelope) -> None:
        async with self._unit_of_work() as uow:
            if await uow.record_applied(consumer=self.group, envelope=envelope):
                await handler(uow, event, envelope)
                await uow.commit()

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


class Waiting:
    """The wait for an early event's prerequisite: backoff delays until a deadline."""

    def __init__(self, seconds: float) -> None:
        self._deadline = asyncio.get_running_loop().time() + seconds
        self._delays = backoff_delays()

    async def wait(self, envelope: Envelope, early: NotYet) -> bool:
        """Sleep before the next try; False once the deadline has passed (the prerequisite never came)."""
        loop = asyncio.get_running_loop()
        if loop.time() >= self._deadline:
            return False
        delay = min(next(self._delays), max(0.0, self._deadline - loop.time()))
        log.info(
            "event came early; waiting for its prerequisite",
            extra={"event_type": envelope.event_type, "reason": early.detail, "retry_in": delay},
        )
        await asyncio.sleep(delay)
        return True
