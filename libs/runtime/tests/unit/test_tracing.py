"""One trace from the HTTP request through the outbox and Kafka to the consumer, tied to the correlation id."""

import uuid

import httpx
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from contracts.identity.v1 import AccountDisabled
from regsys_runtime import tracing
from regsys_runtime.app import FASTAPI_TELEMETRY, CorrelationMiddleware
from regsys_runtime.db import UnitOfWork, schema_metadata
from regsys_runtime.http_telemetry import HttpTelemetry
from regsys_runtime.logs import CORRELATION_HEADER
from regsys_runtime.messaging_tables import TRACE_KEY, messaging_tables
from regsys_runtime.metrics import Metrics

EXPORTER = InMemorySpanExporter()
if not isinstance(trace.get_tracer_provider(), TracerProvider):  # the global provider can be set once per process
    _provider = TracerProvider()
    _provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
    trace.set_tracer_provider(_provider)
else:
    trace.get_tracer_provider().add_span_processor(SimpleSpanProcessor(EXPORTER))  # type: ignore[attr-defined]

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


def app_that_writes_an_event(rows: list[dict]) -> FastAPI:
    app = FastAPI(telemetry=FASTAPI_TELEMETRY)  # as create_service_app makes it
    app.add_middleware(HttpTelemetry, metrics=Metrics("demo"))
    app.add_middleware(CorrelationMiddleware)

    @app.post("/accounts/{account_id}/disable")
    async def disable(account_id: uuid.UUID) -> None:
        uow = UnitOfWork(None, producer="demo", messaging=messaging_tables(schema_metadata("demo")))  # type: ignore[arg-type]
        uow.publish(AccountDisabled(account_id=account_id, reason="tracing"), subject_id=account_id)
        rows.extend(uow.pending_outbox_rows)

    return app


async def test_the_request_the_publication_and_the_consumption_are_one_trace():
    EXPORTER.clear()
    rows: list[dict] = []
    transport = httpx.ASGITransport(app=app_that_writes_an_event(rows))
    headers = {"traceparent": f"00-{CALLER_TRACE}-{CALLER_SPAN}-01", CORRELATION_HEADER: "corr-trace-1"}
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post(f"/accounts/{uuid.uuid4()}/disable", headers=headers)
    assert response.status_code == 200

    # the relay, later and elsewhere: the stored context is the parent, the Kafka headers carry the next one
    [row] = rows
    stored = row["envelope"][TRACE_KEY]
    with tracing.producer_span("identity.account", row["event_type"], stored, "corr-trace-1") as kafka_headers:
        pass
    # the consumer, in another service: its span continues from the message's headers
    on_the_wire = [(name, value.encode()) for name, value in kafka_headers.items()]
    with tracing.consumer_span("identity.account", row["event_type"], on_the_wire, "corr-trace-1"):
        pass

    spans = {s.kind.name: s for s in EXPORTER.get_finished_spans()}
    assert len(EXPORTER.get_finished_spans()) == 3  # one span per hop, the request traced once
    server, producer, consumer = spans["SERVER"], spans["PRODUCER"], spans["CONSUMER"]
    assert server.name == "POST /accounts/{account_id}/disable"
    assert {format(s.context.trace_id, "032x") for s in (server, producer, consumer)} == {CALLER_TRACE}
    assert format(server.parent.span_id, "016x") == CALLER_SPAN
    assert producer.parent.span_id == server.context.span_id
    assert consumer.parent.span_id == producer.context.span_id
    assert consumer.name == f"process {row['event_type']}"
    assert {s.attributes[tracing.CORRELATION_ATTRIBUTE] for s in (server, producer, consumer)} == {"corr-trace-1"}


def test_tracing_is_off_unless_an_otlp_endpoint_is_set(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    assert tracing.configure_tracing("demo") is False


def test_without_a_trace_nothing_is_added_to_the_outbox_row():
    uow = UnitOfWork(None, producer="demo", messaging=messaging_tables(schema_metadata("demo")))  # type: ignore[arg-type]
    account = uuid.uuid4()
    uow.publish(AccountDisabled(account_id=account, reason="untraced"), subject_id=account)
    [row] = uow.pending_outbox_rows
    assert TRACE_KEY not in row["envelope"]
