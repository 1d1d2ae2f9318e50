"""The SMS gateway adapter against a real HTTP server, and the spending guard against real Redis."""

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from contracts import Envelope
from contracts.enums import Channel, CodePurpose
from contracts.identity.v1 import VerificationCodeIssued
from notifications.adapters.sms import HttpSmsGateway
from notifications.adapters.spending_guard import Cap, SmsSpendingGuard
from notifications.domain.deliveries import SendFailure

from .conftest import handlers_in, make_worker

pytestmark = pytest.mark.integration


class Provider:
    """A small SMS provider: answers each request with the next scripted (status, body), records what it got."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict]] = []
        self.requests: list[tuple[dict, dict]] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                provider.requests.append((dict(self.headers), body))
                status, answer = provider.script.pop(0) if provider.script else (200, {"code": "OK", "biz_id": "b1"})
                raw = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"


@pytest.fixture
def provider() -> Iterator[Provider]:
    provider = Provider()
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


@pytest.fixture
async def gateway(provider: Provider):
    async with httpx.AsyncClient() as client:
        yield HttpSmsGateway(client=client, url=provider.url, key="k-123", sign_name="医师电子化注册", timeout=5)


async def test_the_gateway_sends_the_providers_request_and_reads_its_answer(gateway, provider):
    provider.script = [(200, {"code": "OK", "message": "OK", "biz_id": "900619"})]

    assert await gateway.send(phone="13912345678", text="验证码：123456") == "900619"

    [(headers, body)] = provider.requests
    assert headers["Authorization"] == "Bearer k-123"
    assert body == {"phone_numbers": "13912345678", "sign_name": "医师电子化注册", "content": "验证码：123456"}


async def test_a_refusal_by_the_provider_is_permanent_with_its_message(gateway, provider):
    provider.script = [(200, {"code": "isv.MOBILE_NUMBER_ILLEGAL", "message": "invalid mobile"})]

    with pytest.raises(SendFailure) as failure:
        await gateway.send(phone="1391234", text="x")

    assert failure.value.permanent
    assert "isv.MOBILE_NUMBER_ILLEGAL" in failure.value.reason and "invalid mobile" in failure.value.reason


@pytest.mark.parametrize(
    ("status", "answer"),
    [(503, {"message": "maintenance"}), (429, {"message": "slow down"}), (200, {"code": "isv.BUSINESS_LIMIT_CONTROL"})],
)
async def test_overload_and_flow_control_are_worth_retrying(gateway, provider, status, answer):
    provider.script = [(status, answer)]

    with pytest.raises(SendFailure) as failure:
        await gateway.send(phone="13912345678", text="x")

    assert not failure.value.permanent


async def test_an_unreachable_gateway_is_worth_retrying():
    from devstack.processes import free_port

    async with httpx.AsyncClient() as client:
        gateway = HttpSmsGateway(
            client=client, url=f"http://127.0.0.1:{free_port()}/", key="k", sign_name="s", timeout=2
        )
        with pytest.raises(SendFailure) as failure:
            await gateway.send(phone="13912345678", text="x")
    assert not failure.value.permanent
    assert failure.value.reason.startswith("SMS gateway unreachable")


async def queue_sms(unit_of_work, phone: str) -> None:
    handlers = handlers_in("zh")
    event = VerificationCodeIssued(
        channel=Channel.SMS,
        destination=phone,
        purpose=CodePurpose.VERIFY_PHONE,
        code="777111",
        expires_at=datetime.now(UTC) + timedelta(minutes=5),
    )
    envelope = Envelope.wrap(event, producer="identity", subject_id=phone, correlation_id="t")
    async with unit_of_work() as uow:
        await handlers[VerificationCodeIssued](uow, event, envelope)
        await uow.commit()


async def test_the_per_recipient_cap_refuses_and_records_the_refusal(unit_of_work, redis, tmp_path):
    guarded = make_worker(
        unit_of_work=unit_of_work, redis=redis, mail_port=1, sms_path=tmp_path / "sms.jsonl", cap_per_recipient=2
    )
    for _ in range(3):
        await queue_sms(unit_of_work, "13700000001")
    await queue_sms(unit_of_work, "13700000002")

    await guarded.deliver_due()

    sent = [json.loads(line)["phone"] for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert sorted(sent) == ["13700000001", "13700000001", "13700000002"]
    rows = await guarded.deliveries()
    [refused] = [r for r in rows if r.status == "failed"]
    assert refused.recipient == "13700000001"
    assert refused.last_error.startswith("spending guard: more than 2 SMS to this recipient")
    assert sorted(await guarded.outbox_types()).count("notifications.delivery_failed") == 1


async def test_the_global_cap_refuses_every_recipient_past_it(unit_of_work, redis, tmp_path):
    namespace = f"ntest-{uuid.uuid4().hex[:8]}"
    guarded = make_worker(
        unit_of_work=unit_of_work, redis=redis, mail_port=1, sms_path=tmp_path / "s", cap_global=2, namespace=namespace
    )
    for n in range(4):
        await queue_sms(unit_of_work, f"1360000000{n}")

    await guarded.deliver_due()

    rows = await guarded.deliveries()
    assert sorted(r.status for r in rows) == ["failed", "failed", "sent", "sent"]
    assert all("in total" in r.last_error for r in rows if r.status == "failed")
    keys = [k async for k in redis.scan_iter(f"{namespace}:notifications:sms-cap:*")]
    assert keys, "the counters live under the service's namespace"
    ttls = [await redis.ttl(k) for k in keys]
    assert all(ttl > 0 for ttl in ttls), "every counter expires"


async def test_a_capped_recipient_gets_sms_again_in_the_next_window(redis):
    """The guard's windows follow one another from the epoch: past the cap, refused until the next one starts."""
    namespace, window = f"ntest-{uuid.uuid4().hex[:8]}", 2
    guard = SmsSpendingGuard(
        redis, key=lambda *parts: ":".join((namespace, "notifications", *parts)),
        per_recipient=Cap(2, window), overall=Cap(1000, window),
    )  # fmt: skip
    await asyncio.sleep(window - time.time() % window + 0.05)  # all three in one window
    answers = [await guard.refusal("13700000009") for _ in range(3)]
    assert answers[:2] == [None, None]
    assert answers[2] is not None and answers[2].startswith("spending guard: more than 2 SMS to this recipient")
    await asyncio.sleep(window - time.time() % window + 0.05)
    assert await guard.refusal("13700000009") is None
