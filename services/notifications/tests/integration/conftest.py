"""A migrated notifications database per test (cloned from a template), a real SMTP server, real Redis."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import asyncpg
import pytest
import redis.asyncio as aioredis
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from devstack.infra import Infra
from devstack.processes import free_port
from notifications.adapters.email import SmtpMailer
from notifications.adapters.sms import FileSmsSink
from notifications.adapters.spending_guard import Cap, SmsSpendingGuard
from notifications.adapters.tables import deliveries, messaging
from notifications.bootstrap import Dependencies, delivery_worker
from notifications.domain.deliveries import RetryPolicy
from notifications.messaging.handlers import handlers
from notifications.service.delivery import DeliveryWorker
from regsys_runtime.clock import SystemClock
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork, create_engine
from regsys_runtime.sealing import DeliverySealer


def _run(admin_url: str, *statements: str) -> None:
    async def go() -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(go())


def _database_url(admin_url: str, database: str) -> str:
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=database)
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def template_database(infra: Infra) -> Iterator[str]:
    """A database with the notifications schema migrated to head; tests get clones of it."""
    name = f"ntpl_{uuid.uuid4().hex[:10]}"
    admin = infra.postgres_admin_url
    _run(admin, f'CREATE DATABASE "{name}"')
    _run(make_url(admin).set(database=name).render_as_string(hide_password=False), "CREATE SCHEMA notifications")
    env = {**os.environ, "NOTIFICATIONS_DATABASE_URL": _database_url(admin, name)}
    result = subprocess.run(
        [sys.executable, "-m", "notifications", "migrate"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    yield name
    _run(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def engine(infra: Infra, template_database: str) -> AsyncIterator[AsyncEngine]:
    name = f"ntest_{uuid.uuid4().hex[:10]}"
    admin = infra.postgres_admin_url
    await asyncio.to_thread(_run, admin, f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    engine = create_engine(_database_url(admin, name), pool_size=5)
    yield engine
    await engine.dispose()
    await asyncio.to_thread(_run, admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def unit_of_work(engine: AsyncEngine):
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    return lambda: UnitOfWork(sessions, producer="notifications", messaging=messaging)


@pytest.fixture
async def redis(infra: Infra) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.from_url(infra.redis_url, decode_responses=True)
    yield client
    await client.aclose()


@dataclass
class MailServer:
    """A real SMTP server (aiosmtpd) that keeps what it accepts; it can refuse the first attempts."""

    refuse_first: int = 0
    refusal: str = "451 4.3.0 Try again later"
    received: list[EmailMessage] = field(default_factory=list)
    attempts: int = 0
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.attempts <= self.refuse_first:
            return self.refusal
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    yield server
    controller.stop()


@dataclass
class Worker:
    worker: DeliveryWorker
    sms_path: Any
    unit_of_work: Any

    async def deliver_due(self) -> int:
        return await self.worker.deliver_due()

    async def deliveries(self) -> list[Any]:
        async with self.unit_of_work() as uow:
            return list((await uow.session.execute(select(deliveries).order_by(deliveries.c.created_at))).all())

    async def outbox_types(self) -> list[str]:
        async with self.unit_of_work() as uow:
            rows = await uow.session.execute(select(messaging.outbox.c.event_type).order_by(messaging.outbox.c.id))
            return [r.event_type for r in rows]


def make_dependencies(
    *,
    unit_of_work=None,
    redis: aioredis.Redis | None = None,
    mail_port: int = 25,
    sms_path: Any = None,
    language: str = "zh",
    max_attempts: int = 3,
    cap_per_recipient: int = 100,
    cap_global: int = 1000,
    namespace: str | None = None,
    backoff_seconds: float = 0,
    sms: Any = None,
    delivery_key: str | None = None,
) -> Dependencies:
    """The service's dependencies as bootstrap builds them, on the test's database, Redis, SMTP server and sink."""
    prefix = namespace or f"ntest-{uuid.uuid4().hex[:8]}"
    guard = SmsSpendingGuard(
        redis,
        key=lambda *parts: ":".join((prefix, "notifications", *parts)),
        per_recipient=Cap(cap_per_recipient, 3600),
        overall=Cap(cap_global, 3600),
    )
    return Dependencies(
        uow=unit_of_work,
        clock=SystemClock(),
        language=language,
        sms=sms or FileSmsSink(sms_path),
        mailer=SmtpMailer(host="127.0.0.1", port=mail_port, sender="regsys <no-reply@regsys.example>", timeout=5),
        sms_guard=guard,
        # by default no wait between attempts: a test drives each round itself, and never measures time
        retry_policy=RetryPolicy(
            max_attempts=max_attempts,
            backoff_seconds=backoff_seconds,
            backoff_max_seconds=backoff_seconds * 2,
            lease_seconds=60,
        ),
        poll_seconds=0.5,
        delivery_sealer=DeliverySealer(delivery_key),
    )


def handlers_in(language: str, *, delivery_key: str | None = None) -> Handlers:
    """The consumer's handlers as main wires them (of the dependencies, they read the language and the key)."""
    return handlers(make_dependencies(language=language, delivery_key=delivery_key))


def make_worker(*, unit_of_work, redis: aioredis.Redis, mail_port: int, sms_path, **options: Any) -> Worker:
    deps = make_dependencies(unit_of_work=unit_of_work, redis=redis, mail_port=mail_port, sms_path=sms_path, **options)
    return Worker(delivery_worker(deps), sms_path, unit_of_work)


@pytest.fixture
def worker(unit_of_work, redis, mail_server, tmp_path) -> Worker:
    return make_worker(
        unit_of_work=unit_of_work, redis=redis, mail_port=mail_server.port, sms_path=tmp_path / "sms.jsonl"
    )
