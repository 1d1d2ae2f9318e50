"""Issue 13 items 7 and 8: public verification is limited per client (in Redis), licence numbers cannot be walked
through, and the public page allows no inline code, no framing and no sniffing."""

from __future__ import annotations

import base64
import hashlib
import itertools
import random
import re
import uuid

import httpx
import pytest
from sqlalchemy import select

from contracts.enums import ApplicationType, ReviewOutcome, Role
from licensing.adapters.tables import authority_tasks
from regsys_runtime.auth import Principal

from .conftest import Harness
from .events import Case, deliver

pytestmark = pytest.mark.integration
GUESS = {"licence_number": "DZ99999920990000101", "name": "张三"}


def client_at(h: Harness, address: str) -> httpx.AsyncClient:
    """A client at `address`, as the gateway tells the service (request.client.host)."""
    transport = httpx.ASGITransport(app=h.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://licensing.test")


def an_address() -> str:
    return f"198.51.{random.randint(0, 255)}.{random.randint(1, 254)}"


async def test_public_verification_answers_a_burst_then_429_with_retry_after_per_client(licensing: Harness):
    h = licensing
    settings = h.app.state.dependencies.settings
    burst = settings.verification_burst
    async with client_at(h, an_address()) as scraper, client_at(h, an_address()) as neighbour:
        answered = [(await scraper.post("/licences/verifications", json=GUESS)).status_code for _ in range(burst)]
        assert answered == [200] * burst
        refused = await scraper.post("/licences/verifications", json=GUESS)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= settings.verification_burst_window_seconds
        assert refused.json()["type"].endswith("too-many-requests")
        page = await scraper.get("/verify", params={"number": GUESS["licence_number"], "name": "张三"})
        assert page.status_code == 429  # the page and the API share the client's budget
        assert (await neighbour.post("/licences/verifications", json=GUESS)).status_code == 200


async def test_downloads_of_keys_and_status_lists_are_limited_too(licensing: Harness):
    h = licensing
    burst = h.app.state.dependencies.settings.documents_burst
    async with client_at(h, an_address()) as downloader:
        codes = [(await downloader.get("/.well-known/jwks.json")).status_code for _ in range(burst + 1)]
    assert codes[:burst] == [200] * burst
    assert codes[burst] == 429


async def test_the_verification_page_runs_no_inline_code_and_cannot_be_framed(licensing: Harness):
    async with client_at(licensing, an_address()) as visitor:
        page = await visitor.get("/verify")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'none'" in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    [style] = re.findall(r"<style>(.*?)</style>", page.text, flags=re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert " style=" not in page.text
    assert "<script" not in page.text


async def test_certificate_numbers_and_so_licence_numbers_do_not_follow_one_another(licensing: Harness):
    h = licensing
    sequences = []
    officer = h.token(Principal(uuid.uuid4(), Role.OFFICER, region_code="110105"))
    for _ in range(3):
        case = Case.new(ApplicationType.INITIAL_REGISTRATION, region="110105")
        await deliver(h, case.institution("第一人民医院"), case.submitted(), case.review(ReviewOutcome.APPROVED))
        async with h.uow() as uow:
            task_id = await uow.session.scalar(
                select(authority_tasks.c.id).where(authority_tasks.c.application_id == case.application_id)
            )
        decided = await h.http.post(
            f"/authority-tasks/{task_id}/decision", json={"outcome": "approved"}, headers=officer
        )
        assert decided.status_code == 200, decided.text
        physician = h.token(Principal(case.account_id, Role.PHYSICIAN))
        number = (await h.http.get("/registrations/me", headers=physician)).json()["certificate_number"]
        assert re.fullmatch(r"110105\d{4}\d{5}", number)
        sequences.append(int(number[-5:]))
    steps = {b - a for a, b in itertools.pairwise(sequences)}
    assert steps != {1}, sequences
