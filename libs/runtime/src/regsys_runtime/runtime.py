"""The long-lived parts of one service process, started and stopped together."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx
import redis.asyncio as aioredis
from aiokafka import AIOKafkaProducer, TopicPartition
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contracts import Envelope
from contracts.identity.v1 import SessionsEnded
from regsys_runtime.auth import KeySource, TokenVerifier, http_jwks
from regsys_runtime.clock import CLOCK_OFFSET_KEY, Clock, SettableClock, SystemClock
from regsys_runtime.consumer import EventConsumer, Handlers, backoff_delays
from regsys_runtime.db import Reads, UnitOfWork, create_engine, reading_engine
from regsys_runtime.kafka import create_consumer, create_producer
from regsys_runtime.messaging_tables import MessagingTables
from regsys_runtime.metrics import Metrics
from regsys_runtime.outbox import OutboxRelay
from regsys_runtime.retention import RetentionWindows, run_retention
from regsys_runtime.sessions import EndedSessions
from regsys_runtime.settings import ServiceSettings

log = logging.getLogger(__name__)


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    """The plain libpq URL asyncpg wants, from a SQLAlchemy `postgresql+asyncpg://` URL."""
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


STOP_SECONDS = 10.0
CLOCK_FOLLOW_SECONDS = 0.2
RESTART_FIRST_SECONDS = 1.0
RESTART_MAX_SECONDS = 30.0


async def supervise(
    work: Callable[[], Awaitable[None]],
    name: str,
    restarts: Counter[str],
    on_restart: Callable[[str], None] | None = None,
) -> None:
    """Run `work` until cancelled; whenever it stops, by an error or by returning, log, count and restart it
    (`on_restart` hears of each restart too: the metrics).

    A consumer that lost its group (a commit after a rebalance) or a relay whose database went away comes
    back by itself, after a backoff, instead of leaving the service half alive.
    """
    loop = asyncio.get_running_loop()
    delays = backoff_delays(RESTART_FIRST_SECONDS, RESTART_MAX_SECONDS)
    while True:
        started = loop.time()
        try:
            await work()
            log.error("%s returned; restarting it", name)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s stopped unexpectedly; restarting it", name)
        if loop.time() - started > 2 * RESTART_MAX_SECONDS:
            delays = backoff_delays(RESTART_FIRST_SECONDS, RESTART_MAX_SECONDS)  # it had been running well
        restarts[name] += 1
        if on_restart is not None:
            on_restart(name)
        await asyncio.sleep(next(delays))


MIN_JWKS_REFETCH_SECONDS = 5


@dataclass
class Runtime:
    settings: ServiceSettings
    messaging: MessagingTables
    key_source: Callable[[Runtime], KeySource] | None = None

    engine: AsyncEngine = field(init=False)
    sessions: async_sessionmaker[AsyncSession] = field(init=False)
    reading_sessions: async_sessionmaker[AsyncSession] = field(init=False)  # autocommit: a read is one round trip
    redis: aioredis.Redis = field(init=False)
    producer: AIOKafkaProducer = field(init=False)
    http: httpx.AsyncClient = field(init=False)
    verifier: TokenVerifier = field(init=False)
    ended_sessions: EndedSessions = field(init=False)
    clock: Clock = field(init=False)
    restarts: Counter[str] = field(init=False, default_factory=Counter)  # per supervised part, since start
    metrics: Metrics = field(init=False)
    _relay: OutboxRelay | None = field(init=False, default=None)
    _tasks: list[asyncio.Task[None]] = field(init=False, default_factory=list)
    _consumer: EventConsumer | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.metrics = Metrics(self.settings.service_name)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, producer=self.settings.service_name, messaging=self.messaging)

    def reads(self) -> Reads:
        """A session for a use case that only reads (db.Reads): one round trip a statement."""
        return Reads(self.reading_sessions)

    async def open_stores(self) -> None:
        """Open the database engine and Redis only: what an operator command at the service's command line needs
        (events it causes wait in the outbox for the running service's relay)."""
        s = self.settings
        self.engine = create_engine(s.database_url.get_secret_value(), pool_size=2)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.redis = aioredis.from_url(s.redis_url, decode_responses=True)
        self.clock = SystemClock()

    async def close_stores(self) -> None:
        await self.redis.aclose()
        await self.engine.dispose()

    async def start(self) -> None:
        """Open the engine, Redis, HTTP client and producer, and start the outbox relay."""
        s = self.settings
        self.engine = create_engine(
            s.database_url.get_secret_value(), pool_size=s.database_pool_size, max_overflow=s.database_max_overflow
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.reading_sessions = async_sessionmaker(reading_engine(self.engine), expire_on_commit=False)
        self.redis = aioredis.from_url(s.redis_url, decode_responses=True)
        self.http = httpx.AsyncClient()
        keys = self.key_source(self) if self.key_source else http_jwks(self.http, s.jwks_url)
        self.ended_sessions = EndedSessions(self.redis, s)
        # keys read from the service's own database cost no hop to the issuer, so a key just rotated in is looked up
        # at once; a JWKS over HTTP is refetched for an unknown key at most every few seconds
        refetch = 0 if self.key_source else MIN_JWKS_REFETCH_SECONDS
        self.verifier = TokenVerifier(
            keys, issuer=s.token_issuer, audience=s.token_audience, min_refetch_seconds=refetch,
            ended=self.ended_sessions,
        )  # fmt: skip
        self.producer = create_producer(s.kafka_bootstrap_servers, client_id=s.service_name)
        await self.producer.start()
        relay = OutboxRelay(
            engine=self.engine,
            messaging=self.messaging,
            producer=self.producer,
            listen_dsn=asyncpg_dsn(s.database_url.get_secret_value()),
            idle_poll_seconds=s.outbox_idle_poll_seconds,
            metrics=self.metrics,
        )
        self._relay = relay
        self._spawn(relay.run, "outbox relay")
        self._spawn(self._retention, "retention")
        self._start_clock()

    async def _retention(self) -> None:
        s = self.settings
        windows = RetentionWindows(s.outbox_retention_seconds, s.inbox_retention_seconds, s.retention_batch_size)
        await run_retention(
            self.engine, self.messaging, windows, interval_seconds=s.retention_interval_seconds, metrics=self.metrics
        )

    def _start_clock(self) -> None:
        if not self.settings.settable_clock:
            self.clock = SystemClock()
            return
        clock = SettableClock()
        key = self.settings.deployment_key(*CLOCK_OFFSET_KEY.split(":"))

        async def follow() -> None:
            while True:
                clock.follow_seconds(float(await self.redis.get(key) or 0))
                await asyncio.sleep(CLOCK_FOLLOW_SECONDS)

        self.clock = clock
        self._spawn(follow, "settable clock")

    async def consume(self, handlers: Handlers) -> None:
        """Join the service's consumer group and apply the events of `handlers`' types, and in every service
        the ended sessions identity announces (so the verifier refuses their tokens). No handlers: no consumer
        (a test's app that only serves)."""
        if not handlers:
            return
        handlers = {SessionsEnded: self._record_ended_sessions, **handlers}
        s = self.settings
        connect = partial(
            create_consumer,
            s.kafka_bootstrap_servers,
            *EventConsumer.topics_of(handlers),
            group_id=s.service_name,
            session_timeout_ms=s.kafka_session_timeout_ms,
            heartbeat_interval_ms=s.kafka_heartbeat_interval_ms,
            fetch_max_wait_ms=s.kafka_fetch_max_wait_ms,
        )
        kafka_consumer = connect()
        await kafka_consumer.start()
        self._consumer = EventConsumer(
            group=s.service_name,
            consumer=kafka_consumer,
            reconnect=connect,
            dead_letters=self.producer,
            handlers=handlers,
            unit_of_work=self.uow,
            parked=self.messaging.parked,
            prerequisite_wait_seconds=s.parked_event_wait_seconds,
            metrics=self.metrics,
        )
        self._spawn(self._consumer.run, "event consumer")
        self._spawn(self._consumer.retry_parked, "parked events")

    async def _record_ended_sessions(self, uow: UnitOfWork, event: SessionsEnded, envelope: Envelope) -> None:
        await self.ended_sessions.record(event)

    async def _bounded(self, stopping: Coroutine[Any, Any, None], what: str) -> None:
        try:
            await asyncio.wait_for(stopping, timeout=STOP_SECONDS)
        except TimeoutError:
            log.warning("the Kafka %s did not stop within %s s; going on", what, STOP_SECONDS)

    def spawn(self, work: Callable[[], Awaitable[None]], name: str) -> None:
        """Run a long-lived part of the service (a worker, a periodic job) beside the relay, supervised."""
        self._spawn(work, name)

    def _spawn(self, work: Callable[[], Awaitable[None]], name: str) -> None:
        counted = self.metrics.restarts.labels(self.metrics.service, name)
        counted.inc(0)  # the series exists from the start, at zero
        task = supervise(work, name, self.restarts, on_restart=lambda _: counted.inc())
        self._tasks.append(asyncio.create_task(task, name=name))

    @property
    def healthy_tasks(self) -> bool:
        return all(not t.done() for t in self._tasks)

    @property
    def relay_error(self) -> str | None:
        """Why the outbox relay's last round failed (the broker is away, say); None while it publishes."""
        return self._relay.last_error if self._relay is not None else None

    async def consumer_lag(self) -> dict[TopicPartition, int]:
        """The lag of the partitions this replica consumes (none without a consumer)."""
        return await self._consumer.lag() if self._consumer is not None else {}

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._tasks:  # a part stuck in a shielded broker call must not hold the shutdown either
            stopped, stuck = await asyncio.wait(self._tasks, timeout=STOP_SECONDS)
            for task in stopped:
                if not task.cancelled() and task.exception() is not None:
                    log.warning("%s ended with %r", task.get_name(), task.exception())
            for task in stuck:
                log.warning("%s did not stop within %s s; going on", task.get_name(), STOP_SECONDS)
        # a broker that stops answering must not hold the shutdown: the group notices the loss by its timeout
        if self._consumer is not None:
            await self._bounded(self._consumer.kafka.stop(), "consumer")
        await self._bounded(self.producer.stop(), "producer")
        await self.http.aclose()
        await self.redis.aclose()
        await self.engine.dispose()
