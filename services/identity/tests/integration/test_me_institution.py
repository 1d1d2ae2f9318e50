"""Issue 12 item 12, identity's side: once an institution activated the account, `/me` shows that institution
(until then, and for activation by certificate code, none)."""

import asyncio
import time
import uuid

import pytest

from contracts.enums import ActivationMethod
from contracts.institutions.v1 import ActivationGranted

from .conftest import Identity

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


async def active_me(identity: Identity, person) -> dict:
    deadline = time.monotonic() + 20
    while (me := await identity.me(person))["status"] != "active":
        assert time.monotonic() < deadline, me
        await asyncio.sleep(0.1)
    return me


async def test_me_shows_the_institution_that_activated_the_account_automatically(identity: Identity, login):
    person = await identity.secured(login)
    institution_id = uuid.uuid4()
    asked = await identity.http.post(
        "/me/activation-requests", json={"institution_id": str(institution_id)}, headers=identity.as_(person.token)
    )
    assert asked.status_code == 202
    assert (await identity.me(person))["institution_id"] is None
    granted = ActivationGranted(
        account_id=uuid.UUID(person.account_id), institution_id=institution_id, method=ActivationMethod.AUTOMATIC
    )
    await identity.hear(granted, person.account_id)
    assert (await active_me(identity, person))["institution_id"] == str(institution_id)


async def test_me_shows_the_institution_whose_code_activated_the_account(identity: Identity, login):
    person = await identity.secured(login)
    institution_id = uuid.uuid4()
    headers = identity.as_(person.token)
    await identity.http.post("/me/activation-requests", json={"institution_id": str(institution_id)}, headers=headers)
    granted = ActivationGranted(
        account_id=uuid.UUID(person.account_id), institution_id=institution_id, method=ActivationMethod.ACTIVATION_CODE
    )
    await identity.hear(granted, person.account_id)
    deadline = time.monotonic() + 20
    while not await identity.issued_codes(person.account_id, "activation"):
        assert time.monotonic() < deadline
        await asyncio.sleep(0.1)
    assert (await identity.me(person))["institution_id"] is None  # a code sent is not an activation
    code = await identity.last_code(person.account_id, "activation")
    activated = await identity.http.post("/me/activation", json={"code": code}, headers=headers)
    assert activated.json()["status"] == "active" and activated.json()["institution_id"] == str(institution_id)
