"""Issue 13 item 1, identity's side: with CODE_DELIVERY_KEY set, no one-time code is readable in identity's outbox
(and so on the broker): the code travels sealed for notifications, which holds the same key."""

import base64
import dataclasses
import re
import secrets

import pytest
from cryptography.exceptions import InvalidTag

from regsys_runtime.sealing import SEALED_DELIVERY_PREFIX, DeliverySealer, Sealer

from .conftest import Identity

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


def unseal_as_notifications_would(key: str, sealed: str) -> str:
    """What notifications does: strip the prefix, base64-decode, open with the shared sealer."""
    assert sealed.startswith(SEALED_DELIVERY_PREFIX)
    raw = base64.urlsafe_b64decode(sealed[len(SEALED_DELIVERY_PREFIX) :])
    return Sealer(key, namespace="code-delivery", purpose="one-time-code").open(raw).decode()


async def test_codes_leave_identity_sealed_and_only_the_key_opens_them(identity: Identity, login):
    person = await identity.register(login)
    await identity.put_in_registry("欧阳·明", person.id_number)
    await identity.sign_in(person)
    await identity.http.post("/me/qualification-check", headers=identity.as_(person.token))
    key, app = secrets.token_urlsafe(32), identity.app
    plain = app.state.dependencies
    app.state.dependencies = dataclasses.replace(plain, delivery_sealer=DeliverySealer(key))
    try:
        sent = await identity.http.post(
            "/me/security-codes", json={"channel": "sms"}, headers=identity.as_(person.token)
        )
        assert sent.status_code == 202, sent.text
    finally:
        app.state.dependencies = plain
    [issued] = await identity.sealed_codes(person.account_id, "verify_phone")
    code = unseal_as_notifications_would(key, issued["code"])
    assert re.fullmatch(r"\d{6}", code)
    everything = await identity.published("identity.verification_code_issued", person.account_id)
    assert code not in str(everything), "the code is readable in identity's outbox"
    with pytest.raises(InvalidTag):  # the wrong key opens nothing
        unseal_as_notifications_would(secrets.token_urlsafe(32), issued["code"])
    body = {"channel": "sms", "code": code}
    confirmed = await identity.http.post("/me/security-verification", json=body, headers=identity.as_(person.token))
    assert confirmed.json()["status"] == "secured", confirmed.text
