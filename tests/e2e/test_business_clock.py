"""The test stack's business clock: moved once, every service keeps the same new time, and it moves back."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from contracts.topics import SERVICES
from devstack.pytest_plugin import compose_mode
from devstack.stack import Stack

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(compose_mode(), reason="the composed system runs as production, whose clock cannot be moved"),
]


def service_now(stack: Stack, service: str) -> datetime:
    return datetime.fromisoformat(httpx.get(f"{stack.url(service)}/healthz", timeout=5).json()["now"])


def test_moving_the_clock_moves_every_service_together(running_stack: Stack):
    two_years = timedelta(days=730)
    try:
        running_stack.set_clock(two_years)
        for service in SERVICES:
            assert abs(service_now(running_stack, service) - (datetime.now(UTC) + two_years)) < timedelta(minutes=1)
    finally:
        running_stack.set_clock(timedelta(0))
    for service in SERVICES:
        assert abs(service_now(running_stack, service) - datetime.now(UTC)) < timedelta(minutes=1)
