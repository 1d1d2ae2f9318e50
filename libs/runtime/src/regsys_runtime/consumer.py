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

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from sqlalchemy.exc import InterfaceError, OperationalError

from contracts import ContractError, Envelope, Event
from contracts.topics import dead_letter_topic
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import NotYet
from regsys_runtime.logs import correlation
from regsys_runtime.metrics import HANDLER_FAILED, MALFORMED, PREREQUISITE_MISSING, Metrics
from regsys_runtime.tracing import consumer_span

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Any, Envelope], Awaitable[None]]
Handlers = Mapping[type[Event], Handler]

# what dead_letter adds to a message's own headers; a re-driven message that fails again gets them afresh
DEAD_LETTER_HEADERS = frozenset(
    {"dead_letter_reason", "dead_letter_class", "source_topic", "source_partition", "source_offset", "consumer_group"}
)

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
        metrics: Metrics | None = None,
    ) -> None:
        self.group = group
        self.metrics = metrics or Metrics(group)
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

    async def lag(self) -> dict[TopicPartition, int]:
        """Per partition this replica holds: messages on the broker that the group has not committed yet."""
        assigned = sorted(self._consumer.assignment())
        if not assigned:
            return {}
        ends = await self._consumer.end_offsets(assigned)
        lags: dict[TopicPartition, int] = {}
        for tp in assigned:
            committed = await self._consumer.committed(tp)
            if committed is None:  # nothing committed yet: the group starts from the earliest message
                committed = (await self._consumer.beginning_offsets([tp]))[tp]
            lags[tp] = max(0, ends[tp] - committed)
        return lags

    async def process(self, record: ConsumerRecord) -> None:
        try:
            envelope = Envelope.from_bytes(record.value)
            event = envelope.open()
        except ContractError as exc:
            await self.dead_letter(record, str(exc), reason_class=MALFORMED)
            return
        handler = self._handlers.get(type(event))
        if handler is None:
            self.metrics.count_consumed(topic=record.topic, event_type=envelope.event_type, outcome="ignored")
            return  # another service's concern
        labels = (self.metrics.service, record.topic, envelope.event_type)
        with (
            correlation(envelope.correlation_id),
            consumer_span(record.topic, envelope.event_type, record.headers, envelope.correlation_id),
            self.metrics.handler_duration.labels(*labels).time(),
        ):
            outcome = await self._apply(record, handler, event, envelope)
        self.metrics.count_consumed(topic=record.topic, event_type=envelope.event_type, outcome=outcome)

    async def _apply(self, record: ConsumerRecord, handler: Handler, event: Event, envelope: Envelope) -> str:
        """Apply with retries; the outcome: applied, duplicate (applied before) or dead_lettered."""
        failures: list[Exception] = []
        waiting = Waiting(self.prerequisite_wait_seconds)
        while len(failures) < HANDLER_ATTEMPTS:
            try:
                return "applied" if await self._apply_once(handler, event, envelope) else "duplicate"
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
        reason_class = PREREQUISITE_MISSING if isinstance(failures[-1], NotYet) else HANDLER_FAILED
        await self.dead_letter(
            record, f"{envelope.event_type} could not be applied: {failures[-1]!r}", reason_class=reason_class
        )
        return "dead_lettered"

    async def _apply_once(self, handler: Handler, event: Event, envelope: Envelope) -> bool:
        """True if applied now, False if the inbox says it was applied before."""
        async with self._unit_of_work() as uow:
            if not await uow.record_applied(consumer=self.group, envelope=envelope):
                return False
            await handler(uow, event, envelope)
            await uow.commit()
            return True

    async def dead_letter(self, record: ConsumerRecord, reason: str, *, reason_class: str = HANDLER_FAILED) -> None:
        """Send the message as it came, with why, to the group's dead-letter topic (`dead-letters list` shows it)."""
        log.error(
            "dead-lettered a message",
            extra={"topic": record.topic, "partition": record.partition, "offset": record.offset, "reason": reason,
                   "reason_class": reason_class},
        )  # fmt: skip
        self.metrics.count_dead_letter(topic=record.topic, reason=reason_class)
        headers = [
            *(h for h in record.headers or () if h[0] not in DEAD_LETTER_HEADERS),
            ("dead_letter_reason", reason.encode()),
            ("dead_letter_class", reason_class.encode()),
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
