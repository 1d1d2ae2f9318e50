"""The faults, one at a time at random moments, each healed before the next: a service SIGKILLed and restarted,
the broker or one service's database cut off for a while, a replica joining or leaving, past events re-produced
to every topic, poison messages sent to every topic. The log says what happened when; `last_healed` is when the
last fault ended, from which recovery is measured.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from contracts.topics import SERVICES, Topic
from reliability.system import System

POISON_MARK = "campaign-poison"
EVENT_TOPICS = tuple(t.value for t in Topic)
KINDS = ("kill", "broker", "database", "replica", "replay", "poison")


@dataclass
class FaultLog:
    started_at: float = field(default_factory=time.monotonic)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    poison: list[tuple[str, str]] = field(default_factory=list)  # (topic, mark) of each poison message sent
    replayed: int = 0
    last_healed: float = field(default_factory=time.monotonic)
    errors: list[str] = field(default_factory=list)

    def note(self, kind: str, what: str) -> None:
        self.counts[kind] += 1
        print(f"[{time.monotonic() - self.started_at:7.1f}s] fault {kind}: {what}", flush=True)


class Chaos(threading.Thread):
    def __init__(self, system: System, *, every: float, outage: float, rng: random.Random) -> None:
        super().__init__(name="chaos", daemon=True)
        self.system, self.every, self.outage, self.rng = system, every, outage, rng
        self.log = FaultLog()
        self.stopping = threading.Event()
        self._faults: dict[str, Callable[[], None]] = {
            "kill": self.kill, "broker": self.cut_broker, "database": self.cut_database,
            "replica": self.replica, "replay": self.replay, "poison": self.poison,
        }  # fmt: skip

    def run(self) -> None:
        order: list[str] = []
        while not self.stopping.wait(self.rng.uniform(0.5, 1.5) * self.every):
            if not order:  # every kind in each round, in a random order
                order = self.rng.sample(KINDS, len(KINDS))
            kind = order.pop()
            try:
                self._faults[kind]()
            except Exception as exc:  # a fault that could not be healed is the campaign's finding, not its end
                self.log.errors.append(f"{kind}: {exc!r}"[:300])
            self.log.last_healed = time.monotonic()

    def kill(self) -> None:
        service = self.rng.choice(SERVICES)
        self.log.note("kill", f"SIGKILL {service}, then restart")
        self.system.restart(service)

    def cut_broker(self) -> None:
        seconds = self.rng.uniform(0.3, 1.0) * self.outage
        self.log.note("broker", f"every connection to the broker cut for {seconds:.1f}s")
        self._cut(self.system.broker.cut, self.system.broker.heal, seconds)

    def cut_database(self) -> None:
        service = self.rng.choice(SERVICES)
        seconds = self.rng.uniform(0.3, 1.0) * self.outage
        self.log.note("database", f"{service}'s connections to Postgres cut for {seconds:.1f}s")
        proxy = self.system.databases[service]
        self._cut(proxy.cut, proxy.heal, seconds)

    def _cut(self, cut: Callable[[], None], heal: Callable[[], None], seconds: float) -> None:
        cut()
        try:
            self.stopping.wait(seconds)
        finally:
            heal()

    def replica(self) -> None:
        """Up to three replicas of a service at once: one more joins, or one leaves (gently or by a crash)."""
        service = self.rng.choice(SERVICES)
        present = self.system.replicas_of(service)
        if len(present) < 2 and (not present or self.rng.random() < 0.6):
            self.log.note("replica", f"a replica of {service} joins ({len(present) + 2} running)")
            self.system.join(service)
        else:
            crash = self.rng.random() < 0.5
            self.log.note("replica", f"a replica of {service} leaves{' by SIGKILL' if crash else ''}")
            self.system.leave(present[0], crash=crash)

    def replay(self) -> None:
        count = asyncio.run(replay_past_events(self.system.stack.infra.kafka_bootstrap, self.rng))
        self.log.replayed += count
        self.log.note("replay", f"{count} already-consumed events produced again to every topic")

    def poison(self) -> None:
        sent = asyncio.run(send_poison(self.system.stack.infra.kafka_bootstrap))
        self.log.poison += sent
        self.log.note("poison", f"{len(sent)} poison messages, on every topic")


async def replay_past_events(bootstrap: str, rng: random.Random, per_topic: int = 20) -> int:
    """Records already on the topics, produced again as they were (key, value, headers): every consumer must
    find them in its inbox and change nothing."""
    records = await _read_past(bootstrap)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    sent = 0
    try:
        for topic in EVENT_TOPICS:
            past = [r for r in records if r.topic == topic and POISON_MARK.encode() not in (r.value or b"")]
            for record in rng.sample(past, min(per_topic, len(past))):
                await producer.send(topic, value=record.value, key=record.key, headers=list(record.headers or ()))
                sent += 1
        await producer.flush()
    finally:
        await producer.stop()
    return sent


async def _read_past(bootstrap: str, limit: int = 300) -> list:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(t, p) for t in EVENT_TOPICS for p in sorted(consumer.partitions_for_topic(t) or ())
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list = []
        while len(records) < limit and (batches := await consumer.getmany(timeout_ms=1500, max_records=limit)):
            records += [r for batch in batches.values() for r in batch]
        return records
    finally:
        await consumer.stop()


async def send_poison(bootstrap: str) -> list[tuple[str, str]]:
    """On every topic: bytes that are no JSON, and JSON that is no envelope; each with a mark of its own."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    sent: list[tuple[str, str]] = []
    try:
        for topic in EVENT_TOPICS:
            for shape in (b"\x00\xff not json %s", b'{"campaign": "%s", "event_id": 7}'):
                mark = f"{POISON_MARK}-{uuid.uuid4().hex[:12]}"
                await producer.send_and_wait(topic, value=shape % mark.encode(), key=uuid.uuid4().bytes)
                sent.append((topic, mark))
    finally:
        await producer.stop()
    return sent
