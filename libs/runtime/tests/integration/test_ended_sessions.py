"""Tokens of an ended session or account are refused although they still verify; newer ones hold."""

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import httpx
import jwt
import pytest
import redis.asyncio as aioredis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from jwt.algorithms import OKPAlgorithm
from pydantic_settings import SettingsConfigDict

from contracts.identity.v1 import SessionsEnded
from devstack.stack import Stack
from regsys_runtime.auth import TokenVerifier, http_jwks
from regsys_runtime.problems import Problem
from regsys_runtime.sessions import EndedSessions
from regsys_runtime.settings import ServiceSettings

pytestmark = pytest.mark.integration


class DemoSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_")
    service_name: ClassVar[str] = "demo"
    http_port: int = 9000


@pytest.fixture
async def verifier(prepared_stack: Stack, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DEMO_DATABASE_URL", "postgresql+asyncpg://demo:unused-here-1@db/regsys")
    monkeypatch.setenv("REDIS_KEY_PREFIX", f"t{uuid.uuid4().hex[:8]}")
    private = Ed25519PrivateKey.generate()
    public = {**OKPAlgorithm.to_jwk(private.public_key(), as_dict=True), "kid": "k1", "alg": "EdDSA"}
    jwks = FastAPI()
    jwks.get("/jwks")(lambda: {"keys": [public]})
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=jwks), base_url="http://identity")
    redis = aioredis.from_url(prepared_stack.infra.redis_url, decode_responses=True)
    ended = EndedSessions(redis, DemoSettings())  # type: ignore[call-arg]
    verifier = TokenVerifier(
        http_jwks(client, "http://identity/jwks"), issuer="regsys-identity", audience="regsys", ended=ended
    )

    def token(account: uuid.UUID, session: uuid.UUID, issued_at: int) -> str:
        claims = {
            "sub": str(account),
            "sid": str(session),
            "role": "physician",
            "typ": "access",
            "iss": "regsys-identity",
            "aud": "regsys",
            "iat": issued_at,
            "exp": issued_at + 900,
        }
        return jwt.encode(claims, private, algorithm="EdDSA", headers={"kid": "k1"})

    yield verifier, ended, token
    await redis.aclose()
    await client.aclose()


async def refused(verifier: TokenVerifier, token: str) -> bool:
    try:
        await verifier.verify(token)
    except Problem as problem:
        return problem.status == 401 and "ended" in problem.detail
    return False


async def test_a_signed_out_session_is_refused_and_the_other_sessions_hold(verifier):
    verifier, ended, token = verifier
    account, phone, desk = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    issued = int(time.time()) - 60
    await ended.record(SessionsEnded(account_id=account, session_id=phone, ended_at=datetime.now(UTC)))
    assert await refused(verifier, token(account, phone, issued))
    assert (await verifier.verify(token(account, desk, issued))).session_id == desk


async def test_ending_every_session_refuses_older_tokens_only(verifier):
    verifier, ended, token = verifier
    account, session = uuid.uuid4(), uuid.uuid4()
    password_changed = datetime.now(UTC) - timedelta(seconds=10)
    await ended.record(SessionsEnded(account_id=account, ended_at=password_changed))
    earlier = password_changed - timedelta(hours=1)
    await ended.record(SessionsEnded(account_id=account, ended_at=earlier))  # late and older: changes nothing
    assert await refused(verifier, token(account, session, int(password_changed.timestamp()) - 30))
    fresh = await verifier.verify(token(account, session, int(password_changed.timestamp()) + 5))
    assert fresh.account_id == account
