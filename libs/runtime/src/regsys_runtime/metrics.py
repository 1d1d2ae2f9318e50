"""Prometheus metrics of one service process: one registry per runtime, every series labelled by service.

A registry per runtime rather than the client's global one, so that two apps in one test process keep
their counts apart. The HTTP, consumer, relay and dead-letter series are counted where the work happens;
the gauges that describe a state (outbox backlog, consumer lag, pool, restarts, dependencies) are sampled
when Prometheus scrapes (`scrape.py`).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

disable_created_metrics()  # the `_created` twin of every counter doubles the page and no dashboard reads it

# seconds: from a cached read of a few milliseconds to a slow write behind a lock
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
HANDLER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 240.0)

UNMATCHED_ROUTE = "unmatched"  # a path no route serves: one series, not one per path a scanner tries

# why a message went to the dead-letter topic; a small closed set, so it can be a label
MALFORMED = "malformed"  # the envelope or payload does not parse
HANDLER_FAILED = "handler_failed"  # the handler raised on every attempt
PREREQUISITE_MISSING = "prerequisite_missing"  # what it depends on never came within the wait
DEAD_LETTER_REASONS = (MALFORMED, HANDLER_FAILED, PREREQUISITE_MISSING)


class Metrics:
    """Every series a service exposes on `/metrics`."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry(auto_describe=True)
        self._http()
        self._messaging()
        self._state()

    def _http(self) -> None:
        r, labels = self.registry, ("service", "method", "route", "status")
        self.http_requests = Counter("regsys_http_requests", "HTTP requests answered", labels, registry=r)
        self.http_duration = Histogram(
            "regsys_http_request_duration_seconds", "Time to answer an HTTP request", ("service", "method", "route"),
            buckets=HTTP_BUCKETS, registry=r,
        )  # fmt: skip

    def _messaging(self) -> None:
        r = self.registry
        self.outbox_published = Counter(
            "regsys_outbox_published_events", "Outbox events the relay published", ("service", "topic"), registry=r
        )
        self.relay_failures = Counter(
            "regsys_outbox_relay_failures", "Relay rounds that failed", ("service",), registry=r
        )
        self.consumed = Counter(
            "regsys_consumer_events", "Events the consumer finished with, by outcome (applied, duplicate, ignored, "
            "parked, dead_lettered)", ("service", "topic", "event_type", "outcome"), registry=r,
        )  # fmt: skip
        self.handler_duration = Histogram(
            "regsys_consumer_handler_duration_seconds", "Time to apply one event, waits and retries included",
            ("service", "topic", "event_type"), buckets=HANDLER_BUCKETS, registry=r,
        )  # fmt: skip
        self.dead_letters = Counter(
            "regsys_dead_letters", "Messages sent to the dead-letter topic, by reason class",
            ("service", "topic", "reason"), registry=r,
        )  # fmt: skip
        self.deliveries = Counter(
            "regsys_notification_deliveries", "Notification delivery attempts, by channel and outcome",
            ("service", "channel", "outcome"), registry=r,
        )  # fmt: skip
        self.retention_purged = Counter(
            "regsys_retention_purged_rows", "Rows the retention job removed", ("service", "table"), registry=r
        )

    def _state(self) -> None:
        r = self.registry
        self.outbox_backlog = Gauge(
            "regsys_outbox_backlog", "Outbox events not yet published", ("service",), registry=r
        )
        self.outbox_oldest_age = Gauge(
            "regsys_outbox_oldest_unpublished_age_seconds", "Age of the oldest unpublished outbox event (0: none)",
            ("service",), registry=r,
        )  # fmt: skip
        self.consumer_lag = Gauge(
            "regsys_consumer_lag", "Messages on a partition not yet committed by this service's group",
            ("service", "topic", "partition"), registry=r,
        )  # fmt: skip
        self.parked = Gauge(
            "regsys_parked_events", "Events parked until what they depend on arrives", ("service",), registry=r
        )
        self.restarts = Counter(
            "regsys_supervised_restarts", "Restarts of a supervised part (relay, consumer, jobs)", ("service", "part"),
            registry=r,
        )  # fmt: skip
        self.pool = Gauge(
            "regsys_db_pool_connections", "Database pool connections by state", ("service", "state"), registry=r
        )
        self.dependency_up = Gauge(
            "regsys_dependency_up", "1 when a dependency answered its last check (database, redis, broker, relay)",
            ("service", "dependency"), registry=r,
        )  # fmt: skip

    def count_delivery(self, *, channel: str, outcome: str) -> None:
        """Count one notification delivery attempt (channel: sms, email, inbox; outcome: sent, failed, retried,
        refused...): notifications calls it from its delivery worker."""
        self.deliveries.labels(self.service, channel, outcome).inc()

    def count_consumed(self, *, topic: str, event_type: str, outcome: str) -> None:
        self.consumed.labels(self.service, topic, event_type, outcome).inc()

    def count_dead_letter(self, *, topic: str, reason: str) -> None:
        self.dead_letters.labels(self.service, topic, reason).inc()

    def count_published(self, topic: str, events: int = 1) -> None:
        self.outbox_published.labels(self.service, topic).inc(events)
