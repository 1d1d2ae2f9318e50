"""Rotating LICENSING_SECRET_KEY: restarted with the old secret among the previous keys, licensing opens the
signing key the old one sealed, re-seals it under the new one, and from then on needs the new one only."""

import secrets

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from licensing.adapters.tables import licence_signing_keys
from licensing.settings import Settings
from regsys_runtime.sealing import key_id

from .conftest import Harness, a_physician, change_register, started

pytestmark = pytest.mark.integration


async def sealed_under(h: Harness) -> set[str]:
    """The ids of the secrets the stored private keys are sealed under."""
    async with h.uow() as uow:
        ciphers = (await uow.session.execute(select(licence_signing_keys.c.private_key_cipher))).scalars().all()
    return {bytes(c[1:5]).hex() for c in ciphers}


async def a_claimed_licence(h: Harness) -> str:
    physician = await a_physician(h)
    await change_register(h, physician)
    claimed = await h.http.post("/licences/me", headers=h.token(physician.principal))
    assert claimed.status_code == 201, claimed.text
    return str(claimed.json()["document"])


async def verified(h: Harness, document: str) -> tuple[str, str]:
    result = (await h.http.post("/licences/verifications", json={"licence": document})).json()
    return result["result"], result["reason"]


def with_secrets(settings: Settings, current: str, *previous: str) -> Settings:
    ring = {"secret_key": SecretStr(current), "previous_secret_keys": tuple(SecretStr(p) for p in previous)}
    return settings.model_copy(update=ring)


async def test_after_a_rotation_the_old_signing_key_still_signs_and_is_sealed_under_the_new_secret(
    licensing: Harness,
):
    h, old, new = licensing, licensing.runtime.settings.secret_key.get_secret_value(), secrets.token_urlsafe(32)
    signed_before = await a_claimed_licence(h)
    assert await sealed_under(h) == {key_id(old).hex()}
    try:
        async with started(with_secrets(h.runtime.settings, new, old), h.signer) as rotated:
            assert await sealed_under(rotated) == {key_id(new).hex()}  # re-sealed as it started
            assert await verified(rotated, signed_before) == ("valid", "active")
            signed_after = await a_claimed_licence(rotated)
        async with started(with_secrets(h.runtime.settings, new), h.signer) as old_secret_gone:
            assert await verified(old_secret_gone, signed_after) == ("valid", "active")
            await a_claimed_licence(old_secret_gone)  # the signing key opens under the new secret alone
    finally:  # the tests after this one run with the stack's secret: seal the keys under it again
        async with started(with_secrets(h.runtime.settings, old, new), h.signer) as back:
            assert await sealed_under(back) == {key_id(old).hex()}
    assert await a_claimed_licence(h)
