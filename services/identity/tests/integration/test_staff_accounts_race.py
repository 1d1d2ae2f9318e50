"""Two requests (or two replicas starting) creating the same account at once: one account, and a refusal a person
can read for the other, never a 500."""

import asyncio

import pytest

from devstack.stack import Stack
from identity.service.accounts import BOOTSTRAP_ADMIN, ensure_admin
from regsys_runtime.errors import InvalidFields

from .conftest import Identity

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


async def test_two_admins_creating_one_login_name_at_once_create_one_account(
    identity: Identity, login, prepared_stack: Stack
):
    password = prepared_stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"]
    signed_in = await identity.http.post("/tokens", json={"login_name": BOOTSTRAP_ADMIN, "password": password})
    as_admin = identity.as_(signed_in.json()["access_token"])
    body = {"role": "officer", "login_name": login, "password": "Officer2026", "real_name": "李青",
            "region_code": "110105"}  # fmt: skip
    answers = await asyncio.gather(
        *(identity.http.post("/admin/accounts", json=body, headers=as_admin) for _ in range(4))
    )
    assert sorted(a.status_code for a in answers) == [201, 422, 422, 422], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 422)
    assert [e["field"] for e in refused.json()["errors"]] == ["login_name"]


async def test_replicas_starting_together_make_one_bootstrap_admin(identity: Identity, login):
    units = identity.app.state.dependencies.uow
    starts = (ensure_admin(uow=units(), password="Bootstrap2026", login_name=login) for _ in range(4))
    await asyncio.gather(*starts)  # none of the four replicas fails to start
    signed_in = await identity.http.post("/tokens", json={"login_name": login, "password": "Bootstrap2026"})
    assert signed_in.status_code == 200, signed_in.text


async def test_a_bootstrap_password_the_policy_refuses_still_stops_the_start(identity: Identity, login):
    with pytest.raises(InvalidFields):
        await ensure_admin(uow=identity.app.state.dependencies.uow(), password="12345678", login_name=login)
