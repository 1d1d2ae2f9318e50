"""Operators list, disable, enable and unlock accounts and rotate the token-signing key; each action is in the
append-only audit trail with who, when and from which address."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from devstack.stack import Stack
from identity.service.accounts import BOOTSTRAP_ADMIN

from .conftest import Identity

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


async def as_operator(identity: Identity, prepared_stack: Stack) -> dict[str, str]:
    password = prepared_stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"]
    signed_in = await identity.http.post("/tokens", json={"login_name": BOOTSTRAP_ADMIN, "password": password})
    assert signed_in.status_code == 200, signed_in.text
    return identity.as_(signed_in.json()["access_token"])


async def an_officer(identity: Identity, operator: dict[str, str], login: str) -> str:
    body = {"role": "officer", "login_name": login, "password": "Officer2026", "real_name": "李青",
            "region_code": "110105"}  # fmt: skip
    created = await identity.http.post("/admin/accounts", json=body, headers=operator)
    assert created.status_code == 201, created.text
    return str(created.json()["account_id"])


async def signs_in(identity: Identity, login: str) -> int:
    body = {"login_name": login, "password": "Officer2026"}
    return (await identity.http.post("/tokens", json=body)).status_code


async def test_an_operator_finds_disables_and_enables_an_officer(identity: Identity, login, prepared_stack: Stack):
    operator = await as_operator(identity, prepared_stack)
    account_id = await an_officer(identity, operator, login)
    found = await identity.http.get("/admin/accounts", params={"role": "officer", "q": login[3:]}, headers=operator)
    assert found.status_code == 200, found.text
    assert [a["account_id"] for a in found.json()] == [account_id]
    assert found.headers["X-Total-Count"] == "1"
    assert found.json()[0]["locked_seconds"] == 0

    disabled = await identity.http.post(
        f"/admin/accounts/{account_id}/disable", json={"reason": "离职"}, headers=operator
    )
    assert disabled.status_code == 204, disabled.text
    assert await signs_in(identity, login) == 403
    listed = await identity.http.get("/admin/accounts", params={"status": "disabled", "q": login}, headers=operator)
    assert [a["status"] for a in listed.json()] == ["disabled"]

    enabled = await identity.http.post(f"/admin/accounts/{account_id}/enable", headers=operator)
    assert enabled.json() == {"status": "active"}, enabled.text
    assert await signs_in(identity, login) == 200

    trail = await identity.http.get("/admin/audit-trail", params={"subject_id": account_id}, headers=operator)
    assert [e["action"] for e in trail.json()] == ["account.enabled", "account.disabled", "account.created"]
    assert {e["address"] for e in trail.json()} == {identity.http._transport.client[0]}  # type: ignore[attr-defined]
    assert trail.json()[1]["details"] == {"reason": "离职"}


async def test_a_physician_enabled_again_is_back_at_the_step_they_were_at(
    identity: Identity, login, prepared_stack: Stack
):
    operator = await as_operator(identity, prepared_stack)
    person = await identity.secured(login)
    await identity.http.post(f"/admin/accounts/{person.account_id}/disable", json={"reason": "核查"}, headers=operator)
    enabled = await identity.http.post(f"/admin/accounts/{person.account_id}/enable", headers=operator)
    assert enabled.json() == {"status": "secured"}
    assert (await identity.published("identity.account_enabled", person.account_id))[-1]["status"] == "secured"


async def test_an_operator_unlocks_a_locked_account(identity: Identity, login, prepared_stack: Stack):
    operator = await as_operator(identity, prepared_stack)
    account_id = await an_officer(identity, operator, login)
    for _ in range(identity.settings.login_max_failures):
        await identity.http.post("/tokens", json={"login_name": login, "password": "Wrong-2026"})
    assert await signs_in(identity, login) == 429
    listed = await identity.http.get("/admin/accounts", params={"q": login}, headers=operator)
    assert listed.json()[0]["locked_seconds"] > 0

    unlocked = await identity.http.post(f"/admin/accounts/{account_id}/unlock", headers=operator)
    assert unlocked.status_code == 204, unlocked.text
    assert await signs_in(identity, login) == 200
    trail = await identity.http.get(
        "/admin/audit-trail", params={"subject_id": account_id, "action": "account.unlocked"}, headers=operator
    )
    assert trail.json()[0]["details"]["locked_seconds"] > 0


async def test_a_rotated_token_key_signs_new_tokens_and_the_old_one_still_verifies(
    identity: Identity, login, prepared_stack: Stack
):
    operator = await as_operator(identity, prepared_stack)
    before = (await identity.http.get("/.well-known/jwks.json")).json()["keys"]
    rotated = await identity.http.post("/admin/token-keys/rotations", headers=operator)
    assert rotated.status_code == 201, rotated.text
    kid = rotated.json()["kid"]
    assert rotated.json()["published"][0] == kid
    assert {k["kid"] for k in before} < set(rotated.json()["published"])

    assert (await identity.http.get("/me", headers=operator)).status_code == 200, "a token the old key signed holds"
    fresh = await as_operator(identity, prepared_stack)
    assert (await identity.http.get("/me", headers=fresh)).status_code == 200
    trail = await identity.http.get("/admin/audit-trail", params={"action": "token_key.rotated"}, headers=fresh)
    assert trail.json()[0]["details"] == {"kid": kid}


async def test_the_audit_trail_is_append_only_and_for_operators_only(identity: Identity, login):
    person = await identity.register(login)
    await identity.sign_in(person)
    assert (await identity.http.get("/admin/audit-trail", headers=identity.as_(person.token))).status_code == 403
    async with identity.app.state.dependencies.uow() as uow:
        with pytest.raises(DBAPIError, match="append-only"):
            await uow.session.execute(text("UPDATE identity.audit_trail SET action = 'x'"))
