"""Only the gateway names the client's address (issue 13 item 2): an X-Forwarded-For a client makes up is replaced
at the gateway, and one sent straight to a service by anyone but the gateway is not believed. The institutions
audit trail shows the address each service took (the sign-in and code limits key on the same one)."""

from __future__ import annotations

import random

import httpx
import pytest

from devstack.pytest_plugin import compose_mode
from devstack.stack import Stack
from e2e.journeys import Client, a_credit_code

pytestmark = pytest.mark.e2e

MADE_UP = "203.0.113.9"  # TEST-NET-3: nobody's


def an_address() -> str:
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


def institution_loaded_from(admin: Client, base_url: str, address: str) -> str:
    """Load an institution from `address` with a made-up X-Forwarded-For; the address the audit trail kept."""
    body = {"name": f"第{random.randint(1, 999)}人民医院", "credit_code": a_credit_code(), "licence_number": "PDY-001",
            "region_code": "110101", "level": "三级甲等"}  # fmt: skip
    headers = {"Authorization": f"Bearer {admin.token}", "X-Forwarded-For": MADE_UP}
    with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=10) as http:
        made = http.post(f"{base_url}/admin/institutions", json=body, headers=headers)
        assert made.status_code == 201, made.text
        query = {"institution_id": made.json()["institution_id"], "action": "institution.loaded"}
        [entry] = http.get(f"{base_url}/admin/audit-trail", params=query, headers=headers).json()
    return entry["address"]


def test_a_made_up_forwarded_address_is_replaced_at_the_gateway(running_stack: Stack, admin: Client):
    address = an_address()
    loaded_from = institution_loaded_from(admin, f"{running_stack.gateway_url}/api/institutions", address)
    assert loaded_from == running_stack.address_at_gateway(address)


@pytest.mark.skipif(
    compose_mode(), reason="composed, only the gateway's port is published: no client reaches a service"
)
def test_a_forwarded_address_from_anyone_but_the_gateway_is_not_believed(running_stack: Stack, admin: Client):
    address = an_address()
    assert institution_loaded_from(admin, running_stack.url("institutions"), address) == address
