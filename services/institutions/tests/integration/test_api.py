"""The institutions API in-process against the run's real Postgres, Redis and broker (issues 12, 13, 15).

Each test has its own migrated database (the clone `engine` makes); identity's place as token issuer is taken by
a key pair made here. Two institutions in most tests: staff see and act on only their own institution's objects.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from jwt.algorithms import OKPAlgorithm
from sqlalchemy.ext.asyncio import AsyncEngine
from stdnum.cn import uscc

from contracts import Envelope
from contracts.applications.v1 import ApplicationDetails, ApplicationSubmitted
from contracts.enums import ApplicationType, PracticeCategory, RegistrationStatus, Role
from contracts.identity.v1 import ActivationRequested
from contracts.licensing.v1 import MultiSiteRecord, RegistrationChanged
from devstack.infra import Infra
from institutions.main import create_app
from institutions.messaging.handlers import HANDLERS
from institutions.settings import Settings
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork

pytestmark = pytest.mark.integration

CLIENT_ADDRESS = "198.51.100.23"
ADMIN = Principal(account_id=uuid.uuid4(), role=Role.ADMIN)
PHYSICIAN = Principal(account_id=uuid.uuid4(), role=Role.PHYSICIAN)
STARTS_ON, ENDS_ON = date(2025, 3, 1), date(2026, 2, 28)


@dataclass
class Harness:
    app: FastAPI
    http: httpx.AsyncClient
    signer: Ed25519PrivateKey

    def uow(self) -> UnitOfWork:
        return self.app.state.runtime.uow()

    def token(self, principal: Principal) -> dict[str, str]:
        s, now = self.app.state.runtime.settings, int(time.time())
        claims = {**principal.claims(), "typ": "access", "iss": s.token_issuer, "aud": s.token_audience}
        token = jwt.encode(
            {**claims, "iat": now, "exp": now + 300}, self.signer, algorithm="EdDSA", headers={"kid": "test"}
        )
        return {"Authorization": f"Bearer {token}"}

    async def call(self, principal: Principal, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return await self.http.request(method, path, headers=self.token(principal), **kwargs)

    async def deliver(self, event: Any, *, at: datetime | None = None) -> None:
        """An event as the consumer applies it: through the handler table, in one unit of work."""
        envelope = Envelope.wrap(
            event, producer="test", subject_id=str(event.account_id), correlation_id="t", occurred_at=at
        )
        async with self.uow() as uow:
            await HANDLERS[type(event)](uow, event, envelope)
            await uow.commit()


@pytest.fixture
async def api(infra: Infra, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Harness]:
    monkeypatch.setenv("INSTITUTIONS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("REDIS_URL", infra.redis_url)
    monkeypatch.setenv("REDIS_KEY_PREFIX", f"itest{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", infra.kafka_bootstrap)
    signer = Ed25519PrivateKey.generate()
    jwk = {**OKPAlgorithm.to_jwk(signer.public_key(), as_dict=True), "kid": "test", "alg": "EdDSA"}

    async def keys() -> dict[str, Any]:
        return {"keys": [jwk]}

    app = create_app(Settings(), consume=False, key_source=lambda _: keys)  # type: ignore[call-arg]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=(CLIENT_ADDRESS, 40123))
        async with httpx.AsyncClient(transport=transport, base_url="http://institutions.test") as http:
            yield Harness(app, http, signer)


def a_credit_code() -> str:
    body = f"12350100{random.randint(10**8, 10**9 - 1)}"
    return body + uscc.calc_check_digit(body)


def institution_body(**changes: Any) -> dict[str, Any]:
    return {
        "name": f"福州市第{random.randint(1, 999)}医院", "credit_code": a_credit_code(), "licence_number": "PDY001",
        "region_code": "350100", "level": "三级甲等", **changes,
    }  # fmt: skip


@dataclass
class Site:
    institution_id: uuid.UUID
    staff: Principal


async def a_site(api: Harness) -> Site:
    response = await api.call(ADMIN, "POST", "/admin/institutions", json=institution_body())
    assert response.status_code == 201, response.text
    institution_id = uuid.UUID(response.json()["institution_id"])
    return Site(institution_id, Principal(uuid.uuid4(), Role.INSTITUTION_STAFF, institution_id=institution_id))


def a_name() -> str:
    return random.choice("赵钱孙李周吴郑王") + random.choice(["明", "芳", "伟", "静"]) + uuid.uuid4().hex[:4].upper()


@dataclass
class Physician:
    account_id: uuid.UUID
    name: str
    id_number: str
    certificate_number: str

    @property
    def id_number_masked(self) -> str:
        return f"{self.id_number[:6]}********{self.id_number[-4:]}"


def a_physician() -> Physician:
    id_number = (
        f"350102198{random.randint(0, 9)}0{random.randint(1, 9)}1{random.randint(0, 9)}{random.randint(100, 999)}X"
    )
    number = f"1103501{random.randint(10**7, 10**8 - 1)}"
    return Physician(uuid.uuid4(), a_name(), id_number, number)


async def asks_activation(api: Harness, site: Site, physician: Physician) -> None:
    await api.deliver(ActivationRequested(
        account_id=physician.account_id, institution_id=site.institution_id, real_name=physician.name,
        id_number_masked=physician.id_number_masked, category=PracticeCategory.CLINICAL,
    ))  # fmt: skip


async def applies(api: Harness, site: Site, physician: Physician, *, at: datetime) -> uuid.UUID:
    """The physician's application reaches the institution; the id of its review task."""
    application_id = uuid.uuid4()
    await api.deliver(ApplicationSubmitted(
        application_id=application_id, account_id=physician.account_id,
        application_type=ApplicationType.CHANGE_REGISTRATION, institution_id=site.institution_id,
        category=PracticeCategory.CLINICAL, physician_name=physician.name,
        id_number_masked=physician.id_number_masked, details=ApplicationDetails(reason="调入"), submitted_at=at,
    ))  # fmt: skip
    queue = await api.call(site.staff, "GET", "/review-tasks", params={"limit": 200})
    return uuid.UUID(next(t["task_id"] for t in queue.json() if t["application_id"] == str(application_id)))


async def registered(api: Harness, site: Site, physician: Physician, *, multi_site_at: Site | None = None) -> None:
    sites = ()
    if multi_site_at:
        record = MultiSiteRecord(
            filing_id=uuid.uuid4(), institution_id=multi_site_at.institution_id, starts_on=STARTS_ON, ends_on=ENDS_ON
        )
        sites = (record,)
    await api.deliver(RegistrationChanged(
        account_id=physician.account_id, certificate_number=physician.certificate_number,
        status=RegistrationStatus.VALID, category=PracticeCategory.CLINICAL, main_institution_id=site.institution_id,
        multi_sites=sites, changed_at=datetime.now(UTC), physician_name=physician.name,
        id_number_masked=physician.id_number_masked,
    ))  # fmt: skip


# issue 13 items 5 and 9, issue 12 item 9: what an institution must be, and one load per credit code


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "福州\x00医院"}, "name"),
        ({"name": "00"}, "name"),
        ({"name": "医"}, "name"),
        ({"region_code": "000000"}, "region_code"),
        ({"region_code": "350199"}, "region_code"),
        ({"auto_activation": 0}, "auto_activation"),
        ({"auto_activation": "true"}, "auto_activation"),
        ({"credit_code": "91350100M000100Y44"}, "credit_code"),
        ({"credit_code": "9AB50100M000100Y4E"}, "credit_code"),  # its check character is right: the form is not
        ({"address": "鼓楼区\x07"}, "address"),
    ],
)
async def test_an_institution_that_is_not_real_is_refused_naming_the_field(api, changes, field):
    response = await api.call(ADMIN, "POST", "/admin/institutions", json=institution_body(**changes))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    named = [e["field"] for e in response.json()["errors"]]
    assert any(name.endswith(field) for name in named), named


async def test_the_same_credit_code_loaded_at_once_is_one_201_and_the_rest_409(api):
    body = institution_body()
    answers = await asyncio.gather(*(api.call(ADMIN, "POST", "/admin/institutions", json=body) for _ in range(6)))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409, 409, 409], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 409).json()
    assert refused["type"].endswith("/institution-exists")
    again = await api.call(ADMIN, "POST", "/admin/institutions", json={**body, "name": "另一家医院"})
    assert again.status_code == 409


async def test_a_credit_code_is_stored_as_the_standard_writes_it(api):
    code = a_credit_code()
    response = await api.call(ADMIN, "POST", "/admin/institutions", json=institution_body(credit_code=code.lower()))
    assert response.status_code == 201, response.text
    assert response.json()["credit_code"] == code


# issue 13 item 9: reviewers' reasons are plain text


@pytest.mark.parametrize("reason", ["<b>材料不全</b>", "请访问 http://example.com 补充", "见 www.notice.cn", "x" * 501])
async def test_a_reason_with_markup_or_a_link_is_422(api, reason):
    site = await a_site(api)
    physician = a_physician()
    task_id = await applies(api, site, physician, at=datetime.now(UTC))
    decision = await api.call(site.staff, "POST", f"/review-tasks/{task_id}/decision",
                              json={"outcome": "rejected", "reason": reason})  # fmt: skip
    assert decision.status_code == 422, decision.text
    assert [e["field"] for e in decision.json()["errors"]][-1].endswith("reason")
    await asks_activation(api, site, physician)
    declined = await api.call(site.staff, "POST", f"/activation-requests/{physician.account_id}/decline",
                              json={"reason": reason})  # fmt: skip
    assert declined.status_code == 422, declined.text
    # nothing was decided
    task = await api.call(site.staff, "GET", f"/review-tasks/{task_id}")
    assert task.json()["status"] == "open"
