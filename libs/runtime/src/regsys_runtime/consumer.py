"""The idempotent consumer: applies each event once, commits offsets after the database commit.

Per message: parse the envelope (a message that does not parse goes to the dead-letter topic with the
reason); skip event types this service does not handle; otherwise, in one unit of work, record
(consumer, event id) in the inbox and apply the handler. A redelivered event finds its inbox row and
changes nothing. A handler that keeps failing sends the message to the dead-letter topic. Two failures
are not the message's fault: a database that is unreachable is waited for; an event that came before what
it depends on (`NotYet`) is parked in the service's schema and retried beside the stream, for as long as a
partner service can be late (parking.py), so that it holds up no other event.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import suppress
from datetime import timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from sqlalchemy import Table
from sqlalchemy.exc import InterfaceError, OperationalError

from contracts import ContractError, Envelope, Event
from contracts.topics import dead_letter_topic
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import NotYet
from regsys_runtime.logs import correlation
from regsys_runtime.metrics import HANDLER_FAILED, MALFORMED, PREREQUISITE_MISSING, Metrics
from regsys_runtime.parking import Kept, ParkedEvents, Received
from regsys_runtime.tracing import consumer_span

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Any, Envelope], Awaitable[None]]
Handlers = Mapping[type[Event], Handler]

# what dead_letter adds to a message's own headers; a re-driven message that fails again gets them afresh
DEAD_LETTER_HEADERS = frozenset(
    {"dead_letter_reason", "dead_letter_class", "source_topic", "source_partition", "source_offset", "consumer_group"}
)

HANDLER_ATTEMPTS = 3
PREREQUISITE_WAIT_SECONDS = 86_400.0  # how late a partner's event may be before a parked event is dead-lettered
PARKED_POLL_SECONDS = 5.0  # how often the parked events are looked at when nothing made one due
DATABASE_ERRORS = (OperationalError, InterfaceError, OSError)
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
        parked: Table,
        prerequisite_wait_seconds: float = PREREQUISITE_WAIT_SECONDS,
        metrics: Metrics | None = None,
        reconnect: Callable[[], AIOKafkaConsumer] | None = None,
    ) -> None:
        self.group = group
        self.metrics = metrics or Metrics(group)
        self.parked = ParkedEvents(parked, group, timedelta(seconds=prerequisite_wait_seconds))
        self._parked_due = asyncio.Event()
        self._consumer = consumer
        self._reconnect = reconnect
        self._runs = 0
        self._dead_letters = dead_letters
        self._handlers = dict(handlers)
        self._unit_of_work = unit_of_work

    @staticmethod
    def topics_of(handlers: Handlers) -> list[str]:
        return sorted({event.topic.value for event in handlers})

    @property
    def kafka(self) -> AIOKafkaConsumer:
        """The Kafka consumer in use now (a new one after each failed run, when `reconnect` is given)."""
        return self._consumer

    async def run(self) -> None:
        """Consume until cancelled. Run again after a failure (the supervisor does), it first replaces its Kafka
        consumer with a new one from `reconnect`: after a lost broker connection aiokafka's group coordinator
        can keep the closed transport's error and raise it from every later call, so the old consumer would never
        consume again, and every event after the cut would be left on the broker, applied by no one."""
        self._runs += 1
        if self._runs > 1 and self._reconnect is not None:
            await self._replace_consumer()
        while True:
            batches = await self._consumer.getmany(timeout_ms=500, max_records=100)
            for partition, records in batches.items():
                for record in records:
                    await self.process(record)
                await self._consumer.commit({partition: records[-1].offset + 1})

    async def _replace_consumer(self) -> None:
        broken, self._consumer = self._consumer, self._reconnect()  # type: ignore[misc]  # run() checked it
        with suppress(Exception):  # it failed already; its stop may fail too, and must not hold the new one
            await asyncio.wait_for(broken.stop(), timeout=10)
        await self._consumer.start()

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
        """Apply with retries; the outcome: applied, duplicate (applied before), parked or dead_lettered."""
        failures: list[Exception] = []
        while len(failures) < HANDLER_ATTEMPTS:
            try:
                return "applied" if await self._apply_once(handler, event, envelope) else "duplicate"
            except DATABASE_ERRORS as exc:
                log.warning("database unavailable; will retry", extra={"error": str(exc)})
                await asyncio.sleep(1)  # not counted: the message is fine, the database is not
            except NotYet as early:
                await self._park(record, envelope, early)
                return "parked"
            except Exception as exc:
                failures.append(exc)
                log.warning(
                    "handler failed",
                    extra={"event_type": envelope.event_type, "attempt": len(failures), "error": repr(exc)},
                )
                await asyncio.sleep(0.1 * len(failures))
        await self.dead_letter(record, f"{envelope.event_type} could not be applied: {failures[-1]!r}")
        return "dead_lettered"

    async def _apply_once(self, handler: Handler, event: Event, envelope: Envelope) -> bool:
        """True if applied now, False if the inbox says it was applied before."""
        async with self._unit_of_work() as uow:
            applied = await self._apply_in(uow, handler, event, envelope)
            await uow.commit()
        return applied

    async def _apply_in(self, uow: UnitOfWork, handler: Handler, event: Event, envelope: Envelope) -> bool:
        if not await uow.record_applied(consumer=self.group, envelope=envelope):
            return False
        await handler(uow, event, envelope)
        if await self.parked.due_now_for(uow.session, envelope.subject_id):
            self._parked_due.set()  # what they waited for may just have come
        return True

    async def _park(self, record: ConsumerRecord, envelope: Envelope, early: NotYet) -> None:
        async with self._unit_of_work() as uow:
            await self.parked.park(
                uow.session, record, event_id=envelope.event_id, event_type=envelope.event_type, reason=early.detail
            )
            await uow.commit()
        log.info(
            "event came early; parked until its prerequisite arrives",
            extra={"event_type": envelope.event_type, "reason": early.detail},
        )

    async def retry_parked(self) -> None:
        """Until cancelled: try the parked events that are due, soonest first."""
        while True:
            while await self._retry_next():
                pass
            async with self._unit_of_work() as uow:
                self.metrics.parked.labels(self.metrics.service).set(await self.parked.count(uow.session))
            with suppress(TimeoutError):
                await asyncio.wait_for(self._parked_due.wait(), PARKED_POLL_SECONDS)
            self._parked_due.clear()

    async def _retry_next(self) -> bool:
        """Try the next due parked event in one transaction; False when none is due (or the database is not)."""
        async with self._unit_of_work() as uow:
            kept = await self.parked.take_due(uow.session)
            if kept is None:
                return False
            envelope = Envelope.from_bytes(kept.value)
            event = envelope.open()
            try:  # parked because its handler said NotYet, so this consumer has one
                applied = await self._apply_in(uow, self._handlers[type(event)], event, envelope)
                await self.parked.drop(uow.session, kept)
                await uow.commit()
            except DATABASE_ERRORS:
                return False
            except Exception as exc:
                failure = exc
            else:
                outcome = "applied" if applied else "duplicate"
                self.metrics.count_consumed(topic=kept.topic, event_type=envelope.event_type, outcome=outcome)
                return True
        await self._after_failed_retry(kept, envelope, failure)
        return True

    async def _after_failed_retry(self, kept: Kept, envelope: Envelope, failure: Exception) -> None:
        """Still early: tried again later. Early past the wait, or failing for another reason: dead-lettered."""
        still_early = isinstance(failure, NotYet)
        if still_early and not kept.overdue:
            async with self._unit_of_work() as uow:
                await self.parked.postpone(uow.session, kept, reason=str(failure))
                await uow.commit()
            return
        reason_class = PREREQUISITE_MISSING if still_early else HANDLER_FAILED
        await self.dead_letter(
            kept, f"{envelope.event_type} could not be applied: {failure!r}", reason_class=reason_class
        )
        self.metrics.count_consumed(topic=kept.topic, event_type=envelope.event_type, outcome="dead_lettered")
        async with self._unit_of_work() as uow:
            await self.parked.drop(uow.session, kept)
            await uow.commit()

    async def dead_letter(self, record: Received, reason: str, *, reason_class: str = HANDLER_FAILED) -> None:
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
