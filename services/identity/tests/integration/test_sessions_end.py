"""Issue 13 item 4: a session that ends ends everywhere. Access tokens carry their session (`sid`); sign-out ends
that session, a password change or reset and disabling end every session of the account, each announced as
SessionsEnded, so identity (like every service) refuses the tokens still out within seconds. A disabled
account's token does nothing even before that."""

import jwt
import pytest

from .conftest import Identity, refused_soon

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


def session_of(token: str) -> str:
    return jwt.decode(token, options={"verify_signature": False})["sid"]


async def test_sign_out_ends_the_access_tokens_of_that_session_and_of_no_other(identity: Identity, login):
    person = await identity.register(login)
    first = await identity.sign_in(person)
    second = await identity.sign_in(person)
    assert session_of(first["access_token"]) != session_of(second["access_token"])
    assert (await identity.http.get("/me", headers=identity.as_(first["access_token"]))).status_code == 200

    signed_out = await identity.http.post("/tokens/revoke", json={"refresh_token": first["refresh_token"]})
    assert signed_out.status_code == 204
    ended = await identity.published("identity.sessions_ended", person.account_id)
    assert [e["session_id"] for e in ended] == [session_of(first["access_token"])]
    await refused_soon(identity, first["access_token"])
    assert (await identity.http.get("/me", headers=identity.as_(second["access_token"]))).status_code == 200


async def test_a_password_change_ends_every_session_and_the_new_one_works(identity: Identity, login):
    person = await identity.register(login)
    first = (await identity.sign_in(person))["access_token"]
    second = (await identity.sign_in(person))["access_token"]
    change = {
        "old_password": person.password,
        "new_password": "Changed2026q",
        "new_password_confirmation": "Changed2026q",
    }
    assert (await identity.http.put("/me/password", json=change, headers=identity.as_(first))).status_code == 204
    person.password = "Changed2026q"
    fresh = (await identity.sign_in(person))["access_token"]
    ended = await identity.published("identity.sessions_ended", person.account_id)
    assert [e["session_id"] for e in ended] == [None]
    await refused_soon(identity, first)
    await refused_soon(identity, second)
    assert (await identity.http.get("/me", headers=identity.as_(fresh))).status_code == 200


async def test_a_password_reset_ends_every_session(identity: Identity, login):
    person = await identity.secured(login)
    old = person.token
    body = {"login_name": login, "channel": "sms", **await identity.captcha()}
    assert (await identity.http.post("/password-recovery/codes", json=body)).status_code == 202
    code = await identity.last_code(person.account_id, "reset_password")
    reset = {
        "login_name": login, "channel": "sms", "code": code,
        "new_password": "Recovered2026q", "new_password_confirmation": "Recovered2026q",
    }  # fmt: skip
    assert (await identity.http.post("/password-recovery", json=reset)).status_code == 204
    await refused_soon(identity, old)


async def test_a_disabled_account_s_token_can_no_longer_change_its_password(identity: Identity, login, prepared_stack):
    person = await identity.register(login)
    token = (await identity.sign_in(person))["access_token"]
    admin = await identity.http.post(
        "/tokens",
        json={"login_name": "admin", "password": prepared_stack.secrets["IDENTITY_BOOTSTRAP_ADMIN_PASSWORD"]},
    )
    disabled = await identity.http.post(
        f"/admin/accounts/{person.account_id}/disable", json={"reason": "licence withdrawn"},
        headers=identity.as_(admin.json()["access_token"]),
    )  # fmt: skip
    assert disabled.status_code == 204
    change = {
        "old_password": person.password,
        "new_password": "Takeover2026q",
        "new_password_confirmation": "Takeover2026q",
    }
    # at once, before the announcement reached anyone: identity checks the account itself
    refused = await identity.http.put("/me/password", json=change, headers=identity.as_(token))
    assert refused.status_code in (401, 403), refused.text
    assert (await identity.http.get("/me", headers=identity.as_(token))).status_code in (401, 403)
    ended = await identity.published("identity.sessions_ended", person.account_id)
    assert [e["session_id"] for e in ended] == [None]
    await refused_soon(identity, token)
    still_old = await identity.http.post("/tokens", json={"login_name": login, "password": person.password})
    assert still_old.status_code == 403  # the old password is still the one (and the account is disabled)
