"""After a journey, every service's /metrics says what happened: the requests by route, the events its outbox
published and its consumer applied (checked against its own outbox and inbox tables), and no lag left.

The tables are compared by how much they grew while the process counted: earlier suites run apps of their own
against the same schemas, whose rows the running service's counters never saw."""

import re
from collections import Counter
from dataclasses import dataclass

import asyncpg
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from contracts.topics import SERVICES
from devstack.stack import Stack
from e2e.journeys import Client, active_physician, eventually, in_a_thread, new_institution

pytestmark = pytest.mark.e2e

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def scrape(stack: Stack, service: str) -> list[tuple[str, dict[str, str], float]]:
    response = httpx.get(f"{stack.url(service)}/metrics", timeout=10)
    assert response.status_code == 200
    return [(s.name, s.labels, s.value) for f in text_string_to_metric_families(response.text) for s in f.samples]


def total(samples, name: str, **labels: str) -> float:
    return sum(v for n, ls, v in samples if n == name and all(ls.get(k) == w for k, w in labels.items()))


def by(samples, name: str, label: str, **labels: str) -> Counter[str]:
    counted: Counter[str] = Counter()
    for n, ls, v in samples:
        if n == name and all(ls.get(k) == w for k, w in labels.items()) and v:
            counted[ls[label]] += int(v)
    return counted


async def _tables(stack: Stack, service: str) -> tuple[int, Counter[str]]:
    connection = await asyncpg.connect(stack.infra.postgres_admin_url.rsplit("/", 1)[0] + f"/{stack.database}")
    try:
        published = await connection.fetchval(f"SELECT count(*) FROM {service}.outbox WHERE published_at IS NOT NULL")
        rows = await connection.fetch(f"SELECT event_type, count(*) AS n FROM {service}.inbox GROUP BY event_type")
        return published, Counter({r["event_type"]: r["n"] for r in rows})
    finally:
        await connection.close()


def tables(stack: Stack, service: str) -> tuple[int, Counter[str]]:
    return in_a_thread(_tables(stack, service))


@dataclass(frozen=True)
class Counted:
    """What a service's counters and its tables said at one moment."""

    published_counter: float
    published_rows: int
    applied_counter: Counter[str]
    applied_rows: Counter[str]

    def grown_since(self, before: "Counted") -> tuple[float, int, Counter[str], Counter[str]]:
        return (
            self.published_counter - before.published_counter, self.published_rows - before.published_rows,
            self.applied_counter - before.applied_counter, self.applied_rows - before.applied_rows,
        )  # fmt: skip


def counted(stack: Stack, service: str) -> tuple[Counted, list]:
    samples = scrape(stack, service)
    published, applied = tables(stack, service)
    purged = total(samples, "regsys_retention_purged_rows_total", table="outbox")
    applied_counter = by(samples, "regsys_consumer_events_total", "event_type", outcome="applied")
    return Counted(total(samples, "regsys_outbox_published_events_total") - purged, published, applied_counter,
                   applied), samples  # fmt: skip


def settled(stack: Stack, service: str) -> Counted:
    """The counters once nothing is in flight: no lag, and no published event the table does not show yet."""

    def steady():
        first, samples = counted(stack, service)
        second, _ = counted(stack, service)
        return first if first == second and total(samples, "regsys_consumer_lag") == 0 else None

    return eventually(steady, lambda found: found is not None, timeout=60)


@pytest.fixture(scope="module")
def before(running_stack: Stack) -> dict[str, Counted]:
    return {service: settled(running_stack, service) for service in SERVICES}


@pytest.fixture(scope="module")
def deliveries_before(running_stack: Stack) -> Counter[str]:
    """Notifications' delivery attempts by channel, outcome `sent`, before the journey."""
    settled(running_stack, "notifications")
    return by(scrape(running_stack, "notifications"), "regsys_notification_deliveries_total", "channel", outcome="sent")


@pytest.fixture(scope="module")
def journey(running_stack: Stack, admin: Client, before, deliveries_before):
    """A physician registered, checked, secured and activated: identity, institutions and notifications at work."""
    institution = new_institution(admin, "110105")
    return active_physician(running_stack, admin, institution)


def test_the_deliveries_are_counted_by_channel_and_outcome(running_stack: Stack, journey, deliveries_before):
    texts = running_stack.sms_messages(journey.phone)  # the security code, and what the activation said
    assert texts

    def sent_since() -> Counter[str]:
        sent = by(scrape(running_stack, "notifications"), "regsys_notification_deliveries_total", "channel",
                  outcome="sent")  # fmt: skip
        return sent - deliveries_before

    # at least the texts this physician received (other journeys' deliveries may still be going out)
    assert eventually(sent_since, lambda sent: sent["sms"] >= len(running_stack.sms_messages(journey.phone)))


@pytest.mark.parametrize("service", SERVICES)
def test_the_outbox_and_consumer_series_match_the_services_own_tables(
    running_stack: Stack, journey, before, service: str
):
    after = settled(running_stack, service)
    published_counter, published_rows, applied_counter, applied_rows = after.grown_since(before[service])
    assert published_counter == published_rows
    assert applied_counter == applied_rows
    samples = scrape(running_stack, service)
    assert total(samples, "regsys_outbox_backlog") == 0
    assert total(samples, "regsys_outbox_oldest_unpublished_age_seconds") == 0
    assert total(samples, "regsys_dependency_up", dependency="database") == 1
    assert total(samples, "regsys_db_pool_connections", state="capacity") > 0
    if service in ("identity", "institutions"):  # the activation crossed from one to the other and back
        assert published_rows > 0 and sum(applied_rows.values()) > 0


def test_the_journey_left_its_events_on_both_sides(running_stack: Stack, journey):
    identity = scrape(running_stack, "identity")
    institutions = scrape(running_stack, "institutions")
    assert total(identity, "regsys_outbox_published_events_total", topic="identity.account") > 0
    assert total(institutions, "regsys_consumer_events_total", topic="identity.account", outcome="applied") > 0
    assert total(identity, "regsys_consumer_handler_duration_seconds_count") > 0


def test_requests_are_counted_by_route_template(running_stack: Stack, journey):
    before = scrape(running_stack, "identity")
    for _ in range(3):
        journey.ok("GET", "identity", "/me")
    journey.call("GET", "identity", "/no-such-route")
    after = scrape(running_stack, "identity")
    me = {"method": "GET", "route": "/me", "status": "200"}
    assert total(after, "regsys_http_requests_total", **me) - total(before, "regsys_http_requests_total", **me) == 3
    unmatched = {"route": "unmatched", "status": "404"}
    assert total(after, "regsys_http_requests_total", **unmatched) > total(before, "regsys_http_requests_total",
                                                                           **unmatched)  # fmt: skip
    assert total(after, "regsys_http_request_duration_seconds_count", route="/me") >= 3
    assert total(after, "regsys_http_requests_total", route="/tokens", method="POST", status="201") + total(
        after, "regsys_http_requests_total", route="/tokens", method="POST", status="200") > 0  # fmt: skip
    routes = {ls["route"] for n, ls, _ in after if n == "regsys_http_requests_total"}
    assert not any(UUID.search(route) for route in routes), routes  # templates, never raw ids
