"""Rotating IDENTITY_SECRET_KEY: restarted with the old secret among the previous keys, identity opens the
token-signing key the old one sealed, re-seals it under the new one, and from then on needs the new one only;
tokens signed before the rotation keep working, since the signing key itself did not change."""

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import jwt
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from identity.adapters.tables import signing_keys
from identity.main import create_app
from identity.settings import Settings
from regsys_runtime.sealing import key_id

from .conftest import Identity

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


@asynccontextmanager
async def restarted(identity: Identity, current: str, *previous: str) -> AsyncIterator[Identity]:
    """Identity started again, as a replica starts, with another current secret and previous ones."""
    ring = {"secret_key": SecretStr(current), "previous_secret_keys": tuple(SecretStr(p) for p in previous)}
    settings: Settings = identity.settings.model_copy(update=ring)
    app = create_app(settings, consume=False)  # a consumer joining and leaving the group would slow the next tests
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=(f"198.51.100.{secrets.randbelow(250) + 1}", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://identity") as http:
            yield Identity(http=http, settings=settings, app=app)


async def sealed_under(identity: Identity) -> set[str]:
    """The ids of the secrets the stored token-signing keys are sealed under."""
    async with identity.app.state.dependencies.uow() as uow:
        ciphers = (await uow.session.execute(select(signing_keys.c.private_key_cipher))).scalars().all()
    return {bytes(c[1:5]).hex() for c in ciphers}


async def test_after_a_rotation_people_sign_in_with_the_same_signing_key_and_old_tokens_still_work(
    identity: Identity, login
):
    old, new = identity.settings.secret_key.get_secret_value(), secrets.token_urlsafe(32)
    person = await identity.register(login)
    await identity.sign_in(person)
    token_before, kid = person.token, jwt.get_unverified_header(person.token)["kid"]
    assert await sealed_under(identity) == {key_id(old).hex()}
    try:
        async with restarted(identity, new, old) as rotated:
            assert await sealed_under(rotated) == {key_id(new).hex()}  # re-sealed as it started
            assert (await rotated.http.get("/me", headers=rotated.as_(token_before))).status_code == 200
        async with restarted(identity, new) as old_secret_gone:
            await old_secret_gone.sign_in(person)  # the signing key opens under the new secret alone
            assert jwt.get_unverified_header(person.token)["kid"] == kid
            assert (await old_secret_gone.http.get("/me", headers=old_secret_gone.as_(person.token))).status_code == 200
    finally:  # the service of the other tests runs with the stack's secret: seal the key under it again
        async with restarted(identity, old, new) as back:
            assert await sealed_under(back) == {key_id(old).hex()}
    await identity.sign_in(person)
    assert (await identity.http.get("/me", headers=identity.as_(token_before))).status_code == 200
