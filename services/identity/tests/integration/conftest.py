"""Identity in-process over HTTP, against the run's real Postgres, Redis and broker (a fresh database)."""

import asyncio
import os
import random
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select

from contracts import Envelope
from devstack.stack import Stack
from identity.adapters.tables import messaging
from identity.domain.rules import id_check_character
from identity.main import create_app
from identity.service import registry
from identity.settings import Settings
from regsys_runtime.audit import Actor
from regsys_runtime.kafka import create_producer
from regsys_runtime.sealing import SEALED_DELIVERY_PREFIX, DeliverySealer


def an_id_number() -> str:
    first17 = (
        f"110105{random.randint(1960, 1999)}0{random.randint(1, 9)}1{random.randint(0, 9)}{random.randint(100, 999)}"
    )
    return first17 + id_check_character(first17)


def a_phone() -> str:
    return f"139{random.randint(10**7, 10**8 - 1)}"


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@dataclass
class Physician:
    login: str
    id_number: str
    phone: str
    email: str
    password: str = "Practice2026"
    account_id: str = ""
    token: str = ""
    certificate_code: str = ""


@dataclass
class Identity:
    """The running service, a client for it, and what a test needs to read back from identity's own storage."""

    http: httpx.AsyncClient
    settings: Settings
    app: Any

    @property
    def captcha_answer(self) -> str:
        assert self.settings.captcha_test_answer is not None
        return self.settings.captcha_test_answer.get_secret_value()

    async def captcha(self) -> dict[str, str]:
        body = (await self.http.post("/captchas")).json()
        return {"captcha_id": body["captcha_id"], "captcha_answer": self.captcha_answer}

    async def sealed_codes(self, account_id: str, purpose: str) -> list[dict[str, Any]]:
        """Codes identity handed to notifications, newest last, as they travel (read from identity's own outbox)."""
        issued = await self.published("identity.verification_code_issued", account_id)
        return [p for p in issued if p["purpose"] == purpose]

    async def issued_codes(self, account_id: str, purpose: str) -> list[dict[str, Any]]:
        """The same codes, opened as notifications opens them with the stack's CODE_DELIVERY_KEY."""
        return [{**p, "code": self.opened(p["code"])} for p in await self.sealed_codes(account_id, purpose)]

    def opened(self, sealed: str) -> str:
        assert sealed.startswith(SEALED_DELIVERY_PREFIX), "the test stack seals what it delivers, as production must"
        return DeliverySealer(self.settings.delivery_key).open(sealed)

    async def last_code(self, account_id: str, purpose: str) -> str:
        codes = await self.issued_codes(account_id, purpose)
        assert codes, f"no {purpose} code was issued"
        return codes[-1]["code"]

    def as_(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    async def hear(self, event: Any, subject_id: str) -> None:
        """Another service's event arrives through the real broker, as institutions would publish it."""
        envelope = Envelope.wrap(event, producer="institutions", subject_id=subject_id, correlation_id="test")
        producer = create_producer(self.settings.kafka_bootstrap_servers, client_id="identity-tests")
        await producer.start()
        try:
            await producer.send_and_wait(
                envelope.topic.value, envelope.to_bytes(), key=subject_id.encode(),
                headers=[("event_type", envelope.event_type.encode())],
            )  # fmt: skip
        finally:
            await producer.stop()

    async def published(self, event_type: str, account_id: str) -> list[dict[str, Any]]:
        """Payloads of one kind of event identity published about an account (from its own outbox)."""
        async with self.app.state.dependencies.uow() as uow:
            rows = await uow.session.execute(
                select(messaging.outbox.c.envelope)
                .where(messaging.outbox.c.event_type == event_type)
                .where(messaging.outbox.c.key == account_id)
                .order_by(messaging.outbox.c.id)
            )
        return [r.envelope["payload"] for r in rows]

    async def me(self, person: "Physician") -> dict[str, Any]:
        return (await self.http.get("/me", headers=self.as_(person.token))).json()

    async def put_in_registry(self, real_name: str, id_number: str, category: str = "临床", code: str = "") -> str:
        code = code or f"Q{random.randint(10**9, 10**10)}"
        row = {"real_name": real_name, "id_number": id_number, "certificate_code": code, "category": category}
        deps = self.app.state.dependencies
        await registry.load_qualification(deps=deps, actor=Actor.command_line(), row=row, now=deps.clock.now())
        return code

    async def register(self, login: str, *, real_name: str = "欧阳·明", id_number: str = "") -> Physician:
        id_number = id_number or an_id_number()
        step1 = await self.http.post(
            "/registrations",
            json={"real_name": real_name, "id_number": id_number, "privacy_consent": True, **await self.captcha()},
        )
        assert step1.status_code == 201, step1.text
        person = Physician(login=login, id_number=id_number, phone=a_phone(), email=f"{login}@example.cn")
        step2 = await self.http.post(
            f"/registrations/{step1.json()['registration_id']}/account",
            json={
                "phone": person.phone, "email": person.email, "login_name": login,
                "password": person.password, "password_confirmation": person.password,
            },
        )  # fmt: skip
        assert step2.status_code == 201, step2.text
        person.account_id = step2.json()["account_id"]
        return person

    async def sign_in(self, person: "Physician") -> dict[str, Any]:
        response = await self.http.post("/tokens", json={"login_name": person.login, "password": person.password})
        assert response.status_code == 200, response.text
        person.token = response.json()["access_token"]
        return response.json()

    async def secured(self, login: str, *, category: str = "临床") -> "Physician":
        """Registered, in the registry, checked and with a verified phone: ready to be activated."""
        person = await self.register(login)
        person.certificate_code = await self.put_in_registry("欧阳·明", person.id_number, category)
        await self.sign_in(person)
        checked = await self.http.post("/me/qualification-check", headers=self.as_(person.token))
        assert checked.json()["status"] == "verified", checked.text
        sent = await self.http.post("/me/security-codes", json={"channel": "sms"}, headers=self.as_(person.token))
        assert sent.status_code == 202, sent.text
        code = await self.last_code(person.account_id, "verify_phone")
        confirmed = await self.http.post(
            "/me/security-verification", json={"channel": "sms", "code": code}, headers=self.as_(person.token)
        )
        assert confirmed.json()["status"] == "secured", confirmed.text
        return person


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def identity_app(prepared_stack: Stack) -> AsyncIterator[Any]:
    with environment(prepared_stack.env()):
        settings = Settings()
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest_asyncio.fixture(loop_scope="module")
async def identity(identity_app: Any) -> AsyncIterator[Identity]:
    """A client from an address of its own, so one test's throttling never touches another's."""
    address = f"198.51.{random.randint(0, 255)}.{random.randint(1, 254)}"
    transport = httpx.ASGITransport(app=identity_app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://identity") as http:
        yield Identity(http=http, settings=identity_app.state.dependencies.settings, app=identity_app)


@pytest.fixture
def login() -> str:
    return f"doc{uuid.uuid4().hex[:10]}"


async def refused_soon(identity: Identity, token: str, *, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while (status := (await identity.http.get("/me", headers=identity.as_(token))).status_code) != 401:
        assert time.monotonic() < deadline, f"the ended token still answers {status}"
        await asyncio.sleep(0.2)
