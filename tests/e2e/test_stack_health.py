"""The running system: every service is ready, answers problems, and carries correlation ids."""

import httpx
import pytest

from contracts.topics import SERVICES
from devstack.stack import Stack

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_is_ready(running_stack: Stack, service: str):
    response = httpx.get(f"{running_stack.url(service)}/readyz", timeout=5)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "redis": "ok", "broker": "ok", "workers": "ok"},
    }


def test_a_correlation_id_comes_back_and_errors_are_problems(running_stack: Stack):
    response = httpx.get(
        f"{running_stack.url('licensing')}/no-such-thing", headers={"X-Correlation-ID": "e2e-correlation-1"}, timeout=5
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-correlation-id"] == "e2e-correlation-1"
    assert response.json()["correlation_id"] == "e2e-correlation-1"
