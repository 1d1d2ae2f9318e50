"""The licensing app in-process against the run's real Postgres, Redis and broker, with a token issuer of its own.

Identity is another service: its place is taken by a key pair made here, published to the app as identity
publishes its JWKS. The register is changed by calling licensing's own use cases, as the register code does.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from jwt.algorithms import OKPAlgorithm
from sqlalchemy import select

from contracts.applications.v1 import ApplicationDetails, ApplicationSubmitted
from contracts.enums import ApplicationType, PracticeCategory, RegistrationStatus, Role
from contracts.institutions.v1 import InstitutionRecorded
from contracts.licensing.v1 import MultiSiteRecord, RegistrationChanged
from devstack.stack import Stack
from licensing.adapters.tables import messaging
from licensing.domain.licence import Step
from licensing.main import create_app
from licensing.service import licences, tasks
from licensing.service.office import LicenceOffice
from licensing.settings import Settings
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.runtime import Runtime


@dataclass
class Harness:
    app: FastAPI
    http: httpx.AsyncClient
    signer: Ed25519PrivateKey

    @property
    def runtime(self) -> Runtime:
        return self.app.state.runtime

    @property
    def office(self) -> LicenceOffice:
        return self.app.state.dependencies.office

    def uow(self) -> UnitOfWork:
        return self.runtime.uow()

    def token(self, principal: Principal) -> dict[str, str]:
        s, now = self.runtime.settings, int(time.time())
        claims = {**principal.claims(), "typ": "access", "iss": s.token_issuer, "aud": s.token_audience}
        token = jwt.encode(
            {**claims, "iat": now, "exp": now + 300}, self.signer, algorithm="EdDSA", headers={"kid": "test"}
        )
        return {"Authorization": f"Bearer {token}"}

    async def outbox(self, account_id: uuid.UUID) -> list[dict[str, Any]]:
        outbox = messaging.outbox
        query = select(outbox.c.event_type, outbox.c.envelope).where(outbox.c.key == str(account_id))
        async with self.uow() as uow:
            rows = (await uow.session.execute(query.order_by(outbox.c.id))).all()
        return [{"type": r.event_type, **r.envelope["payload"]} for r in rows]


@pytest.fixture
async def licensing(prepared_stack: Stack, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Harness]:
    for name, value in prepared_stack.env().items():
        monkeypatch.setenv(name, value)
    async with started(Settings(), Ed25519PrivateKey.generate()) as harness:  # type: ignore[call-arg]
        yield harness


@asynccontextmanager
async def started(settings: Settings, signer: Ed25519PrivateKey) -> AsyncIterator[Harness]:
    """The app with `settings`, started as a replica starts, trusting tokens `signer` signs."""
    jwk = {**OKPAlgorithm.to_jwk(signer.public_key(), as_dict=True), "kid": "test", "alg": "EdDSA"}

    async def keys() -> dict[str, Any]:
        return {"keys": [jwk]}

    app = create_app(settings, consume=False, key_source=lambda _: keys)
    async with app.router.lifespan_context(app):
        # a client address of its own: the per-client limits of public verification live in the stack's Redis,
        # and one test's requests must not count against the next one's
        address = f"198.18.{random.randint(0, 255)}.{random.randint(1, 254)}"
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://licensing.test") as http:
            yield Harness(app, http, signer)


@dataclass
class Physician:
    account_id: uuid.UUID
    main_institution_id: uuid.UUID
    certificate_number: str
    principal: Principal


async def an_institution(h: Harness, name: str, region: str = "110105") -> uuid.UUID:
    institution_id = uuid.uuid4()
    event = InstitutionRecorded(
        institution_id=institution_id,
        name=name,
        credit_code="91110105MA00000000",
        licence_number="PDY-1",
        region_code=region,
    )
    async with h.uow() as uow:
        await tasks.remember_institution(uow=uow, event=event, recorded_at=datetime.now(UTC))
        await uow.commit()
    return institution_id


async def a_physician(h: Harness, *, name: str = "欧阳·明") -> Physician:
    """A physician whose application licensing has seen (so it knows their name), not yet on the register."""
    account_id = uuid.uuid4()
    institution_id = await an_institution(h, f"第{random.randint(1, 999)}人民医院")
    submitted = ApplicationSubmitted(
        application_id=uuid.uuid4(),
        account_id=account_id,
        application_type=ApplicationType.INITIAL_REGISTRATION,
        institution_id=institution_id,
        category=PracticeCategory.CLINICAL,
        physician_name=name,
        id_number_masked="110105********123X",
        details=ApplicationDetails(practice_scope="内科专业"),
        submitted_at=datetime.now(UTC),
    )
    async with h.uow() as uow:
        await tasks.remember_application(uow=uow, event=submitted)
        await uow.commit()
    number = f"110105{datetime.now(UTC).year}{random.randint(0, 99999):05d}"
    return Physician(account_id, institution_id, number, Principal(account_id, Role.PHYSICIAN))


async def change_register(
    h: Harness,
    physician: Physician,
    *,
    status: RegistrationStatus = RegistrationStatus.VALID,
    main_institution_id: uuid.UUID | None = None,
    multi_sites: tuple[MultiSiteRecord, ...] = (),
) -> Step:
    """The register changes for the physician, as the register code changes it: the licence follows."""
    change = RegistrationChanged(
        account_id=physician.account_id,
        certificate_number=physician.certificate_number,
        status=status,
        category=PracticeCategory.CLINICAL,
        practice_scope="内科专业",
        main_institution_id=main_institution_id or physician.main_institution_id,
        multi_sites=multi_sites,
        changed_at=datetime.now(UTC),
    )
    async with h.uow() as uow:
        step = await licences.follow_register(uow=uow, office=h.office, change=change)
        await uow.commit()
    return step
