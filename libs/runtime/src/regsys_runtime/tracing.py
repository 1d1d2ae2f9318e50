"""OpenTelemetry spans across the HTTP and Kafka hops, off unless an OTLP endpoint is configured.

A request's span is the parent of the spans of the events it causes: the trace context is kept beside the
event in the outbox row, goes out in the Kafka headers (W3C `traceparent`), and the consumer's span
continues it. Every span carries the correlation id, so a trace and the JSON logs find each other.
With no endpoint set the API's no-op tracer is used: spans cost next to nothing and export nowhere, while
an incoming `traceparent` is still passed on, so a traced caller's trace is not cut by us.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from opentelemetry import propagate, trace
from opentelemetry.trace import Span, SpanKind

TRACER_NAME = "regsys"
CORRELATION_ATTRIBUTE = "regsys.correlation_id"
ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT"


def configure_tracing(service: str) -> bool:
    """Export spans over OTLP (HTTP) when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; True if it is.

    The exporter reads the standard `OTEL_EXPORTER_OTLP_*` variables (headers, timeout, protocol paths).
    """
    if not os.environ.get(ENDPOINT_VARIABLE):
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return True  # a second app in one process: the first one's exporter serves both
    provider = TracerProvider(resource=Resource.create({"service.name": f"regsys-{service}"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return True


def tracer() -> trace.Tracer:
    return trace.get_tracer(TRACER_NAME)


@contextmanager
def server_span(method: str, headers: Mapping[str, str], correlation_id: str) -> Iterator[Span]:
    """The span of one HTTP request, continuing the caller's trace when it sent one; the route is named later,
    once the router has matched it (`name_route`)."""
    parent = propagate.extract(headers)
    attributes = {"http.request.method": method, CORRELATION_ATTRIBUTE: correlation_id}
    with tracer().start_as_current_span(method, context=parent, kind=SpanKind.SERVER, attributes=attributes) as span:
        yield span


def name_route(span: Span, method: str, route: str, status: int) -> None:
    span.update_name(f"{method} {route}")
    span.set_attribute("http.route", route)
    span.set_attribute("http.response.status_code", status)


def current_trace_headers() -> dict[str, str]:
    """The trace context of the work in progress as W3C headers (empty when there is none)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


@contextmanager
def producer_span(
    topic: str, event_type: str, stored: Mapping[str, str], correlation_id: str
) -> Iterator[dict[str, str]]:
    """The span of publishing one outbox event, a child of the work that wrote it; yields the headers that carry
    this span's context to the consumer."""
    attributes = {"messaging.destination.name": topic, "regsys.event_type": event_type,
                  CORRELATION_ATTRIBUTE: correlation_id}  # fmt: skip
    parent = propagate.extract(dict(stored))
    with tracer().start_as_current_span(
        f"publish {topic}", context=parent, kind=SpanKind.PRODUCER, attributes=attributes
    ):
        yield current_trace_headers()


@contextmanager
def consumer_span(
    topic: str, event_type: str, headers: Sequence[tuple[str, bytes]] | None, correlation_id: str
) -> Iterator[Span]:
    """The span of applying one event, continuing the trace its Kafka headers carry."""
    carrier = {name: value.decode(errors="replace") for name, value in headers or ()}
    attributes = {"messaging.destination.name": topic, "regsys.event_type": event_type,
                  CORRELATION_ATTRIBUTE: correlation_id}  # fmt: skip
    with tracer().start_as_current_span(
        f"process {event_type}", context=propagate.extract(carrier), kind=SpanKind.CONSUMER, attributes=attributes
    ) as span:
        yield span


def current_trace_id() -> str | None:
    """The id of the trace in progress, as logs print it; None outside a sampled span."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
