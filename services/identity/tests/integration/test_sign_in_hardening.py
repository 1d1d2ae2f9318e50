"""Issue 13 items 3, 6 and 9: sign-in timing tells no login names apart; failures spread over many accounts from
one address ask for a captcha but lock nobody out; a refused code send starts no resend timer; captcha pictures
are limited per client (429 with Retry-After)."""

import random
import statistics
import time

import httpx
import pytest

from identity.domain.codes import CodeLimits, CodeRejected

from .conftest import Identity

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


def from_address(identity: Identity, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=identity.app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://identity")


def an_address() -> str:
    return f"203.0.{random.randint(0, 255)}.{random.randint(1, 254)}"


async def timed_sign_in(identity: Identity, login_name: str, password: str) -> float:
    async with from_address(identity, an_address()) as client:
        started = time.perf_counter()
        response = await client.post("/tokens", json={"login_name": login_name, "password": password})
        elapsed = time.perf_counter() - started
    assert response.status_code == 401, response.text
    return elapsed


async def test_unknown_login_names_take_as_long_as_wrong_passwords(identity: Identity, login):
    await identity.register(login)
    unknown, wrong = [], []
    for attempt in range(11):  # interleaved, so that the machine's load weighs on both alike
        unknown.append(await timed_sign_in(identity, f"nobody{login}{attempt}", "Wrong2026x"))
        wrong.append(await timed_sign_in(identity, login, "Wrong2026x"))
        await identity.app.state.dependencies.login_failures.cleared(login)  # no lock in the way
    ratio = statistics.median(unknown) / statistics.median(wrong)
    print(
        f"\nmedian unknown {statistics.median(unknown) * 1000:.1f} ms, wrong {statistics.median(wrong) * 1000:.1f} ms"
    )
    assert 0.6 < ratio < 1.6, f"unknown names answer {ratio:.2f} times as fast as wrong passwords"


async def test_fifty_failures_over_many_accounts_do_not_lock_the_admin_out(identity: Identity, prepared_stack):
    admin = {"login_name": "admin", "password": prepared_stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"]}
    async with from_address(identity, an_address()) as client:
        for attempt in range(50):
            await client.post("/tokens", json={"login_name": f"someone{attempt}", "password": "Wrong2026x"})
        asked = await client.post("/tokens", json=admin)
        assert asked.status_code == 422 and asked.json()["type"].endswith("captcha-required"), asked.text
        assert [e["field"] for e in asked.json()["errors"]] == ["captcha_answer"]
        captcha = (await client.post("/captchas")).json()
        answer = {"captcha_id": captcha["captcha_id"], "captcha_answer": identity.captcha_answer}
        signed_in = await client.post("/tokens", json={**admin, **answer})
        assert signed_in.status_code == 200, signed_in.text


async def test_a_refused_code_send_starts_no_resend_timer(identity: Identity, login):
    codes = identity.app.state.dependencies.codes
    destination = f"139{random.randint(10**7, 10**8 - 1)}"
    capped = CodeLimits(ttl_seconds=600, per_destination_daily=0)
    with pytest.raises(CodeRejected) as refused:
        await codes.admit(purpose="verify_phone", destination=destination, address=an_address(), limits=capped)
    assert refused.value.problem == "code-daily-limit"
    # the next send, under limits that allow it, is not held back by a timer the refusal would have started
    await codes.admit(
        purpose="verify_phone", destination=destination, address=an_address(), limits=CodeLimits(ttl_seconds=600)
    )
    with pytest.raises(CodeRejected) as too_soon:
        await codes.admit(
            purpose="verify_phone", destination=destination, address=an_address(), limits=CodeLimits(ttl_seconds=600)
        )
    assert too_soon.value.problem == "code-resend-too-soon"


async def test_captcha_pictures_are_limited_per_client(identity: Identity):
    limit = identity.settings.captchas_per_minute
    async with from_address(identity, an_address()) as client:
        statuses = [(await client.post("/captchas")).status_code for _ in range(limit)]
        assert statuses == [201] * limit
        refused = await client.post("/captchas")
        assert refused.status_code == 429, refused.text
        assert 0 < int(refused.headers["Retry-After"]) <= identity.settings.captchas_burst_window_seconds
    async with from_address(identity, an_address()) as other:
        assert (await other.post("/captchas")).status_code == 201
