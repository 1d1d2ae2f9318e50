"""The institutions API in-process against the run's real Postgres, Redis and broker (issues 12, 13, 15).

Each test has its own migrated database (the clone `engine` makes); identity's place as token issuer is taken by
a key pair made here. Two institutions in most tests: staff see and act on only their own institution's objects.
"""

from __future__ import annotations

import asyncio
import csv
import io
import random
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from jwt.algorithms import OKPAlgorithm
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from stdnum.cn import uscc

from contracts import Envelope
from contracts.applications.v1 import ApplicationDetails, ApplicationSubmitted
from contracts.enums import ActivationMethod, ApplicationType, PracticeCategory, RegistrationStatus, Role
from contracts.identity.v1 import AccountActivated, ActivationRequested
from contracts.licensing.v1 import MultiSiteRecord, RegistrationChanged
from contracts.topics import ALL_TOPICS
from devstack.infra import Infra
from institutions.adapters.tables import messaging
from institutions.main import create_app
from institutions.messaging.handlers import HANDLERS
from institutions.settings import Settings
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.kafka import ensure_topics

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


@pytest.fixture(scope="session")
def topics(infra: Infra) -> None:
    """The topics the relay publishes to, as the stack makes them (a send to a missing one waits on metadata)."""
    asyncio.run(ensure_topics(infra.kafka_bootstrap, ALL_TOPICS))


@pytest.fixture
async def api(
    infra: Infra, topics: None, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Harness]:
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
        await _relay_idle(engine)


async def _relay_idle(engine: AsyncEngine) -> None:
    """Wait (a while at most) until the relay published every event, so it is idle when the runtime stops.

    A relay woken by NOTIFY at the moment it is cancelled can swallow the cancellation (Python 3.11's
    asyncio.wait_for) and keep the runtime's stop waiting for ever; stopping an idle relay is clean.
    """
    unpublished = select(func.count()).select_from(messaging.outbox).where(messaging.outbox.c.published_at.is_(None))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        async with engine.connect() as connection:
            if not await connection.scalar(unpublished):
                break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.3)


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
        ({"credit_code": "9AB50100M000100Y4W"}, "credit_code"),  # its check character is right: the form is not
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


# issue 15: the review queue searchable, oldest first, paged with its total


async def test_the_review_queue_is_searched_by_name_masked_id_number_or_certificate_number(api):
    site, other = await a_site(api), await a_site(api)
    start = datetime.now(UTC)
    physicians = [a_physician() for _ in range(3)]
    tasks = [await applies(api, site, p, at=start + timedelta(minutes=i)) for i, p in enumerate(physicians)]
    twin = Physician(uuid.uuid4(), physicians[0].name, physicians[0].id_number, "110350100000000")
    twin_task = await applies(api, site, twin, at=start + timedelta(minutes=9))  # the same name and ID, later
    await applies(api, other, physicians[0], at=start)  # at the other institution: never in this queue
    for p in physicians:
        await registered(api, site, p)

    async def found(**params: str) -> list[str]:
        response = await api.call(site.staff, "GET", "/review-tasks", params=params)
        assert response.status_code == 200, response.text
        return [t["task_id"] for t in response.json()]

    first = physicians[0]
    both = [str(tasks[0]), str(twin_task)]
    assert await found(physician_name=first.name[1:]) == both
    assert await found(physician_name=first.name.lower()) == both
    assert await found(id_number=first.id_number_masked) == both
    assert await found(id_number=first.id_number) == both, "a whole ID number is masked"
    assert await found(id_number=first.id_number[-4:]) == both
    assert await found(certificate_number=first.certificate_number) == [str(tasks[0])]
    assert await found(certificate_number=physicians[2].certificate_number[-6:]) == [str(tasks[2])]
    assert await found(physician_name="%") == [], "% means itself"
    assert await found(physician_name=first.name, certificate_number=physicians[1].certificate_number) == []

    paged = await api.call(site.staff, "GET", "/review-tasks", params={"limit": 2, "offset": 1})
    assert paged.headers["X-Total-Count"] == "4"
    assert [t["task_id"] for t in paged.json()] == [str(tasks[1]), str(tasks[2])], "oldest first"
    searched = await api.call(site.staff, "GET", "/review-tasks", params={"physician_name": first.name, "limit": 1})
    assert (searched.headers["X-Total-Count"], len(searched.json())) == ("2", 1)
    nul = await api.call(site.staff, "GET", "/review-tasks", params={"physician_name": "王\x00"})
    assert nul.status_code == 422


# issue 15: the roster searchable, and exported as CSV for Excel


async def test_the_roster_is_searched_and_exported_as_csv_with_a_chinese_header(api):
    site, other = await a_site(api), await a_site(api)
    main, visiting, elsewhere = a_physician(), a_physician(), a_physician()
    await registered(api, site, main)
    await registered(api, other, visiting, multi_site_at=site)
    await registered(api, other, elsewhere)

    listed = await api.call(site.staff, "GET", "/roster", params={"certificate_number": visiting.certificate_number})
    assert [(r["account_id"], r["role"], r["starts_on"]) for r in listed.json()] == [
        (str(visiting.account_id), "multi_site", "2025-03-01")
    ]
    assert listed.headers["X-Total-Count"] == "1"
    by_name = await api.call(site.staff, "GET", "/roster", params={"physician_name": main.name})
    assert [r["account_id"] for r in by_name.json()] == [str(main.account_id)]

    export = await api.call(site.staff, "GET", "/roster/export")
    assert export.status_code == 200, export.text
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    assert export.headers["content-disposition"].startswith('attachment; filename="roster-')
    assert export.content.startswith(b"\xef\xbb\xbf")
    header, *rows = csv.reader(io.StringIO(export.content.decode("utf-8-sig"), newline=""))
    assert header[:5] == ["姓名", "身份证号（脱敏）", "执业证书编码", "执业类别", "执业身份"]
    assert sorted((r[0], r[4], r[6], r[7]) for r in rows) == sorted([
        (main.name, "主要执业机构", "", ""), (visiting.name, "多点执业", "2025-03-01", "2026-02-28"),
    ])  # fmt: skip
    assert elsewhere.name not in export.content.decode("utf-8-sig")
    searched = await api.call(site.staff, "GET", "/roster/export", params={"physician_name": visiting.name})
    assert [r[0] for r in list(csv.reader(io.StringIO(searched.content.decode("utf-8-sig"))))[1:]] == [visiting.name]
    assert (await api.call(PHYSICIAN, "GET", "/roster/export")).status_code == 403


# object-level authorization: staff see and act on only their own institution's objects


async def test_staff_see_and_act_on_only_their_own_institutions_objects(api):
    mine, theirs = await a_site(api), await a_site(api)
    physician, outsider = a_physician(), a_physician()
    await asks_activation(api, theirs, outsider)
    their_task = await applies(api, theirs, outsider, at=datetime.now(UTC))
    await registered(api, theirs, outsider)
    await asks_activation(api, mine, physician)
    my_task = await applies(api, mine, physician, at=datetime.now(UTC))
    me = mine.staff

    async def status(method: str, path: str, **kwargs: Any) -> int:
        return (await api.call(me, method, path, **kwargs)).status_code

    listed = await api.call(me, "GET", "/activation-requests")
    assert [r["account_id"] for r in listed.json()] == [str(physician.account_id)]
    assert [t["task_id"] for t in (await api.call(me, "GET", "/review-tasks")).json()] == [str(my_task)]
    assert (await api.call(me, "GET", "/roster")).json() == []
    assert str(outsider.account_id) not in (await api.call(me, "GET", "/roster/export")).text
    assert await status("GET", f"/review-tasks/{their_task}") == 404
    assert await status("POST", f"/review-tasks/{their_task}/decision", json={"outcome": "approved"}) == 404
    assert await status("POST", f"/activation-requests/{outsider.account_id}/activation-code", json={}) == 404
    assert await status("POST", f"/activation-requests/{outsider.account_id}/decline", json={"reason": "否"}) == 404
    assert await status("PUT", f"/institutions/{theirs.institution_id}/auto-activation", json={"enabled": True}) == 403
    assert await status("GET", "/admin/audit-trail") == 403
    assert await status("POST", "/admin/institutions", json=institution_body()) == 403
    # nothing of theirs changed
    their_view = await api.call(theirs.staff, "GET", f"/review-tasks/{their_task}")
    assert their_view.json()["status"] == "open"
    their_requests = (await api.call(theirs.staff, "GET", "/activation-requests")).json()
    assert [r["status"] for r in their_requests] == ["pending"]
    # a physician is no staff
    for method, path in [("GET", "/activation-requests"), ("GET", "/review-tasks"), ("GET", "/roster")]:
        assert (await api.call(PHYSICIAN, method, path)).status_code == 403


# issue 12 item 12 over HTTP: the activation requests list says who was activated how


async def test_the_activation_list_shows_who_was_activated_how_when_and_by_whom(api):
    site = await a_site(api)
    by_code, automatic = a_physician(), a_physician()
    for physician in (by_code, automatic):
        await asks_activation(api, site, physician)
    sent = await api.call(site.staff, "POST", f"/activation-requests/{by_code.account_id}/activation-code",
                          json={"channel": "sms"})  # fmt: skip
    assert sent.status_code == 202
    assert (await api.call(site.staff, "GET", "/activation-requests")).json()[0]["status"] == "code_sent"
    switched = await api.call(site.staff, "PUT", f"/institutions/{site.institution_id}/auto-activation",
                              json={"enabled": True})  # fmt: skip
    assert switched.status_code == 204
    activated_at = datetime.now(UTC) + timedelta(seconds=1)
    for physician, method in ((by_code, ActivationMethod.ACTIVATION_CODE), (automatic, ActivationMethod.AUTOMATIC)):
        event = AccountActivated(account_id=physician.account_id, method=method, institution_id=site.institution_id)
        await api.deliver(event, at=activated_at)

    listed = await api.call(site.staff, "GET", "/activation-requests", params={"status": "granted"})
    shown = {
        r["real_name"]: (r["status"], r["method"], r["decided_by"], datetime.fromisoformat(r["activated_at"]))
        for r in listed.json()
    }
    assert shown == {
        by_code.name: ("granted", "activation_code", str(site.staff.account_id), activated_at),
        automatic.name: ("granted", "automatic", None, activated_at),
    }
    assert listed.headers["X-Total-Count"] == "2"


# the audit trail: every staff and operator action, who, what, when, from where; append-only; admins only


async def test_every_action_is_in_the_audit_trail_with_who_when_and_from_where(api, engine):
    site, other = await a_site(api), await a_site(api)
    physician, declined = a_physician(), a_physician()
    for p in (physician, declined):
        await asks_activation(api, site, p)
    task = await applies(api, site, physician, at=datetime.now(UTC))
    staff = site.staff
    await api.call(staff, "POST", f"/activation-requests/{physician.account_id}/activation-code", json={})
    await api.call(staff, "POST", f"/activation-requests/{declined.account_id}/decline", json={"reason": "非本院医师"})
    await api.call(staff, "POST", f"/review-tasks/{task}/decision", json={"outcome": "rejected", "reason": "材料不全"})
    refused = await api.call(staff, "POST", f"/review-tasks/{task}/decision", json={"outcome": "approved"})
    assert refused.status_code == 409  # a refused action leaves no entry
    await api.call(staff, "PUT", f"/institutions/{site.institution_id}/auto-activation", json={"enabled": True})
    await api.call(staff, "GET", "/roster/export", params={"physician_name": "王"})

    trail = await api.call(ADMIN, "GET", "/admin/audit-trail", params={"institution_id": str(site.institution_id)})
    assert trail.status_code == 200, trail.text
    entries = trail.json()
    assert [e["action"] for e in entries] == [
        "roster.exported", "institution.auto_activation_switched", "review.decided", "activation.declined",
        "activation.code_sent", "institution.loaded",
    ], "newest first"  # fmt: skip
    assert {(e["actor_id"], e["actor_role"]) for e in entries[:-1]} == {(str(staff.account_id), "institution_staff")}
    assert (entries[-1]["actor_id"], entries[-1]["actor_role"]) == (str(ADMIN.account_id), "admin")
    assert {e["address"] for e in entries} == {CLIENT_ADDRESS}
    assert {e["institution_id"] for e in entries} == {str(site.institution_id)}
    decided = entries[2]
    assert (decided["subject_id"], decided["details"]["outcome"], decided["details"]["reason"]) == (
        str(task), "rejected", "材料不全",
    )  # fmt: skip
    assert entries[3]["subject_id"] == str(declined.account_id)
    assert entries[0]["details"] == {"rows": 0, "role": None, "search": {"name": "王"}}
    assert all(datetime.fromisoformat(e["at"]) <= datetime.now(UTC) for e in entries)

    paged = await api.call(ADMIN, "GET", "/admin/audit-trail", params={"limit": 2, "offset": 1})
    assert paged.headers["X-Total-Count"] == "7"  # both institutions' loads and the five actions
    assert len(paged.json()) == 2
    by_action = await api.call(ADMIN, "GET", "/admin/audit-trail", params={"action": "institution.loaded"})
    assert {e["institution_id"] for e in by_action.json()} == {str(site.institution_id), str(other.institution_id)}
    by_actor = await api.call(ADMIN, "GET", "/admin/audit-trail", params={"actor_id": str(staff.account_id)})
    assert by_actor.headers["X-Total-Count"] == "5"
    assert (await api.call(staff, "GET", "/admin/audit-trail")).status_code == 403

    async with engine.connect() as connection:
        for statement in ("UPDATE institutions.audit_trail SET address = 'elsewhere'",
                          "DELETE FROM institutions.audit_trail", "TRUNCATE institutions.audit_trail"):  # fmt: skip
            with pytest.raises(DBAPIError, match="append-only"):
                await connection.execute(text(statement))
            await connection.rollback()
